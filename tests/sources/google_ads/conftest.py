"""Fixtures of the Google Ads tests: the sandbox's Google world, connections, and small stream batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.google_ads.helpers import server

SMALL_BATCH = 40  # rows per searchStream batch in the `connections` fixture: a week spans several batches


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Every connection pointed at the sandbox; Google's server answers in batches of SMALL_BATCH rows."""
    set_connections(monkeypatch, sb)
    google = server(sb)
    before = google.batch_rows
    google.batch_rows = SMALL_BATCH
    try:
        yield sb
    finally:
        google.batch_rows = before


@pytest.fixture(scope="session")
def google(world: Any) -> Any:
    """The sandbox world's Google Ads part (``sandbox.google_ads.world.GoogleAdsWorld``)."""
    return world.part("google_ads")
