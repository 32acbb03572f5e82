"""%%remote on a remote Docker engine over TLS: DOCKER_HOST=tcp://, DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH.

The engine is a second dockerd that listens with TLS (client certificates required) on 198.18.0.2, inside a
network namespace, made by install/docker-tls-test-engine.sh (module fixture: start before the first test, stop
after the last). Its certificates are made by that script with openssl; a second folder holds the client's
certificate with the ca.pem of another CA, for the refusal. The kernels here get the three DOCKER_* variables in
their environment and nothing else that points them at the engine: the worker's class path is sent into a volume
on the engine once (nothing of this machine's disk is mounted), as for a real remote box.

Skipped (with the reason) only when not root or when `ip netns` does not work here; otherwise every test runs.
The checks on containers use the second engine's own unix socket.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

import pytest

from conftest import Kernel, descendants_of, only_value, pid_alive, strip_ansi, wait_until

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "install", "docker-tls-test-engine.sh")
BASE_IMAGE = "ferry/base:bookworm-jdk17"
LOCAL_SOCK = "unix:///var/run/docker.sock"
CELL_TIMEOUT = 180
TIMING_FILE = os.path.join(REPO, "tests", "target", "remote-tls-timing.txt")
# the id (12 hex) of the container the code runs in, from the mount of its /etc/hostname
CID = ('java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/mountinfo"))'
       '.replaceAll("(?s).*/containers/([0-9a-f]{12})[0-9a-f]{52}/.*", "$1")')


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "the TLS engine needs root (a network namespace and a second dockerd)"
    if shutil.which("ip") is None:
        return "no `ip` command (iproute2): cannot make the network namespace"
    probe = "ferry-tls-probe-" + uuid.uuid4().hex[:6]
    p = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if p.returncode != 0:
        return f"`ip netns add` does not work here: {p.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


@pytest.fixture(scope="module")
def tls_engine():
    why = _why_not()
    if why:
        pytest.skip(why)
    p = subprocess.run([SCRIPT, "start"], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, f"install/docker-tls-test-engine.sh start failed:\n{p.stderr[-3000:]}"
    env = dict(line.split("=", 1) for line in p.stdout.splitlines() if "=" in line)
    yield env
    s = subprocess.run([SCRIPT, "stop"], capture_output=True, text=True, timeout=120)
    assert s.returncode == 0, s.stderr
    assert subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.find("ferry-tls ") < 0


def client_env(engine: dict, cert_path: str | None = None) -> dict:
    return {"DOCKER_HOST": engine["DOCKER_HOST"], "DOCKER_TLS_VERIFY": "1",
            "DOCKER_CERT_PATH": cert_path or engine["DOCKER_CERT_PATH"]}


def on(sock: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", "-H", sock, *args], capture_output=True, text=True, timeout=timeout)


def containers(sock: str, kernel_pid: int) -> dict:
    p = on(sock, "ps", "-a", "--no-trunc", "--filter", "label=dev.ferry=worker",
           "--filter", f"label=dev.ferry.kernel.pid={kernel_pid}", "--format", "{{json .}}")
    assert p.returncode == 0, p.stderr
    out = {}
    for line in p.stdout.splitlines():
        c = json.loads(line)
        out[c["ID"][:12]] = dict(kv.split("=", 1) for kv in c.get("Labels", "").split(",") if "=" in kv)
    return out


def exists(sock: str, cid: str) -> bool:
    p = on(sock, "ps", "-aq", "--filter", f"id={cid}")
    assert p.returncode == 0, p.stderr
    return bool(p.stdout.strip())


def remote(k: Kernel, code: str, timeout: float = CELL_TIMEOUT):
    return k.execute_replied(code, timeout)


value = only_value


@pytest.fixture(scope="module")
def tk(tls_engine):
    """A kernel whose engine is the TLS one (FERRY_ENGINE=docker: no fallback to processes)."""
    config = tempfile.mkdtemp(prefix="ferry-tls-config-")
    k = Kernel(extra_env={**client_env(tls_engine), "FERRY_CONFIG_DIR": config, "FERRY_ENGINE": "docker"})
    yield k
    pid = k.pid
    k.close()
    shutil.rmtree(config, ignore_errors=True)
    sock = tls_engine["FERRY_TLS_ENGINE_SOCKET"]
    left = containers(sock, pid)
    for cid in left:
        on(sock, "rm", "-f", cid)
    assert not left, f"containers of the TLS kernel outlived its shutdown: {left}"


def first_stream(k: Kernel, msg_id: str, timeout: float = CELL_TIMEOUT) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        k._pump(0.05)
        got = [m for m in k._stash.get(msg_id, []) if m.msg_type in ("stream", "error")]
        if got:
            assert got[0].msg_type == "stream", got[0].content
            return got[0].content["text"]
    raise AssertionError(f"no output from the running cell within {timeout}s")


# --------------------------------------------------------------------------------------------

def test_cold_remote_cell_runs_on_the_tls_engine_and_is_timed_against_the_local_socket(tls_engine, tk):
    """The first %%remote of a kernel (cold: its first container, the worker's class path copied in) on the TLS
    engine and on the local socket, with `docker run --rm IMG true` on each, in one run; written to
    tests/target/remote-tls-timing.txt (not asserted: numbers of a shared machine)."""
    sock = tls_engine["FERRY_TLS_ENGINE_SOCKET"]
    t0 = time.monotonic()
    r = remote(tk, "%%remote\nSystem.out.println(" + CID + "); Runtime.version().feature()")
    cold_tls = time.monotonic() - t0
    assert value(r) == "17", r.describe()
    cid = r.stdout.strip()
    assert len(cid) == 12, r.describe()
    assert wait_until(lambda: not exists(sock, cid), 15, interval=0.25), f"one-shot container {cid} stayed"
    assert not exists(LOCAL_SOCK, cid)
    # the class path was copied, not mounted: nothing of this machine's disk is in the container
    r = remote(tk, '%%remote\nSystem.getProperty("java.class.path").split(":")[0]')
    assert value(r).startswith("/opt/ferry/worker/"), r.describe()
    t0 = time.monotonic()
    assert value(remote(tk, "%%remote\n1 + 1")) == "2"
    warm_tls = time.monotonic() - t0

    local = Kernel(extra_env={"FERRY_ENGINE": "docker", "DOCKER_HOST": LOCAL_SOCK})
    try:
        t0 = time.monotonic()
        assert value(remote(local, "%%remote\nRuntime.version().feature()")) == "17"
        cold_local = time.monotonic() - t0
        t0 = time.monotonic()
        assert value(remote(local, "%%remote\n1 + 1")) == "2"
        warm_local = time.monotonic() - t0
    finally:
        local.close()

    def raw(host_args):
        t = time.monotonic()
        p = subprocess.run(["docker", *host_args, "run", "--rm", "--network", "none", BASE_IMAGE, "true"],
                           capture_output=True, text=True, timeout=120, env={**os.environ, **client_env(tls_engine)}
                           if not host_args else os.environ)
        assert p.returncode == 0, p.stderr
        return time.monotonic() - t
    raw_tls = raw([])  # the CLI with the same DOCKER_* variables as the kernel
    raw_local = raw(["-H", LOCAL_SOCK])
    lines = [f"cold %%remote: TLS engine {cold_tls:.2f} s, local socket {cold_local:.2f} s",
             f"warm %%remote (second one-shot cell): TLS engine {warm_tls:.2f} s, local socket {warm_local:.2f} s",
             f"docker run --rm {BASE_IMAGE} true: TLS engine {raw_tls:.2f} s, local socket {raw_local:.2f} s"]
    os.makedirs(os.path.dirname(TIMING_FILE), exist_ok=True)
    with open(TIMING_FILE, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def worker_volumes(sock: str) -> list:
    p = on(sock, "volume", "ls", "-q", "-f", "label=dev.ferry=worker-classpath")
    assert p.returncode == 0, p.stderr
    return sorted(p.stdout.split())


def test_the_worker_class_path_is_sent_once_into_a_volume_of_the_engine(tls_engine, tk):
    """Every cold cell used to copy ~130 MB into its container; now the first fills ferry-worker-<hash> on the
    engine (and marks it -ready) and the next ones mount it."""
    sock = tls_engine["FERRY_TLS_ENGINE_SOCKET"]
    assert value(remote(tk, '%%remote\nSystem.getProperty("java.class.path").split(":")[0]')).startswith("/opt/ferry/worker/")
    vols = worker_volumes(sock)
    assert len(vols) == 2 and vols[1] == vols[0] + "-ready", vols
    assert value(remote(tk, "%%remote\n2 + 2")) == "4"
    assert worker_volumes(sock) == vols


def test_a_volume_on_the_tls_engine_is_refused_naming_what_to_do_instead(tls_engine, tk):
    """The engine cannot see this machine's disk: the cell fails before a container starts, not on no data."""
    sock = tls_engine["FERRY_TLS_ENGINE_SOCKET"]
    assert wait_until(lambda: not containers(sock, tk.pid), 30, interval=0.25), "earlier one-shot containers stayed"
    r = tk.execute_replied("%%remote volumes=/data:tls-ds\n1 + 1", CELL_TIMEOUT)
    text = strip_ansi(r.error_text())
    assert "volumes=/data:tls-ds: the Docker engine at tcp://" in text and "addLocalDir" in text, r.describe()
    assert not containers(sock, tk.pid)


def test_an_image_recipe_is_built_on_the_tls_engine(tls_engine, tk):
    sock = tls_engine["FERRY_TLS_ENGINE_SOCKET"]
    nonce = uuid.uuid4().hex[:12]
    tk.execute_ok(f'var tlsImg = Image.debianSlim().runCommands("echo tls-{nonce} > /tls-marker.txt");')
    tag = value(tk.execute_ok("tlsImg.tag()")).strip('"')
    try:
        r = remote(tk, '%%remote image=tlsImg\njava.nio.file.Files.readString(java.nio.file.Path.of("/tls-marker.txt"))'
                       '.strip()')
        assert value(r) == f"tls-{nonce}", r.describe()
        assert on(sock, "image", "inspect", tag).returncode == 0, f"{tag} is not on the TLS engine"
        assert on(LOCAL_SOCK, "image", "inspect", tag).returncode != 0, f"{tag} was built on the local engine"
    finally:
        wait_until(lambda: not on(sock, "ps", "-aq", "--filter", f"ancestor={tag}").stdout.strip(), 15, interval=0.25)
        on(sock, "rmi", tag)


def test_a_session_keeps_its_state_across_cells_in_one_container(tls_engine, tk):
    sock = tls_engine["FERRY_TLS_ENGINE_SOCKET"]
    try:
        r = remote(tk, "%%remote session=tls\nint counter = 41;\nSystem.out.println(" + CID + ");")
        assert r.status == "ok", r.describe()
        cid = r.stdout.strip()
        assert value(remote(tk, "%%remote session=tls\n++counter")) == "42"
        assert value(remote(tk, "%%remote session=tls\n" + CID)) == cid
        assert containers(sock, tk.pid)[cid].get("dev.ferry.session") == "tls"
    finally:
        tk.execute("%remote stop tls")
    assert wait_until(lambda: not exists(sock, cid), 15, interval=0.25), f"the stopped session's {cid} stayed"


def test_an_interrupt_stops_the_remote_cell_and_the_session_keeps_its_state(tls_engine, tk):
    try:
        tk.execute_ok("%%remote session=tintr\nint before = 5;", timeout=CELL_TIMEOUT)
        msg_id = tk.kc.execute('%%remote session=tintr\nSystem.out.println("sleeping");\nThread.sleep(100000);')
        assert first_stream(tk, msg_id) == "sleeping\n"
        time.sleep(1.0)  # the sleep has started
        ctl = tk.control_request("interrupt_request", {})
        assert ctl.reply is not None and ctl.content["status"] == "ok", ctl.describe()
        r = tk.wait(msg_id, 30)
        assert r.reply is not None and r.status == "error", r.describe()
        assert "interrupt" in r.error_text().lower(), r.describe()
        assert value(remote(tk, "%%remote session=tintr\nbefore * 2", timeout=60)) == "10"
    finally:
        tk.execute("%remote stop tintr")


def test_containers_of_a_killed_kernel_are_removed_from_the_tls_engine(tls_engine):
    sock = tls_engine["FERRY_TLS_ENGINE_SOCKET"]
    k = Kernel(extra_env={**client_env(tls_engine), "FERRY_ENGINE": "docker"})
    pid = k.pid
    workers = []
    try:
        k.execute_ok("%%remote session=orphan\nint x = 1;", timeout=CELL_TIMEOUT)
        mine = containers(sock, pid)
        assert [l.get("dev.ferry.session") for l in mine.values()] == ["orphan"], mine
        cid = next(iter(mine))
        workers = descendants_of(pid)
        os.kill(pid, signal.SIGKILL)
        assert wait_until(k.process_exited, 5)
        time.sleep(0.5)
        assert exists(sock, cid), "the container went with the SIGKILLed kernel (nothing could remove it)"
    finally:
        k.close()
        for w in workers:
            if pid_alive(w):
                os.kill(w, signal.SIGKILL)
    k2 = Kernel(extra_env=client_env(tls_engine))
    try:
        removed = wait_until(lambda: not exists(sock, cid), 30, interval=0.25)
        if not removed:
            on(sock, "rm", "-f", cid)
        assert removed, f"the next kernel did not remove container {cid} of the killed kernel {pid} from the TLS engine"
    finally:
        k2.close()


def test_an_engine_whose_certificate_does_not_verify_is_refused(tls_engine):
    """DOCKER_CERT_PATH has the client's own certificate but the ca.pem of another CA: the engine's certificate
    does not verify. No fallback to local processes, even without FERRY_ENGINE: the cell fails and says why."""
    wrong = tls_engine["FERRY_TLS_ENGINE_WRONG_CA"]
    k = Kernel(extra_env=client_env(tls_engine, wrong))
    try:
        for cell in ("%%remote\n1 + 1", "%%remote engine=docker\n1 + 1"):
            r = remote(k, cell, timeout=60)
            assert r.status == "error", r.describe()
            text = strip_ansi(r.error_text())
            assert (f"refused the Docker engine at {tls_engine['DOCKER_HOST']}: its certificate does not verify against"
                    f" the CA in {wrong}/ca.pem") in text, text
            assert f"Put the CA that signed the engine's certificate (its dockerd --tlscacert) in {wrong}/ca.pem" in text
            assert "local process" not in r.stderr, r.describe()
    finally:
        k.close()
