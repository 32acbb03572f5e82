"""Python values (from papermill's -p, -r, -y, -f) as Java source of a given Java type.

`java_expr(value, "double")` is "1.0" for 1; `java_expr("abc", "int")` raises Mismatch with the reason.
A type of None means "no declared type": the type is inferred from the value (`infer`).
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Optional


class Mismatch(ValueError):
    """The value does not fit the declared type; str() is the reason, e.g. 'is outside int's range'."""


@dataclass(frozen=True)
class JType:
    name: str                       # simple or qualified name as written, without generics: "int", "java.util.List"
    args: tuple = ()                # type arguments (JType), empty when raw or not generic
    dims: int = 0                   # array dimensions
    inferred: bool = field(default=False, compare=False)  # from the value, not declared: Java cannot infer it either

    @property
    def simple(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    def element(self) -> "JType":
        return JType(self.name, self.args, self.dims - 1)

    def arg(self, i: int) -> Optional["JType"]:
        return self.args[i] if i < len(self.args) else None

    def __str__(self) -> str:
        s = self.name
        if self.args:
            s += "<" + ", ".join(str(a) for a in self.args) + ">"
        return s + "[]" * self.dims


def parse_type(text: str) -> JType:
    """Parses a Java type such as `Map<String, List<Double>>` or `int[][]`; wildcards become their bound."""
    t, rest = _parse(text.replace(" ", "").replace("\t", ""))
    if rest:
        raise ValueError(f"not a Java type: {text!r}")
    return t


def _parse(s: str):
    if s.startswith("?"):
        s = s[1:]
        for bound in ("extends", "super"):
            if s.startswith(bound):
                return _parse(s[len(bound):]) if bound == "extends" else (JType("Object"), _parse(s[len(bound):])[1])
        return JType("Object"), s
    m = re.match(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*", s)
    if not m:
        raise ValueError(f"not a Java type: {s!r}")
    name, s = m.group(0), s[m.end():]
    args = []
    if s.startswith("<"):
        s = s[1:]
        while not s.startswith(">"):
            a, s = _parse(s)
            args.append(a)
            if s.startswith(","):
                s = s[1:]
            elif not s.startswith(">"):
                raise ValueError("unbalanced type arguments")
        s = s[1:]
    dims = 0
    while s.startswith("[]"):
        dims, s = dims + 1, s[2:]
    return JType(name, tuple(args), dims), s


# ---------------------------------------------------------------------------------------- type families

_INTS = {"byte": (8, "(byte) "), "short": (16, "(short) "), "int": (32, ""), "long": (64, "")}
_BOXED = {"Byte": "byte", "Short": "short", "Integer": "int", "Long": "long", "Float": "float", "Double": "double",
          "Boolean": "boolean", "Character": "char"}
_PRIMITIVES = set(_INTS) | {"float", "double", "boolean", "char"}
_ANY = {"Object", "Serializable", "Comparable", "var"}
_LISTS = {"List", "Collection", "Iterable", "ArrayList", "LinkedList", "Set", "HashSet", "LinkedHashSet", "TreeSet",
          "SortedSet", "NavigableSet", "Queue", "Deque", "ArrayDeque", "SequencedCollection", "SequencedSet"}
_SETS = {"Set", "SortedSet", "NavigableSet", "SequencedSet"}
_LIST_INTERFACES = {"List", "Collection", "Iterable", "SequencedCollection"}
_MAPS = {"Map", "HashMap", "LinkedHashMap", "TreeMap", "SortedMap", "NavigableMap", "SequencedMap"}
_MAP_INTERFACES = {"Map"}


def _unqualified(t: JType) -> str:
    """The simple name when the type is one of java.lang/java.util/java.math/java.time/java.nio.file's."""
    pkg = t.name.rsplit(".", 1)[0] if "." in t.name else ""
    if pkg in ("", "java.lang", "java.util", "java.math", "java.time", "java.nio.file", "java.io"):
        return t.simple
    return t.name


def show(value: Any) -> str:
    """A value as a person reads it in an error message (JSON-like, strings quoted)."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a map"
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------------------- literals

def string_literal(s: str) -> str:
    """A Java string literal: escapes for quotes, backslashes, line breaks, tabs and unprintable characters;
    printable Unicode stays as it is (the kernel reads cells as Unicode)."""
    out = ['"']
    for ch in s:
        out.append(_escape_char(ch, '"'))
    out.append('"')
    return "".join(out)


def char_literal(ch: str) -> str:
    return "'" + _escape_char(ch, "'") + "'"


_SIMPLE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape_char(ch: str, quote: str) -> str:
    if ch == quote:
        return "\\" + quote
    if ch in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[ch]
    cp = ord(ch)
    if ch.isprintable() and not 0xD800 <= cp <= 0xDFFF:
        return ch
    # \n and \r never get here (a \u000a escape would end the literal: Java unescapes before it lexes)
    if cp > 0xFFFF:
        cp -= 0x10000
        return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"
    return f"\\u{cp:04x}"


def _double_literal(x: float, suffix: str = "") -> str:
    if math.isnan(x):
        return "Double.NaN" if not suffix else "Float.NaN"
    if math.isinf(x):
        box = "Double" if not suffix else "Float"
        return f"{box}.{'POSITIVE' if x > 0 else 'NEGATIVE'}_INFINITY"
    r = repr(float(x))
    if "e" not in r and "." not in r:
        r += ".0"
    return r + suffix


# ---------------------------------------------------------------------------------------- conversion

_INT_TEXT = re.compile(r"^[+-]?\d+$")
_FLOAT_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$", re.I)


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise Mismatch("is a boolean, not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise Mismatch("is not a whole number")
    if isinstance(value, str) and _INT_TEXT.match(value.strip()):
        return int(value.strip())
    raise Mismatch(f"is {_kind(value)}, not a whole number")


def _as_float(value: Any) -> float:
    if isinstance(value, bool):
        raise Mismatch("is a boolean, not a number")
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            raise Mismatch("is too large for a floating-point number") from None
    if isinstance(value, str) and _FLOAT_TEXT.match(value.strip()):
        return float(value.strip())
    raise Mismatch(f"is {_kind(value)}, not a number")


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise Mismatch(f"is {_kind(value)}, not true or false")


def _as_text(value: Any) -> str:
    """Strings, and numbers or booleans as text (papermill's -p turns `-p id 007` into the number 7: use -r)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _double_literal(value) if math.isfinite(value) else repr(value)
    raise Mismatch(f"is {_kind(value)}, not text")


def _integer_expr(value: Any, prim: str) -> str:
    bits, cast = _INTS[prim]
    n = _as_int(value)
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if not lo <= n <= hi:
        raise Mismatch(f"is outside {prim}'s range ({lo} to {hi})")
    return f"{cast}{n}{'L' if prim == 'long' else ''}"


def infer(value: Any) -> JType:
    """The Java type of a value when nothing declares one: what `var` would hold."""
    if value is None:
        return JType("Object")
    if isinstance(value, bool):
        return JType("boolean")
    if isinstance(value, int):
        if -(1 << 31) <= value < (1 << 31):
            return JType("int")
        return JType("long") if -(1 << 63) <= value < (1 << 63) else JType("java.math.BigInteger")
    if isinstance(value, float):
        return JType("double")
    if isinstance(value, str):
        return JType("String")
    if isinstance(value, _dt.datetime):
        return JType("java.time.OffsetDateTime" if value.tzinfo else "java.time.LocalDateTime")
    if isinstance(value, _dt.date):
        return JType("java.time.LocalDate")
    if isinstance(value, (list, tuple)):
        return JType("java.util.List", (_common(value),), inferred=True)
    if isinstance(value, dict):
        return JType("java.util.Map", (_common(list(value.keys())), _common(list(value.values()))), inferred=True)
    return JType("String")


def _boxed(t: JType) -> JType:
    for box, prim in _BOXED.items():
        if t.name == prim and not t.dims:
            return JType(box)
    return t


def _common(values) -> JType:
    """The element type of a list (or the key or value type of a map) from its elements."""
    types = {str(_boxed(infer(v))): _boxed(infer(v)) for v in values if v is not None}
    if len(types) == 1:
        return next(iter(types.values()))
    names = set(types)
    if names and names <= {"Integer", "Long"}:
        return JType("Long")
    if names and names <= {"Integer", "Long", "java.math.BigInteger"}:
        return JType("java.math.BigInteger")
    if names and names <= {"Integer", "Long", "Double"}:
        return JType("Double")
    return JType("Object")


def java_expr(value: Any, t: Optional[JType]) -> str:
    """Java source for `value` as type `t` (None: inferred). Raises Mismatch when it does not fit."""
    if t is None or (_unqualified(t) in _ANY and not t.dims):
        if value is None:
            return "null"
        return java_expr(value, infer(value))
    name = _unqualified(t)
    if t.dims:
        return _array_expr(value, t)
    if value is None:
        if name in _PRIMITIVES:
            raise Mismatch(f"is null, and {name} is a primitive type (declare it as {_boxed(t)} to allow null)")
        return "null"
    prim = _BOXED.get(name, name)
    if prim in _INTS:
        return _integer_expr(value, prim)
    if prim in ("double", "float"):
        x = _as_float(value)
        if prim == "float" and math.isfinite(x) and abs(x) > 3.4028234663852886e38:
            raise Mismatch("is outside float's range (about ±3.4e38)")
        return _double_literal(x, "f" if prim == "float" else "")
    if prim == "boolean":
        return "true" if _as_bool(value) else "false"
    if prim == "char":
        if isinstance(value, str) and len(value) == 1:
            return char_literal(value)
        raise Mismatch("is not a single character")
    if name in ("String", "CharSequence"):
        return string_literal(_as_text(value))
    if name == "Number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return java_expr(value, infer(value))
        return java_expr(_as_float(value), JType("double"))
    if name == "BigInteger":
        return f'new java.math.BigInteger("{_as_int(value)}")'
    if name == "BigDecimal":
        if isinstance(value, float):
            if not math.isfinite(value):
                raise Mismatch("is not a finite number")
            text = repr(value)
        elif isinstance(value, str) and _FLOAT_TEXT.match(value.strip()) and "n" not in value.lower():
            text = value.strip()
        else:
            text = str(_as_int(value))
        return f'new java.math.BigDecimal("{text}")'
    if name in _LISTS:
        return _collection_expr(value, t, name)
    if name in _MAPS:
        return _map_expr(value, t, name)
    if name in ("LocalDate", "LocalDateTime", "OffsetDateTime", "ZonedDateTime", "Instant", "LocalTime",
                "Duration", "Period"):
        return _time_expr(value, name)
    if name in ("Path", "File"):
        text = string_literal(_as_text(value))
        return f"java.nio.file.Path.of({text})" if name == "Path" else f"new java.io.File({text})"
    if isinstance(value, str):
        # an enum, or a class with a static valueOf(String): Mode mode = Mode.FAST; with -p mode SLOW
        return f"{t}.valueOf({string_literal(value)})"
    raise Mismatch(f"is {_kind(value)}, and papermill-ferry cannot make a {t} from it "
                   f"(declare it as String, a number type, boolean, List or Map)")


def _items(value: Any, what: str) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    raise Mismatch(f"is {_kind(value)}, not a list ({what} needs a YAML list: -y 'name: [1, 2]')")


def _element_error(path: str, e: Mismatch) -> Mismatch:
    return Mismatch(f"has an element {path} that {e}")


def _elements(items: list, et: Optional[JType]) -> list[str]:
    out = []
    for i, v in enumerate(items):
        try:
            out.append(java_expr(v, et))
        except Mismatch as e:
            raise _element_error(f"[{i}] = {show(v)}", e) from None
    return out


def _collection_expr(value: Any, t: JType, name: str) -> str:
    items = _items(value, str(t))
    et = t.arg(0) if t.args else _common(items)
    elems = _elements(items, et)
    has_null = any(v is None for v in items)
    # `var xs = List.of(1, "a")` would be a List of an intersection type: say which one is meant
    witness = f"<{_boxed(et)}>" if t.inferred and (not items or _unqualified(et) == "Object") else ""
    if name in _SETS:
        body = f"java.util.Arrays.{witness}asList({', '.join(elems)})"
        return f"java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>({body}))"
    if name in _LIST_INTERFACES:
        if has_null:
            return f"java.util.Arrays.{witness}asList({', '.join(elems)})"
        factory = "List" if t.name == "List" else "java.util.List"  # the notebook imports List if it declares one
        return f"{factory}.{witness}of({', '.join(elems)})"
    # a concrete class (ArrayList, TreeSet, ...): a mutable copy of the same class
    return f"new {_qualified_util(t)}<>(java.util.Arrays.{witness}asList({', '.join(elems)}))"


def _qualified_util(t: JType) -> str:
    return t.name if "." in t.name else "java.util." + t.name


def _map_expr(value: Any, t: JType, name: str) -> str:
    if not isinstance(value, dict):
        raise Mismatch(f"is {_kind(value)}, not a map ({t} needs a YAML mapping: -y 'name: {{a: 1}}')")
    kt = t.arg(0) if t.args else _common(list(value.keys()))
    vt = t.arg(1) if len(t.args) > 1 else _common(list(value.values()))
    pairs = []
    for k, v in value.items():
        try:
            ke = java_expr(k, kt)
        except Mismatch as e:
            raise Mismatch(f"has a key {show(k)} that {e}") from None
        try:
            ve = java_expr(v, vt)
        except Mismatch as e:
            raise Mismatch(f"has a value [{show(k)}] = {show(v)} that {e}") from None
        pairs.append((k, v, ke, ve))
    witness = f"<{_boxed(kt)}, {_boxed(vt)}>"
    ordered = name not in _MAP_INTERFACES or len(value) > 1 or any(k is None or v is None for k, v, _, _ in pairs)
    if not ordered:
        factory = "Map" if t.name == "Map" else "java.util.Map"
        return f"{factory}.{witness if t.inferred else ''}of({', '.join(ke + ', ' + ve for _, _, ke, ve in pairs)})"
    # YAML's order and nulls are kept: a LinkedHashMap filled in order (read-only unless a concrete class is declared)
    cls = "java.util.LinkedHashMap" if name in _MAP_INTERFACES | {"SequencedMap"} else _qualified_util(t)
    if name in ("SortedMap", "NavigableMap"):
        cls = "java.util.TreeMap"
    puts = " ".join(f"put({ke}, {ve});" for _, _, ke, ve in pairs)
    filled = f"new {cls}{witness}() {{{{ {puts} }}}}" if pairs else f"new {cls}{witness}()"
    if name in _MAP_INTERFACES:
        return f"java.util.Collections.unmodifiableMap({filled})"
    return filled


def _array_expr(value: Any, t: JType) -> str:
    items = _items(value, str(t))
    et = t.element()
    elems = _elements(items, et)
    base = JType(t.name).__str__()
    if t.args:
        raise Mismatch(f"is a list, and Java cannot create a generic array {t} (declare it as List<...>)")
    return f"new {base}{'[]' * t.dims}{{{', '.join(elems)}}}"


def _time_expr(value: Any, name: str) -> str:
    if isinstance(value, _dt.datetime):
        text = value.isoformat()
        if name == "LocalDate":
            text = value.date().isoformat()
    elif isinstance(value, _dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise Mismatch(f"is {_kind(value)}, not a {name} (give it as ISO-8601 text)")
    checks = {"LocalDate": _dt.date.fromisoformat, "LocalDateTime": _dt.datetime.fromisoformat,
              "LocalTime": _dt.time.fromisoformat}
    if name in checks:
        try:
            checks[name](text)
        except ValueError:
            raise Mismatch(f"is not an ISO-8601 {name} (e.g. 2024-01-31{'T12:00' if 'Time' in name else ''})") from None
    return f"java.time.{name}.parse({string_literal(text)})"
