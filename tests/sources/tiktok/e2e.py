"""What the end-to-end run (tests/test_end_to_end.py) checks of TikTok: spend in the published ad marts equals
the truth for every day over (and ready) in each advertiser's zone, and a negative spend fails the run naming its
rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from extractors.readiness import complete_at, zone
from extractors.tiktok.source import SOURCE as TIKTOK
from tests.helpers import Delivered, spend_by_account_day


def delivered(world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> list[Delivered]:
    """Every ad-day of the load that the run publishes: only days complete in the advertiser's own zone at the
    run's interval end (the Los Angeles advertiser is still on the day before as_of, so its last published day
    is two days before as_of)."""
    tiktok = world.part("tiktok")
    found = []
    for advertiser in tiktok.accounts:
        last = as_of.date() - timedelta(days=1)
        for entry in (reported.entry for reported in tiktok.report_days(advertiser.id, window_start, last, as_of)):
            if complete_at(entry.day, zone(advertiser.timezone), TIKTOK.readiness.hour) <= as_of:
                spend, impressions, clicks = entry.spend, entry.impressions, entry.inline_link_clicks
                found.append(Delivered(advertiser.id, advertiser.currency, entry.day, spend, impressions, clicks))
    return found


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    """Spend per (advertiser, local day) in marts.ad_performance_daily equals the world's, for the whole load."""
    expected_spend = spend_by_account_day(
        delivered(world, window_start=window_start, as_of=as_of, initial_days=initial_days)
    )
    got_spend = {
        (advertiser, day): amount
        for advertiser, day, amount in con.execute(
            "select account_id, date_day, sum(spend_native) from marts.ad_performance_daily "
            "where platform = 'tiktok' group by account_id, date_day"
        ).fetchall()
    }
    assert len(expected_spend) >= 2 * initial_days - 3
    last_us_day = max(day for advertiser, day in expected_spend if advertiser == "7301940000000000011")
    assert last_us_day == as_of.date() - timedelta(days=2)
    assert got_spend == expected_spend


def spoil(sb: Any) -> tuple[str, ...]:
    """Make the next run's data break a raw rule (one negative spend); returns what its log must say."""
    sb.inject("tiktok", "negative_spend", times=1)
    return (
        "rule=expect_column_values_to_be_between(column=spend, min_value=0",
        "source=tiktok stream=ad_report_daily",
        "partition=account=730194",
    )
