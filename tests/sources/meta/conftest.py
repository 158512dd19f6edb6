"""Fixtures of the Meta tests: the sandbox's Meta world, and connections with small pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.meta.helpers import PAGE_SIZE


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every connection pointed at the sandbox; Meta's with small pages, so one week spans several pages."""
    set_connections(monkeypatch, sb, extra={"meta": {"page_size": PAGE_SIZE}})
    return sb


@pytest.fixture(scope="session")
def meta(world: Any) -> Any:
    """The sandbox world's Meta part (``sandbox.meta.world.MetaWorld``)."""
    return world.part("meta")
