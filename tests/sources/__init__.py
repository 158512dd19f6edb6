"""Tests of one source each live in ``tests/sources/<source>/``, named like the source's folders elsewhere.

Generic tests (faults, the CLI, the marts week, end to end) take what they need to know about a source from
small modules beside its tests, found by the source's name: ``tests/sources/<source>/api.py`` (how to call
its sandbox API), ``marts.py`` (its share of the raw week the marts are checked on) and ``e2e.py`` (how its
published marts are compared with its truth).
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType


def source_module(source: str, module: str) -> ModuleType | None:
    """``tests.sources.<source>.<module>``, or None when the source has no such module."""
    name = f"{__name__}.{source}.{module}"
    try:
        found = importlib.util.find_spec(name)
    except ModuleNotFoundError:  # no tests/sources/<source>/ package at all
        return None
    return importlib.import_module(name) if found is not None else None


def sources_with(module: str, names: list[str]) -> list[str]:
    """Those of ``names`` whose test folder has ``module``."""
    return [name for name in names if source_module(name, module) is not None]
