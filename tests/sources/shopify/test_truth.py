"""Shopify's ground truth equals what the orders API serves, summed the way the marts will sum it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sandbox import Sandbox
from sandbox.shopify import truth
from sandbox.shopify.world import ShopWorld
from tests.sources.shopify.api import fetch_orders

AS_OF = date(2026, 11, 23)


def test_orders_by_day_truth_equals_the_api_grouped_by_local_day(sb: Sandbox, shop: ShopWorld) -> None:
    since, until = date(2026, 11, 15), date(2026, 11, 22)
    # Every order placed since the 15th was updated at or after its creation, so this catches them all.
    orders, _ = fetch_orders(
        sb,
        {"status": "any", "limit": 250, "updated_at_min": "2026-11-15T00:00:00+08:00",
         "fields": "id,created_at,total_line_items_price,total_shipping_price_set"},
    )  # fmt: skip
    summed: dict[date, tuple[int, Decimal]] = {}
    for order in orders:
        day = date.fromisoformat(order["created_at"][:10])  # local shop date: timestamps carry +08:00
        if since <= day <= until:
            gmv = Decimal(order["total_line_items_price"])
            gmv += Decimal(order["total_shipping_price_set"]["shop_money"]["amount"])
            count, total = summed.get(day, (0, Decimal("0.00")))
            summed[day] = (count + 1, total + gmv)
    expected = truth.orders_by_day(shop, since, until, AS_OF)
    assert summed == expected
    assert sorted(expected) == [date(2026, 11, d) for d in range(15, 23)]
    assert sum(count for count, _ in expected.values()) == 639


def test_orders_updated_between_truth_is_bounded_and_sorted(shop: ShopWorld) -> None:
    start, end = datetime(2026, 11, 21, tzinfo=UTC), datetime(2026, 11, 21, 23, 59, 59, tzinfo=UTC)
    orders = truth.orders_updated_between(shop, start, end, AS_OF)
    assert orders
    stamps = [datetime.fromisoformat(o["updated_at"]) for o in orders]
    assert all(start <= s <= end for s in stamps)
    assert [(s, o["id"]) for s, o in zip(stamps, orders, strict=True)] == sorted(
        (s, o["id"]) for s, o in zip(stamps, orders, strict=True)
    )
