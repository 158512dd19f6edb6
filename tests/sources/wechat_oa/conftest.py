"""Fixtures of the WeChat Official Account tests: the sandbox's WeChat world and server, connections to it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.wechat_oa.helpers import SOURCE


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    set_connections(monkeypatch, sb)
    return sb


@pytest.fixture
def server(sb: Any) -> Any:
    """The WeChat sandbox server, its token test hooks reset after the test."""
    platform = sb.server(SOURCE)
    yield platform
    platform.expire_tokens_after = None


@pytest.fixture(scope="session")
def wechat(world: Any) -> Any:
    """The sandbox world's WeChat part (``sandbox.wechat_oa.world.WeChatOAWorld``)."""
    return world.part(SOURCE)
