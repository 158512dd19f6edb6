"""The simulated shop: deterministic, shaped like the brand's year, and internally consistent."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sandbox.shopify import truth
from sandbox.shopify.world import ShopWorld
from sandbox.world import World

AS_OF = date(2026, 11, 23)
REPO = Path(__file__).resolve().parents[3]
DIGEST_SCRIPT = """
import hashlib, json
from datetime import date
from sandbox.world import World
orders = World(seed=42).part("shopify").orders_created_on(date(2026, 11, 11), date(2026, 11, 23))
print(hashlib.sha256(json.dumps(orders, sort_keys=True).encode()).hexdigest())
"""


def test_same_seed_gives_the_same_world_in_two_instances() -> None:
    first, second = World(seed=42).part("shopify"), World(seed=42).part("shopify")
    assert first.orders_created_on(date(2026, 11, 11), AS_OF) == second.orders_created_on(date(2026, 11, 11), AS_OF)
    start, end = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)
    assert first.orders_updated_between(start, end, AS_OF) == second.orders_updated_between(start, end, AS_OF)


def test_same_seed_gives_the_same_world_in_another_process() -> None:
    # A different hash seed in the child proves no value depends on Python's salted hash().
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    child = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    orders = World(seed=42).part("shopify").orders_created_on(date(2026, 11, 11), AS_OF)
    here = hashlib.sha256(json.dumps(orders, sort_keys=True).encode()).hexdigest()
    assert child.stdout.strip() == here


def test_another_seed_gives_another_world() -> None:
    day = date(2026, 11, 1)
    assert World(seed=42).part("shopify").orders_created_on(day, AS_OF) != World(seed=7).part(
        "shopify"
    ).orders_created_on(day, AS_OF)


def test_pinned_values_for_seed_42(shop: ShopWorld) -> None:
    """A few exact numbers, so an accidental change to the world shows up here first."""
    assert truth.orders_by_day(shop, date(2026, 11, 11), date(2026, 11, 11), AS_OF) == {
        date(2026, 11, 11): (390, Decimal("141650.00"))
    }
    first = shop.orders_created_on(date(2026, 11, 1), AS_OF)[0]
    assert (first["id"], first["name"], first["created_at"]) == (5000000093149, "#93149", "2026-11-01T00:08:06+08:00")


def test_scale_multiplies_the_orders() -> None:
    small, large = World(seed=42, scale=1).part("shopify"), World(seed=42, scale=10).part("shopify")
    day = date(2026, 11, 11)
    assert len(large.orders_created_on(day, AS_OF)) > 8 * len(small.orders_created_on(day, AS_OF))


def test_promotions_lift_orders(shop: ShopWorld) -> None:
    orders = truth.orders_by_day(shop, date(2026, 5, 20), date(2026, 11, 22), AS_OF)
    assert orders[date(2026, 11, 11)][0] > 3 * orders[date(2026, 10, 15)][0]
    assert orders[date(2026, 6, 18)][0] > 2 * orders[date(2026, 6, 1)][0]
    assert orders[date(2026, 11, 12)][0] < orders[date(2026, 11, 11)][0] / 2  # the day after the peak


def test_only_orders_placed_before_as_of_exist(shop: ShopWorld) -> None:
    as_of = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
    today = shop.orders_created_on(date(2026, 11, 23), as_of)
    assert today and all(o["created_at"] < "2026-11-23T12:00:00+08:00" for o in today)


def test_orders_are_consistent(shop: ShopWorld) -> None:
    orders = shop.orders_created_on(date(2026, 11, 10), AS_OF)
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


def test_an_order_changes_after_it_is_placed(shop: ShopWorld) -> None:
    order = next(o for o in shop.orders_on(date(2026, 11, 1)) if o.refund_at is not None)
    placed, fulfilled, refunded = order.created_at, order.fulfilled_at, order.refund_at
    assert refunded is not None
    assert placed + timedelta(days=1) <= fulfilled <= placed + timedelta(days=3)
    assert placed + timedelta(days=2) <= refunded <= placed + timedelta(days=21)

    def version(as_of: datetime) -> dict:
        return next(o for o in shop.orders_created_on(date(2026, 11, 1), as_of) if o["id"] == order.id)

    fresh = version(placed + timedelta(seconds=1))
    assert (fresh["financial_status"], fresh["fulfillment_status"], fresh["refunds"]) == ("paid", None, [])
    assert fresh["updated_at"] == fresh["created_at"]
    shipped = version(fulfilled + timedelta(seconds=1))
    assert shipped["fulfillment_status"] == "fulfilled" and shipped["updated_at"] > fresh["updated_at"]
    assert version(refunded)["refunds"] == []  # an event exists only strictly before as_of
    settled = version(refunded + timedelta(seconds=1))
    assert settled["financial_status"] in ("refunded", "partially_refunded")
    assert settled["updated_at"] == settled["refunds"][0]["created_at"] > shipped["updated_at"]
    assert all(o["id"] != order.id for o in shop.orders_created_on(date(2026, 11, 1), placed))


def _utm(order: dict) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(order["landing_site"]).query).items()}


def test_a_social_visitor_lands_from_a_recent_post_or_the_account_page(world: World) -> None:
    shop, wechat = world.part("shopify"), world.part("wechat_oa")
    (account,) = wechat.accounts
    orders = [o for day in (10, 11, 12) for o in shop.orders_created_on(date(2026, 11, day), AS_OF)]
    linked = [(o, _utm(o)) for o in orders if _utm(o).get("utm_source") == "wechat"]
    assert len(linked) > 20
    to_posts = 0
    for order, utm in linked:
        created = datetime.fromisoformat(order["created_at"])
        recent = {post.id for post in wechat.visible_posts(account.id, created, 14)}
        assert utm["utm_content"] in recent | {account.id}, order["landing_site"]
        to_posts += utm["utm_content"] in recent
    # About three in four come through an article, the rest through the account's menu.
    assert 0.6 < to_posts / len(linked) < 0.9
    paid = [_utm(o) for o in orders if _utm(o).get("utm_source") in {"facebook", "google", "email"}]
    assert paid and not any("utm_content" in utm for utm in paid)


def test_a_xiaohongshu_visitor_lands_from_a_creator_note_a_brand_note_or_the_account(world: World) -> None:
    shop, xhs = world.part("shopify"), world.part("xiaohongshu")
    (account,) = xhs.content.accounts
    orders = [o for day in range(1, 15) for o in shop.orders_created_on(date(2026, 11, day), AS_OF)]
    linked = [_utm(o) for o in orders if _utm(o).get("utm_source") == "xiaohongshu"]
    assert len(linked) > 20
    by_creator = 0
    for order in orders:
        utm = _utm(order)
        if utm.get("utm_source") != "xiaohongshu":
            continue
        created = datetime.fromisoformat(order["created_at"])
        if utm["utm_medium"] == "creator":
            recent = {c.id for c in xhs.collaborations_between(created - timedelta(days=14), created)}
            assert utm["utm_content"] in recent, order["landing_site"]
            by_creator += 1
        else:
            notes = {post.id for post in xhs.content.visible_posts(account.id, created, 14)}
            assert utm["utm_content"] in notes | {account.id}, order["landing_site"]
    # About 45 in 100 come through a creator's note (when one went out in the two weeks before).
    assert 0.3 < by_creator / len(linked) < 0.6
