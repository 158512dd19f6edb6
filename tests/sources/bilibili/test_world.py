"""The simulated Bilibili account: deterministic, shaped like the brand's (about 0.7 videos a day, a median near
15,000 plays, about 60,000 followers), BV ids, counters that grow with the plays."""

from __future__ import annotations

import re
import statistics
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sandbox.bilibili import truth
from sandbox.bilibili.world import BilibiliWorld
from sandbox.content import WORLD_START
from tests.sources.bilibili.helpers import ACCOUNT

AS_OF = datetime(2026, 11, 23, tzinfo=UTC)
BV = re.compile(r"^BV1[1-9A-HJ-NP-Za-km-z]{9}$")


def test_the_world_is_a_pure_function_of_seed_and_scale(bilibili: BilibiliWorld) -> None:
    again = BilibiliWorld(42, 1.0)
    assert [p.id for p in again.archives(ACCOUNT, AS_OF)] == [p.id for p in bilibili.archives(ACCOUNT, AS_OF)]
    assert again.followers_at(ACCOUNT, AS_OF) == bilibili.followers_at(ACCOUNT, AS_OF)
    assert again.stat(again.archives(ACCOUNT, AS_OF)[5], AS_OF) == bilibili.stat(
        bilibili.archives(ACCOUNT, AS_OF)[5], AS_OF
    )
    assert [p.id for p in BilibiliWorld(7, 1.0).archives(ACCOUNT, AS_OF)][:3] != [
        p.id for p in bilibili.archives(ACCOUNT, AS_OF)
    ][:3]


def test_the_account_looks_like_the_brands(bilibili: BilibiliWorld) -> None:
    archives = bilibili.archives(ACCOUNT, AS_OF)
    days = (AS_OF.date() - WORLD_START).days + 1
    assert 0.6 < len(archives) / days < 0.8
    assert all(BV.match(p.id) for p in archives) and len({p.id for p in archives}) == len(archives)
    # Lifetime plays of videos past their growth: a median near 15,000, a heavy tail.
    settled = [bilibili.stat(p, AS_OF)["view"] for p in archives if (AS_OF - p.published_at).days > 60]
    assert 12_000 < statistics.median(settled) < 22_000 and max(settled) > 100_000
    assert 50_000 < bilibili.followers_at(ACCOUNT, AS_OF) < 75_000
    assert archives == sorted(archives, key=lambda p: p.published_at, reverse=True)


def test_counters_grow_with_the_plays_and_favourites_are_the_saves(bilibili: BilibiliWorld) -> None:
    post = bilibili.archives(ACCOUNT, AS_OF)[20]
    early, late = bilibili.stat(post, post.published_at + timedelta(days=1)), bilibili.stat(post, AS_OF)
    assert 0 < early["view"] < late["view"]
    assert all(early[k] <= late[k] for k in ("like", "reply", "share", "favorite", "coin", "danmaku"))
    figures = post.figures_at(AS_OF)
    assert (late["view"], late["like"], late["reply"], late["share"], late["favorite"]) == (
        figures.views, figures.likes, figures.comments, figures.shares, figures.saves,
    )  # fmt: skip


def test_followers_move_within_a_day_from_its_start_to_its_end(bilibili: BilibiliWorld) -> None:
    day = bilibili.follower_day(ACCOUNT, date(2026, 11, 22))
    start = datetime(2026, 11, 21, 16, tzinfo=UTC)  # 00:00 Beijing
    assert bilibili.followers_at(ACCOUNT, start) == day.followers_start
    assert bilibili.followers_at(ACCOUNT, start + timedelta(hours=24)) == day.followers_end
    assert bilibili.followers_at(ACCOUNT, AS_OF) == bilibili.user_stat(ACCOUNT, AS_OF)["follower"]


def test_a_snapshot_holds_the_last_thirty_beijing_days_of_videos(bilibili: BilibiliWorld, world: Any) -> None:
    posts = truth.snapshot_posts(bilibili, ACCOUNT, date(2026, 11, 22), AS_OF, 30)
    assert 15 <= len(posts) <= 30
    beijing = [(p.published_at + timedelta(hours=8)).date() for p in posts]
    assert min(beijing) >= date(2026, 10, 24) and max(beijing) <= date(2026, 11, 22)
    records = truth.archive_snapshots(bilibili, ACCOUNT, date(2026, 11, 22), AS_OF)
    assert [r["resource_id"] for r in records] == [p.id for p in posts]
    assert world.part("bilibili") is world.part("bilibili")
