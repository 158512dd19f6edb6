"""The marts against the sandbox's ground truth for one week of simulated data.

A week of Meta insights (both accounts, CNY and USD) and of Shopify orders is written straight into raw,
bypassing HTTP and the loader, the way two daily loads would leave it: orders updated before the first
load's as_of land in run 1, orders updated afterwards in run 2, so an order touched in both (fulfilled,
refunded) has two versions and the marts must show the later one. Then one dbt build, and every daily
total is compared with sandbox.truth.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from extractors.pii import hash_order_pii
from sandbox import truth
from sandbox.world import World, shop_day_bounds
from tests.dbt import raw_fixtures as raw
from tests.dbt.helpers import rows
from warehouse.dbt_build import run_dbt_build

SINCE = date(2026, 11, 15)
UNTIL = date(2026, 11, 21)
FIRST_LOAD = datetime(2026, 11, 19, tzinfo=UTC)
SECOND_LOAD = datetime(2026, 11, 23, tzinfo=UTC)


@pytest.fixture(scope="module")
def world() -> World:
    return World(seed=42, scale=1.0)


@pytest.fixture(scope="module")
def warehouse(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("dbt_sandbox")
    path = folder / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        raw.create_raw_tables(con)
        for account in world.accounts:
            for record in truth.meta_rows(world, account.id, SINCE, UNTIL, SECOND_LOAD):
                raw.insert_meta(
                    con,
                    account.id,
                    record,
                    run_id="run-2",
                    loaded_at=SECOND_LOAD,
                    window=(SINCE, UNTIL + timedelta(days=1)),
                )
        week_start, _ = shop_day_bounds(SINCE)
        loads = [
            ("run-1", week_start, FIRST_LOAD),
            ("run-2", FIRST_LOAD, SECOND_LOAD),
        ]
        for run_id, start, as_of in loads:
            for order in truth.orders_updated_between(world, start, as_of - timedelta(seconds=1), as_of):
                raw.insert_order(
                    con,
                    hash_order_pii(order),
                    run_id,
                    loaded_at=as_of,
                    window=(start.date(), as_of.date()),
                )
    finally:
        con.close()
    run_dbt_build(path, artifacts_dir=folder / "dbt")
    yield path


def test_the_week_has_restated_orders(warehouse: Path) -> None:
    [(versions, orders)] = [
        tuple(r.values())
        for r in rows(
            warehouse,
            "select count(*), count(distinct order_id) from raw.shopify__orders",
        )
    ]
    assert versions > orders > 0  # some orders have two versions, so the dedup is exercised


def test_ad_spend_matches_truth(world: World, warehouse: Path) -> None:
    expected = truth.meta_spend_by_account_day(world, SINCE, UNTIL, SECOND_LOAD)
    actual = {
        (r["account_id"], r["date_day"]): r["spend_native"]
        for r in rows(warehouse, "select account_id, date_day, spend_native from marts.ad_spend_daily")
    }
    assert actual == expected
    assert {account for account, _ in actual} == {"act_1001", "act_2002"}

    # USD spend is converted at each day's rate; CNY spend is unchanged.
    converted = rows(
        warehouse,
        "select account_currency, fx_rate, spend, spend_native from marts.ad_spend_daily",
    )
    for row in converted:
        if row["account_currency"] == "CNY":
            assert row["spend"] == row["spend_native"]
        else:
            assert row["account_currency"] == "USD"
            assert Decimal("7.0") < row["fx_rate"] < Decimal("7.4")
            assert abs(row["spend"] - row["spend_native"] * row["fx_rate"]) < Decimal("0.01")


def test_platform_conversions_match_truth(world: World, warehouse: Path) -> None:
    expected: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for account in world.accounts:
        for record in truth.meta_rows(world, account.id, SINCE, UNTIL, SECOND_LOAD):
            key = (account.id, date.fromisoformat(record["date_start"]))
            expected[key] += sum(
                (Decimal(a["value"]) for a in record.get("actions", []) if a["action_type"] == "purchase"),
                Decimal(0),
            )
    actual = {
        (r["account_id"], r["date_day"]): r["platform_conversions"]
        for r in rows(warehouse, "select account_id, date_day, platform_conversions from marts.ad_spend_daily")
    }
    assert actual == dict(expected)
    assert sum(actual.values()) > 0


def test_orders_and_gmv_per_day_match_truth(world: World, warehouse: Path) -> None:
    expected = truth.orders_by_day(world, SINCE, UNTIL, SECOND_LOAD)
    actual = {
        r["order_date"]: (r["orders"], r["gmv"])
        for r in rows(
            warehouse,
            f"select order_date, orders, gmv from marts.sales_daily "
            f"where order_date between date '{SINCE}' and date '{UNTIL}'",
        )
    }
    assert actual == expected


def test_orders_show_the_latest_version_with_its_refunds(world: World, warehouse: Path) -> None:
    week_start, _ = shop_day_bounds(SINCE)
    latest = {
        o["id"]: o
        for o in truth.orders_updated_between(world, week_start, SECOND_LOAD - timedelta(seconds=1), SECOND_LOAD)
    }
    mart = {r["order_id"]: r for r in rows(warehouse, "select * from marts.orders")}
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
