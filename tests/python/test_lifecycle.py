"""shutdown_request and restart."""
import time

from conftest import pid_alive, wait_until


def test_shutdown(fresh_kernel):
    k = fresh_kernel
    k.execute_ok("int a = 1;")
    k.execute_ok('System.out.println("some output");')
    k.execute_ok("a + 1")
    kernel_pid = k.pid
    workers = k.workers()
    assert workers, "no worker JVM below the kernel"
    t0 = time.monotonic()
    msg_id = k.kc.shutdown()  # shutdown_request on control
    r = k.wait(msg_id, timeout=5, channel="control", want_idle=False)
    assert r.reply is not None, "no shutdown_reply"
    assert r.content.get("status") == "ok", r.content
    assert r.content.get("restart") is False, r.content
    gone = wait_until(k.process_exited, 1.0, interval=0.01)
    took = time.monotonic() - t0
    assert gone, f"kernel process {kernel_pid} still running {took:.2f}s after shutdown_request"
    assert not k.km.is_alive()
    assert wait_until(lambda: not any(pid_alive(w) for w in workers), 1.0), (
        f"worker JVM(s) {[w for w in workers if pid_alive(w)]} outlived the kernel")


def test_sigterm_takes_the_worker_down(fresh_kernel):
    """The kernel dies of SIGTERM (as a server's kill does): its worker must not be orphaned."""
    import os
    import signal
    k = fresh_kernel
    k.execute_ok("int a = 1;")
    workers = k.workers()
    assert workers
    os.kill(k.pid, signal.SIGTERM)
    assert wait_until(k.process_exited, 5), "kernel ignored SIGTERM"
    assert wait_until(lambda: not any(pid_alive(w) for w in workers), 5), "worker outlived a SIGTERMed kernel"


def test_restart(fresh_kernel):
    k = fresh_kernel
    k.execute_ok("int oldVar = 5;")
    assert k.value_of("oldVar") == "5"
    old_pid = k.pid
    old_workers = k.workers()
    k.km.restart_kernel(now=False)
    k.kc.wait_for_ready(timeout=90)
    k.drain(0.2)
    assert k.pid != old_pid
    assert k.alive()
    r = k.execute("oldVar")
    assert r.status == "error" and "cannot find symbol" in r.error_text(), r.describe()
    assert k.value_of("1+1") == "2"
    assert wait_until(lambda: not pid_alive(old_pid), 2)
    assert wait_until(lambda: not any(pid_alive(w) for w in old_workers), 2), "old worker survived the restart"
    # execution count starts over in the new kernel
    assert k.execute_ok("int n = 0;").content["execution_count"] <= 3


def test_shutdown_restart_request(fresh_kernel):
    """shutdown_request with restart=True is answered with restart=True."""
    k = fresh_kernel
    msg_id = k.kc.shutdown(restart=True)
    r = k.wait(msg_id, timeout=5, channel="control", want_idle=False)
    assert r.reply is not None, "no shutdown_reply"
    assert r.content.get("status") == "ok" and r.content.get("restart") is True, r.content
