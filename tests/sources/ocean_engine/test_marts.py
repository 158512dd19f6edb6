"""The ad marts against Ocean Engine's ground truth for one week of the simulated report (tests/dbt/week.py):
cost, conversions and pay amount per advertiser and Beijing day, the currency from the advertisers' settings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sandbox.ocean_engine import truth
from sandbox.ocean_engine.world import OceanEngineWorld
from tests.dbt.helpers import rows
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL
from tests.sources.ocean_engine.helpers import ADVERTISERS


def test_cost_per_advertiser_and_day_matches_truth(ocean: OceanEngineWorld, marts_week: Path) -> None:
    expected = truth.spend_by_advertiser_day(ocean, SINCE, UNTIL, SECOND_LOAD)
    found = rows(
        marts_week,
        "select account_id, date_day, account_currency, fx_rate, spend, spend_native from marts.ad_spend_daily "
        "where platform = 'ocean_engine'",
    )
    assert {(r["account_id"], r["date_day"]): r["spend_native"] for r in found} == expected
    assert {r["account_id"] for r in found} == set(ADVERTISERS) and len(found) == 14
    # Rows carry no currency: CNY comes from the advertisers' settings, and CNY is the reporting currency.
    assert {(r["account_currency"], r["fx_rate"]) for r in found} == {("CNY", Decimal("1"))}
    assert all(r["spend"] == r["spend_native"] for r in found)


def test_conversions_and_pay_amount_match_truth(ocean: OceanEngineWorld, marts_week: Path) -> None:
    expected = {
        key: (Decimal(count), value)
        for key, (count, value) in truth.conversions_by_advertiser_day(ocean, SINCE, UNTIL, SECOND_LOAD).items()
    }
    found = rows(
        marts_week,
        "select account_id, date_day, platform_conversions, platform_conversion_value_native "
        "from marts.ad_spend_daily where platform = 'ocean_engine'",
    )
    actual = {
        (r["account_id"], r["date_day"]): (r["platform_conversions"], r["platform_conversion_value_native"])
        for r in found
    }
    assert actual == expected
    assert sum(count for count, _ in actual.values()) > 0


def test_promotions_are_ads_of_projects_with_no_middle_level(ocean: OceanEngineWorld, marts_week: Path) -> None:
    found = rows(
        marts_week,
        "select campaign_id, adset_id, adset_name, ad_id, clicks, all_clicks, account_timezone "
        "from marts.ad_performance_daily where platform = 'ocean_engine'",
    )
    assert found and all(r["adset_id"] is None and r["adset_name"] is None for r in found)
    assert all(r["clicks"] == r["all_clicks"] and r["account_timezone"] == "Asia/Shanghai" for r in found)
    projects = {c.id for a in ocean.accounts for c in ocean.campaigns(a.id)}
    assert {r["campaign_id"] for r in found} <= projects
    assert all(len(r["ad_id"]) == 19 for r in found)  # the ids reached the marts as the exact strings
