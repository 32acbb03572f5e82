"""The worker JVM dies (System.exit, OOM, kill -9): the cell ends with a clear error, the kernel lives,
and the next cell runs in a fresh worker."""
import os
import re
import signal
import time

import pytest

from conftest import pid_alive, wait_until

LOST = re.compile(r"(?is)state was lost|session.*lost|lost.*session")


def _assert_fresh_worker(k, gone_var):
    assert k.alive(), "kernel does not answer kernel_info after the worker died"
    assert not k.process_exited()
    assert k.value_of("1+1") == "2"
    r = k.execute(gone_var)
    assert r.status == "error", f"{gone_var} should be gone in a fresh worker\n" + r.describe()
    assert "cannot find symbol" in r.error_text(), r.describe()


def _worker(k):
    k.execute_ok("int warm = 1;")  # make sure a worker exists
    ws = k.workers()
    assert ws, f"no worker JVM found below kernel pid {k.pid}"
    return ws


def test_system_exit(fresh_kernel):
    k = fresh_kernel
    old = _worker(k)
    k.execute_ok("int gone = 7;")
    t0 = time.monotonic()
    r = k.execute("System.exit(3);", timeout=30)
    assert r.reply is not None, "no reply after System.exit\n" + r.describe()
    assert time.monotonic() - t0 < 15, r.describe()
    assert r.status == "error", r.describe()
    assert len(r.errors) == 1, r.describe()
    assert LOST.search(r.error_text()), "error does not say the session state was lost\n" + r.describe()
    assert r.idle_at is not None, r.describe()
    _assert_fresh_worker(k, "gone")
    # the worker that ran System.exit is gone (a kernel may keep a spare worker, so not necessarily all)
    assert wait_until(lambda: not all(pid_alive(p) for p in old), 5), f"no old worker exited: {old}"
    assert k.workers(), "no worker after recovery"


def test_worker_heap_is_at_most_2_gib_by_default(kernel_factory):
    """A runaway cell fails within seconds instead of filling a quarter of RAM first (docs: FERRY_JVM_OPTS)."""
    k = kernel_factory()
    assert int(k.value_of("Runtime.getRuntime().maxMemory()")) <= 2 << 30
    k = kernel_factory(extra_env={"FERRY_JVM_OPTS": "-Xmx3g"})
    assert int(k.value_of("Runtime.getRuntime().maxMemory()")) > 2 << 30


def test_out_of_memory(fresh_kernel):
    k = fresh_kernel
    _worker(k)
    k.execute_ok("int gone = 8;")
    code = "var l = new java.util.ArrayList<long[]>();\nwhile (true) l.add(new long[10_000_000]);"
    r = k.execute(code, timeout=120)
    assert r.reply is not None, "no reply after OutOfMemoryError\n" + r.describe()
    assert r.status == "error", r.describe()
    text = r.error_text()
    assert "OutOfMemoryError" in text or LOST.search(text), r.describe()
    if LOST.search(text):  # the message says what the heap was and how to raise it
        assert "Ferry's default is -Xmx2g" in text and "FERRY_JVM_OPTS=-Xmx" in text, text
        assert "--worker-opts" in text, text
    assert r.idle_at is not None, r.describe()
    assert k.alive()
    assert k.value_of("1+1") == "2"
    if LOST.search(text):  # the worker died: fresh state
        r = k.execute("gone")
        assert r.status == "error", r.describe()


def test_kill_9_worker(fresh_kernel):
    k = fresh_kernel
    old = _worker(k)
    k.execute_ok("int gone = 9;")
    msg_id = k.kc.execute("Thread.sleep(30000);")
    sent = time.monotonic()
    end = time.monotonic() + 20
    while time.monotonic() < end and not any(m.msg_type == "execute_input" for m in k._stash.get(msg_id, [])):
        k._pump(0.05)
    time.sleep(0.5)
    ws = k.workers()
    assert ws, "no worker while a cell runs"
    for p in ws:
        os.kill(p, signal.SIGKILL)
    t0 = time.monotonic()
    r = k.wait(msg_id, timeout=20, sent_at=sent)
    assert r.reply is not None, "cell did not end after its worker was killed\n" + r.describe()
    assert r.reply_at - t0 < 5, f"took {r.reply_at - t0:.2f}s to notice the dead worker"
    assert r.status == "error", r.describe()
    assert LOST.search(r.error_text()), r.describe()
    _assert_fresh_worker(k, "gone")


def test_worker_killed_while_idle(fresh_kernel):
    k = fresh_kernel
    old = _worker(k)
    k.execute_ok("int gone = 10;")
    for p in old:
        os.kill(p, signal.SIGKILL)
    assert wait_until(lambda: not any(pid_alive(p) for p in old), 5)
    time.sleep(0.3)
    # the next cell works (possibly after telling the user the state was lost)
    r = k.execute("1+1", timeout=60)
    assert r.reply is not None, r.describe()
    if r.status == "error":
        assert LOST.search(r.error_text()), r.describe()
        assert k.value_of("1+1") == "2"
    else:
        assert r.results[0]["data"]["text/plain"] == "2", r.describe()
    r = k.execute("gone")
    assert r.status == "error", r.describe()
