"""One brand's simulated marketing world: one part per source, built from the same seed and scale.

Each source's sandbox package (``sandbox/<source>/world.py``) builds its part with ``build(world)``; parts are
made on first use, so a test of one platform never pays for the others, and a part may ask the world for
another (the shop's orders will come from the ad platforms' clicks). Everything is a pure function of (seed,
scale, the dates asked for, as_of): two ``World`` objects with the same seed and scale, in any process,
answer every question identically. ``as_of`` stands for "now" in the world; a ``date`` means midnight UTC.
"""

from __future__ import annotations

import importlib
import threading
from datetime import date, datetime
from typing import Any

from sandbox.formats import as_utc


class World:
    """The parts of the world by source name, each built once."""

    def __init__(self, seed: int = 42, scale: float = 1.0) -> None:
        if scale <= 0:
            raise ValueError(f"scale must be positive, got {scale}")
        self.seed = seed
        self.scale = scale
        self._parts: dict[str, Any] = {}
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"World(seed={self.seed}, scale={self.scale})"

    def part(self, source: str) -> Any:
        """The part of the world a source's API serves, from ``sandbox.<source>.world.build``."""
        with self._lock:
            if source not in self._parts:
                self._parts[source] = importlib.import_module(f"sandbox.{source}.world").build(self)
            return self._parts[source]


def as_of_moment(as_of: date | datetime) -> datetime:
    """The world's "now" as an aware UTC datetime (a date means its midnight UTC)."""
    return as_utc(as_of)
