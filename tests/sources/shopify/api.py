"""Calling the Shopify orders sandbox over HTTP: a small client that follows Link rel="next" to the end, and
the one standard request the generic sandbox tests (faults, the CLI) make of every server."""

from __future__ import annotations

from typing import Any

import requests

from sandbox import Sandbox
from sandbox.shopify.server import ACCESS_TOKEN

SHOPIFY_HEADERS = {"X-Shopify-Access-Token": ACCESS_TOKEN}
TIMEOUT = 10
# The standard request: five orders updated since the start of 2026-11-20 in the shop's time zone.
ORDERS_QUERY: dict[str, str | int] = {"status": "any", "limit": 5, "updated_at_min": "2026-11-20T00:00:00+08:00"}
RECORDS_KEY = "orders"
SERVER_ERROR_STATUS = 503


def shopify_url(sb: Sandbox, version: str = "2024-10") -> str:
    return orders_url(sb.url("shopify"), version)


def orders_url(base_url: str, version: str = "2026-10") -> str:
    return f"{base_url}/admin/api/{version}/orders.json"


def fetch_orders(sb: Sandbox, params: dict[str, Any]) -> tuple[list[dict], int]:
    """All orders by following Link rel="next"; returns (orders, pages)."""
    response = requests.get(shopify_url(sb), params=params, headers=SHOPIFY_HEADERS, timeout=TIMEOUT)
    orders, pages = [], 0
    while True:
        assert response.status_code == 200, response.text
        orders.extend(response.json()["orders"])
        pages += 1
        if "next" not in response.links:
            return orders, pages
        response = requests.get(response.links["next"]["url"], headers=SHOPIFY_HEADERS, timeout=TIMEOUT)


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: one page of five orders."""
    return requests.get(shopify_url(sb), params=ORDERS_QUERY, headers=SHOPIFY_HEADERS, timeout=timeout)


def probe(base_url: str) -> None:
    """One authenticated request to a server started elsewhere (``python -m sandbox serve``) is served."""
    query: dict[str, str | int] = {"status": "any", "limit": 1, "created_at_min": "2026-11-22T00:00:00+08:00"}
    response = requests.get(orders_url(base_url, "2026-10"), params=query, headers=SHOPIFY_HEADERS, timeout=TIMEOUT)
    assert response.status_code == 200 and len(response.json()["orders"]) == 1
