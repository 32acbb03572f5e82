"""papermill's translator for Java notebooks: typed parameters and parameter introspection.

papermill calls `inspect(parameters_cell)` (for --help-notebook, and before it injects parameters) and
`codify(parameters, comment)` for the injected cell. codify gets no notebook, so the translator takes the
declared types from the notebook being parameterised (papermill's parameterize_notebook, up the call stack),
else from the parameters cell it inspected last on this thread (papermill inspects right before it injects).
"""
from __future__ import annotations

import sys
import threading
from collections import namedtuple
from typing import Any, Optional

from . import declarations, values

try:  # papermill's own record type, so its --help-notebook prints ours like Python's
    from papermill.models import Parameter
except ImportError:  # unit tests without papermill
    Parameter = namedtuple("Parameter", ["name", "inferred_type_name", "default", "help"])

_last_inspected = threading.local()


def _cell_source(cell) -> str:
    src = cell.get("source", "") if hasattr(cell, "get") else getattr(cell, "source", "")
    return "".join(src) if isinstance(src, list) else src


def _parameters_cell_of(nb) -> Optional[str]:
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return _cell_source(cell)
    return None


def _notebook_being_parameterized() -> Optional[str]:
    """The parameters cell of the notebook papermill's parameterize_notebook is working on, if it called us."""
    frame = sys._getframe(1)
    for _ in range(6):
        frame = frame.f_back
        if frame is None:
            return None
        if frame.f_code.co_name == "parameterize_notebook" and "papermill" in frame.f_code.co_filename:
            nb = frame.f_locals.get("nb")
            return _parameters_cell_of(nb) if hasattr(nb, "get") else None
    return None


class JavaTranslator:
    """Injects parameters as Java declarations that keep the types of the parameters cell."""

    @classmethod
    def comment(cls, cmt_str: str) -> str:
        return f"// {cmt_str}".strip()

    @classmethod
    def declared(cls, source: Optional[str]) -> dict:
        return {d.name: d for d in declarations.parse(source or "")}

    @classmethod
    def codify(cls, parameters: dict, comment: str = "Parameters", parameters_cell: Optional[str] = None) -> str:
        if parameters_cell is None:
            parameters_cell = _notebook_being_parameterized()
        if parameters_cell is None:
            parameters_cell = getattr(_last_inspected, "source", None)
        _last_inspected.source = None
        declared = cls.declared(parameters_cell)
        lines, problems = [cls.comment(comment)], []
        for name, value in parameters.items():
            decl = declared.get(name)
            try:
                lines.append(cls.declaration(name, value, decl.type if decl else None))
            except values.Mismatch as e:
                where = f"is declared {decl.type} in the parameters cell" if decl else "is not declared"
                problems.append(f"parameter '{name}' {where}, but the value given, {values.show(value)}, {e}")
                lines.append(f"// {name}: not set, see the error below")
        if problems:
            message = "; ".join(problems) + ". Pass a value of the declared type (papermill -p NAME VALUE, " \
                                            "-y 'NAME: VALUE'), or change the declaration."
            lines.append(f"throw new IllegalArgumentException({values.string_literal(message)});")
        return "\n".join(lines) + "\n"

    @classmethod
    def declaration(cls, name: str, value: Any, declared_type: Optional[str]) -> str:
        """One injected declaration; raises values.Mismatch when the value does not fit the declared type."""
        jtype = None
        if declared_type is not None:
            try:
                jtype = values.parse_type(declared_type)
            except ValueError:
                jtype = None
        if jtype is None or jtype.name == "var":
            if value is None:
                return f"Object {name} = null;"
            return f"var {name} = {values.java_expr(value, None)};"
        return f"{jtype} {name} = {values.java_expr(value, jtype)};"

    @classmethod
    def inspect(cls, parameters_cell) -> list:
        """The parameters cell's declarations, for papermill --help-notebook (name, type, default, help)."""
        source = _cell_source(parameters_cell)
        _last_inspected.source = source
        try:
            decls = declarations.parse(source)
        except Exception:  # papermill's contract: ignore what cannot be read
            return []
        return [Parameter(name=d.name, inferred_type_name=d.type or "None",
                          default=d.default if d.default is not None else "none", help=d.help) for d in decls]

    # papermill's Translator interface has these too; codify is the one papermill calls
    @classmethod
    def translate(cls, val: Any) -> str:
        return values.java_expr(val, None)

    @classmethod
    def assign(cls, name: str, str_val: str) -> str:
        return f"var {name} = {str_val};"


KERNEL_NAMES = ("ferry", "ferry-jdk25", "java")


def register(translators=None) -> None:
    """Registers the translator with papermill for Ferry's kernel names and the `java` language."""
    if translators is None:
        from papermill.translators import papermill_translators as translators
    for name in KERNEL_NAMES:
        translators.register(name, JavaTranslator)
