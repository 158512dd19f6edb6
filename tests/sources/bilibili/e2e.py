"""What the end-to-end run (tests/test_end_to_end.py) checks of Bilibili: every video of the day's snapshot is in
marts.content_posts with its lifetime figures as the world has them at the run (saves = favourites, 收藏), the
account's followers for the snapshot day are the total ``user/stat`` showed at the run (follows and unfollows null:
the Open Platform reports neither), and a negative counter fails the run naming its rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from extractors.bilibili.source import SOURCE as BILIBILI
from extractors.readiness import last_complete_day, zone
from sandbox.bilibili import truth
from sandbox.bilibili.world import ACCOUNT


def snapshot_day(as_of: datetime) -> date:
    """The run's snapshot day: the last Beijing day over at the interval's end (08:00 in Beijing: yesterday)."""
    assert BILIBILI.readiness.timezone is not None
    return last_complete_day(as_of, zone(BILIBILI.readiness.timezone), BILIBILI.readiness.hour)


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    bilibili = world.part("bilibili")
    day = snapshot_day(as_of)
    assert day == as_of.date() - timedelta(days=1)

    expected = {
        record["resource_id"]: (
            datetime.fromtimestamp(record["ptime"], UTC),
            *(record["stat"][name] for name in ("view", "like", "reply", "share", "favorite")),
        )
        for record in truth.archive_snapshots(bilibili, ACCOUNT.id, day, as_of, truth.DEFAULT_MAX_AGE_DAYS)
    }
    got = {
        post_id: (published_at, views, likes, comments, shares, saves)
        for post_id, published_at, views, likes, comments, shares, saves in con.execute(
            "select post_id, published_at, views, likes, comments, shares, saves from marts.content_posts "
            "where platform = 'bilibili'"
        ).fetchall()
    }
    assert len(expected) >= initial_days // 3  # about 0.7 videos a day
    assert got == expected

    got_days = con.execute(
        "select date_day, followers, follows, unfollows from marts.social_account_daily "
        "where platform = 'bilibili' and account_id = ?",
        [ACCOUNT.id],
    ).fetchall()
    assert got_days == [(day, truth.user_stat(bilibili, ACCOUNT.id, as_of)["follower"], None, None)]


def spoil(sb: Any) -> tuple[str, ...]:
    """Make the next run's data break a raw rule: the next counter answer (a video's plays, or the followers,
    whichever stream asks first) is negative. Returns what the run's log must say."""
    sb.inject("bilibili", "negative_count", times=1)
    return (
        "rule=expect_column_values_to_be_between(column=",
        "_count, min_value=0",
        "source=bilibili stream=",
        f"partition=account={ACCOUNT.id}/snapshot_date=",
    )
