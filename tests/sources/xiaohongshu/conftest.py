"""Fixtures of the Xiaohongshu tests: the sandbox's Xiaohongshu world, and connections that carry authorizations of
their own (one 聚光, one 蒲公英), a token store of their own and small pages.

An authorization per test keeps the tests apart: every refresh rotates the refresh token and kills the old one, so a
test that refreshes must work on its own pair, never on the one the session's connection and the generic tests use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.xiaohongshu.api import SOURCE, authorize
from tests.sources.xiaohongshu.helpers import PAGE_SIZE


@pytest.fixture
def authorization(sb: Any) -> dict[str, Any]:
    """A fresh 聚光 token pair from the sandbox's consent step, issued at the session's now."""
    pair = authorize(sb.url(SOURCE), "jg")
    sb.reset_requests(SOURCE)
    return pair


@pytest.fixture
def pgy_authorization(sb: Any) -> dict[str, Any]:
    """A fresh 蒲公英 token pair, likewise."""
    pair = authorize(sb.url(SOURCE), "pgy")
    sb.reset_requests(SOURCE)
    return pair


@pytest.fixture
def token_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The pipeline's token store folder for this test only ($MW_TOKEN_DIR)."""
    folder = tmp_path / "tokens"
    monkeypatch.setenv("MW_TOKEN_DIR", str(folder))
    return folder


@pytest.fixture
def connections(
    sb: Any,
    authorization: dict[str, Any],
    pgy_authorization: dict[str, Any],
    token_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """Every connection pointed at the sandbox; Xiaohongshu's with this test's authorizations and pages of
    PAGE_SIZE."""
    extra = {
        "page_size": PAGE_SIZE,
        "refresh_token": authorization["refresh_token"],
        "pgy_refresh_token": pgy_authorization["refresh_token"],
        "pgy_access_token": pgy_authorization["access_token"],
    }
    set_connections(monkeypatch, sb, extra={SOURCE: extra}, password={SOURCE: authorization["access_token"]})
    return sb


@pytest.fixture(scope="session")
def xhs(world: Any) -> Any:
    """The sandbox world's Xiaohongshu part (``sandbox.xiaohongshu.world.XiaohongshuWorld``)."""
    return world.part(SOURCE)
