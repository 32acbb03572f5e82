"""The general magics through a real kernel, as a person who knows IPython expects them to behave."""
import os
import re
import tempfile

import pytest

from conftest import strip_ansi


def test_cell_time_prints_times_and_the_value(kernel):
    r = kernel.execute_ok("%%time\nlong s = 0;\nfor (int i = 0; i < 1000; i++) s += i;\ns")
    assert re.fullmatch(r"CPU times: user \S+ \S+, sys: \S+ \S+, total: \S+ \S+\nWall time: \S+ \S+\n", r.stdout), r.stdout
    assert r.results and r.results[-1]["data"]["text/plain"] == "499500"


def test_line_time(kernel):
    r = kernel.execute_ok("%time Math.max(3, 4)")
    assert "Wall time:" in r.stdout
    assert r.results[-1]["data"]["text/plain"] == "4"


def test_timeit_line(kernel):
    r = kernel.execute_ok("%timeit -r 3 Math.sqrt(2.0)", timeout=60)
    assert re.fullmatch(r"(The slowest run.*\n)?\S+ (s|ms|µs|ns) ± \S+ (s|ms|µs|ns) per loop "
                        r"\(mean ± std\. dev\. of 3 runs, [\d,]+ loops? each\)\n", r.stdout), r.stdout
    r = kernel.execute_ok("%timeit -n 5 -r 2 System.out.print(\"\")")
    assert "2 runs, 5 loops each" in r.stdout, r.stdout


def test_cell_timeit_with_setup(kernel):
    r = kernel.execute_ok("%%timeit -n 10 -r 2 int[] data = new int[1000];\njava.util.Arrays.sort(data);")
    assert "per loop (mean ± std. dev. of 2 runs, 10 loops each)" in r.stdout, r.stdout


def test_bash_streams_while_it_runs(kernel):
    r = kernel.execute("%%bash\necho a; sleep 1.5; echo b", timeout=30)
    assert r.status == "ok", r.describe()
    streams = r.of_type("stream")
    assert "".join(s.content["text"] for s in streams) == "a\nb\n", r.describe()
    first = next(s for s in streams if "a" in s.content["text"])
    assert r.reply_at - first.t > 1.0, r.describe()  # "a" arrived before the script ended


def test_bash_nonzero_exit_is_an_error_with_the_code(kernel):
    r = kernel.execute("%%bash\necho before\nexit 3")
    assert r.status == "error"
    assert "exited with code 3" in r.error_text(), r.describe()
    assert "before\n" in r.stdout
    r = kernel.execute("%%sh\nls /no/such/dir")
    assert r.status == "error" and "exited with code" in r.error_text()
    assert "No such file" in r.stderr, r.describe()


def test_writefile_then_load(kernel):
    d = tempfile.mkdtemp(prefix="ferry-magics-")
    path = os.path.join(d, "Util.java")
    r = kernel.execute_ok(f"%%writefile {path}\nint triple(int x) {{ return 3 * x; }}")
    assert r.stdout == f"Writing {path}\n"
    r = kernel.execute_ok(f"%%writefile -a {path}\ntriple(14)")
    assert r.stdout == f"Appending to {path}\n"
    assert open(path).read() == "int triple(int x) { return 3 * x; }\ntriple(14)\n"
    r = kernel.execute_ok(f"%load {path}")
    assert r.results[-1]["data"]["text/plain"] == "42"
    assert kernel.value_of("triple(2)") == "6"


def test_env_set_and_get(kernel):
    r = kernel.execute_ok("%env FERRY_GREETING=hello")
    assert r.stdout.startswith("env: FERRY_GREETING=hello\n")
    assert "hello" in kernel.value_of("%env FERRY_GREETING")
    r = kernel.execute_ok("%%bash\necho \"$FERRY_GREETING from bash\"")
    assert r.stdout == "hello from bash\n"
    r = kernel.execute_ok("%env")
    assert "FERRY_GREETING=hello" in r.stdout
    r = kernel.execute("%env FERRY_NO_SUCH_VAR")
    assert r.status == "error" and "no variable FERRY_NO_SUCH_VAR" in r.error_text()


def test_html_markdown_javascript_display(kernel):
    for magic, mime in (("html", "text/html"), ("markdown", "text/markdown"), ("javascript", "application/javascript")):
        r = kernel.execute_ok(f"%%{magic}\n<b>bold</b> *x*")
        shown = [d.content for d in r.of_type("display_data")]
        assert len(shown) == 1 and shown[0]["data"][mime] == "<b>bold</b> *x*", r.describe()


def test_who_and_whos(kernel):
    kernel.execute_ok('int whoCount = 7;\nString whoName = "ferry";')
    r = kernel.execute_ok("%who")
    names = r.stdout.split()
    assert "whoCount" in names and "whoName" in names, r.stdout
    assert not any(n.startswith("$") for n in names)
    r = kernel.execute_ok("%whos")
    lines = r.stdout.splitlines()
    assert re.match(r"Variable\s+Type\s+Data/Info", lines[0]) and set(lines[1]) == {"-"}, r.stdout
    assert any(re.fullmatch(r"whoCount\s+int\s+7", l) for l in lines), r.stdout
    assert any(re.fullmatch(r"whoName\s+String\s+ferry", l) for l in lines), r.stdout


def test_cd_and_pwd(kernel):
    d = os.path.realpath(tempfile.mkdtemp(prefix="ferry-cd-"))
    r = kernel.execute_ok(f"%cd {d}")
    assert r.stdout == d + "\n"
    assert d in kernel.value_of("%pwd")
    r = kernel.execute_ok("%%bash\npwd")
    assert r.stdout == d + "\n"
    kernel.execute_ok("%cd -")
    r = kernel.execute("%cd /no/such/dir")
    assert r.status == "error" and "no such directory" in r.error_text()


def test_capture(kernel):
    r = kernel.execute_ok('%%capture captured\nSystem.out.println("quiet");\nSystem.err.println("hush");')
    assert r.stdout == "" and r.stderr == "", r.describe()
    assert kernel.value_of("captured.stdout()") in ('"quiet\\n"', "quiet\n", "\"quiet\n\"")
    assert "hush" in kernel.value_of("captured.stderr()")
    r = kernel.execute_ok("captured.show();")
    assert r.stdout == "quiet\n" and r.stderr == "hush\n"


def test_lsmagic_and_help(kernel):
    r = kernel.execute_ok("%lsmagic")
    for name in ("%time", "%timeit", "%%bash", "%%writefile", "%env", "%%html", "%whos", "%history", "%%capture"):
        assert name in r.stdout, r.stdout
    r = kernel.execute_ok("%time?")
    assert r.stdout.startswith("%time: ") and "Usage: %time" in r.stdout, r.stdout
    r = kernel.execute_ok("%help timeit")
    assert "-n INT" in r.stdout and "-r INT" in r.stdout, r.stdout


def test_history(kernel_factory):
    k = kernel_factory()
    k.execute_ok("int h1 = 1;")
    k.execute_ok('String h2 = "two";')
    r = k.execute_ok("%history -n")
    assert r.stdout == '   1: int h1 = 1;\n   2: String h2 = "two";\n   3: %history -n\n', r.stdout
    r = k.execute_ok("%history 2")
    assert r.stdout == 'String h2 = "two";\n'
    r = k.execute_ok("%history -g h1")
    assert "int h1 = 1;" in r.stdout
    # as IPython: -l N is the N cells before this one
    r = k.execute_ok("%history -l 4")
    assert r.stdout == 'String h2 = "two";\n%history -n\n%history 2\n%history -g h1\n', r.stdout


def test_misspelt_magic_suggests(kernel):
    r = kernel.execute("%tiem 1+1")
    assert r.status == "error"
    assert "unknown magic %tiem; did you mean %time?" in r.error_text(), r.describe()
    r = kernel.execute("%%writefile --apend x.txt\nhi")
    assert r.status == "error" and "did you mean '--append'" in r.error_text()


def test_complete_magic_names_and_args(kernel):
    r = kernel.request(lambda: kernel.kc.complete("%%ti", 4))
    c = r.content
    assert c["matches"] == ["%%time", "%%timeit"] and c["cursor_start"] == 0 and c["cursor_end"] == 4, c
    code = "%%bash --no"
    r = kernel.request(lambda: kernel.kc.complete(code, len(code)))
    c = r.content
    assert c["matches"] == ["--no-raise-error"] and c["cursor_start"] == 7 and c["cursor_end"] == len(code), c
    code = "int x = 1;\n%timeit -"
    r = kernel.request(lambda: kernel.kc.complete(code, len(code)))
    c = r.content
    assert "-n" in c["matches"] and "-r" in c["matches"] and c["cursor_start"] == len(code) - 1, c


def test_interrupt_stops_bash(fresh_kernel):
    import time
    k = fresh_kernel
    assert k.value_of("1 + 1") == "2"  # the worker is warm
    sent = time.monotonic()
    msg_id = k.kc.execute("%%bash\nsleep 30")
    time.sleep(1.5)
    k.control_request("interrupt_request", {})
    r = k.wait(msg_id, 15, sent_at=sent)
    assert r.status == "error", r.describe()
    assert time.monotonic() - sent < 10
    assert k.value_of("2 + 2") == "4"
