"""Shared fixtures and helpers for Ferry's end-to-end tests with real Jupyter clients.

Run with Debian's interpreter (it has jupyter_client, nbclient, nbconvert, pexpect, pytest):

    JUPYTER_PATH=<prefix>/share/jupyter FERRY_KERNEL_NAME=ferry /usr/bin/python3 -m pytest -q tests/python

Environment:
    FERRY_KERNEL_NAME        kernelspec to test (default: ferry)
    FERRY_KERNEL_NAME_JDK25  optional second kernelspec (installed with --java <temurin 25>); the
                             interrupt tests also run against it
    JUPYTER_PATH             where the kernelspec(s) are installed (<prefix>/share/jupyter)
    FERRY_TEST_STARTUP_S     seconds to wait for a kernel to answer kernel_info (default 90)
    FERRY_TEST_SPARES=1      every kernel is served by a claimed spare worker: a donor kernel with the same
                             launch starts first, leaves its spare and shuts down (slow: twice the starts);
                             otherwise kernels run with FERRY_SPARE_IDLE=0 (no spares) unless a test sets it

Every kernel started here gets its own FERRY_DATA_DIR (a temp dir) so the tests never touch the
user's history.
"""
from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

KERNEL_NAME = os.environ.get("FERRY_KERNEL_NAME", "ferry")
KERNEL_NAME_JDK25 = os.environ.get("FERRY_KERNEL_NAME_JDK25") or None
STARTUP_TIMEOUT = float(os.environ.get("FERRY_TEST_STARTUP_S", "90"))
TEST_SPARES = os.environ.get("FERRY_TEST_SPARES") == "1"
# a kernel that leaves a spare worker costs a JVM warm-up: only the tests that are about spares get them
os.environ.setdefault("FERRY_SPARE_IDLE", "60" if TEST_SPARES else "0")
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def strip_ansi(s: str) -> str:
    return ANSI_RE.sub("", s)


# --------------------------------------------------------------------------------------------
# /proc helpers (psutil is not available)
# --------------------------------------------------------------------------------------------

def proc_stat(pid: int) -> Optional[tuple[str, int]]:
    """(state, ppid) of pid, or None if the process does not exist."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # comm may contain spaces and parentheses: split after the LAST ')'
    rest = data[data.rindex(")") + 2:].split()
    return rest[0], int(rest[1])


def proc_cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def pid_alive(pid: int) -> bool:
    st = proc_stat(pid)
    return st is not None and st[0] not in ("Z", "X")


def children_of(pid: int) -> list[int]:
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        st = proc_stat(int(name))
        if st is not None and st[1] == pid and st[0] not in ("Z", "X"):
            out.append(int(name))
    return out


def descendants_of(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children_of(p):
            out.append(c)
            todo.append(c)
    return out


def pipe_ids(pid: int) -> set:
    """(device, inode) of every pipe and named pipe that process pid has open."""
    ids = set()
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return ids
    for n in names:
        try:
            st = os.stat(f"/proc/{pid}/fd/{n}")
        except OSError:
            continue
        if stat.S_ISFIFO(st.st_mode):
            ids.add((st.st_dev, st.st_ino))
    return ids


def worker_pids(kernel_pid: int) -> list[int]:
    """The kernel's worker JVMs: below the kernel process (started directly or via `sh -c exec java`), or a
    claimed spare worker (not the kernel's child; it shares the kernel's named pipes)."""
    own = [p for p in descendants_of(kernel_pid) if "java" in proc_cmdline(p)]
    mine = pipe_ids(kernel_pid)
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in own or int(name) == kernel_pid:
            continue
        cl = proc_cmdline(int(name))  # the JVM, not the shell that waits for it to report its exit status
        if "WorkerMain --spare" in cl and not cl.startswith("sh ") and pid_alive(int(name)) and pipe_ids(int(name)) & mine:
            own.append(int(name))
    return own


def spares_of(data_dir: str, ready: bool = True) -> dict:
    """Spare workers waiting in a data directory: {pid: directory}, only warm ones when ready."""
    out = {}
    root = os.path.join(data_dir, "spares")
    try:
        names = os.listdir(root)
    except OSError:
        return out
    for n in names:
        d = os.path.join(root, n)
        if n.endswith(".new") or n.startswith(("claimed.", "gone.")):
            continue
        if ready and not os.path.exists(os.path.join(d, "ready")):
            continue
        try:
            with open(os.path.join(d, "pid")) as f:
                out[int(f.read().strip())] = d
        except (OSError, ValueError):
            continue
    return {p: d for p, d in out.items() if pid_alive(p)}


def stop_spares(data_dir: str) -> None:
    """Kills the spare workers of a data directory (waiting or claimed: their command line names it)."""
    for name in os.listdir("/proc"):
        if name.isdigit() and "WorkerMain --spare " + os.path.join(data_dir, "spares") in proc_cmdline(int(name)):
            try:
                os.kill(int(name), signal.SIGKILL)
            except OSError:
                pass


def wait_until(pred: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    end = time.monotonic() + timeout
    while True:
        if pred():
            return True
        if time.monotonic() >= end:
            return False
        time.sleep(interval)


# --------------------------------------------------------------------------------------------
# Request/response collection
# --------------------------------------------------------------------------------------------

@dataclass
class Received:
    msg: dict
    t: float  # time.monotonic() when the test read it off the socket (channels are polled continuously)

    @property
    def msg_type(self) -> str:
        return self.msg["header"]["msg_type"]

    @property
    def content(self) -> dict:
        return self.msg["content"]


@dataclass
class Result:
    msg_id: str
    sent_at: float
    reply: Optional[dict] = None
    reply_at: Optional[float] = None
    iopub: list = field(default_factory=list)  # list[Received], in arrival order
    idle_at: Optional[float] = None
    stdin_requests: list = field(default_factory=list)  # list[Received]

    # convenience views ---------------------------------------------------------------------
    @property
    def status(self) -> Optional[str]:
        return None if self.reply is None else self.reply["content"].get("status")

    @property
    def content(self) -> dict:
        assert self.reply is not None, f"no reply for {self.msg_id}"
        return self.reply["content"]

    def of_type(self, *types: str) -> list:
        return [r for r in self.iopub if r.msg_type in types]

    def stream(self, name: Optional[str] = None) -> str:
        return "".join(r.content["text"] for r in self.of_type("stream")
                       if name is None or r.content.get("name") == name)

    @property
    def stdout(self) -> str:
        return self.stream("stdout")

    @property
    def stderr(self) -> str:
        return self.stream("stderr")

    @property
    def errors(self) -> list:
        return [r.content for r in self.of_type("error")]

    @property
    def results(self) -> list:
        return [r.content for r in self.of_type("execute_result")]

    def error_text(self) -> str:
        """Everything a user would read about an error: error messages, the reply, stderr."""
        parts = []
        for e in self.errors:
            parts += [e.get("ename", ""), e.get("evalue", "")] + list(e.get("traceback", []))
        if self.reply is not None:
            c = self.reply["content"]
            parts += [str(c.get("ename", "")), str(c.get("evalue", ""))] + [str(x) for x in c.get("traceback", []) or []]
        parts.append(self.stderr)
        return strip_ansi("\n".join(parts))

    def describe(self) -> str:
        lines = [f"request {self.msg_id}: reply={None if self.reply is None else self.reply['content']}"]
        for r in self.iopub:
            c = dict(r.content)
            lines.append(f"  +{r.t - self.sent_at:.3f}s {r.msg_type}: {str(c)[:400]}")
        return "\n".join(lines)


class Kernel:
    """A started Ferry kernel: its manager, a blocking client, and request helpers that poll all
    channels continuously so arrival times are meaningful and no message is lost."""

    def __init__(self, name: str = KERNEL_NAME, data_dir: Optional[str] = None, extra_env: Optional[dict] = None,
                 cwd: Optional[str] = None, donor: bool = TEST_SPARES):
        self.name = name
        self._own_data_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="ferry-test-data-")
        env = dict(os.environ)
        env["FERRY_DATA_DIR"] = self.data_dir
        env.update(extra_env or {})
        if donor and env.get("FERRY_SPARE_IDLE", "0") != "0" and not spares_of(self.data_dir):
            d = Kernel(name, data_dir=self.data_dir, extra_env=extra_env, cwd=cwd, donor=False)
            d.execute_ok("1+1")
            wait_until(lambda: spares_of(self.data_dir), STARTUP_TIMEOUT)
            d.close()
        self.km = KernelManager(kernel_name=name)
        self.km.start_kernel(env=env, **({"cwd": cwd} if cwd else {}))
        self.kc = self.km.client()
        self.kc.start_channels()
        self._stash: dict[str, list] = {}  # parent msg_id -> [Received] (iopub, other requests)
        self._shell_stash: dict[str, Received] = {}
        self._control_stash: dict[str, Received] = {}
        try:
            self.kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        except Exception:
            self.close()
            raise
        self.drain()

    # process helpers ----------------------------------------------------------------------
    @property
    def pid(self) -> int:
        prov = self.km.provisioner
        proc = getattr(prov, "process", None)
        if proc is not None:
            return proc.pid
        return getattr(self.km, "kernel").pid  # older jupyter_client

    def process_exited(self) -> bool:
        proc = getattr(self.km.provisioner, "process", None) if self.km.provisioner else None
        if proc is None:
            return True
        return proc.poll() is not None

    def workers(self) -> list[int]:
        return worker_pids(self.pid)

    # message plumbing ---------------------------------------------------------------------
    def _pump(self, timeout: float) -> None:
        """Read whatever arrives on iopub/shell/control/stdin for up to `timeout` seconds (at least one poll)."""
        import zmq
        from jupyter_client.utils import run_sync
        poller = zmq.Poller()
        chans = []
        for kind, ch in (("iopub", self.kc.iopub_channel), ("shell", self.kc.shell_channel),
                         ("control", self.kc.control_channel), ("stdin", self.kc.stdin_channel)):
            if ch is not None and getattr(ch, "socket", None) is not None:
                poller.register(ch.socket, zmq.POLLIN)
                chans.append((kind, ch))
        events = dict(poller.poll(int(max(timeout, 0) * 1000)))
        now = time.monotonic()
        for kind, ch in chans:
            if ch.socket not in events:
                continue
            while True:
                try:
                    msg = run_sync(ch.get_msg)(timeout=0)
                except queue.Empty:
                    break
                rec = Received(msg, now)
                parent = (msg.get("parent_header") or {}).get("msg_id", "")
                if kind == "iopub":
                    self._stash.setdefault(parent, []).append(rec)
                elif kind == "shell":
                    self._shell_stash[parent] = rec
                elif kind == "control":
                    self._control_stash[parent] = rec
                else:
                    self._stash.setdefault("stdin:" + parent, []).append(rec)

    def drain(self, seconds: float = 0.05) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._pump(0.01)

    def wait(self, msg_id: str, timeout: float = 30, *, sent_at: Optional[float] = None, channel: str = "shell",
             want_idle: bool = True, stdin_handler: Optional[Callable[[dict], Optional[str]]] = None,
             on_iopub: Optional[Callable[["Result", Received], None]] = None) -> Result:
        """Collect the reply and ALL iopub messages whose parent is msg_id, until status idle.

        Returns when both the reply and the idle status have arrived, or after `timeout` (then the
        Result is incomplete; callers assert on it)."""
        res = Result(msg_id, sent_at if sent_at is not None else time.monotonic())
        end = time.monotonic() + timeout
        replies = self._shell_stash if channel == "shell" else self._control_stash
        seen = 0
        seen_stdin = 0
        while True:
            got = self._stash.get(msg_id, [])
            for rec in got[seen:]:
                res.iopub.append(rec)
                if rec.msg_type == "status" and rec.content.get("execution_state") == "idle" and res.idle_at is None:
                    res.idle_at = rec.t
                if on_iopub is not None:
                    on_iopub(res, rec)
            seen = len(got)
            sreq = self._stash.get("stdin:" + msg_id, [])
            for rec in sreq[seen_stdin:]:
                res.stdin_requests.append(rec)
                if stdin_handler is not None:
                    answer = stdin_handler(rec.msg)
                    if answer is not None:
                        self.kc.input(answer)
            seen_stdin = len(sreq)
            if res.reply is None and msg_id in replies:
                rec = replies.pop(msg_id)
                res.reply, res.reply_at = rec.msg, rec.t
            if res.reply is not None and (res.idle_at is not None or not want_idle):
                break
            remaining = end - time.monotonic()
            if remaining <= 0:
                break
            self._pump(min(remaining, 0.05))
        return res

    def execute(self, code: str, timeout: float = 30, allow_stdin: bool = False,
                stdin_handler: Optional[Callable[[dict], Optional[str]]] = None, **kw) -> Result:
        sent = time.monotonic()
        msg_id = self.kc.execute(code, allow_stdin=allow_stdin, **kw)
        return self.wait(msg_id, timeout, sent_at=sent, stdin_handler=stdin_handler)

    def execute_replied(self, code: str, timeout: float = 30) -> Result:
        """Executes and requires an execute_reply within the timeout (the cell may have failed)."""
        r = self.execute(code, timeout)
        assert r.reply is not None, f"no execute_reply within {timeout}s for {code!r}\n{r.describe()}"
        return r

    def execute_ok(self, code: str, timeout: float = 30) -> Result:
        r = self.execute_replied(code, timeout)
        assert r.status == "ok", f"{code!r} failed:\n{r.describe()}"
        return r

    def request(self, send: Callable[[], str], timeout: float = 20) -> Result:
        sent = time.monotonic()
        msg_id = send()
        return self.wait(msg_id, timeout, sent_at=sent)

    def control_request(self, msg_type: str, content: dict, timeout: float = 10) -> Result:
        msg = self.kc.session.msg(msg_type, content)
        sent = time.monotonic()
        self.kc.control_channel.send(msg)
        return self.wait(msg["header"]["msg_id"], timeout, sent_at=sent, channel="control")

    def value_of(self, expr: str, timeout: float = 30) -> str:
        r = self.execute_ok(expr, timeout)
        assert r.results, f"no execute_result for {expr!r}\n{r.describe()}"
        return r.results[-1]["data"]["text/plain"]

    def alive(self, timeout: float = 10) -> bool:
        r = self.request(self.kc.kernel_info, timeout)
        return r.reply is not None and r.status == "ok"

    # lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        leftovers = []
        try:
            if self.km.has_kernel and not self.process_exited():
                leftovers = descendants_of(self.pid)
        except Exception:
            pass
        try:
            self.kc.stop_channels()
        except Exception:
            pass
        try:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=False)  # shutdown_request, SIGKILL after a grace period
        except Exception:
            pass
        try:
            self.km.cleanup_resources()
        except Exception:
            pass
        # never leave this kernel's worker JVMs behind on a small test machine
        for p in leftovers:
            if pid_alive(p):
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
        if self._own_data_dir:
            stop_spares(self.data_dir)
            shutil.rmtree(self.data_dir, ignore_errors=True)


def only_value(r: Result) -> str:
    """The text/plain of a successful cell's one execute_result."""
    assert r.status == "ok", r.describe()
    assert len(r.results) == 1, r.describe()
    return r.results[0]["data"]["text/plain"]


def start_kernel(name: str = KERNEL_NAME, **kw) -> Kernel:
    return Kernel(name, **kw)


def kernel_names_for_interrupt() -> list:
    names = [KERNEL_NAME]
    if KERNEL_NAME_JDK25:
        names.append(KERNEL_NAME_JDK25)
    return names


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kernel():
    """One kernel shared by the tests of a module (non-destructive tests)."""
    k = start_kernel()
    yield k
    k.close()


@pytest.fixture
def fresh_kernel():
    """A kernel of its own, for destructive tests."""
    k = start_kernel()
    yield k
    k.close()


@pytest.fixture
def kernel_factory():
    """Start kernels on demand (custom name / data dir); all are closed at the end of the test."""
    started = []

    def make(**kw) -> Kernel:
        k = start_kernel(**kw)
        started.append(k)
        return k

    yield make
    for k in started:
        k.close()


@pytest.fixture
def jupyter_env(tmp_path):
    """Environment for subprocess clients (nbconvert, console): isolated FERRY_DATA_DIR and runtime dir."""
    env = dict(os.environ)
    env["FERRY_DATA_DIR"] = str(tmp_path / "ferry-data")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    return env


# ---------------------------------------------------------------- the Ferry server of a data directory

def ferry_command() -> str:
    return os.path.join(KernelSpecManager().get_kernel_spec(KERNEL_NAME).resource_dir, "ferry")


def server_pid(data_dir: str):
    try:
        with open(os.path.join(data_dir, "server.pid")) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def stop_server(data_dir: str) -> None:
    """Stops the data directory's server and checks that its process is gone."""
    pid = server_pid(data_dir)
    subprocess.run([ferry_command(), "server", "stop", "--data-dir", data_dir], capture_output=True, timeout=60)
    if pid is not None:
        assert wait_until(lambda: not pid_alive(pid), 30), f"the Ferry server {pid} of {data_dir} did not stop"


def ferry(data_dir: str, *args, timeout: float = 300) -> str:
    """Runs the installed `ferry` command on data_dir; asserts it succeeded and returns its output without ANSI."""
    p = subprocess.run([ferry_command(), *args, "--data-dir", data_dir], capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, p.stdout + p.stderr
    return strip_ansi(p.stdout + p.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def web_server(prefix: str, app: str):
    """A Ferry server of its own data directory, serving web endpoints on a free loopback port; yields
    (data_dir, the app's base URL) and stops the server after. Skips where curl (the tests' HTTP client) is missing."""
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed (apt-get install curl)")
    d = tempfile.mkdtemp(prefix=prefix)
    port = free_port()
    ferry(d, "server", "start", "--http", f"127.0.0.1:{port}")
    try:
        yield d, f"http://127.0.0.1:{port}/{app}"
    finally:
        stop_server(d)
        shutil.rmtree(d, ignore_errors=True)
