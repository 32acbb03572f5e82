"""Runtime exceptions and compile errors: one error message, a clean traceback, the kernel survives."""
import re

from conftest import strip_ansi

INTERNAL = ("dev.ferry", "jdk.jshell")


def _single_error(r):
    assert r.reply is not None, r.describe()
    assert r.status == "error", r.describe()
    errs = r.errors
    assert len(errs) == 1, f"expected exactly one error message, got {len(errs)}\n" + r.describe()
    e = errs[0]
    assert e.get("ename"), e
    assert "evalue" in e, e
    assert isinstance(e.get("traceback"), list) and e["traceback"], e
    # the reply carries the error too
    assert r.content.get("ename"), r.content
    assert "evalue" in r.content, r.content
    return e, strip_ansi("\n".join(e["traceback"]))


def _no_internals(tb: str):
    for marker in INTERNAL:
        assert marker not in tb, f"traceback leaks kernel internals ({marker}):\n{tb}"


def test_runtime_exception(kernel):
    code = 'int beforeBoom = 1;\nthrow new IllegalStateException("boom");'
    r = kernel.execute(code)
    e, tb = _single_error(r)
    assert "IllegalStateException" in e["ename"], e
    assert "boom" in e["evalue"], e
    assert "IllegalStateException" in tb and "boom" in tb, tb
    # the traceback points at line 2 of the user's cell
    assert re.search(r"(?i)(line\s*2\b|:2\b)", tb), f"traceback does not reference cell line 2:\n{tb}"
    _no_internals(tb)
    assert kernel.value_of("beforeBoom") == "1"


def test_exception_inside_method_references_cell_lines(kernel):
    code = ("void level2() {\n"
            "    throw new IllegalStateException(\"deep\");\n"
            "}\n"
            "void level1() { level2(); }\n"
            "level1();")
    r = kernel.execute(code)
    e, tb = _single_error(r)
    assert "IllegalStateException" in tb and "deep" in tb, tb
    assert "level2" in tb and "level1" in tb, tb
    _no_internals(tb)


def test_array_index_out_of_bounds(kernel):
    r = kernel.execute("int[] a = new int[1];\na[2] = 1;")
    e, tb = _single_error(r)
    assert "ArrayIndexOutOfBoundsException" in e["ename"], e
    assert "Index 2 out of bounds for length 1" in e["evalue"], e
    assert "ArrayIndexOutOfBoundsException" in tb and "Index 2 out of bounds for length 1" in tb, tb
    assert re.search(r"(?i)(line\s*2\b|:2\b)", tb), f"traceback does not reference cell line 2:\n{tb}"
    _no_internals(tb)


def test_exception_with_cause(kernel):
    r = kernel.execute('throw new RuntimeException("outer", new java.io.IOException("inner-cause"));')
    e, tb = _single_error(r)
    assert "outer" in tb and "inner-cause" in tb and "IOException" in tb, tb
    _no_internals(tb)


def test_compile_error(kernel):
    code = 'int ok = 1;\nint x = "s";'
    r = kernel.execute(code)
    e, tb = _single_error(r)
    assert "incompatible types" in tb, tb
    assert 'int x = "s";' in tb, f"offending source line missing:\n{tb}"
    assert re.search(r"(?m)^\s*\^+\s*$", tb), f"no caret line:\n{tb}"
    # the caret points into the offending line: under the string literal or the initializer
    lines = tb.splitlines()
    src_idx = max(i for i, l in enumerate(lines) if 'int x = "s";' in l)
    caret_line = next((l for l in lines[src_idx + 1:] if re.fullmatch(r"\s*\^+\s*", l)), None)
    assert caret_line is not None, tb
    src = lines[src_idx]
    col = caret_line.index("^")
    assert src.index('int x') <= col <= src.index('"s"') + 3, f"caret at column {col}:\n{src}\n{caret_line}"
    _no_internals(tb)


def test_compile_error_unknown_symbol(kernel):
    r = kernel.execute("undefinedThing.call();")
    e, tb = _single_error(r)
    assert "cannot find symbol" in tb, tb
    assert "undefinedThing" in tb, tb
    _no_internals(tb)


def test_compile_error_stops_the_rest_of_the_cell(kernel):
    r = kernel.execute('int x = "s";\nSystem.out.println("after-error");')
    _single_error(r)
    assert "after-error" not in r.stdout, r.describe()


def test_output_before_exception_is_kept(kernel):
    r = kernel.execute('System.out.println("printed-first");\nthrow new RuntimeException("later");')
    _single_error(r)
    assert r.stdout == "printed-first\n", r.describe()
    # order: the stream comes before the error
    types = [m.msg_type for m in r.iopub]
    assert types.index("stream") < types.index("error"), r.describe()


def test_kernel_usable_after_errors(kernel):
    kernel.execute('throw new IllegalStateException("boom");')
    kernel.execute('int x = "s";')
    assert kernel.value_of("1+1") == "2"


def test_missing_modal_names_get_a_hint(kernel):
    r = kernel.execute('var f = Function.lookup("app", "square");')
    assert r.status == "error", r.describe()
    text = r.error_text()
    assert "hint: a deployed app's function is Function.fromName" in text and "%deploy" in text, text
    r = kernel.execute("Cron x = null;")
    assert "hint: Cron is Modal's; in Ferry a schedule is schedule=" in r.error_text(), r.describe()
    r = kernel.execute("App x = null;")
    assert "hint: App is Modal's, and not in Ferry yet as a type" in r.error_text(), r.describe()
    r = kernel.execute("%deploy")
    assert r.status == "error", r.describe()
    assert "name" in r.error_text(), r.describe()  # %deploy exists now (docs/apps.md): it asks for the app's name
    assert "hint:" not in kernel.execute("Strng s = null;").error_text()
