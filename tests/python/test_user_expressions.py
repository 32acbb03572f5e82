"""execute_request user_expressions, evaluated after the cell as ipykernel does."""
from conftest import strip_ansi


def test_values_after_the_cell(kernel):
    r = kernel.execute("int ue = 20;", user_expressions={"sum": "ue + 22", "text": "\"a\" + ue"})
    assert r.status == "ok", r.describe()
    ue = r.content["user_expressions"]
    assert ue["sum"] == {"status": "ok", "data": {"text/plain": "42"}, "metadata": {}}, ue
    assert ue["text"]["status"] == "ok" and ue["text"]["data"]["text/plain"] in ('"a20"', "a20"), ue


def test_an_expression_that_fails_is_an_error_entry(kernel):
    r = kernel.execute("int ue2 = 1;", user_expressions={"bad": "noSuchName + 1", "boom": "1 / (ue2 - 1)", "ok": "ue2"})
    ue = r.content["user_expressions"]
    assert r.status == "ok", r.describe()
    for name, ename in (("bad", "CompilationException"), ("boom", "java.lang.ArithmeticException")):
        e = ue[name]
        assert e["status"] == "error" and e["ename"] == ename, e
        assert isinstance(e["evalue"], str) and isinstance(e["traceback"], list), e
    assert "noSuchName" in strip_ansi("\n".join(ue["bad"]["traceback"])), ue["bad"]
    assert ue["ok"]["data"]["text/plain"] == "1", ue


def test_expressions_leave_the_session_unchanged(kernel):
    kernel.execute_ok("int keep = 5;")
    r = kernel.execute("", user_expressions={"decl": "int keep = 6", "dollar": "keep * 2"})
    ue = r.content["user_expressions"]
    assert ue["decl"]["status"] == "error", ue  # an expression, not a declaration
    assert ue["dollar"]["data"]["text/plain"] == "10", ue
    assert kernel.value_of("keep") == "5"


def test_not_evaluated_when_the_cell_fails(kernel):
    r = kernel.execute('throw new IllegalStateException("no")', user_expressions={"x": "1 + 1"})
    assert r.status == "error", r.describe()
    assert r.content["user_expressions"] == {}, r.content
    assert r.content["payload"] == [], r.content
    assert isinstance(r.content["execution_count"], int), r.content
