"""What the end-to-end run (tests/test_end_to_end.py) checks of Ocean Engine: cost in the published ad marts
equals the truth for every Beijing day complete at the run's interval end, and a negative cost fails the run
naming its rule."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from extractors.ocean_engine.source import SOURCE
from extractors.readiness import last_complete_day, zone
from tests.helpers import Delivered, spend_by_account_day


def delivered(world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> list[Delivered]:
    """Every promotion-day of the load that the run publishes: the Beijing days settled at the interval's end
    (06:00 Beijing the next morning; at 00:00 UTC it is 08:00 there), as the report holds them then."""
    ocean = world.part("ocean_engine")
    last = _last_published_day(as_of)
    return [
        Delivered(advertiser.id, advertiser.currency, r.entry.day, r.cost, r.shows, r.clicks)
        for advertiser in ocean.accounts
        for r in ocean.report_days(advertiser.id, window_start, last, as_of)
    ]


def _last_published_day(as_of: datetime) -> date:
    readiness = SOURCE.readiness
    assert readiness.timezone is not None
    return last_complete_day(as_of, zone(readiness.timezone), readiness.hour)


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    """Spend per (advertiser, Beijing day) in marts.ad_performance_daily equals the world's, for the whole load."""
    last = _last_published_day(as_of)
    expected = spend_by_account_day(delivered(world, window_start=window_start, as_of=as_of, initial_days=initial_days))
    got = {
        (account, day): amount
        for account, day, amount in con.execute(
            "select account_id, date_day, sum(spend_native) from marts.ad_performance_daily "
            "where platform = 'ocean_engine' group by all"
        ).fetchall()
    }
    assert len(expected) >= 2 * initial_days - 3
    assert {day for _, day in expected} <= {day for _, day in got} and max(day for _, day in got) == last
    assert got == expected


def spoil(sb: Any) -> tuple[str, ...]:
    """Make the next run's data break a raw rule (one negative cost); returns what its log must say."""
    sb.inject("ocean_engine", "negative_cost", times=1)
    return (
        "rule=expect_column_values_to_be_between(column=stat_cost, min_value=0",
        "source=ocean_engine stream=ad_report_daily",
        "partition=account=1768310000",
    )
