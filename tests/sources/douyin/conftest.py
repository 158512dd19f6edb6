"""Fixtures of the Douyin tests: the sandbox's Douyin world, and connections that carry an authorization of their
own, a token store of their own and small pages.

An authorization per test keeps the tests apart: a test that refreshes (or moves the clock past a token's life)
works on its own token pair, never on the one the session's connection and the generic tests use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.douyin.api import SOURCE, authorize
from tests.sources.douyin.helpers import COUNT


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
    """Every connection pointed at the sandbox; Douyin's with this test's authorization and pages of COUNT."""
    set_connections(
        monkeypatch,
        sb,
        extra={SOURCE: {"count": COUNT, "refresh_token": authorization["refresh_token"]}},
        password={SOURCE: authorization["access_token"]},
    )
    return sb


@pytest.fixture(scope="session")
def douyin(world: Any) -> Any:
    """The sandbox world's Douyin part (``sandbox.douyin.world.DouyinWorld``)."""
    return world.part(SOURCE)
