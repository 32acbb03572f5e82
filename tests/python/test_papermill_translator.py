"""Unit tests of papermill-ferry's Java translator (papermill-ferry/src): every type and escape, the parameters
cell reader behind --help-notebook, and one compile-and-print check of the generated Java with jshell.

They need neither papermill nor the kernel; test_papermill.py runs the real papermill against the kernel."""
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "papermill-ferry" / "src"))

from papermill_ferry import declarations, values  # noqa: E402
from papermill_ferry.translator import JavaTranslator as T  # noqa: E402

CELL = """\
// Inputs of this run
double alpha = 0.5;          // learning rate
int n = 10; // iterations
// whom to greet
String name = "world";
List<Integer> sizes = List.of(8, 16);
Map<String, Object> config = Map.of("depth", 3);
var mode = "fast";
final long seed = 42L;
boolean verbose = false;
Integer limit = null;
int a = 1, b = 2;             // two at once
List<List<Double>> grid = List.of(
    List.of(1.0));
System.out.println("not a parameter");
import java.util.*;
"""


def inject(params, cell=CELL):
    """The injected cell's lines without the comment line."""
    return T.codify(params, parameters_cell=cell).splitlines()[1:]


def one(value, declared_type):
    return T.declaration("x", value, declared_type)


def mismatch(value, declared_type):
    with pytest.raises(values.Mismatch) as e:
        values.java_expr(value, values.parse_type(declared_type))
    return str(e.value)


# ------------------------------------------------------------------------------------ declared types kept

def test_an_int_for_a_double_stays_a_double():
    assert inject({"alpha": 1}) == ["double alpha = 1.0;"]
    assert inject({"alpha": 0.25, "n": 3}) == ["double alpha = 0.25;", "int n = 3;"]


def test_a_value_that_does_not_fit_fails_in_the_injected_cell_naming_parameter_type_and_value():
    lines = inject({"n": "abc", "alpha": 2})
    assert lines[0] == "// n: not set, see the error below"
    assert lines[1] == "double alpha = 2.0;"
    assert lines[-1].startswith("throw new IllegalArgumentException(\"parameter 'n' is declared int in the "
                                "parameters cell, but the value given, \\\"abc\\\", is a string, not a whole number"), lines
    assert len(lines) == 3


def test_every_bad_parameter_is_named_in_one_error():
    err = inject({"n": 1.5, "verbose": 1, "sizes": {"a": 1}})[-1]
    assert "parameter 'n' is declared int" in err and "1.5, is not a whole number" in err
    assert "parameter 'verbose' is declared boolean" in err and "is a whole number, not true or false" in err
    assert "parameter 'sizes' is declared List<Integer>" in err and "is a map, not a list" in err


@pytest.mark.parametrize("declared, value, java", [
    ("int", 7, "7"), ("int", -2147483648, "-2147483648"), ("int", "42", "42"), ("int", 3.0, "3"),
    ("long", 2 ** 40, "1099511627776L"), ("long", -(2 ** 63), "-9223372036854775808L"),
    ("short", 300, "(short) 300"), ("byte", -5, "(byte) -5"),
    ("Integer", 5, "5"), ("Long", 5, "5L"), ("Integer", None, "null"),
    ("double", 1, "1.0"), ("double", 1e-05, "1e-05"), ("double", 1.5e300, "1.5e+300"), ("double", "2.5", "2.5"),
    ("double", math.inf, "Double.POSITIVE_INFINITY"), ("double", -math.inf, "Double.NEGATIVE_INFINITY"),
    ("Double", math.nan, "Double.NaN"), ("float", 0.5, "0.5f"), ("float", 2, "2.0f"), ("Float", math.nan, "Float.NaN"),
    ("boolean", True, "true"), ("boolean", "false", "false"), ("Boolean", "TRUE", "true"), ("Boolean", None, "null"),
    ("char", "x", "'x'"), ("char", "'", "'\\''"), ("Character", "\n", "'\\n'"),
    ("java.math.BigInteger", 2 ** 70, 'new java.math.BigInteger("1180591620717411303424")'),
    ("BigDecimal", 0.1, 'new java.math.BigDecimal("0.1")'), ("BigDecimal", "12.50", 'new java.math.BigDecimal("12.50")'),
    ("Number", 3, "3"), ("Number", 2.5, "2.5"), ("Object", 2 ** 40, "1099511627776L"), ("Object", None, "null"),
    ("String", 2024, '"2024"'), ("String", True, '"true"'), ("String", 1.5, '"1.5"'), ("String", None, "null"),
    ("CharSequence", "a", '"a"'),
    ("LocalDate", "2024-01-31", 'java.time.LocalDate.parse("2024-01-31")'),
    ("java.nio.file.Path", "/tmp/x", 'java.nio.file.Path.of("/tmp/x")'),
    ("Mode", "SLOW", 'Mode.valueOf("SLOW")'),
])
def test_scalars_of_each_declared_type(declared, value, java):
    assert one(value, declared) == f"{declared} x = {java};"


@pytest.mark.parametrize("declared, value, reason", [
    ("int", "abc", "is a string, not a whole number"),
    ("int", 2 ** 31, "is outside int's range (-2147483648 to 2147483647)"),
    ("long", 2 ** 63, "is outside long's range"),
    ("byte", 128, "is outside byte's range (-128 to 127)"),
    ("int", True, "is a boolean, not a whole number"),
    ("int", None, "is null, and int is a primitive type (declare it as Integer to allow null)"),
    ("double", "fast", "is a string, not a number"),
    ("double", 10 ** 400, "is too large for a floating-point number"),
    ("float", 1e39, "is outside float's range"),
    ("boolean", "yes", "is a string, not true or false"),
    ("char", "ab", "is not a single character"),
    ("String", [1], "is a list, not text"),
    ("List<Integer>", 5, "is a whole number, not a list"),
    ("List<Integer>", [1, "x"], 'has an element [1] = "x" that is a string, not a whole number'),
    ("Map<String, Integer>", {"a": 1.5}, 'has a value ["a"] = 1.5 that is not a whole number'),
    ("Map<Integer, String>", {"k": "v"}, 'has a key "k" that is a string, not a whole number'),
    ("LocalDate", "31/01/2024", "is not an ISO-8601 LocalDate"),
    ("Mode", 3, "cannot make a Mode from it"),
])
def test_values_that_do_not_fit(declared, value, reason):
    assert reason in mismatch(value, declared)


# ------------------------------------------------------------------------------------ strings and escapes

@pytest.mark.parametrize("text, java", [
    ('say "hi"', r'"say \"hi\""'),
    ("back\\slash", r'"back\\slash"'),
    ("C:\\users\\u0041", r'"C:\\users\\u0041"'),   # not a unicode escape once the backslash is doubled
    ("two\nlines\r\n", r'"two\nlines\r\n"'),
    ("tab\there", r'"tab\there"'),
    ("bell\x07 nul\x00 del\x7f", r'"bell\u0007 nul\u0000 del\u007f"'),
    ("café ünïcødé", '"café ünïcødé"'),
    ("clef 𝄞 emoji 🎉", '"clef 𝄞 emoji 🎉"'),
    ("line\u2028separator", r'"line\u2028separator"'),
    ("lone \udc80", r'"lone \udc80"'),
    ("", '""'),
])
def test_string_escapes(text, java):
    assert values.string_literal(text) == java
    assert one(text, None) == f"var x = {java};"


# ------------------------------------------------------------------------------------ lists and maps

@pytest.mark.parametrize("declared, value, java", [
    ("List<Double>", [1, 2.5], "List.of(1.0, 2.5)"),
    ("List<Integer>", [], "List.of()"),
    ("List<String>", ["a", None], 'java.util.Arrays.asList("a", null)'),
    ("List<List<Integer>>", [[1], [2, 3]], "List.of(List.of(1), List.of(2, 3))"),
    ("Collection<Long>", [1], "java.util.List.of(1L)"),
    ("ArrayList<Integer>", [1, 2], "new java.util.ArrayList<>(java.util.Arrays.asList(1, 2))"),
    ("Set<String>", ["b", "a", "b"],
     'java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(java.util.Arrays.asList("b", "a", "b")))'),
    ("int[]", [1, 2], "new int[]{1, 2}"),
    ("double[][]", [[1], [2.5]], "new double[][]{new double[]{1.0}, new double[]{2.5}}"),
    ("String[]", ["a"], 'new String[]{"a"}'),
    ("Map<String, Integer>", {"a": 1}, 'Map.of("a", 1)'),
    ("Map<String, Integer>", {"b": 2, "a": 1},
     'java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<String, Integer>() {{ put("b", 2); put("a", 1); }})'),
    ("Map<String, Double>", {}, "Map.of()"),
    ("TreeMap<String, Integer>", {"b": 2}, 'new java.util.TreeMap<String, Integer>() {{ put("b", 2); }}'),
])
def test_collections_of_declared_types(declared, value, java):
    assert one(value, declared) == f"{declared} x = {java};"


@pytest.mark.parametrize("value, java", [
    ([1, 2], "java.util.List.of(1, 2)"),
    ([1, 2 ** 40], "java.util.List.of(1L, 1099511627776L)"),
    ([1, 2.5], "java.util.List.of(1.0, 2.5)"),
    ([1, "a"], 'java.util.List.<Object>of(1, "a")'),
    ([], "java.util.List.<Object>of()"),
    ([None, "a"], 'java.util.Arrays.asList(null, "a")'),
    ({"lr": 0.1}, 'java.util.Map.<String, Double>of("lr", 0.1)'),
    ({"lr": 0.1, "layers": [64, 32], "name": None},
     'java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<String, Object>() '
     '{{ put("lr", 0.1); put("layers", java.util.List.of(64, 32)); put("name", null); }})'),
])
def test_undeclared_values_become_var(value, java):
    assert one(value, None) == f"var x = {java};"


def test_undeclared_null_and_big_integers():
    assert one(None, None) == "Object x = null;"
    assert one(2 ** 40, None) == "var x = 1099511627776L;"
    assert one(2 ** 70, None) == 'var x = new java.math.BigInteger("1180591620717411303424");'
    assert one(True, None) == "var x = true;"
    assert one(1.0, None) == "var x = 1.0;"


def test_undeclared_parameters_in_a_notebook_with_declarations():
    assert inject({"extra": [1, 2]}) == ["var extra = java.util.List.of(1, 2);"]


def test_without_a_parameters_cell_every_parameter_is_var():
    assert T.codify({"alpha": 1}, parameters_cell="") == "// Parameters\nvar alpha = 1;\n"


# ------------------------------------------------------------------------------------ the parameters cell

def test_inspect_lists_types_defaults_and_comments():
    got = [tuple(p) for p in T.inspect({"source": CELL, "metadata": {"tags": ["parameters"]}})]
    assert got == [
        ("alpha", "double", "0.5", "learning rate"),
        ("n", "int", "10", "iterations"),
        ("name", "String", '"world"', "whom to greet"),
        ("sizes", "List<Integer>", "List.of(8, 16)", ""),
        ("config", "Map<String, Object>", 'Map.of("depth", 3)', ""),
        ("mode", "String", '"fast"', ""),
        ("seed", "long", "42L", ""),
        ("verbose", "boolean", "false", ""),
        ("limit", "Integer", "null", ""),
        ("a", "int", "1", "two at once"),
        ("b", "int", "2", "two at once"),
        ("grid", "List<List<Double>>", "List.of( List.of(1.0))", ""),  # on one line for --help-notebook
    ]


def test_inspect_takes_a_list_source_and_ignores_what_it_cannot_read():
    assert [p.name for p in T.inspect({"source": ["int n = 1;\n", "double x;\n"]})] == ["n", "x"]
    assert T.inspect({"source": "for (int i = 0; i < 3; i++) { }\nfoo(1, 2);\nreturn;"}) == []
    assert T.inspect({"source": "class A { int hidden = 1; }\nint shown = 2;"})[-1].name == "shown"


@pytest.mark.parametrize("literal, java_type", [
    ("1", "int"), ("0x1F", "int"), ("1_000", "int"), ("5L", "long"), ("2.5", "double"), ("1e3", "double"),
    ("2d", "double"), ("1.5f", "float"), ('"s"', "String"), ("'c'", "char"), ("true", "boolean"),
    ("List.of(1)", None), ("x + 1", None),
])
def test_var_takes_the_type_of_its_literal(literal, java_type):
    assert declarations.literal_type(literal) == java_type


def test_codify_uses_the_cell_inspected_last():
    T.inspect({"source": "double alpha = 0.5;"})
    assert T.codify({"alpha": 1}) == "// Parameters\ndouble alpha = 1.0;\n"
    # used once: a later codify without an inspection does not take stale types
    assert T.codify({"alpha": 1}) == "// Parameters\nvar alpha = 1;\n"


def test_registers_for_ferry_kernel_names_and_java():
    from papermill_ferry.translator import register

    class Registry:
        def __init__(self):
            self.names = {}

        def register(self, name, translator):
            self.names[name] = translator

    r = Registry()
    register(r)
    assert r.names == {"ferry": T, "ferry-jdk25": T, "java": T}


# ------------------------------------------------------------------------------------ it compiles and means it

JSHELL_CASES = [
    # (declared type or None, value, Java expression to print, what it prints)
    ("double", 1, "alpha", "1.0"),
    ("float", 0.1, "alpha", "0.1"),
    ("long", 2 ** 40, "alpha", "1099511627776"),
    ("short", -3, "alpha", "-3"),
    ("Long", 7, "alpha", "7"),
    ("char", "'", "alpha", "'"),
    (None, 2 ** 70, "alpha.bitLength()", "71"),
    (None, 'q"\\ \n\t é 𝄞 C:\\users\x01', "alpha.codePoints().mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(\",\"))",
     ",".join(str(ord(c)) for c in 'q"\\ \n\t é 𝄞 C:\\users\x01')),
    ("String", 12, "alpha.length()", "2"),
    ("List<Double>", [1, 2.5], "alpha.get(0) + alpha.get(1)", "3.5"),
    ("List<String>", ["a", None], "alpha", "[a, null]"),
    (None, [1, "a"], "alpha", "[1, a]"),
    (None, [], "alpha.size()", "0"),
    ("int[]", [3, 4], "alpha[0] * alpha[1]", "12"),
    ("double[][]", [[1], [2.5]], "alpha[1][0]", "2.5"),
    (None, {"b": 1, "a": [1, 2], "c": None}, "alpha", "{b=1, a=[1, 2], c=null}"),
    ("Map<String, List<Integer>>", {"x": [1]}, "alpha.get(\"x\").get(0) + 1", "2"),
    ("TreeMap<String, Integer>", {"b": 2, "a": 1}, "alpha.firstKey()", "a"),
    ("Set<Integer>", [2, 1, 2], "alpha", "[2, 1]"),
    ("ArrayList<Integer>", [1], "alpha.add(2) + \" \" + alpha", "true [1, 2]"),
    ("BigDecimal", 0.1, "alpha.scale()", "1"),
    ("Object", None, "alpha == null", "true"),
    (None, None, "alpha == null", "true"),
    ("double", math.inf, "alpha", "Infinity"),
    ("LocalDate", "2024-02-29", "alpha.getDayOfYear()", "60"),
]


def test_generated_java_compiles_and_holds_the_values(tmp_path):
    jshell = shutil.which("jshell")
    assert jshell, "jshell (from the JDK that builds Ferry) is not on PATH"
    script = ["import java.util.*;", "import java.math.*;", "import java.time.*;"]
    for i, (declared, value, expr, _) in enumerate(JSHELL_CASES):
        script.append(T.declaration("alpha", value, declared))
        script.append(f'System.out.println("case{i}=" + ({expr}));')
    script.append("/exit")
    f = tmp_path / "cases.jsh"
    f.write_text("\n".join(script) + "\n", encoding="utf-8")
    p = subprocess.run([jshell, "-J-Dfile.encoding=UTF-8", "-R-Dfile.encoding=UTF-8", "-J-Dstdout.encoding=UTF-8",
                        "-R-Dstdout.encoding=UTF-8", "--feedback", "concise", str(f)],
                       capture_output=True, text=True, encoding="utf-8", timeout=180)
    assert "Error" not in p.stdout + p.stderr, p.stdout + p.stderr
    printed = dict(line.split("=", 1) for line in p.stdout.splitlines() if line.startswith("case"))
    for i, (declared, value, expr, want) in enumerate(JSHELL_CASES):
        assert printed.get(f"case{i}") == want, (declared, value, T.declaration("alpha", value, declared), p.stdout)
