"""What the end-to-end run (tests/test_end_to_end.py) checks of Meta: spend in the published ad marts equals
the truth, and a negative spend fails the run naming its rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.meta import truth


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    """Spend per (account, local day) in marts.ad_performance_daily equals the world's, for the whole load."""
    meta = world.part("meta")
    expected_spend = {
        (account, day): spend
        for (account, day), spend in truth.spend_by_account_day(
            meta, window_start, as_of.date() - timedelta(days=1), as_of
        ).items()
        # Only days over in the account's own zone at the run's interval end: act_2002 (Los Angeles) is
        # still on the day before as_of, so its last published day is two days before as_of.
        if day < as_of.astimezone(ZoneInfo(meta.account(account).timezone)).date()
    }
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
