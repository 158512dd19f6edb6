"""One sandbox (both platform servers) for the whole extractor suite, plus connections pointing at it.

Connections are set through the same ``AIRFLOW_CONN_*`` env vars a deployment would use, so the code
under test resolves credentials exactly as it does in Airflow.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.extractors.helpers import AS_OF, set_connections


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    from sandbox import Sandbox

    sb = Sandbox(seed=42, scale=1.0, as_of=AS_OF)
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def sb(sandbox: Any) -> Iterator[Any]:
    """The shared sandbox with a clean request log, and no fault left armed by a failing test."""
    for server in ("meta", "shopify"):
        sandbox.reset_requests(server)
    yield sandbox
    for server in ("meta", "shopify"):
        # Sandbox has no public "clear faults"; a test that fails early must not leave faults armed
        # for the next one, so drop them through the server's queue.
        sandbox._server(server).faults.clear()


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Connections with small pages, so a one-week window already spans several pages."""
    set_connections(monkeypatch, sb, meta_page_size=50, shopify_page_size=100)
    return sb


@pytest.fixture
def landing_root(tmp_path: Path) -> Path:
    root = tmp_path / "landing"
    root.mkdir()
    return root
