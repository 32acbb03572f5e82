"""papermill support for Java notebooks on the Ferry kernel (see docs/papermill.md)."""
from .translator import JavaTranslator, register  # noqa: F401

__version__ = "0.1.0"
