"""The simulated world itself: deterministic, shaped like the brand's year, and internally consistent."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sandbox import truth
from sandbox.meta_world import purchase_fraction
from sandbox.world import World

AS_OF = date(2026, 11, 23)
REPO = Path(__file__).resolve().parents[2]
DIGEST_SCRIPT = """
import hashlib, json
from datetime import date
from sandbox.world import World
w = World(seed=42)
rows = w.meta_insights("act_2002", date(2026, 11, 1), date(2026, 11, 7), date(2026, 11, 23))
orders = w.orders_created_on(date(2026, 11, 11), date(2026, 11, 23))
print(hashlib.sha256(json.dumps([rows, orders], sort_keys=True).encode()).hexdigest())
"""


def _purchases(rows: list[dict]) -> tuple[int, Decimal]:
    count = sum(int(a["value"]) for r in rows for a in r.get("actions", []) if a["action_type"] == "purchase")
    value = sum((Decimal(a["value"]) for r in rows for a in r.get("action_values", [])), Decimal("0.00"))
    return count, value


def test_same_seed_gives_the_same_world_in_two_instances() -> None:
    first, second = World(seed=42), World(seed=42)
    for account in ("act_1001", "act_2002"):
        assert first.meta_insights(account, date(2026, 11, 1), date(2026, 11, 7), AS_OF) == second.meta_insights(
            account, date(2026, 11, 1), date(2026, 11, 7), AS_OF
        )
    assert first.orders_created_on(date(2026, 11, 11), AS_OF) == second.orders_created_on(date(2026, 11, 11), AS_OF)
    start, end = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)
    assert first.orders_updated_between(start, end, AS_OF) == second.orders_updated_between(start, end, AS_OF)


def test_same_seed_gives_the_same_world_in_another_process() -> None:
    # A different hash seed in the child proves no value depends on Python's salted hash().
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    child = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    w = World(seed=42)
    rows = w.meta_insights("act_2002", date(2026, 11, 1), date(2026, 11, 7), AS_OF)
    orders = w.orders_created_on(date(2026, 11, 11), AS_OF)
    here = hashlib.sha256(json.dumps([rows, orders], sort_keys=True).encode()).hexdigest()
    assert child.stdout.strip() == here


def test_another_seed_gives_another_world() -> None:
    day = date(2026, 11, 1)
    assert World(seed=42).meta_insights("act_1001", day, day, AS_OF) != World(seed=7).meta_insights(
        "act_1001", day, day, AS_OF
    )


def test_pinned_values_for_seed_42(world: World) -> None:
    """A few exact numbers, so an accidental change to the world shows up here first."""
    spend = truth.meta_spend_by_account_day(world, date(2026, 11, 1), date(2026, 11, 1), AS_OF)
    assert spend == {("act_1001", date(2026, 11, 1)): Decimal("9524.16"),
                     ("act_2002", date(2026, 11, 1)): Decimal("1966.78")}  # fmt: skip
    assert truth.orders_by_day(world, date(2026, 11, 11), date(2026, 11, 11), AS_OF) == {
        date(2026, 11, 11): (390, Decimal("141650.00"))
    }
    first = world.orders_created_on(date(2026, 11, 1), AS_OF)[0]
    assert (first["id"], first["name"], first["created_at"]) == (5000000093149, "#93149", "2026-11-01T00:08:06+08:00")


def test_structure_and_scale() -> None:
    small, large = World(seed=42, scale=1), World(seed=42, scale=10)
    for account in ("act_1001", "act_2002"):
        assert len(small.meta.campaigns(account)) == 4
        assert len(small.meta.ads(account)) == 4 * 3 * 4
        assert len(large.meta.campaigns(account)) == 40
        assert len(large.meta.ads(account)) == 480
    small_ids = [ad.id for a in ("act_1001", "act_2002") for ad in small.meta.ads(a)]
    large_ids = [ad.id for a in ("act_1001", "act_2002") for ad in large.meta.ads(a)]
    assert all(i.isdigit() for i in large_ids)
    assert len(set(small_ids)) == 96 and len(set(large_ids)) == 960
    assert set(small_ids) <= set(large_ids)  # scaling up adds campaigns, it does not reshuffle the first
    names = {c.name for c in small.meta.campaigns("act_1001")}
    assert {"Double11 Prospecting", "618 Retargeting"} <= names
    assert small.meta.account("act_1001").currency == "CNY"
    assert small.meta.account("2002").timezone == "America/Los_Angeles"
    day = date(2026, 11, 11)
    assert len(large.orders_created_on(day, AS_OF)) > 8 * len(small.orders_created_on(day, AS_OF))


def test_meta_rows_are_consistent(world: World) -> None:
    rows = world.meta_insights("act_1001", date(2026, 10, 1), date(2026, 11, 22), AS_OF)
    assert rows
    for row in rows:
        assert int(row["inline_link_clicks"]) <= int(row["clicks"]) <= int(row["impressions"])
        assert Decimal(row["spend"]) > 0 and Decimal(row["spend"]).as_tuple().exponent == -2
        assert row["date_start"] == row["date_stop"]
        assert row["account_id"] == "1001" and row["account_currency"] == "CNY"
    keys = [(r["date_start"], r["ad_id"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_not_every_ad_delivers_every_day(world: World) -> None:
    november = world.meta_insights("act_1001", date(2026, 11, 1), date(2026, 11, 22), AS_OF)
    june = world.meta_insights("act_1001", date(2026, 6, 1), date(2026, 6, 18), AS_OF)
    per_day: dict[str, int] = {}
    for row in november:
        per_day[row["date_start"]] = per_day.get(row["date_start"], 0) + 1
    assert max(per_day.values()) < 48  # pauses and flights keep some ads dark
    assert not any(r["campaign_name"] == "618 Retargeting" for r in november)
    assert any(r["campaign_name"] == "618 Retargeting" for r in june)
    assert not any(r["campaign_name"] == "Double11 Prospecting" for r in june)


def test_promotions_lift_orders_and_spend(world: World) -> None:
    orders = truth.orders_by_day(world, date(2026, 5, 20), date(2026, 11, 22), AS_OF)
    assert orders[date(2026, 11, 11)][0] > 3 * orders[date(2026, 10, 15)][0]
    assert orders[date(2026, 6, 18)][0] > 2 * orders[date(2026, 6, 1)][0]
    assert orders[date(2026, 11, 12)][0] < orders[date(2026, 11, 11)][0] / 2  # the day after the peak
    spend = truth.meta_spend_by_account_day(world, date(2026, 10, 15), date(2026, 11, 11), AS_OF)
    assert spend[("act_1001", date(2026, 11, 11))] > 2 * spend[("act_1001", date(2026, 10, 15))]


def test_purchases_restate_and_settle_after_28_days(world: World) -> None:
    fractions = [purchase_fraction(lag) for lag in range(1, 40)]
    assert fractions == sorted(fractions) and fractions[0] < 0.7 and fractions[27:] == [1.0] * 12
    day = date(2026, 11, 1)
    reported = {a: world.meta_insights("act_1001", day, day, a) for a in
                (date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 29), date(2027, 1, 31))}  # fmt: skip
    purchases = [_purchases(rows) for rows in reported.values()]
    assert purchases[0][0] < purchases[1][0] < purchases[2][0] == purchases[3][0]
    assert purchases[0][1] < purchases[1][1] < purchases[2][1] == purchases[3][1]
    spends = {tuple(r["spend"] for r in rows) for rows in reported.values()}
    assert len(spends) == 1  # spend never restates


def test_only_days_before_as_of_exist(world: World) -> None:
    rows = world.meta_insights("act_2002", date(2026, 11, 20), date(2026, 11, 30), AS_OF)
    assert {r["date_start"] for r in rows} == {"2026-11-20", "2026-11-21", "2026-11-22"}
    as_of = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
    today = world.orders_created_on(date(2026, 11, 23), as_of)
    assert today and all(o["created_at"] < "2026-11-23T12:00:00+08:00" for o in today)


def test_orders_are_consistent(world: World) -> None:
    orders = world.orders_created_on(date(2026, 11, 10), AS_OF)
    assert len({o["id"] for o in orders}) == len(orders)
    for order in orders:
        items = sum(Decimal(li["price"]) * li["quantity"] for li in order["line_items"])
        shipping = Decimal(order["total_shipping_price_set"]["shop_money"]["amount"])
        assert Decimal(order["total_line_items_price"]) == items
        assert Decimal(order["total_price"]) == items - Decimal(order["total_discounts"]) + shipping
        assert Decimal(order["subtotal_price"]) == items - Decimal(order["total_discounts"])
        assert 1 <= len(order["line_items"]) <= 3
        assert order["taxes_included"] is True and order["currency"] == "CNY"
        assert order["created_at"].endswith("+08:00") and order["updated_at"] >= order["created_at"]
        assert order["email"] == order["customer"]["email"]
        assert order["email"].startswith("c") and order["email"].endswith("@example.com")
        assert order["phone"].startswith("+86138")
        assert order["customer"]["created_at"] <= order["created_at"]
    with_codes = [o for o in orders if o["discount_codes"]]
    assert len(with_codes) > len(orders) / 2 and {o["discount_codes"][0]["code"] for o in with_codes} >= {"DOUBLE11"}
    sources = {
        o["landing_site"].split("utm_source=")[1].split("&")[0] for o in orders if "utm_source" in o["landing_site"]
    }
    assert {"facebook", "google", "douyin"} <= sources
    assert any("utm_" not in o["landing_site"] for o in orders)  # organic and direct visits


def test_an_order_changes_after_it_is_placed(world: World) -> None:
    order = next(o for o in world.shop.orders_on(date(2026, 11, 1)) if o.refund_at is not None)
    placed, fulfilled, refunded = order.created_at, order.fulfilled_at, order.refund_at
    assert refunded is not None
    assert placed + timedelta(days=1) <= fulfilled <= placed + timedelta(days=3)
    assert placed + timedelta(days=2) <= refunded <= placed + timedelta(days=21)

    def version(as_of: datetime) -> dict:
        return next(o for o in world.orders_created_on(date(2026, 11, 1), as_of) if o["id"] == order.id)

    fresh = version(placed + timedelta(seconds=1))
    assert (fresh["financial_status"], fresh["fulfillment_status"], fresh["refunds"]) == ("paid", None, [])
    assert fresh["updated_at"] == fresh["created_at"]
    shipped = version(fulfilled + timedelta(seconds=1))
    assert shipped["fulfillment_status"] == "fulfilled" and shipped["updated_at"] > fresh["updated_at"]
    assert version(refunded)["refunds"] == []  # an event exists only strictly before as_of
    settled = version(refunded + timedelta(seconds=1))
    assert settled["financial_status"] in ("refunded", "partially_refunded")
    assert settled["updated_at"] == settled["refunds"][0]["created_at"] > shipped["updated_at"]
    assert all(o["id"] != order.id for o in world.orders_created_on(date(2026, 11, 1), placed))
