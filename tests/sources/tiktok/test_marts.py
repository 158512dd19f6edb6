"""The ad marts against TikTok's ground truth for one week of the simulated report (tests/dbt/week.py): the
staging model and the union carry TikTok's rows into the common shape, money converted, levels and days kept."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sandbox.tiktok import truth
from sandbox.tiktok.world import TikTokWorld
from tests.dbt.helpers import rows
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL
from tests.sources.tiktok.helpers import CROSS_BORDER, US

MART = "marts.ad_performance_daily"


def test_spend_per_advertiser_and_local_day_matches_truth(tiktok: TikTokWorld, marts_week: Path) -> None:
    expected = truth.spend_by_advertiser_day(tiktok, SINCE, UNTIL, SECOND_LOAD)
    actual = {
        (r["account_id"], r["date_day"]): r["spend"]
        for r in rows(
            marts_week,
            f"select account_id, date_day, sum(spend_native) as spend from {MART} where platform = 'tiktok' "
            "group by account_id, date_day",
        )
    }
    assert actual == expected
    assert {advertiser for advertiser, _ in actual} == {US, CROSS_BORDER} and len(actual) == 14


def test_complete_payments_and_their_value_match_truth(tiktok: TikTokWorld, marts_week: Path) -> None:
    expected = {
        key: (Decimal(count), value)
        for key, (count, value) in truth.purchases_by_advertiser_day(tiktok, SINCE, UNTIL, SECOND_LOAD).items()
    }
    actual = {
        (r["account_id"], r["date_day"]): (r["conversions"], r["value"])
        for r in rows(
            marts_week,
            f"select account_id, date_day, sum(platform_conversions) as conversions, "
            f"sum(platform_conversion_value_native) as value from {MART} where platform = 'tiktok' "
            "group by account_id, date_day",
        )
    }
    assert actual == expected
    assert sum(count for count, _ in actual.values()) > 0


def test_currency_and_zone_come_from_the_advertisers_settings_and_usd_is_converted(marts_week: Path) -> None:
    found = rows(
        marts_week,
        f"select account_id, account_currency, account_timezone, fx_rate, spend, spend_native, adset_id, clicks, "
        f"all_clicks from {MART} where platform = 'tiktok'",
    )
    zones = {US: "America/Los_Angeles", CROSS_BORDER: "Asia/Shanghai"}
    assert found
    for row in found:
        assert (row["account_currency"], row["account_timezone"]) == ("USD", zones[row["account_id"]])
        assert Decimal("7.0") < row["fx_rate"] < Decimal("7.4")
        assert abs(row["spend"] - row["spend_native"] * row["fx_rate"]) < Decimal("0.01")
        assert row["adset_id"].startswith("1782") and row["clicks"] == row["all_clicks"]
