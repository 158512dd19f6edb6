"""Fixtures of the Bilibili tests: the sandbox's Bilibili world, and connections with small pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.bilibili.helpers import PAGE_SIZE, SOURCE


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch, var_dir: Any) -> Any:
    """Every connection pointed at the sandbox; Bilibili's with small pages, and a token store of this test's own."""
    set_connections(monkeypatch, sb, extra={SOURCE: {"page_size": PAGE_SIZE}})
    return sb


@pytest.fixture(scope="session")
def bilibili(world: Any) -> Any:
    """The sandbox world's Bilibili part (``sandbox.bilibili.world.BilibiliWorld``)."""
    return world.part(SOURCE)
