"""%%function past a call a worker: warm workers and their options, backoff retries, map variants (unordered,
returnExceptions, forEach, spawnMap, a window of inputs in flight) and per-call logs, as a notebook sees them."""
import subprocess

import pytest

from conftest import start_kernel
from test_functions import CALL_TIMEOUT, error, ferry_command, run_ok, stop_server, value


@pytest.fixture(scope="module")
def wk():
    k = start_kernel()
    try:
        yield k
    finally:
        stop_server(k.data_dir)
        k.close()


PID = "long pid(int x) throws Exception { Thread.sleep(x); return ProcessHandle.current().pid(); }"


def test_a_warm_worker_serves_later_calls(wk):
    run_ok(wk, "%%function\n" + PID)
    first = value(wk, "pid.remote(0)")
    assert value(wk, "pid.remote(0)") == first
    assert value(wk, "pid.spawn(0).get()") == first
    assert first != value(wk, "ProcessHandle.current().pid()"), "not the notebook's own worker"


def test_max_inputs_one_gives_a_fresh_worker_per_call(wk):
    run_ok(wk, "%%function name=fresh max_inputs=1\n" + PID)
    assert value(wk, "fresh.remote(0)") != value(wk, "fresh.remote(0)")


def test_max_containers_caps_the_workers_of_a_map(wk):
    run_ok(wk, "%%function name=capped max_containers=1\n" + PID)
    assert value(wk, "new HashSet<>(capped.map(List.of(50, 50, 50, 50, 50, 50))).size()") == "1"


def test_min_containers_starts_a_worker_at_declaration(wk):
    run_ok(wk, "%%function name=ready min_containers=1\n" + PID)
    run_ok(wk, "long declaredAt = System.currentTimeMillis();")
    started = value(wk, "ProcessHandle.of(ready.remote(0)).get().info().startInstant().get().toEpochMilli() < declaredAt")
    assert started == "true", "the worker was running before the first call"


def test_scaling_and_backoff_options_are_checked(wk):
    t = error(wk, "%%function min_containers=3 max_containers=2\n" + PID).error_text()
    assert "min_containers=3 is more than max_containers=2: give min_containers <= max_containers" in t, t
    t = error(wk, "%%function retries=2 backoff=0.5\n" + PID).error_text()
    assert "backoff" in t and "1.0" in t and "10.0" in t, t
    t = error(wk, "%%function backoff=2\n" + PID).error_text()
    assert "backoff= set the delays between retries, and this function has none: add retries=N" in t, t
    t = error(wk, "%%function retries=1 max_delay=90\n" + PID).error_text()
    assert "max_delay" in t and "60" in t, t


def test_retries_with_backoff(wk, tmp_path):
    memory = tmp_path / "tries"
    run_ok(wk, """%%function retries=3 backoff=2 initial_delay=0.2 max_delay=1
int flaky(String path) throws Exception {
    var p = java.nio.file.Path.of(path);
    int n = java.nio.file.Files.exists(p) ? Integer.parseInt(java.nio.file.Files.readString(p)) : 0;
    java.nio.file.Files.writeString(p, String.valueOf(n + 1));
    if (n < 2) throw new IllegalStateException("attempt " + n);
    return n;
}""")
    assert value(wk, f'flaky.remote("{memory}")') == "2"
    assert memory.read_text() == "3"


@pytest.fixture(scope="module")
def half(wk):
    run_ok(wk, '%%function\nint half(int x) { if (x % 2 != 0) throw new IllegalArgumentException("odd " + x); return x / 2; }')
    return wk


def test_map_unordered_and_a_window(half):
    assert value(half, "new TreeSet<>(half.map(List.of(0, 2, 4, 6, 8, 10), MapOptions.unordered().window(2)))") \
        == "[0, 1, 2, 3, 4, 5]"
    assert value(half, "half.map(List.of(8, 6, 4), MapOptions.defaults().window(1))") == "[4, 3, 2]"


def test_map_return_exceptions_puts_the_exception_in_place(half):
    out = value(half, "half.mapReturnExceptions(List.of(2, 3, 4)).stream().map(v -> v instanceof Throwable t"
                      " ? t.getClass().getName() + \": \" + t.getMessage() : String.valueOf(v)).toList()")
    assert out == "[1, java.lang.IllegalArgumentException: odd 3, 2]", out
    t = error(half, "half.map(List.of(2, 3, 4))").error_text()
    assert "odd 3" in t, t


def test_for_each_and_spawn_map(half, tmp_path):
    run_ok(half, "half.forEach(List.of(2, 4));")
    assert "odd 5" in error(half, "half.forEach(List.of(2, 5));").error_text()
    ids = value(half, "var calls = half.spawnMap(List.of(10, 12, 14)); calls.stream().map(FunctionCall::id).toList()")
    assert ids.count("fc-") == 3, ids
    assert value(half, "calls.stream().map(FunctionCall::get).toList()") == "[5, 6, 7]"


def test_a_calls_output_reaches_the_notebook_and_its_logs(wk):
    run_ok(wk, """%%function
int chatty(int x) {
    System.out.println("working on " + x);
    System.err.println("careful with " + x);
    return x + 1;
}""")
    r = run_ok(wk, "chatty.remote(41)")
    assert r.results[0]["data"]["text/plain"] == "42"
    assert "working on 41" in r.stdout, r.describe()
    assert "careful with 41" in r.stderr, r.describe()
    call_id = value(wk, "var spawned = chatty.spawn(7); spawned.get(); spawned.id()")
    assert value(wk, "spawned.logs()").strip() == "working on 7\ncareful with 7"
    out = subprocess.run([ferry_command(), "logs", call_id, "--data-dir", wk.data_dir], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out
    assert out.stdout == "working on 7\n" and out.stderr == "careful with 7\n", out


def test_help_lists_the_new_arguments(wk):
    r = run_ok(wk, "%help function")
    for arg in ("min_containers", "max_containers", "buffer_containers", "scaledown_window", "max_inputs",
                "backoff", "initial_delay", "max_delay"):
        assert arg in r.stdout, r.stdout
