"""Spare workers (FERRY_SPARE_IDLE): a kernel leaves a warm worker for the next kernel with the same launch
(papermill's next run, a restart), which claims it at start; other launches do not; a spare leaves after its
idle limit, and a claimed one with the kernel that claimed it."""
import os
import signal
import tempfile

import pytest

from conftest import (STARTUP_TIMEOUT, Kernel, descendants_of, pid_alive, spares_of, stop_spares, strip_ansi,
                      wait_until)


@pytest.fixture
def shared(tmp_path):
    """A data directory and a notebook directory that several kernels share; spares are stopped at the end."""
    data = tempfile.mkdtemp(prefix="ferry-test-spare-")
    nb = tmp_path / "nb"
    nb.mkdir()
    started = []

    def make(cwd=None, **env):
        k = Kernel(data_dir=data, extra_env={"FERRY_SPARE_IDLE": "120", **env}, cwd=str(cwd or nb), donor=False)
        started.append(k)
        return k

    yield data, nb, make
    for k in started:
        k.close()
    stop_spares(data)


def warm_spare(data, exclude=()):
    """The pid of a warm spare waiting in data (started by an idle or exiting kernel)."""
    found = {}
    assert wait_until(lambda: found.update({p: d for p, d in spares_of(data).items() if p not in exclude}) or found,
                      STARTUP_TIMEOUT), f"no warm spare worker in {data}: {os.listdir(data)}"
    return next(iter(found))


def test_the_next_kernel_in_the_same_directory_is_served_by_the_spare(shared):
    data, nb, make = shared
    a = make()
    assert a.value_of("1+1") == "2"
    spare = warm_spare(data)  # a's kernel left it after a quiet moment
    assert spare not in a.workers(), "the spare is not the kernel's own worker"
    assert spare not in descendants_of(a.pid), "a spare is not the kernel's child: it outlives it"
    a.close()
    assert pid_alive(spare), "the spare outlived the kernel that started it"

    b = make()
    assert b.value_of("ProcessHandle.current().pid()") == str(spare), "the first cell did not run in the spare"
    assert b.workers() == [spare]
    assert spare not in spares_of(data, ready=False), "a claimed spare is off the shelf"
    # the session behaves as any: state, raw output of children before the reply, interrupts, history
    b.execute_ok("int kept = 41;")
    r = b.execute_ok('new ProcessBuilder("sh","-c","echo from-child").inheritIO().start().waitFor(); '
                     'System.out.println("after-child");')
    out = r.stream()
    assert "from-child" in out and out.index("from-child") < out.index("after-child"), r.describe()
    msg_id = b.kc.execute('System.out.println("sleeping"); Thread.sleep(60_000);')
    # interrupt once the cell runs: JShell stops running code only, so an interrupt that lands while the cell
    # still compiles is lost (a known race, as with one's own worker; docs/worker-protocol.md)
    assert wait_until(lambda: b._pump(0.05) or any(m.msg_type == "stream" for m in b._stash.get(msg_id, [])), 60), \
        "the cell did not start"
    b.control_request("interrupt_request", {})
    r = b.wait(msg_id, timeout=20)
    assert r.status == "error" and "Interrupted" in strip_ansi(r.error_text()), r.describe()
    assert b.value_of("kept + 1") == "42", "state survived the interrupt"
    hist = b.request(lambda: b.kc.history(hist_access_type="tail", n=10)).content["history"]
    assert any("int kept = 41;" in h[2] for h in hist), hist

    # b leaves a spare of its own once idle; kill -9 of b's kernel ends the worker it claimed, not that spare
    nxt = warm_spare(data, exclude={spare})
    os.kill(b.pid, signal.SIGKILL)
    assert wait_until(lambda: not pid_alive(spare), 30), "the claimed spare outlived its kernel"
    assert pid_alive(nxt), "a waiting spare survives a kernel's death"


def test_another_directory_or_environment_does_not_take_the_spare(shared, tmp_path):
    data, nb, make = shared
    a = make()
    a.execute_ok("1+1")
    spare = warm_spare(data)
    other = tmp_path / "elsewhere"
    other.mkdir()
    c = make(cwd=other)
    assert c.value_of("ProcessHandle.current().pid()") != str(spare), "a kernel in another directory took the spare"
    d = make(FERRY_TEST_SETTING="1")
    assert d.value_of("ProcessHandle.current().pid()") != str(spare), "a kernel with another environment took it"
    assert d.value_of('System.getenv("FERRY_TEST_SETTING")') == "1"
    assert spare in spares_of(data), "the spare still waits for a kernel like the one that left it"


def test_an_unclaimed_spare_leaves_after_its_idle_limit(shared):
    data, nb, make = shared
    a = make(FERRY_SPARE_IDLE="4")
    a.execute_ok("1+1")
    found = {}
    assert wait_until(lambda: found.update(spares_of(data, ready=False)) or found, STARTUP_TIMEOUT)
    spare = next(iter(found))
    assert wait_until(lambda: not pid_alive(spare), 60), "the spare did not leave after FERRY_SPARE_IDLE=4"
    assert spare not in spares_of(data, ready=False)
    assert not [n for n in os.listdir(os.path.join(data, "spares")) if not n.endswith(".new")
                and str(spare) in open(os.path.join(data, "spares", n, "pid")).read()], "it left its directory behind"


def test_no_spare_with_ferry_spare_idle_0(shared):
    data, nb, make = shared
    a = make(FERRY_SPARE_IDLE="0")
    a.execute_ok("1+1")
    a.close()
    assert not os.path.exists(os.path.join(data, "spares")) or not os.listdir(os.path.join(data, "spares"))


def test_a_claimed_spare_that_dies_is_reported_as_a_child_worker_is(shared):
    data, nb, make = shared
    a = make()
    a.execute_ok("1+1")
    spare = warm_spare(data)
    a.close()
    b = make()
    assert b.value_of("ProcessHandle.current().pid()") == str(spare)
    b.execute_ok("int gone = 1;")
    r = b.execute_replied("System.exit(3);")
    assert r.status == "error" and "exited with code 3" in strip_ansi(r.error_text()), r.describe()
    assert "state was lost" in strip_ansi(r.error_text()), r.describe()
    assert b.value_of("1+1") == "2", "the next cell runs in a fresh worker"
    assert b.execute("gone").status == "error"
