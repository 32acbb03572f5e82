"""complete_request, inspect_request, is_complete_request."""
import pytest


def _complete(kernel, code, pos):
    r = kernel.request(lambda: kernel.kc.complete(code, pos))
    assert r.reply is not None, f"no complete_reply for {code!r}"
    c = r.content
    assert c.get("status") == "ok", c
    assert isinstance(c.get("matches"), list), c
    return c


def _names(matches):
    """Completion texts without a trailing call suffix: println( / println() -> println."""
    out = set()
    for m in matches:
        out.add(m)
        for suffix in ("()", "("):
            if m.endswith(suffix):
                out.add(m[: -len(suffix)])
    return out


@pytest.mark.parametrize("code", ["Syst", "var out = Syst", "int n = 1;\nSyst"])
def test_complete_class_at_end(kernel, code):
    c = _complete(kernel, code, len(code))
    assert "System" in _names(c["matches"]), c
    assert c["cursor_end"] == len(code), c
    assert c["cursor_start"] == code.rindex("Syst"), c


def test_complete_member(kernel):
    code = "System.out.pri"
    c = _complete(kernel, code, len(code))
    names = _names(c["matches"])
    assert "print" in names and "println" in names, c
    assert c["cursor_start"] == len("System.out."), c
    assert c["cursor_end"] == len(code), c


def test_complete_in_middle_of_multiline_code(kernel):
    code = "int a = 1;\nSystem.out.println(Math.ab);\nint b = 2;\n"
    pos = code.index("Math.ab") + len("Math.ab")
    c = _complete(kernel, code, pos)
    assert "abs" in _names(c["matches"]), c
    assert c["cursor_start"] == code.index("Math.ab") + len("Math."), c
    assert c["cursor_end"] == pos, c


def test_complete_class_in_middle(kernel):
    code = "int a = 1;\nString s = Sys\nint b = 2;"
    pos = code.index("Sys") + 3
    c = _complete(kernel, code, pos)
    assert "System" in _names(c["matches"]), c
    assert c["cursor_start"] == code.index("Sys"), c
    assert c["cursor_end"] == pos, c


def test_complete_user_defined_names(kernel):
    kernel.execute_ok("int ferryCounter = 0;\nint ferryHelper(int v) { return v; }")
    code = "ferry"
    c = _complete(kernel, code, len(code))
    names = _names(c["matches"])
    assert "ferryCounter" in names and "ferryHelper" in names, c
    assert c["cursor_start"] == 0 and c["cursor_end"] == len(code), c


def test_complete_nothing(kernel):
    code = "qqqzzzNothingStartsLikeThis"
    c = _complete(kernel, code, len(code))
    assert c["matches"] == [], c


def test_inspect_found(kernel):
    code = "String.valueOf"
    r = kernel.request(lambda: kernel.kc.inspect(code, len(code)))
    c = r.content
    assert c.get("status") == "ok", c
    assert c.get("found") is True, c
    assert "valueOf" in c["data"]["text/plain"], c


def test_inspect_not_found(kernel):
    code = "qqqzzz_not_a_thing"
    r = kernel.request(lambda: kernel.kc.inspect(code, len(code)))
    c = r.content
    assert c.get("status") == "ok", c
    assert c.get("found") is False, c


def _is_complete(kernel, code):
    r = kernel.request(lambda: kernel.kc.is_complete(code))
    c = r.content
    assert c.get("status") in ("complete", "incomplete", "invalid", "unknown"), c
    return c


def test_is_complete_complete(kernel):
    assert _is_complete(kernel, "int x = 1;")["status"] == "complete"


def test_is_complete_incomplete(kernel):
    c = _is_complete(kernel, "for (int i = 0; i < 3; i++) {")
    assert c["status"] == "incomplete", c
    assert c.get("indent") == "    ", c


@pytest.mark.parametrize("code", ["int = 7q;", "int x = ;)", "int f() { return 1 }", "}"])
def test_is_complete_invalid(kernel, code):
    c = _is_complete(kernel, code)
    assert c["status"] == "invalid", c
    assert "indent" not in c, c


@pytest.mark.parametrize("code", ["int x = 1", "undefinedName + 1", "System.out.println(1)",
                                  "import java.util.*;", "%time 1 + 1"])
def test_is_complete_syntax_only(kernel, code):
    c = _is_complete(kernel, code)
    assert c["status"] == "complete", c
    assert "indent" not in c, c


@pytest.mark.parametrize("code,indent", [("for (int i=0;i<3;i++) {", "    "),
                                         ("void f() {\n    if (true) {", "        "),
                                         ("foo(1,", "")])
def test_is_complete_indent(kernel, code, indent):
    c = _is_complete(kernel, code)
    assert c == {"status": "incomplete", "indent": indent}, c


def test_is_complete_cell_magic_like_ipython(kernel):
    # the body of a cell magic is not Java; as in IPython it ends with a blank line (a console can type several)
    assert _is_complete(kernel, "%%sql")["status"] == "incomplete"
    assert _is_complete(kernel, "%%sql\nSELECT 1 +\n")["status"] == "incomplete"
    assert _is_complete(kernel, "%%sql\nSELECT 1 +\n  2\n\n")["status"] == "complete"


def test_inspect_with_the_cursor_inside_a_name(kernel):
    code = "String.valueOf(42)"
    for cursor in (len("String.va"), len("String.valueOf")):
        r = kernel.request(lambda: kernel.kc.inspect(code, cursor))
        c = r.content
        assert c.get("found") is True, (cursor, c)
        assert "valueOf" in c["data"]["text/plain"], c
