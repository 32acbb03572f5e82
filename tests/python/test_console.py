"""Drive `jupyter console` (a real terminal client) through a pseudo-terminal with pexpect."""
import re
import shutil

import pexpect
import pytest

from conftest import KERNEL_NAME

PROMPT = re.compile(r"In \[(\d+)\]: ")


def test_console_roundtrip(jupyter_env):
    env = dict(jupyter_env)
    env["TERM"] = "dumb"
    env.pop("NO_COLOR", None)
    child = pexpect.spawn("/usr/bin/jupyter",
                          ["console", "--kernel", KERNEL_NAME, "--simple-prompt",
                           "--ZMQTerminalInteractiveShell.kernel_timeout=90"],
                          env=env, encoding="utf-8", timeout=90, dimensions=(50, 200))
    log = []
    child.logfile_read = type("L", (), {"write": lambda self, s: log.append(s), "flush": lambda self: None})()
    try:
        child.expect(PROMPT)
        n1 = int(child.match.group(1))
        child.sendline("System.out.println(6*7)")
        child.expect(PROMPT)
        out1 = child.before
        assert "42" in out1, out1
        child.sendline("1+1")
        child.expect(PROMPT)
        out2 = child.before
        assert re.search(r"Out\[\d+\]: 2\b", out2), out2
        # magics work from the console too
        child.sendline("%lsmagic")
        child.expect(PROMPT)
        out3 = child.before
        assert "%%bash" in out3 and "%timeit" in out3, out3
        child.sendline("%time Math.max(3, 4)")
        child.expect(PROMPT)
        out4 = child.before
        assert "Wall time" in out4 and "4" in out4, out4
        child.sendline("exit")
        # a kernel may end the console on `exit` (ask_exit payload); otherwise Ctrl-D leaves it
        # (after confirming) and the console shuts the kernel down
        if child.expect([PROMPT, pexpect.EOF], timeout=30) == 0:
            child.sendeof()
            if child.expect([r"Do you really want to exit", pexpect.EOF], timeout=30) == 0:
                child.sendline("y")
                child.expect(pexpect.EOF, timeout=30)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        pytest.fail(f"console transcript:\n{''.join(log)}\n{type(e).__name__}")
    finally:
        child.close(force=True)
    transcript = "".join(log)
    assert "Shutting down kernel" in transcript, transcript
    assert child.exitstatus == 0, (child.exitstatus, transcript)
