"""%%function end to end: a notebook declares a method, calls it in workers run by the Ferry server that the
kernel starts in the background on first use, and fetches spawned calls by id (also from a second kernel).

The server outlives the notebook, as in Modal (calls keep running and their results stay 7 days after a kernel
is gone), so a kernel never stops it: these tests stop it themselves (`ferry server stop --data-dir`) before
the kernel's data directory is removed, and check that no server process is left."""
import os
import subprocess
import tempfile

import pytest

from conftest import KERNEL_NAME, ferry_command, pid_alive, server_pid, start_kernel, stop_server, wait_until

CALL_TIMEOUT = 300  # a call starts a worker JVM; 20 of them on a loaded 2-core machine take a while


@pytest.fixture(scope="module")
def fk():
    """A kernel with its own data directory, hence its own server; the server is stopped at the end."""
    k = start_kernel()
    try:
        yield k
    finally:
        stop_server(k.data_dir)
        k.close()


def run_ok(k, code, timeout=CALL_TIMEOUT):
    r = k.execute(code, timeout=timeout)
    assert r.status == "ok", r.describe()
    return r


def value(k, code, timeout=CALL_TIMEOUT):
    r = run_ok(k, code, timeout)
    assert r.results, r.describe()
    return r.results[0]["data"]["text/plain"]


def error(k, code, timeout=CALL_TIMEOUT):
    r = k.execute(code, timeout=timeout)
    assert r.status == "error", r.describe()
    return r


@pytest.fixture(scope="module")
def square(fk):
    run_ok(fk, "%%function\nint square(int x) { return x * x; }")
    return fk


def test_declares_the_method_locally_and_a_handle(square):
    assert value(square, "square(3)") == "9"
    assert value(square, "square.getClass().getName()") == "dev.ferry.Function"
    assert value(square, "square.remote(7)") == "49"
    # the handle is typed by the return type: the value is an int here
    assert value(square, "int y = square.remote(6) + 1; y") == "37"
    # the server started for this kernel's data directory runs it
    assert server_pid(square.data_dir) is not None


def test_spawn_then_get_and_status(square):
    call_id = value(square, "var c = square.spawn(8); c.id()")
    assert call_id.startswith("fc-") and len(call_id) == 29, call_id
    assert value(square, "c.get()") == "64"
    assert value(square, "c.status()") == "SUCCEEDED"
    assert value(square, "c.get(Duration.ofSeconds(30))") == "64"


def test_remote_async(square):
    assert value(square, "square.remoteAsync(5).thenApply(v -> v + 1).get()") == "26"


def test_get_zero_polls_while_pending_then_the_value(fk, tmp_path):
    gate = tmp_path / "gate"
    run_ok(fk, """%%function
String waitFor(String path) {
    try {
        while (!java.nio.file.Files.exists(java.nio.file.Path.of(path))) Thread.sleep(50);
    } catch (InterruptedException e) { throw new RuntimeException(e); }
    return "opened " + path;
}""")
    run_ok(fk, f'var gated = waitFor.spawn("{gate}");')
    polled = value(fk, 'String polled; try { polled = "value " + gated.get(Duration.ZERO); }'
                       ' catch (TimeoutException e) { polled = "pending: " + e.getMessage(); } polled')
    assert polled.startswith("pending: fc-") and "is still " in polled, polled
    assert value(fk, "gated.status()") in ("PENDING", "RUNNING")
    gate.write_text("")
    assert value(fk, "gated.get()") == f"opened {gate}"


def test_cancel(fk, tmp_path):
    run_ok(fk, """%%function
int never(String path) throws Exception {
    while (!java.nio.file.Files.exists(java.nio.file.Path.of(path))) Thread.sleep(50);
    return 1;
}""")
    run_ok(fk, f'var stuck = never.spawn("{tmp_path / "never"}");')
    assert value(fk, "stuck.cancel()") == "CANCELLED"
    r = error(fk, "stuck.get()")
    assert r.errors[0]["ename"] == "dev.ferry.CancelledException", r.describe()


def test_from_id_in_a_second_kernel(square):
    call_id = value(square, "square.spawn(9).id()")
    other = start_kernel(data_dir=square.data_dir)  # the same data directory: the same server
    try:
        assert value(other, f'FunctionCall.<Integer>fromId("{call_id}").get()') == "81"
        assert value(other, f'FunctionCall.fromId("{call_id}").status()') == "SUCCEEDED"
    finally:
        other.close()
    assert server_pid(square.data_dir) is not None, "the server outlives a kernel that used it"


def test_map_of_20_inputs_in_order_with_a_progress_bar(square):
    r = run_ok(square, "square.map(IntStream.range(0, 20).boxed().toList())")
    assert r.results[0]["data"]["text/plain"] == str([i * i for i in range(20)])
    shown = [m.content.get("data", {}).get("text/plain", "") for m in r.of_type("display_data", "update_display_data")]
    assert any("20/20" in s for s in shown), shown


def test_starmap_and_declarations_travel(fk):
    run_ok(fk, "record Pair(String word, int times) {}")
    run_ok(fk, 'String repeat(String w, int n) { return w.repeat(n); }')
    run_ok(fk, '%%function\nString both(String w, int n) { return repeat(w, n) + "|" + new Pair(w, n); }')
    assert value(fk, 'both.starmap(List.of(List.of("a", 2), List.of("b", 3)))') == \
        '[aa|Pair[word=a, times=2], bbb|Pair[word=b, times=3]]'


def test_a_remote_exception_keeps_type_message_and_stack(fk):
    run_ok(fk, '%%function\nint boom(int x) { throw new IllegalStateException("bad input " + x); }')
    r = error(fk, "boom.remote(3)")
    e = r.errors[0]
    assert e["ename"] == "java.lang.IllegalStateException", r.describe()
    assert "bad input 3" in e["evalue"], r.describe()
    # the remote stack trace: the frame in the function's worker, under the RemoteException cause
    text = r.error_text()
    assert "Caused by: dev.ferry.RemoteException: java.lang.IllegalStateException: bad input 3" in text, text
    assert "at boom (in the function's worker, line 1):  int boom(int x)" in text, text
    # the remote exception's own type where it loads here, the remote details in its cause
    assert value(fk, 'String t; try { boom.remote(4); t = "no error"; } catch (IllegalStateException ex) {'
                     ' t = ((dev.ferry.RemoteException) ex.getCause()).remoteType(); } t'
                 ) == "java.lang.IllegalStateException"


def test_retries_a_flaky_function(fk, tmp_path):
    memory = tmp_path / "attempted"
    run_ok(fk, """%%function retries=2
int flaky(String path) throws Exception {
    var p = java.nio.file.Path.of(path);
    if (!java.nio.file.Files.exists(p)) {
        java.nio.file.Files.writeString(p, "1");
        throw new IllegalStateException("the first attempt fails");
    }
    return 42;
}""")
    assert value(fk, f'flaky.remote("{memory}")') == "42"
    assert memory.exists()
    # without retries the same first failure is the outcome
    run_ok(fk, """%%function
int once(String path) throws Exception {
    var p = java.nio.file.Path.of(path);
    if (!java.nio.file.Files.exists(p)) {
        java.nio.file.Files.writeString(p, "1");
        throw new IllegalStateException("the first attempt fails");
    }
    return 42;
}""")
    r = error(fk, f'once.remote("{tmp_path / "once"}")')
    assert "the first attempt fails" in r.errors[0]["evalue"], r.describe()


def test_name_binds_the_handle_under_another_name(fk):
    run_ok(fk, "%%function name=remoteCube\nint cube(int x) { return x * x * x; }")
    assert value(fk, "cube(2)") == "8"
    assert value(fk, "remoteCube.remote(3)") == "27"


def test_env_reaches_the_worker(fk):
    run_ok(fk, '%%function env=GREETING=hello\nString greet() { return System.getenv("GREETING"); }')
    assert value(fk, "greet.remote()") == "hello"


def test_a_cell_that_is_not_one_method(fk):
    for body, holds in [("int a = 3;", "a variable a"),
                        ("int f(int x) { return x; }\nint g(int x) { return x; }", "a method f, a method g"),
                        ("", "nothing"),
                        ('System.out.println("x");', "a statement")]:
        r = error(fk, "%%function\n" + body)
        text = r.error_text()
        assert "exactly one method declaration" in text and holds in text, text
        assert "int square(int x) { return x * x; }" in text, text  # the example of what to write


def test_argument_errors(square):
    t = error(square, "square.remote(1, 2)").error_text()
    assert "square(int x) takes 1 argument, the call gave 2" in t, t
    t = error(square, 'square.remote("seven")').error_text()
    assert 'argument 1 (x) is an int, the call gave a String "seven"' in t, t
    assert value(square, "square.remote((short) 4)") == "16"  # widened as Java would


def test_unknown_and_malformed_ids(square):
    r = error(square, 'FunctionCall.fromId("fc-0000000000000000000000000a").get()')
    assert r.errors[0]["ename"] == "dev.ferry.NotFoundException", r.describe()
    assert "no function call fc-0000000000000000000000000a on this server" in r.error_text(), r.describe()
    r = error(square, 'FunctionCall.fromId("square-1")')
    assert "is not a function call id: ids start with fc-" in r.error_text(), r.describe()


def test_other_engines_are_refused(fk):
    t = error(fk, "%%function engine=docker\nint one() { return 1; }").error_text()
    assert "engine=docker: function calls run only on the process engine today" in t, t


def test_the_test_server_is_stopped(kernel_factory):
    """stop_server leaves no server process behind (what the module fixture relies on)."""
    k = kernel_factory()
    run_ok(k, "%%function\nint one() { return 1; }")
    assert value(k, "one.remote()") == "1"
    pid = server_pid(k.data_dir)
    assert pid is not None and pid_alive(pid)
    stop_server(k.data_dir)
    assert not pid_alive(pid)


def test_a_kernel_without_a_server_starts_and_says_why_calls_fail(kernel_factory):
    k = kernel_factory(extra_env={"FERRY_SERVER": "unix:/nonexistent/ferry/server.sock"})
    run_ok(k, "%%function\nint one() { return 1; }")
    assert value(k, "one()") == "1"  # the local method needs no server
    r = error(k, "one.remote()")
    t = r.error_text()
    assert "function calls need a Ferry server" in t and "FERRY_SERVER=unix:/nonexistent/ferry/server.sock" in t, t
    assert server_pid(k.data_dir) is None


def test_an_interrupt_stops_the_wait_not_the_call(fk, tmp_path):
    from test_interrupt import _start_cell
    gate = tmp_path / "held"
    run_ok(fk, """%%function
String holdUntil(String path) throws Exception {
    while (!java.nio.file.Files.exists(java.nio.file.Path.of(path))) Thread.sleep(50);
    return "released";
}""")
    run_ok(fk, f'var held = holdUntil.spawn("{gate}");')
    msg_id, sent = _start_cell(fk, "held.get()")
    fk.km.interrupt_kernel()
    r = fk.wait(msg_id, timeout=30, sent_at=sent)
    assert r.status == "error" and "interrupt" in r.error_text().lower(), r.describe()
    assert value(fk, "held.status()") in ("PENDING", "RUNNING")  # the call goes on on the server
    gate.write_text("")
    assert value(fk, "held.get()") == "released"


def test_help_lists_the_arguments(fk):
    r = run_ok(fk, "%help function")
    for arg in ("name", "timeout", "retries", "engine", "env", "int square(int x) { return x * x; }"):
        assert arg in r.stdout, r.stdout
