"""The ad marts against Meta's ground truth for one week of simulated insights (tests/dbt/week.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from sandbox.meta import truth
from sandbox.meta.world import MetaWorld
from tests.dbt.helpers import rows
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL


def test_ad_spend_matches_truth(meta: MetaWorld, marts_week: Path) -> None:
    expected = truth.spend_by_account_day(meta, SINCE, UNTIL, SECOND_LOAD)
    actual = {
        (r["account_id"], r["date_day"]): r["spend_native"]
        for r in rows(
            marts_week, "select account_id, date_day, spend_native from marts.ad_spend_daily where platform = 'meta'"
        )
    }
    assert actual == expected
    assert {account for account, _ in actual} == {"act_1001", "act_2002"}

    # USD spend is converted at each day's rate; CNY spend is unchanged.
    converted = rows(
        marts_week,
        "select account_currency, fx_rate, spend, spend_native from marts.ad_spend_daily where platform = 'meta'",
    )
    for row in converted:
        if row["account_currency"] == "CNY":
            assert row["spend"] == row["spend_native"]
        else:
            assert row["account_currency"] == "USD"
            assert Decimal("7.0") < row["fx_rate"] < Decimal("7.4")
            assert abs(row["spend"] - row["spend_native"] * row["fx_rate"]) < Decimal("0.01")


def test_platform_conversions_match_truth(meta: MetaWorld, marts_week: Path) -> None:
    expected: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for account in meta.accounts:
        for record in truth.insight_rows(meta, account.id, SINCE, UNTIL, SECOND_LOAD):
            key = (account.id, date.fromisoformat(record["date_start"]))
            expected[key] += sum(
                (Decimal(a["value"]) for a in record.get("actions", []) if a["action_type"] == "purchase"),
                Decimal(0),
            )
    actual = {
        (r["account_id"], r["date_day"]): r["platform_conversions"]
        for r in rows(
            marts_week,
            "select account_id, date_day, platform_conversions from marts.ad_spend_daily where platform = 'meta'",
        )
    }
    assert actual == dict(expected)
    assert sum(actual.values()) > 0
