"""Fixtures of the Instagram tests: the sandbox's Instagram world, and connections with small media pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.instagram.helpers import PAGE_SIZE, SOURCE


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every connection pointed at the sandbox; Instagram's with small media pages, so a month spans several."""
    set_connections(monkeypatch, sb, extra={SOURCE: {"page_size": PAGE_SIZE}})
    return sb


@pytest.fixture(scope="session")
def ig(world: Any) -> Any:
    """The sandbox world's Instagram part (``sandbox.instagram.world.InstagramWorld``)."""
    return world.part(SOURCE)
