"""What the end-to-end run (tests/test_end_to_end.py) checks of Xiaohongshu: every brand note published in the loaded
days is in marts.content_posts with its lifetime figures as the world has them at the end of the run's last day out
(summed from the daily report), every young collaboration is in marts.creator_collaborations with its creator, tier,
fee and its note's figures, and a negative counter fails the run naming its rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from extractors.readiness import last_complete_day, zone
from extractors.xiaohongshu.source import SOURCE as XIAOHONGSHU
from sandbox.xiaohongshu import truth
from sandbox.xiaohongshu.world import ADVERTISER_ID


def snapshot_day(as_of: datetime) -> date:
    """The run's last day: the last Beijing day complete at the interval's end (09:00 the next morning)."""
    assert XIAOHONGSHU.readiness.timezone is not None
    return last_complete_day(as_of, zone(XIAOHONGSHU.readiness.timezone), XIAOHONGSHU.readiness.hour)


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    xhs = world.part("xiaohongshu")
    day = snapshot_day(as_of)
    assert day == as_of.date() - timedelta(days=2)  # 08:00 in Beijing: the 22nd is not out before 09:00

    expected = {
        post_id: (note.published_at, note.views, note.likes, note.comments, note.shares, note.saves)
        for post_id, note in truth.snapshot_figures(xhs, window_start, day, as_of).items()
    }
    got = {
        post_id: (published_at, views, likes, comments, shares, saves)
        for post_id, published_at, views, likes, comments, shares, saves in con.execute(
            "select post_id, published_at, views, likes, comments, shares, saves from marts.content_posts "
            "where platform = 'xiaohongshu'"
        ).fetchall()
    }
    assert len(expected) >= initial_days * 0.6  # about 0.8 notes a day
    assert got, (
        "marts.content_posts holds no Xiaohongshu note: int_content_post_snapshots_unioned needs its line for "
        "stg_xiaohongshu__post_snapshots"
    )
    assert got == expected

    collaborations = {
        c_id: (c.creator_id, c.tier, c.fee, c.post_id, c.views, c.impressions, c.likes, c.comments, c.shares, c.saves)
        for c_id, c in truth.collaboration_snapshot(xhs, day).items()
    }
    published = {
        c_id: (creator_id, tier, fee, post_id, views, reach, likes, comments, shares, saves)
        for c_id, creator_id, tier, fee, post_id, views, reach, likes, comments, shares, saves in con.execute(
            "select collaboration_id, creator_id, creator_tier, fee_native, post_id, views, reach, likes, comments, "
            "shares, saves from marts.creator_collaborations where platform = 'xiaohongshu'"
        ).fetchall()
    }
    assert len(collaborations) >= 5
    assert published == collaborations


def spoil(sb: Any) -> tuple[str, ...]:
    """Make the next run's data break a raw rule (a negative counter, in whichever of the three streams asks first);
    returns what its log must say."""
    sb.inject("xiaohongshu", "negative_count", times=1)
    return (
        "source=xiaohongshu stream=",
        "rule=expect_column_values_to_be_between(column=",
        "min_value=",
        f"partition=account={ADVERTISER_ID}",
    )
