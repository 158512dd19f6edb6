"""What the end-to-end run (tests/test_end_to_end.py) checks of Google Ads: cost per customer and local day in
the published ad mart equals the truth, and a negative cost fails the run naming its rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from extractors.google_ads.source import SOURCE
from extractors.readiness import last_complete_day
from extractors.streams import extraction_window
from tests.helpers import Delivered, spend_by_account_day


def delivered(world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> list[Delivered]:
    """Every ad-day of the load that the run publishes: only days complete at the run's interval end on the
    customer's clock (readiness: 03:00 the next day): the Los Angeles customer is still on the day before
    as_of, so it ends two days before it."""
    google = world.part("google_ads")
    # The 30-day lookback reaches one day further back than a 30-day first load of the interval before as_of.
    loaded = extraction_window(as_of.date() - timedelta(days=1), as_of.date(), SOURCE.lookback_days, initial_days)
    assert loaded.start <= window_start
    found = []
    for account in google.accounts:
        last = last_complete_day(as_of, ZoneInfo(account.timezone), SOURCE.readiness.hour)
        for entry in google.entries(account.id, loaded.start, loaded.last_day, as_of):
            if entry.day <= last:
                # Google's one click figure is the ad's link clicks.
                clicks = entry.inline_link_clicks
                found.append(Delivered(account.id, account.currency, entry.day, entry.spend, entry.impressions, clicks))
    return found


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    """Spend per (customer, local day) in marts.ad_performance_daily equals the world's, for the whole load."""
    expected = spend_by_account_day(delivered(world, window_start=window_start, as_of=as_of, initial_days=initial_days))
    got = {
        (account, day): amount
        for account, day, amount in con.execute(
            "select account_id, date_day, sum(spend_native) from marts.ad_performance_daily "
            "where platform = 'google_ads' group by account_id, date_day"
        ).fetchall()
    }
    assert len(expected) >= 2 * initial_days - 3
    assert max(day for account, day in expected if account == "7305518264") == as_of.date() - timedelta(days=2)
    assert got == expected


def spoil(sb: Any) -> tuple[str, ...]:
    """Make the next run's data break a raw rule (one negative cost); returns what its log must say."""
    sb.inject("google_ads", "negative_cost", times=1)
    return (
        "rule=expect_column_values_to_be_between(column=cost_micros, min_value=0",
        "source=google_ads stream=ad_group_ad_daily",
        "partition=account=",
    )
