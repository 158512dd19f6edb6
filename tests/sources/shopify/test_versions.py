"""Admin API versions as Shopify serves them: a stable version inside its twelve-month window is served as
asked; an expired one is answered as the oldest supported version, the header says so, and the extractor
still lands every order but warns once, naming both versions."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests

from extractors.catalog import get_source
from extractors.run import extract_partition
from extractors.streams import Window
from sandbox.shopify.server import supported_versions
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.shopify.api import ORDERS_QUERY, SHOPIFY_HEADERS, TIMEOUT, orders_url
from tests.sources.shopify.helpers import SHOP, shopify_truth

WINDOW = Window(date(2026, 11, 20), date(2026, 11, 21))


def served(sb: Any, version: str) -> str:
    response = requests.get(orders_url(sb.url("shopify"), version), params=ORDERS_QUERY, headers=SHOPIFY_HEADERS,
                            timeout=TIMEOUT)  # fmt: skip
    assert response.status_code == 200
    return response.headers["X-Shopify-API-Version"]


def test_versions_are_served_for_twelve_months_then_answered_as_the_oldest_supported(sb: Any) -> None:
    assert supported_versions(date(2026, 11, 23)) == ["2026-01", "2026-04", "2026-07", "2026-10"]
    assert get_source("shopify").api_version in supported_versions(date(2026, 11, 23))
    assert served(sb, "2026-10") == "2026-10"
    assert served(sb, "2025-01") == "2026-01"
    sb.set_as_of(date(2027, 1, 15))
    assert served(sb, "2026-01") == "2026-04"


def test_an_expired_version_still_lands_every_order_and_warns_once(
    sb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    set_connections(monkeypatch, sb, extra={"shopify": {"shop": SHOP, "api_version": "2025-01", "page_size": 50}})
    with caplog.at_level(logging.WARNING, logger="extractors"):
        landed = read_landed(extract_partition("shopify", "orders", SHOP, WINDOW, "r1", tmp_path, retry=FAST_RETRY))
    assert {order["id"] for order in landed.records} == {order["id"] for order in shopify_truth(sb, WINDOW)}
    assert len(sb.data_requests("shopify")) > 1
    warnings = [r.getMessage() for r in caplog.records if "Shopify served" in r.getMessage()]
    assert warnings == [
        f"shopify/orders account={SHOP} window=[2026-11-20, 2026-11-21): asked for Admin API version 2025-01, "
        "Shopify served 2026-01 (the one asked for is out of support); set extra.api_version on connection "
        "'shopify' to a supported version"
    ]


def test_the_declared_version_is_served_without_a_warning(
    sb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    set_connections(monkeypatch, sb, extra={"shopify": {"shop": SHOP}})
    with caplog.at_level(logging.WARNING, logger="extractors"):
        extract_partition("shopify", "orders", SHOP, WINDOW, "r1", tmp_path, retry=FAST_RETRY)
    assert all(f"/admin/api/{get_source('shopify').api_version}/" in p for _, p, _ in sb.data_requests("shopify")[:1])
    assert "Shopify served" not in caplog.text
