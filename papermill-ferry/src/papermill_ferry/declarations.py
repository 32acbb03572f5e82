"""Reads the variable declarations of a Java notebook's `parameters` cell.

    double alpha = 0.5;        // learning rate
    List<Integer> sizes = List.of(8, 16);
    var name = "world";        // the type comes from the literal: String

Each top-level statement that declares variables gives one Declaration per variable: its declared type
(as written, or inferred from a literal for `var`), its initializer as written, and the comment beside it
(the `//` comment on the line where the statement ends, else the `//` lines right above it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

IDENT = r"[A-Za-z_$][A-Za-z0-9_$]*"
_MODIFIERS = re.compile(r"^(?:(?:final|static|public|private|protected|transient|volatile)\s+|@" + IDENT + r"\s+)*")
_DECLARATOR = re.compile(r"^(" + IDENT + r")\s*(?:=\s*(.*))?$", re.S)
_NOT_TYPES = {"return", "throw", "new", "import", "package", "class", "interface", "enum", "record", "if", "for",
              "while", "do", "switch", "try", "else", "case", "assert", "yield", "break", "continue", "synchronized"}


@dataclass(frozen=True)
class Declaration:
    name: str
    type: Optional[str]      # e.g. "double", "List<Integer>"; None for a `var` whose initializer is no literal
    default: Optional[str]   # the initializer as written, None when there is none
    help: str                # the comment beside the declaration ("" if none)


def _statements(src: str):
    """Top-level statements of a Java cell as (code without comments, the comment beside it)."""
    out = []
    code, above, depth, i, n = [], [], 0, 0, len(src)
    pending = None  # a statement that ended on this line: (code, comments above it), waiting for a `//` after it

    def flush(trailing=""):
        nonlocal pending
        if pending is not None:
            out.append((pending[0], trailing or " ".join(pending[1])))
            pending = None

    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            text = src[i + 2:j].strip()
            if pending is not None:
                flush(text)
            elif text:
                above.append(text)
            i = j
            continue
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            text = " ".join(line.strip().lstrip("*").strip() for line in src[i + 2:j - 2].splitlines()).strip()
            if text and pending is None:
                above.append(text)
            code.append(" ")
            i = j
            continue
        if c == "\n" or not c.isspace():  # a trailing comment comes before either
            flush()
        if c in "\"'":
            j = i + 1
            if src.startswith('"""', i):  # text block
                j = src.find('"""', i + 3)
                j = n if j < 0 else j + 3
            else:
                while j < n and src[j] != c and src[j] != "\n":
                    j += 2 if src[j] == "\\" else 1
                j = min(j + 1, n)
            code.append(src[i:j])
            i = j
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            text = "".join(code)
            if c == "}" and depth <= 0 and "=" not in text[:text.find("{")]:
                # the end of a class, record or method body: a statement that declares no variable
                code, above, depth = [], [], 0
                i += 1
                continue
        if c == ";" and depth <= 0:
            pending = ("".join(code).strip(), above)
            code, above, depth = [], [], 0
        else:
            code.append(c)
        i += 1
    flush()
    return out


def _split_top(text: str, sep: str):
    """Splits at `sep` outside brackets, generics, strings and char literals."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(text):
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in "([{<":
            depth += 1
        elif c in ")]}>":
            depth -= 1
        if c == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def _split_type(stmt: str):
    """(type, rest) when the statement starts with a Java type followed by a name, else None."""
    i, n, depth = 0, len(stmt), 0
    m = re.match(IDENT + r"(?:\s*\.\s*" + IDENT + r")*", stmt)
    if not m or m.group(0) in _NOT_TYPES:
        return None
    i = m.end()
    while i < n:
        rest = stmt[i:]
        ws = len(rest) - len(rest.lstrip())
        if depth == 0 and rest.lstrip().startswith("<"):
            depth, i = 1, i + ws + 1
            while i < n and depth:
                depth += {"<": 1, ">": -1}.get(stmt[i], 0)
                i += 1
            if depth:
                return None
            continue
        if rest.lstrip().startswith("[]"):
            i += ws + 2
            continue
        break
    type_text = re.sub(r"\s+", " ", stmt[:i]).strip()
    type_text = re.sub(r"\s*([<>,\[\].])\s*", r"\1", type_text).replace(",", ", ")
    rest = stmt[i:]
    if not rest[:1].isspace():
        return None
    return type_text, rest.strip()


_LITERAL_TYPES = [
    (re.compile(r"^-?\d[\d_]*[lL]$"), "long"),
    (re.compile(r"^-?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|\d[\d_]*)$"), "int"),
    (re.compile(r"^-?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?[fF]$"), "float"),
    (re.compile(r"^-?(\d[\d_]*\.[\d_]*|\.\d[\d_]*|\d[\d_]*[eE][+-]?\d+)([eE][+-]?\d+)?[dD]?$|^-?\d[\d_]*[dD]$"), "double"),
    (re.compile(r'^"(?:[^"\\]|\\.)*"$|^"""'), "String"),
    (re.compile(r"^'(?:[^'\\]|\\.[^']*)'$"), "char"),
    (re.compile(r"^(true|false)$"), "boolean"),
]


def literal_type(expr: Optional[str]) -> Optional[str]:
    """The type `var` gets from a literal initializer, or None when the initializer is no plain literal."""
    if expr is None:
        return None
    e = expr.strip()
    for rx, t in _LITERAL_TYPES:
        if rx.search(e):
            return t
    return None


def parse(source: str) -> list[Declaration]:
    """The declarations of a parameters cell, in order; statements that declare nothing are skipped."""
    decls = []
    for stmt, comment in _statements(source):
        stmt = _MODIFIERS.sub("", stmt).strip()
        split = _split_type(stmt)
        if split is None:
            continue
        jtype, rest = split
        declarators = [d.strip() for d in _split_top(rest, ",")]
        parsed = [_DECLARATOR.match(d) for d in declarators]
        if not declarators or not all(parsed):
            continue
        for m in parsed:
            default = re.sub(r"\s*\n\s*", " ", m.group(2).strip()) if m.group(2) is not None else None
            t = literal_type(default) if jtype == "var" else jtype
            decls.append(Declaration(m.group(1), t, default, comment))
    return decls
