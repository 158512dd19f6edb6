"""The order marts against Shopify's ground truth for one week of simulated orders (tests/dbt/week.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sandbox.shopify import truth
from sandbox.shopify.world import ShopWorld
from tests.dbt.helpers import rows
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL
from tests.sources.shopify.marts import week_orders


def test_the_week_has_restated_orders(marts_week: Path) -> None:
    [(versions, orders)] = [
        tuple(r.values())
        for r in rows(
            marts_week,
            "select count(*), count(distinct order_id) from raw.shopify__orders",
        )
    ]
    assert versions > orders > 0  # some orders have two versions, so the dedup is exercised


def test_orders_and_gmv_per_day_match_truth(shop: ShopWorld, marts_week: Path) -> None:
    expected = truth.orders_by_day(shop, SINCE, UNTIL, SECOND_LOAD)
    actual = {
        r["order_date"]: (r["orders"], r["gmv"])
        for r in rows(
            marts_week,
            f"select order_date, orders, gmv from marts.sales_daily "
            f"where order_date between date '{SINCE}' and date '{UNTIL}'",
        )
    }
    assert actual == expected


def test_orders_show_the_latest_version_with_its_refunds(shop: ShopWorld, marts_week: Path) -> None:
    latest = {o["id"]: o for o in week_orders(shop)}
    mart = {r["order_id"]: r for r in rows(marts_week, "select * from marts.orders")}
    assert set(mart) == set(latest)
    refunded = 0
    for order_id, order in latest.items():
        row = mart[order_id]
        assert row["financial_status"] == order["financial_status"]
        assert row["updated_at"] == datetime.fromisoformat(order["updated_at"])
        refunds = sum(
            (
                Decimal(t["amount"])
                for refund in order["refunds"]
                for t in refund["transactions"]
                if t["kind"] == "refund" and t["status"] == "success"
            ),
            Decimal(0),
        )
        refunded += refunds > 0
        gmv = Decimal(order["total_line_items_price"]) + Decimal(
            order["total_shipping_price_set"]["shop_money"]["amount"]
        )
        assert row["refunds_native"] == refunds
        assert row["gmv_native"] == gmv
        assert row["net_sales_native"] == gmv - Decimal(order["total_discounts"]) - refunds
    assert refunded > 0
