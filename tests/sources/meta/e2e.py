"""What the end-to-end run (tests/test_end_to_end.py) checks of Meta: spend in the published ad marts equals
the truth, and a negative spend fails the run naming its rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sandbox.meta import truth


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    """Spend per (account, local day) in marts.ad_performance_daily equals the world's, for the whole load."""
    expected_spend = truth.spend_by_account_day(
        world.part("meta"), window_start, as_of.date() - timedelta(days=1), as_of
    )
    got_spend = {
        (account, day): amount
        for account, day, amount in con.execute(
            "select account_id, date_day, sum(spend_native) from marts.ad_performance_daily group by all"
        ).fetchall()
    }
    assert len(expected_spend) >= 2 * initial_days - 2
    assert got_spend == expected_spend


def spoil(sb: Any) -> tuple[str, ...]:
    """Make the next run's data break a raw rule (one negative spend); returns what its log must say."""
    sb.inject("meta", "negative_spend", times=1)
    return (
        "rule=expect_column_values_to_be_between(column=spend, min_value=0",
        "source=meta stream=ads_insights",
        "partition=account=act_",
    )
