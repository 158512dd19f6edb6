"""What the end-to-end run (tests/test_end_to_end.py) checks of Douyin: every post of the day's snapshot is in
marts.content_posts with its lifetime figures as the world has them at the run (saves null: Douyin has none), the
account's followers and follows per Beijing day are the world's, with unfollows derived from the change in
followers, and a negative counter fails the run naming its rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from extractors.douyin.source import SOURCE as DOUYIN
from extractors.readiness import last_complete_day, zone
from sandbox.douyin import truth
from sandbox.douyin.world import ACCOUNT

VIRAL_THRESHOLD = 100_000


def snapshot_day(as_of: datetime) -> date:
    """The run's snapshot day: the last Beijing day complete at the interval's end (10:00 the next morning)."""
    assert DOUYIN.readiness.timezone is not None
    return last_complete_day(as_of, zone(DOUYIN.readiness.timezone), DOUYIN.readiness.hour)


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    douyin = world.part("douyin")
    day = snapshot_day(as_of)
    assert day == as_of.date() - timedelta(days=2)  # 08:00 in Beijing: the 22nd is not out before 10:00

    expected = {
        post.post_id: (post.published_at, post.views, post.likes, post.comments, post.shares, None)
        for post in truth.post_figures(douyin, ACCOUNT.id, day, as_of).values()
    }
    got = {
        post_id: (published_at, views, likes, comments, shares, saves)
        for post_id, published_at, views, likes, comments, shares, saves in con.execute(
            "select post_id, published_at, views, likes, comments, shares, saves from marts.content_posts "
            "where platform = 'douyin'"
        ).fetchall()
    }
    assert len(expected) >= initial_days  # about 1.5 posts a day
    assert any(views >= VIRAL_THRESHOLD for _, views, *_ in expected.values())
    assert got == expected

    followers = truth.followers_by_day(douyin, ACCOUNT.id, window_start, day)
    expected_days = {
        on: (total, follows, None if on == window_start else unfollows)  # the first day has no day before it
        for on, (total, follows, unfollows) in followers.items()
    }
    got_days = {
        on: (total, follows, unfollows)
        for on, total, follows, unfollows in con.execute(
            "select date_day, followers, follows, unfollows from marts.social_account_daily "
            "where platform = 'douyin' and account_id = ?",
            [ACCOUNT.id],
        ).fetchall()
    }
    assert len(expected_days) == initial_days - 1
    assert got_days == expected_days


def spoil(sb: Any) -> tuple[str, ...]:
    """Make the next run's data break a raw rule (a negative counter, in whichever of the two streams asks first);
    returns what its log must say."""
    sb.inject("douyin", "negative_count", times=1)
    return (
        "source=douyin stream=",
        "rule=expect_column_values_to_be_between(column=",
        "min_value=0",
        f"partition=account={ACCOUNT.id}",
    )
