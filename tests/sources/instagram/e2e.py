"""What the end-to-end run (tests/test_end_to_end.py) checks of Instagram: every post of the snapshot and its
lifetime figures in marts.content_posts, each Pacific day's new followers (and the follower count on the snapshot
day) in marts.social_account_daily, all equal to the truth; and a negative counter fails the run naming its rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from extractors.instagram.source import SOURCE as INSTAGRAM
from extractors.readiness import last_complete_day, zone
from sandbox.instagram import truth
from tests.sources.instagram.helpers import IG_USER


def snapshot_day(as_of: datetime) -> date:
    """The run's last complete Pacific day: the day its snapshots stand for (2026-11-21 at 2026-11-23 00:00 UTC)."""
    return last_complete_day(as_of, zone(INSTAGRAM.readiness.timezone or "UTC"), INSTAGRAM.readiness.hour)


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    """marts.content_posts holds exactly the snapshot's posts with their figures at as_of (the sandbox's clock while
    the run read them); marts.social_account_daily each loaded day's follows, followers on the snapshot day only."""
    ig = world.part("instagram")
    last = snapshot_day(as_of)
    assert last == as_of.date() - timedelta(days=2)
    posts = truth.snapshot_posts(ig, IG_USER, last, as_of)
    expected_posts = {
        post.id: (IG_USER, post.published_at, *truth.post_figures(ig, post, as_of).values()) for post in posts
    }
    got_posts = {
        post_id: (account, published_at, views, likes, comments, shares, saves)
        for post_id, account, published_at, views, likes, comments, shares, saves in con.execute(
            "select post_id, account_id, published_at, views, likes, comments, shares, saves from marts.content_posts "
            "where platform = 'instagram'"
        ).fetchall()
    }
    assert len(expected_posts) > 5
    assert got_posts == expected_posts

    follows = truth.new_followers_by_day(ig, IG_USER, window_start, last, as_of)
    expected_days = {
        day: (truth.followers_count(ig, IG_USER, as_of) if day == last else None, value, None)
        for day, value in follows.items()
    }
    got_days = {
        day: (followers, new, lost)
        for day, followers, new, lost in con.execute(
            "select date_day, followers, follows, unfollows from marts.social_account_daily "
            "where platform = 'instagram' and account_id = ?",
            [IG_USER],
        ).fetchall()
    }
    assert len(expected_days) == initial_days - 1  # the load's days up to the last complete one
    assert got_days == expected_days


def spoil(sb: Any) -> tuple[str, ...]:
    """Make the next run's data break a raw rule: a negative counter on whichever Instagram answer comes first (a
    media page, the user node or follower_count); returns what the log must say."""
    sb.inject("instagram", "negative_count", times=1)
    return (
        "rule=expect_column_values_to_be_between(column=",
        ", min_value=0",
        "source=instagram stream=",
        f"partition=account={IG_USER}",
    )
