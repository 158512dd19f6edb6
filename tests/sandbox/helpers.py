"""Small HTTP clients that follow each platform's paging to the end, for tests to compare with truth."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import requests

from sandbox import Sandbox
from sandbox.credentials import META_ACCESS_TOKEN, SHOPIFY_ACCESS_TOKEN

SHOPIFY_HEADERS = {"X-Shopify-Access-Token": SHOPIFY_ACCESS_TOKEN}
TIMEOUT = 10


def meta_params(since: date, until: date, **extra: Any) -> dict[str, Any]:
    return {
        "access_token": META_ACCESS_TOKEN,
        "level": "ad",
        "time_increment": "1",
        "time_range": json.dumps({"since": since.isoformat(), "until": until.isoformat()}),
        **extra,
    }


def meta_url(sb: Sandbox, account: str = "act_1001", version: str = "v21.0") -> str:
    return f"{sb.meta_url}/{version}/{account}/insights"


def fetch_meta(sb: Sandbox, account: str, since: date, until: date, **extra: Any) -> tuple[list[dict], int]:
    """All rows by following paging.next; returns (rows, pages)."""
    response = requests.get(meta_url(sb, account), params=meta_params(since, until, **extra), timeout=TIMEOUT)
    rows, pages = [], 0
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        rows.extend(body["data"])
        pages += 1
        next_url = body.get("paging", {}).get("next")
        if not next_url:
            return rows, pages
        response = requests.get(next_url, timeout=TIMEOUT)


def shopify_url(sb: Sandbox, version: str = "2024-10") -> str:
    return f"{sb.shopify_url}/admin/api/{version}/orders.json"


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
