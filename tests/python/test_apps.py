"""Apps end to end: `%deploy` in a notebook, the app outlives its kernel, a fresh kernel calls it with
Function.fromName, `ferry app list|logs` from a terminal see it and its schedule's runs; `%serve` ends with
its kernel and is re-registered when a %%function cell runs again (docs/apps.md)."""
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import start_kernel, strip_ansi, wait_until
from test_functions import CALL_TIMEOUT, ferry_command, stop_server


def ferry(data_dir, *args, check=True):
    p = subprocess.run([ferry_command(), *args, "--data-dir", data_dir], capture_output=True, text=True, timeout=120)
    if check:
        assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout + p.stderr


def run_ok(k, code, timeout=CALL_TIMEOUT):
    r = k.execute(code, timeout=timeout)
    assert r.status == "ok", r.describe()
    return r


@pytest.fixture(scope="module")
def data_dir():
    d = tempfile.mkdtemp(prefix="fapps")
    # started here, not by a kernel: Kernel.close() kills a closed kernel's descendants, and a server a kernel
    # starts is one (a notebook's server outlives its kernel, which these tests need)
    ferry(d, "server", "start")
    try:
        yield d
    finally:
        stop_server(d)
        shutil.rmtree(d, ignore_errors=True)


def test_deploy_outlives_the_kernel_and_is_called_from_a_fresh_one(data_dir):
    k = start_kernel(data_dir=data_dir)
    try:
        run_ok(k, "int offset() { return 1000; }")
        run_ok(k, '%%function web="POST /square"\nint square(int x) { return x * x + offset() - 1000; }')
        run_ok(k, '%%function schedule="every 2s"\nlong tick() { return System.currentTimeMillis(); }')
        out = strip_ansi(run_ok(k, "%deploy demo").stdout)
        assert "Deployed demo (ap-" in out and "version 1" in out, out
        assert "tick  every 2s, next run " in out, out
        app_id = out[out.index("(ap-") + 1:].split(",")[0]
        kernel_pid = k.pid
    finally:
        k.close()
    assert wait_until(lambda: not os.path.exists(f"/proc/{kernel_pid}"), 30)

    listed = ferry(data_dir, "app", "list")
    assert f"demo  {app_id}  deployed  version 1" in listed, listed
    assert "tick  every 2s  next run " in listed, listed

    other = start_kernel(data_dir=data_dir)
    try:
        r = run_ok(other, 'Function.<Integer>fromName("demo", "square").remote(7)')
        assert r.results[0]["data"]["text/plain"] == "49", r.describe()
        missing = other.execute('Function.fromName("demo", "nope")', timeout=60)
        assert missing.status == "error", missing.describe()
        assert missing.errors[0]["ename"] == "dev.ferry.NotFoundException", missing.describe()
        assert "app 'demo' has no function 'nope'; its functions: square, tick" in missing.errors[0]["evalue"]
        # a redeploy from another kernel keeps the id
        run_ok(other, '%%function\nint square(int x) { return x * x; }')
        again = strip_ansi(run_ok(other, "%deploy demo").stdout)
        assert f"Deployed demo ({app_id}, version 2)" in again, again
    finally:
        other.close()

    def ran():
        logs = ferry(data_dir, "app", "logs", "demo", "--function", "tick")
        return logs.count("succeeded") >= 2 and logs
    assert wait_until(ran, CALL_TIMEOUT), ferry(data_dir, "app", "logs", "demo")
    # the call made through Function.fromName is the app's too
    assert "square" in ferry(data_dir, "app", "logs", "demo")
    assert "stopped demo" in ferry(data_dir, "app", "stop", "demo")


def test_serve_ends_with_the_kernel_and_is_re_registered(data_dir):
    k = start_kernel(data_dir=data_dir)
    try:
        run_ok(k, "%%function\nint twice(int x) { return 2 * x; }")
        out = strip_ansi(run_ok(k, "%serve dev").stdout)
        assert "Serving dev (ap-" in out and "it stops when this kernel ends" in out, out
        assert "dev  ap-" in ferry(data_dir, "app", "list") and "ephemeral" in ferry(data_dir, "app", "list")
        again = strip_ansi(run_ok(k, "%%function\nint twice(int x) { return x + x; }").stdout)
        assert "%serve: re-registered dev (version 2)" in again, again
    finally:
        k.close()
    assert wait_until(lambda: "dev  " not in ferry(data_dir, "app", "list"), 60), ferry(data_dir, "app", "list", "--all")
    assert "stopped" in ferry(data_dir, "app", "list", "--all")


def test_errors_name_the_problem(data_dir):
    k = start_kernel(data_dir=data_dir)
    try:
        r = k.execute("%%function\nint bad(int x) {\n    return x +* 2;\n}", timeout=60)
        assert r.status == "error", r.describe()
        tb = strip_ansi("\n".join(r.errors[0]["traceback"]))
        assert "return x +* 2;" in tb and "^" in tb, tb
        r = k.execute('%%function schedule="hourly"\nvoid job() { }', timeout=60)
        assert r.status == "error" and "neither a cron schedule nor a period" in r.errors[0]["evalue"], r.describe()
        r = k.execute("%deploy nothing-declared", timeout=60)
        assert r.status == "error" and "declared no functions" in r.errors[0]["evalue"], r.describe()
        run_ok(k, '%%function schedule="cron 0 25 * * *"\nvoid job() { }')
        r = k.execute("%deploy bad-cron", timeout=120)
        assert r.status == "error", r.describe()
        assert "the hour field '25' is wrong" in r.errors[0]["evalue"], r.describe()
    finally:
        k.close()
