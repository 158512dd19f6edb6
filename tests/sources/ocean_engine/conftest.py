"""Fixtures of the Ocean Engine tests: the sandbox's Ocean Engine world, and connections that carry an
authorization of their own, a token store of their own and small pages.

An authorization per test matters here: each refresh rotates the refresh token and kills the one used, so a
test that refreshed the session's authorization would leave every later test with a dead refresh token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.ocean_engine.api import authorize
from tests.sources.ocean_engine.helpers import PAGE_SIZE, SOURCE


@pytest.fixture
def authorization(sb: Any) -> dict[str, Any]:
    """A fresh token pair from the sandbox's consent step (the auth-code exchange), issued at the session's now."""
    pair = authorize(sb.url(SOURCE))
    sb.reset_requests(SOURCE)
    return pair


@pytest.fixture
def token_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The pipeline's token store folder for this test only ($MW_TOKEN_DIR)."""
    folder = tmp_path / "tokens"
    monkeypatch.setenv("MW_TOKEN_DIR", str(folder))
    return folder


@pytest.fixture
def connections(sb: Any, authorization: dict[str, Any], token_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every connection pointed at the sandbox; Ocean Engine's with this test's authorization and small pages,
    so one week spans several pages."""
    set_connections(
        monkeypatch,
        sb,
        extra={SOURCE: {"page_size": PAGE_SIZE, "refresh_token": authorization["refresh_token"]}},
        password={SOURCE: authorization["access_token"]},
    )
    return sb


@pytest.fixture(scope="session")
def ocean(world: Any) -> Any:
    """The sandbox world's Ocean Engine part (``sandbox.ocean_engine.world.OceanEngineWorld``)."""
    return world.part(SOURCE)
