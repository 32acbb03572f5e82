"""Interrupting a running cell: interrupt_request on control (interrupt_mode "message") and SIGINT.

Runs against FERRY_KERNEL_NAME and, when set, FERRY_KERNEL_NAME_JDK25 (the same kernel on Temurin 25).
"""
import os
import signal
import time

import pytest

from conftest import kernel_names_for_interrupt, start_kernel


@pytest.fixture(scope="module", params=kernel_names_for_interrupt())
def ikernel(request):
    k = start_kernel(name=request.param)
    yield k
    k.close()


def _start_cell(k, code):
    """Send code and wait until the kernel is running it (busy + execute_input seen), plus a margin."""
    sent = time.monotonic()
    msg_id = k.kc.execute(code, allow_stdin=False)
    end = time.monotonic() + 20
    while time.monotonic() < end:
        k._pump(0.05)
        if any(m.msg_type == "execute_input" for m in k._stash.get(msg_id, [])):
            break
    else:
        pytest.fail(f"{code!r} did not start running within 20 s")
    time.sleep(0.7)  # let the worker enter the loop/sleep
    # it must still be running
    assert msg_id not in k._shell_stash, "cell finished before it was interrupted"
    return msg_id, sent


def _interrupt_text(r):
    parts = [r.error_text()]
    return parts[0].lower()


def _assert_interrupted(k, r, t_interrupt, how):
    assert r.reply is not None, f"{how}: cell did not end after the interrupt\n" + r.describe()
    took = r.reply_at - t_interrupt
    assert took < 1.0, f"{how}: cell ended {took:.3f}s after the interrupt (limit 1 s)\n" + r.describe()
    assert r.status in ("error", "abort"), r.describe()
    assert "interrupt" in _interrupt_text(r), f"{how}: no 'interrupt' message\n" + r.describe()
    assert r.idle_at is not None, r.describe()


@pytest.mark.parametrize("loop", ["while (true) {}", "long n = 0; while (true) { n++; }"])
def test_interrupt_message_mode(ikernel, loop):
    k = ikernel
    k.execute_ok("int keep = 42;")
    msg_id, sent = _start_cell(k, loop)
    t0 = time.monotonic()
    k.km.interrupt_kernel()  # kernelspec interrupt_mode "message": interrupt_request on control
    r = k.wait(msg_id, timeout=15, sent_at=sent)
    _assert_interrupted(k, r, t0, "interrupt_request")
    r = k.execute_ok("System.out.println(keep)")
    assert r.stdout == "42\n", r.describe()


def test_interrupt_sleep_message_mode(ikernel):
    k = ikernel
    k.execute_ok("int keep2 = 7;")
    msg_id, sent = _start_cell(k, "Thread.sleep(60000);")
    t0 = time.monotonic()
    k.km.interrupt_kernel()
    r = k.wait(msg_id, timeout=15, sent_at=sent)
    _assert_interrupted(k, r, t0, "interrupt_request")
    assert k.value_of("keep2") == "7"


def test_interrupt_reply_on_control(ikernel):
    """The interrupt_request itself is answered on control with status ok."""
    k = ikernel
    msg_id, sent = _start_cell(k, "while (true) {}")
    t0 = time.monotonic()
    ctl = k.control_request("interrupt_request", {}, timeout=5)
    assert ctl.reply is not None, "no interrupt_reply on control"
    assert ctl.content.get("status") == "ok", ctl.content
    r = k.wait(msg_id, timeout=15, sent_at=sent)
    _assert_interrupted(k, r, t0, "interrupt_request (own control message)")
    assert k.value_of("1+1") == "2"


def test_sigint(ikernel):
    k = ikernel
    k.execute_ok("int keep3 = 99;")
    msg_id, sent = _start_cell(k, "Thread.sleep(60000);")
    t0 = time.monotonic()
    os.kill(k.pid, signal.SIGINT)
    r = k.wait(msg_id, timeout=15, sent_at=sent)
    _assert_interrupted(k, r, t0, "SIGINT")
    assert not k.process_exited(), "SIGINT killed the kernel"
    assert k.alive(), "kernel does not answer kernel_info after SIGINT"
    assert k.value_of("keep3") == "99"


def test_sigint_when_idle(ikernel):
    k = ikernel
    os.kill(k.pid, signal.SIGINT)
    time.sleep(0.5)
    assert not k.process_exited(), "SIGINT on an idle kernel killed it"
    assert k.value_of("2+3") == "5"
