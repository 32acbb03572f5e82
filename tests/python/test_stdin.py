"""System.in in a cell: input_request on the stdin channel, or a prompt failure without a hang."""
import time


def test_input_request_roundtrip(kernel):
    prompts = []

    def answer(msg):
        assert msg["header"]["msg_type"] == "input_request", msg
        prompts.append(msg["content"])
        return "ferry-input"

    code = ('String line = new java.util.Scanner(System.in).nextLine();\n'
            'System.out.println("got:" + line);')
    r = kernel.execute(code, timeout=30, allow_stdin=True, stdin_handler=answer)
    assert r.reply is not None, r.describe()
    assert len(r.stdin_requests) >= 1, "no input_request on the stdin channel\n" + r.describe()
    assert "prompt" in prompts[0] and "password" in prompts[0], prompts[0]
    assert r.status == "ok", r.describe()
    assert "got:ferry-input\n" in r.stdout, r.describe()
    assert kernel.value_of("line") in ("ferry-input", '"ferry-input"')


def test_two_reads_in_one_cell(kernel):
    answers = iter(["first-answer", "second-answer"])
    code = ('var br = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));\n'
            'String a1 = br.readLine();\n'
            'String a2 = br.readLine();\n'
            'System.out.println(a1 + "|" + a2);')
    r = kernel.execute(code, timeout=30, allow_stdin=True, stdin_handler=lambda m: next(answers))
    assert r.status == "ok", r.describe()
    assert len(r.stdin_requests) == 2, r.describe()
    assert "first-answer|second-answer\n" in r.stdout, r.describe()


def test_no_stdin_does_not_hang(kernel):
    code = 'String v = "unset";\ntry { v = new java.util.Scanner(System.in).nextLine(); } catch (Exception e) { v = "failed:" + e.getClass().getSimpleName(); }\nSystem.out.println("v=" + v);'
    t0 = time.monotonic()
    r = kernel.execute(code, timeout=10, allow_stdin=False)
    assert r.reply is not None and r.idle_at is not None, "cell reading System.in without stdin hung\n" + r.describe()
    assert time.monotonic() - t0 < 10
    assert not r.stdin_requests, "input_request sent although allow_stdin=False\n" + r.describe()
    # either an error reply, or the read failed/returned nothing inside the cell
    if r.status == "ok":
        assert "v=failed:" in r.stdout or "v=\n" in r.stdout, r.describe()


def test_no_stdin_uncaught_read_finishes(kernel):
    t0 = time.monotonic()
    r = kernel.execute("new java.util.Scanner(System.in).nextLine()", timeout=10, allow_stdin=False)
    assert r.reply is not None and r.idle_at is not None, "hung\n" + r.describe()
    assert time.monotonic() - t0 < 10
    assert r.status in ("ok", "error"), r.describe()
    assert kernel.value_of("1+1") == "2"
