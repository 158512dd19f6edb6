"""Shopify's share of the marts week (tests/dbt/week.py): orders updated before the first load's as_of land in
run 1, orders updated afterwards in run 2, so an order touched in both has two versions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from extractors.pii import hash_order_pii
from sandbox.shopify import truth
from sandbox.shopify.world import shop_day_bounds
from tests.dbt import raw_fixtures as raw
from tests.dbt.week import FIRST_LOAD, SECOND_LOAD, SINCE
from tests.helpers import TEST_PII_SECRET


def week_orders(shop: Any) -> list[dict[str, Any]]:
    """The latest version of every order the week's loads landed (what marts.orders holds), API-shaped."""
    week_start, _ = shop_day_bounds(SINCE)
    return truth.orders_updated_between(shop, week_start, SECOND_LOAD - timedelta(seconds=1), SECOND_LOAD)


def land_week(con: Any, world: Any) -> None:
    shop = world.part("shopify")
    week_start, _ = shop_day_bounds(SINCE)
    loads = [
        ("run-1", week_start, FIRST_LOAD),
        ("run-2", FIRST_LOAD, SECOND_LOAD),
    ]
    for run_id, start, as_of in loads:
        for order in truth.orders_updated_between(shop, start, as_of - timedelta(seconds=1), as_of):
            raw.insert_order(
                con,
                hash_order_pii(order, secret=TEST_PII_SECRET),
                run_id,
                loaded_at=as_of,
                window=(start.date(), as_of.date()),
            )
        raw.cover(con, "shopify", "orders", raw.SHOP, (start.date(), as_of.date()), run_id)
    raw.set_account_settings(con, "shopify", raw.SHOP, shop.timezone, shop.currency)
