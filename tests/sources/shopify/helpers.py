"""Shopify constants and helpers shared by the tests in this folder (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from extractors.streams import Window
from tests.landing_helpers import land_records

# The shop the tests' connection names (the sandbox serves any shop name).
SHOP = "demo-shop"
PAGE_SIZE = 100  # the `connections` fixture's page size


def order(order_id: int, created_at: str, updated_at: str, **fields: Any) -> dict[str, Any]:
    """An order with every field the declaration requires (money, currency, lists), for hand-made landings."""
    return {
        "id": order_id,
        "created_at": created_at,
        "updated_at": updated_at,
        "currency": "CNY",
        "financial_status": "paid",
        "total_line_items_price": "100.00",
        "total_discounts": "0.00",
        "total_price": "110.00",
        "total_shipping_price_set": {"shop_money": {"amount": "10.00", "currency_code": "CNY"}},
        "line_items": [],
        "refunds": [],
        **fields,
    }


def land_orders(root: Path, account: str, start: date, end: date, run_id: str, orders: list[dict]) -> Path:
    return land_records(root, "shopify", "orders", account, start, end, run_id, orders)


def shopify_truth(sb: Any, window: Window) -> list[dict[str, Any]]:
    """Orders updated since the window's start (00:00Z), up to the sandbox's now, as the API shapes them."""
    from sandbox.shopify import truth

    start = datetime.combine(window.start, time(0), tzinfo=UTC)
    return truth.orders_updated_between(sb.world.part("shopify"), start, sb.as_of - timedelta(seconds=1), sb.as_of)
