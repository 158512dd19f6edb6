"""What the end-to-end run (tests/test_end_to_end.py) checks of Meta: spend in the published ad marts equals
the truth, and a negative spend fails the run naming its rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.helpers import Delivered, spend_by_account_day


def delivered(world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> list[Delivered]:
    """Every ad-day of the load that the run publishes: only days over in the account's own zone at the run's
    interval end (act_2002, in Los Angeles, is still on the day before as_of, so it ends two days before)."""
    meta = world.part("meta")
    found = []
    for account in meta.accounts:
        local_today = as_of.astimezone(ZoneInfo(account.timezone)).date()
        for entry in meta.insight_entries(account.id, window_start, as_of.date() - timedelta(days=1), as_of):
            if entry.day < local_today:
                found.append(
                    Delivered(
                        account.id, account.currency, entry.day, entry.spend, entry.impressions,
                        entry.inline_link_clicks,
                    )
                )  # fmt: skip
    return found


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    """Spend per (account, local day) in marts.ad_performance_daily equals the world's, for the whole load."""
    expected_spend = spend_by_account_day(
        delivered(world, window_start=window_start, as_of=as_of, initial_days=initial_days)
    )
    got_spend = {
        (account, day): amount
        for account, day, amount in con.execute(
            "select account_id, date_day, sum(spend_native) from marts.ad_performance_daily "
            "where platform = 'meta' group by all"
        ).fetchall()
    }
    assert len(expected_spend) >= 2 * initial_days - 3
    assert max(day for account, day in expected_spend if account == "act_2002") == as_of.date() - timedelta(days=2)
    assert got_spend == expected_spend


def spoil(sb: Any) -> tuple[str, ...]:
    """Make the next run's data break a raw rule (one negative spend); returns what its log must say."""
    sb.inject("meta", "negative_spend", times=1)
    return (
        "rule=expect_column_values_to_be_between(column=spend, min_value=0",
        "source=meta stream=ads_insights",
        "partition=account=act_",
    )
