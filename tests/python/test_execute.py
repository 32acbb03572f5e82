"""execute_request: message order, streams, results, multi-snippet cells, live streaming."""


def _types(r):
    return [m.msg_type for m in r.iopub]


def test_iopub_order_and_echo(kernel):
    code = 'System.out.println("hi");\n1 + 1'
    r = kernel.execute_ok(code)
    types = _types(r)
    assert types[0] == "status" and r.iopub[0].content["execution_state"] == "busy", r.describe()
    assert types[1] == "execute_input", r.describe()
    ei = r.iopub[1].content
    assert ei["code"] == code, ei
    assert isinstance(ei["execution_count"], int) and ei["execution_count"] >= 1, ei
    assert types[-1] == "status" and r.iopub[-1].content["execution_state"] == "idle", r.describe()
    # exactly one busy and one idle, outputs strictly between
    states = [m.content["execution_state"] for m in r.of_type("status")]
    assert states == ["busy", "idle"], r.describe()
    assert set(types[2:-1]) <= {"stream", "execute_result", "display_data", "update_display_data",
                                "clear_output"}, r.describe()
    assert r.content["execution_count"] == ei["execution_count"], (r.content, ei)
    # the kernel sends the reply before idle. Arrival order across two sockets is not ordered at the
    # client (it polls them in turn), so compare the kernel's own send timestamps instead.
    idle = r.iopub[-1]
    assert r.reply["header"]["date"] <= idle.msg["header"]["date"], (r.reply["header"], idle.msg["header"])


def test_execution_count_increments(kernel):
    a = kernel.execute_ok("int ec1 = 1;").content["execution_count"]
    b = kernel.execute_ok("int ec2 = 2;").content["execution_count"]
    assert b == a + 1


def test_silent_does_not_increment_or_broadcast(kernel):
    a = kernel.execute_ok("int s1 = 1;").content["execution_count"]
    r = kernel.execute("int s2 = 2;", silent=True)
    assert r.status == "ok", r.describe()
    assert not r.of_type("execute_input"), r.describe()
    b = kernel.execute_ok("int s3 = 3;").content["execution_count"]
    assert b == a + 1, (a, b)


def test_println_stdout(kernel):
    r = kernel.execute_ok('System.out.println("hi")')
    assert r.stdout == "hi\n", r.describe()
    assert r.stderr == "", r.describe()
    assert not r.results, "println is void: no execute_result expected\n" + r.describe()


def test_println_stderr(kernel):
    r = kernel.execute_ok('System.err.println("oops")')
    assert r.stderr == "oops\n", r.describe()
    assert r.stdout == "", r.describe()


def test_stdout_and_stderr_in_one_cell(kernel):
    r = kernel.execute_ok('System.out.println("to-out");\nSystem.err.println("to-err");\nSystem.out.print("no newline");')
    assert r.stdout == "to-out\nno newline", r.describe()
    assert r.stderr == "to-err\n", r.describe()


def test_final_expression_result(kernel):
    r = kernel.execute_ok("1+1")
    assert len(r.results) == 1, r.describe()
    res = r.results[0]
    assert res["data"]["text/plain"] == "2", res
    assert res["execution_count"] == r.content["execution_count"], (res, r.content)


def test_string_result(kernel):
    r = kernel.execute_ok('"abc"')
    assert len(r.results) == 1, r.describe()
    assert r.results[0]["data"]["text/plain"] in ("abc", '"abc"'), r.results


def test_statement_has_no_result(kernel):
    r = kernel.execute_ok("int noResult = 5;")
    assert not r.results, r.describe()


def test_multi_snippet_cell(kernel):
    code = """import java.util.stream.Collectors;

record Point(int x, int y) {
    int dist2() { return x * x + y * y; }
}

String describe(Point p) {
    return "Point(" + p.x() + "," + p.y() + ") d2=" + p.dist2();
}

var pts = java.util.List.of(new Point(1, 2), new Point(3, 4));
for (var p : pts) {
    System.out.println(describe(p));
}
String joined = pts.stream().map(Point::toString).collect(Collectors.joining(";"));
pts.stream().mapToInt(Point::dist2).sum()
"""
    r = kernel.execute_ok(code)
    assert r.stdout == "Point(1,2) d2=5\nPoint(3,4) d2=25\n", r.describe()
    assert [x["data"]["text/plain"] for x in r.results] == ["30"], r.describe()
    # definitions survive into later cells
    assert kernel.value_of("describe(new Point(0, 5))") in ('Point(0,5) d2=25', '"Point(0,5) d2=25"')
    assert kernel.value_of("joined.length()") == str(len("Point[x=1, y=2];Point[x=3, y=4]"))


def test_redefinition(kernel):
    kernel.execute_ok("int twice(int v) { return 2 * v; }")
    assert kernel.value_of("twice(21)") == "42"
    kernel.execute_ok("int twice(int v) { return 3 * v; }")
    assert kernel.value_of("twice(21)") == "63"


def test_output_streams_while_cell_runs(kernel):
    code = 'System.out.println("first");\nThread.sleep(1500);\nSystem.out.println("second");'
    r = kernel.execute_ok(code, timeout=30)
    streams = r.of_type("stream")
    assert streams, r.describe()
    first = next(m for m in streams if "first" in m.content["text"])
    assert r.stdout == "first\nsecond\n", r.describe()
    # 'first' must arrive while the cell still sleeps: well before the reply
    assert r.reply_at - first.t >= 1.0, (
        f"first output arrived only {r.reply_at - first.t:.3f}s before the reply (expected >= 1.0s)\n" + r.describe())
    assert first.t - r.sent_at < 1.2, r.describe()


def test_empty_cell(kernel):
    r = kernel.execute("")
    assert r.status == "ok", r.describe()
    assert not r.errors and not r.results, r.describe()


def test_comment_only_cell(kernel):
    r = kernel.execute("// nothing here\n")
    assert r.status == "ok", r.describe()
    assert not r.errors, r.describe()


def test_unicode_output(kernel):
    r = kernel.execute_ok('System.out.println("héllo → 世界 🚢")')
    assert r.stdout == "héllo → 世界 🚢\n", r.describe()


def test_large_output(kernel):
    r = kernel.execute_ok('for (int i = 0; i < 20000; i++) System.out.println("line " + i);', timeout=60)
    lines = r.stdout.splitlines()
    assert len(lines) == 20000, (len(lines), lines[:3], lines[-3:])
    assert lines[0] == "line 0" and lines[-1] == "line 19999"


def test_cells_queued_behind_an_error_are_aborted(kernel):
    """JupyterLab's Run All sends every cell at once: after a failing cell, the queued ones are
    answered 'aborted' (as IPython does) and do not run on a broken state."""
    first = kernel.kc.execute("Thread.sleep(500); int before = 1;")
    failing = kernel.kc.execute('throw new IllegalStateException("stop here");')
    queued = kernel.kc.execute("int afterTheError = 2;")
    assert kernel.wait(first).status == "ok"
    assert kernel.wait(failing).status == "error"
    r = kernel.wait(queued)
    assert r.status == "aborted", r.describe()
    assert not r.of_type("execute_result", "error", "stream"), r.describe()
    # it really did not run; a cell sent afterwards runs normally
    after = kernel.execute("afterTheError")
    assert after.status == "error" and "cannot find symbol" in after.error_text(), after.describe()
    assert kernel.execute("int ranNormally = 3;").status == "ok"


def test_stop_on_error_false_keeps_running(kernel):
    failing = kernel.kc.execute('throw new IllegalStateException("x");', stop_on_error=False)
    queued = kernel.kc.execute("int keptRunning = 4;")
    assert kernel.wait(failing).status == "error"
    assert kernel.wait(queued).status == "ok"


def test_redefining_a_class_says_which_variables_it_reset_or_dropped(kernel):
    kernel.execute_ok("class Tally { int n; void inc() { n++; } }")
    kernel.execute_ok("var tc = new Tally(); tc.inc();")
    kernel.execute_ok("Tally td = new Tally();")
    r = kernel.execute_ok("class Tally { int n; int m; void inc() { n++; } }")
    assert "class Tally changed: variable tc (Tally) was dropped" in r.stderr, r.describe()
    assert "class Tally changed: variable td (Tally) was reset to null" in r.stderr, r.describe()
    assert "re-run the cell that defines it (In [" in r.stderr, r.describe()
    who = kernel.execute_ok("%who").stdout.split()
    assert "td" in who and "tc" not in who, who
    whos = kernel.execute_ok("%whos Tally").stdout
    assert "td" in whos and "tc " not in whos, whos


def test_an_on_demand_import_keeps_list_unambiguous(kernel):
    kernel.execute_ok("import java.awt.*;")
    assert kernel.value_of('List<String> names = new ArrayList<>(List.of("a")); names') == "[a]"
    assert kernel.value_of("new Dimension(3, 4).width") == "3"  # java.awt.Dimension
    assert kernel.value_of("Queue.class.getName()") == "dev.ferry.Queue"


def test_a_silent_error_does_not_abort_the_queue(kernel):
    """ipykernel aborts queued cells only after a failing cell that was not silent."""
    failing = kernel.kc.execute('throw new IllegalStateException("quiet");', silent=True)
    queued = kernel.kc.execute("int afterASilentError = 5;")
    assert kernel.wait(failing).status == "error"
    assert kernel.wait(queued).status == "ok"
