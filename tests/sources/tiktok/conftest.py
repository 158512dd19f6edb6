"""Fixtures of the TikTok tests: the sandbox's TikTok world, and connections with small pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.tiktok.helpers import PAGE_SIZE, SOURCE


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every connection pointed at the sandbox; TikTok's with small pages, so one week spans several pages."""
    set_connections(monkeypatch, sb, extra={SOURCE: {"page_size": PAGE_SIZE}})
    return sb


@pytest.fixture(scope="session")
def tiktok(world: Any) -> Any:
    """The sandbox world's TikTok part (``sandbox.tiktok.world.TikTokWorld``)."""
    return world.part(SOURCE)
