"""Ground truth equals what the APIs serve, summed the way the marts will sum it."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

from sandbox import Sandbox, truth
from sandbox.world import World

from .helpers import fetch_meta, fetch_orders

AS_OF = date(2026, 11, 23)


def test_meta_spend_truth_equals_the_sum_of_api_rows(sb: Sandbox, world: World) -> None:
    since, until = date(2026, 10, 25), date(2026, 11, 22)
    summed: dict[tuple[str, date], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for account in ("act_1001", "act_2002"):
        rows, _ = fetch_meta(sb, account, since, until, limit=500, fields="spend")
        for row in rows:
            summed[(account, date.fromisoformat(row["date_start"]))] += Decimal(row["spend"])
    expected = truth.meta_spend_by_account_day(world, since, until, AS_OF)
    assert dict(summed) == expected
    assert len(expected) == 2 * 29
    assert expected[("act_1001", date(2026, 11, 11))] == Decimal("15662.48")


def test_orders_by_day_truth_equals_the_api_grouped_by_local_day(sb: Sandbox, world: World) -> None:
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
    expected = truth.orders_by_day(world, since, until, AS_OF)
    assert summed == expected
    assert sorted(expected) == [date(2026, 11, d) for d in range(15, 23)]
    assert sum(count for count, _ in expected.values()) == 639


def test_orders_updated_between_truth_is_bounded_and_sorted(world: World) -> None:
    start, end = datetime(2026, 11, 21, tzinfo=UTC), datetime(2026, 11, 21, 23, 59, 59, tzinfo=UTC)
    orders = truth.orders_updated_between(world, start, end, AS_OF)
    assert orders
    stamps = [datetime.fromisoformat(o["updated_at"]) for o in orders]
    assert all(start <= s <= end for s in stamps)
    assert [(s, o["id"]) for s, o in zip(stamps, orders, strict=True)] == sorted(
        (s, o["id"]) for s, o in zip(stamps, orders, strict=True)
    )
