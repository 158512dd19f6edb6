"""dbt build on a real DuckDB file whose raw tables hold hand-made API records (tests/dbt/raw_fixtures.py).

Every expected number below is worked out by hand from those records; USD amounts use the sample rate of
the FX seed for that day. dbt takes several seconds to start, so the project is built once for the whole
module and a second time only to show that an unknown currency stops the build.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from tests.dbt import raw_fixtures as raw
from tests.dbt.helpers import one, rows
from warehouse.dbt_build import DbtBuildFailed, DbtBuildResult, run_dbt_build
from warehouse.settings import DBT_PROJECT_DIR

CENT = Decimal("0.0001")


def usd_rate(day: date) -> Decimal:
    with (DBT_PROJECT_DIR / "seeds" / "fx_rates_daily.csv").open() as f:
        for row in csv.DictReader(f):
            if row["rate_date"] == day.isoformat() and row["currency"] == "USD":
                return Decimal(row["rate_to_reporting"])
    raise AssertionError(f"no USD rate for {day} in the seed")


def to_cny(amount: str, rate: Decimal) -> Decimal:
    return (Decimal(amount) * rate).quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, DbtBuildResult]]:
    folder = tmp_path_factory.mktemp("dbt_build")
    warehouse = folder / "warehouse.duckdb"
    raw.build_raw_warehouse(warehouse)
    result = run_dbt_build(warehouse, artifacts_dir=folder / "dbt")
    yield warehouse, result


def test_build_runs_seeds_models_tests_and_unit_tests(built: tuple[Path, DbtBuildResult]) -> None:
    _, result = built
    assert result.node_counts["seed"] == len(list((DBT_PROJECT_DIR / "seeds").glob("*.csv")))
    assert result.node_counts["model"] == len(list((DBT_PROJECT_DIR / "models").rglob("*.sql")))
    assert result.node_counts["unit_test"] >= 10
    assert result.node_counts["test"] >= 50
    assert set(result.status_counts) <= {"success", "pass"}, result.status_counts
    assert result.seconds > 0
    assert result.run_results_path.exists()


def test_schemas_are_plain_names(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    tables = {
        (r["table_schema"], r["table_name"])
        for r in rows(warehouse, "select table_schema, table_name from information_schema.tables")
    }
    for mart in ("ad_performance_daily", "ad_spend_daily", "orders", "sales_daily"):
        assert ("marts", mart) in tables
    assert ("staging", "stg_meta__ad_insights") in tables
    assert ("intermediate", "int_shopify__orders_latest") in tables
    assert not any(schema.startswith("main_") for schema, _ in tables)


def test_ad_performance_daily_converts_spend_and_reads_conversions(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    a1 = one(
        warehouse,
        "select * from marts.ad_performance_daily where ad_id = 'a1' and date_day = date '2026-11-01'",
    )
    assert a1["platform"] == "meta"
    assert a1["account_id"] == "act_1001"
    assert a1["account_currency"] == "CNY"
    assert a1["fx_rate"] == Decimal("1")
    assert a1["spend"] == a1["spend_native"] == Decimal("100.00")
    assert a1["impressions"] == 10000
    assert a1["clicks"] == 300  # inline_link_clicks, not the 350 "clicks"
    assert a1["platform_conversions"] == Decimal("4")
    assert a1["platform_conversion_value"] == Decimal("812.50")
    assert a1["ctr"] == pytest.approx(300 / 10000)
    assert a1["cpc"] == pytest.approx(100 / 300)
    assert a1["cpm"] == pytest.approx(100 / 10000 * 1000)
    assert a1["cvr"] == pytest.approx(4 / 300)
    assert a1["cpa"] == pytest.approx(25.0)
    assert a1["platform_roas"] == pytest.approx(8.125)

    rate = usd_rate(date(2026, 11, 1))
    b1 = one(warehouse, "select * from marts.ad_performance_daily where ad_id = 'b1'")
    assert b1["account_currency"] == "USD"
    assert b1["fx_rate"] == rate
    assert b1["spend_native"] == Decimal("20.00")
    assert b1["spend"] == to_cny("20.00", rate)
    assert b1["platform_conversion_value_native"] == Decimal("50.00")
    assert b1["platform_conversion_value"] == to_cny("50.00", rate)
    assert b1["cpc"] == pytest.approx(float(to_cny("20.00", rate)) / 80)

    # No delivery: every ratio is null, not 0 and not an error.
    b2 = one(warehouse, "select * from marts.ad_performance_daily where ad_id = 'b2'")
    assert b2["spend"] == Decimal("0")
    assert [b2[k] for k in ("ctr", "cpc", "cpm", "cvr", "cpa", "platform_roas")] == [None] * 6

    # a2 has no actions / action_values at all: 0 conversions, so CPA is null and ROAS 0.
    a2 = one(warehouse, "select * from marts.ad_performance_daily where ad_id = 'a2'")
    assert a2["platform_conversions"] == Decimal("0")
    assert a2["cpa"] is None
    assert a2["platform_roas"] == 0


def test_ad_spend_daily_ratios_are_ratios_of_sums(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    day = one(
        warehouse,
        "select * from marts.ad_spend_daily where account_id = 'act_1001' and date_day = date '2026-11-01'",
    )
    assert day["ads_delivering"] == 2
    assert day["spend"] == Decimal("150.00")
    assert day["impressions"] == 15000
    assert day["clicks"] == 350
    # (300 + 50) / (10000 + 5000), where the mean of the two ads' CTRs would be 0.02.
    assert day["ctr"] == pytest.approx(350 / 15000)
    assert day["ctr"] != pytest.approx(0.02)
    assert day["cpc"] == pytest.approx(150 / 350)
    assert day["cpm"] == pytest.approx(10.0)
    assert day["cvr"] == pytest.approx(4 / 350)
    assert day["cpa"] == pytest.approx(37.5)
    assert day["platform_roas"] == pytest.approx(812.5 / 150)

    usd = one(warehouse, "select * from marts.ad_spend_daily where account_id = 'act_2002'")
    rate = usd_rate(date(2026, 11, 1))
    assert usd["spend_native"] == Decimal("20.00")
    assert usd["spend"] == to_cny("20.00", rate)
    assert usd["ctr"] == pytest.approx(80 / 4000)

    per_day = rows(warehouse, "select account_id, date_day, spend_native from marts.ad_spend_daily order by all")
    assert [(r["account_id"], r["date_day"], r["spend_native"]) for r in per_day] == [
        ("act_1001", date(2026, 11, 1), Decimal("150.00")),
        ("act_1001", date(2026, 11, 2), Decimal("80.00")),
        ("act_2002", date(2026, 11, 1), Decimal("20.00")),
    ]


def test_channel_marts_add_up_the_platforms_under_their_mapped_channel(built: tuple[Path, DbtBuildResult]) -> None:
    """Both Meta accounts on 11-01 (CNY 150.00 and USD 20.00) are one "Meta Ads" channel-day in CNY."""
    warehouse, _ = built
    rate = usd_rate(date(2026, 11, 1))
    day = one(warehouse, "select * from marts.channel_performance_daily where date_day = date '2026-11-01'")
    assert (day["channel"], day["channel_group"], day["platforms"], day["accounts"]) == (
        "Meta Ads",
        "paid social",
        1,
        2,
    )
    assert day["spend"] == Decimal("150.00") + to_cny("20.00", rate)
    assert day["impressions"] == 15000 + 4000
    assert day["clicks"] == 350 + 80
    assert day["ctr"] == pytest.approx(430 / 19000)
    campaigns = rows(
        warehouse, "select channel, account_id, spend_native from marts.campaign_performance_daily order by all"
    )
    assert {r["channel"] for r in campaigns} == {"Meta Ads"}
    assert sum(r["spend_native"] for r in campaigns if r["account_id"] == "act_1001") == Decimal("230.00")


# DESIGN's ratio metrics as (numerator, denominator): each must be a ratio of summed measures, so any grain
# a BI tool asks the semantic layer for divides sums, never averages row ratios.
RATIO_METRICS = {
    "ctr": ("clicks", "impressions"),
    "cpc": ("spend", "clicks"),
    "cvr": ("platform_conversions", "clicks"),
    "cpa": ("spend", "platform_conversions"),
    "platform_roas": ("platform_conversion_value", "spend"),
    "mer": ("first_party_net_sales", "blended_spend"),
    "engagement_rate": ("post_engagements", "post_views"),
    "viral_ratio": ("viral_posts", "posts_published"),
}


def test_semantic_layer_defines_every_ratio_as_a_ratio_of_sums(built: tuple[Path, DbtBuildResult]) -> None:
    _, result = built
    manifest = json.loads((result.run_results_path.parent / "semantic_manifest.json").read_text())
    metrics = {metric["name"]: metric for metric in manifest["metrics"]}
    measures = {m["name"]: m for model in manifest["semantic_models"] for m in model["measures"]}
    simple = {name: m["type_params"]["measure"]["name"] for name, m in metrics.items() if m["type"] == "simple"}
    for name, (numerator, denominator) in RATIO_METRICS.items():
        params = metrics[name]["type_params"]
        assert metrics[name]["type"] == "ratio"
        assert (params["numerator"]["name"], params["denominator"]["name"]) == (numerator, denominator)
        for part in (numerator, denominator):
            assert measures[simple[part]]["agg"] == "sum", f"{name}: {part} is not a sum"
    cpm = metrics["cpm"]["type_params"]
    assert cpm["expr"] == "spend * 1000 / nullif(impressions, 0)"
    assert {m["name"] for m in cpm["metrics"]} == {"spend", "impressions"}


def test_orders_latest_version_refunds_and_new_customers(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    orders = {r["order_id"]: r for r in rows(warehouse, "select * from marts.orders")}
    assert set(orders) == {raw.ORDER_1, raw.ORDER_2, raw.ORDER_3, raw.ORDER_4}

    first = orders[raw.ORDER_1]
    # The later of two versions: refunded 199 (the failed 199 attempt does not count) and fulfilled.
    assert first["financial_status"] == "partially_refunded"
    assert first["fulfillment_status"] == "fulfilled"
    assert first["gmv"] == Decimal("408.00")  # 398 line items + 10 shipping
    assert first["discounts"] == Decimal("40.00")
    assert first["refunds"] == Decimal("199.00")
    assert first["net_sales"] == Decimal("169.00")  # 408 - 40 - 199
    assert first["net_sales_native"] == Decimal("169.00")
    assert first["order_date"] == date(2026, 11, 1)
    assert first["is_new_customer"] is True
    assert (first["utm_source"], first["utm_medium"], first["utm_campaign"]) == (
        "facebook",
        "paid_social",
        "double11",
    )
    assert first["customer_email_sha256"] == f"sha256-of-c{raw.CUSTOMER_A}"

    # Customer A's second order is returning.
    assert orders[raw.ORDER_2]["is_new_customer"] is False
    assert orders[raw.ORDER_2]["customer_order_sequence"] == 2

    # Same updated_at landed twice: the later load ("paid") wins over the earlier ("pending").
    assert orders[raw.ORDER_3]["financial_status"] == "paid"
    assert orders[raw.ORDER_3]["net_sales"] == Decimal("180.00")

    # 00:30 in Shanghai is 16:30 UTC the day before: the order belongs to the shop's Nov 2.
    guest = orders[raw.ORDER_4]
    assert guest["order_date"] == date(2026, 11, 2)
    assert guest["customer_id"] is None
    assert guest["is_new_customer"] is True
    assert guest["gmv"] == Decimal("67.90")
    assert guest["utm_campaign"] == "spring sale"
    assert guest["utm_medium"] is None


def test_sales_daily(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    days = {r["order_date"]: r for r in rows(warehouse, "select * from marts.sales_daily")}
    assert set(days) == {date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)}

    nov1 = days[date(2026, 11, 1)]  # orders 1 and 3: customers A and B, both new
    assert (nov1["orders"], nov1["customers"], nov1["new_customers"], nov1["returning_customers"]) == (2, 2, 2, 0)
    assert nov1["gmv"] == Decimal("608.00")
    assert nov1["discounts"] == Decimal("60.00")
    assert nov1["refunds"] == Decimal("199.00")
    assert nov1["net_sales"] == Decimal("349.00")
    assert nov1["aov"] == pytest.approx(304.0)

    nov3 = days[date(2026, 11, 3)]  # customer A again
    assert (nov3["orders"], nov3["new_customers"], nov3["returning_customers"]) == (1, 0, 1)
    assert nov3["gmv"] == Decimal("100.00")


def test_unknown_currency_fails_the_build_naming_it(built: tuple[Path, DbtBuildResult], tmp_path: Path) -> None:
    warehouse, _ = built
    broken = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, broken)
    con = duckdb.connect(str(broken))
    try:
        raw.insert_meta(
            con, "act_3003", raw.meta_record("act_3003", "XYZ", "x1", "2026-11-01", "10.00", "100", "2", "1")
        )
    finally:
        con.close()

    with pytest.raises(DbtBuildFailed) as caught:
        run_dbt_build(broken, vars={"reporting_currency": "CNY"}, artifacts_dir=tmp_path / "dbt")

    message = str(caught.value)
    assert "fx_rate_is_known_int_ad_insights_in_reporting_currency" in message
    assert "no FX rate to CNY for currency XYZ on 2026-11-01" in message
    [failure] = caught.value.failures
    assert failure.resource_type == "test"
    assert failure.status == "fail"
    assert failure.failures == 1
    assert failure.sample_rows[0]["currency"] == "XYZ"
    # The marts downstream of the failed test were skipped, not built with a null or zero rate.
    assert "skipped" in message
