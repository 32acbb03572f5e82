"""papermill's entry point into papermill-ferry.

papermill has no entry-point group for translators, but it loads its `papermill.engine` group every time it
is imported (papermill/engines.py). Loading this module registers the Java translator; the engine it
exposes, `--engine ferry`, is papermill's own nbclient engine under another name (the default engine works
just as well: the translator is what Java notebooks need).
"""
from papermill.engines import NBClientEngine

from .translator import register

register()


class FerryEngine(NBClientEngine):
    """papermill's nbclient engine (`papermill --engine ferry` is the same as the default)."""
