"""Fixtures of the Shopify tests: the sandbox's shop, and connections with small pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import set_connections
from tests.sources.shopify.helpers import PAGE_SIZE, SHOP


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every connection pointed at the sandbox; Shopify's for SHOP, with pages small enough that three days
    span several."""
    set_connections(monkeypatch, sb, extra={"shopify": {"shop": SHOP, "page_size": PAGE_SIZE}})
    return sb


@pytest.fixture(scope="session")
def shop(world: Any) -> Any:
    """The sandbox world's shop (``sandbox.shopify.world.ShopWorld``)."""
    return world.part("shopify")
