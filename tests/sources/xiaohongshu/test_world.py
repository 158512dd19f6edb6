"""The simulated Xiaohongshu brand: the figures its notes were built with, the report's rows adding up to their
lifetime curves, the boosts, and the creator collaborations (pool, tiers, fees, ids, their notes)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from sandbox.content import Post
from sandbox.xiaohongshu import truth
from sandbox.xiaohongshu.world import (
    ACCOUNT,
    KOL_FOLLOWERS,
    ZONE,
    Collaboration,
    XiaohongshuWorld,
    day_end,
    last_ready_day,
)
from tests.sources.xiaohongshu.helpers import LAST_DAY, NOW

D = date.fromisoformat


def test_the_brand_posts_about_point_eight_notes_a_day_mostly_image_with_a_median_near_three_thousand(
    xhs: Any,
) -> None:
    posts = truth.notes_published(xhs, D("2026-01-01"), D("2026-11-21"))
    per_day = len(posts) / (D("2026-11-21") - D("2026-01-01")).days
    assert 0.65 < per_day < 0.95
    assert 2_400 < median(post.potential for post in posts) < 4_200
    formats = Counter(post.format for post in posts)
    assert set(formats) == {"image", "video"} and 0.6 < formats["image"] / len(posts) < 0.85
    assert all(post.purge is None for post in posts)  # counters only grow: the report is never negative
    assert all(post.account == ACCOUNT and post.account.timezone == "Asia/Shanghai" for post in posts)
    # The exact world of seed 42: the 30 days the end-to-end run loads hold 25 notes.
    assert len(truth.notes_published(xhs, D("2026-10-24"), D("2026-11-21"))) == 25


def test_note_ids_are_24_hex_characters_starting_with_the_creation_day_in_unix_seconds(xhs: Any) -> None:
    posts = truth.notes_published(xhs, D("2026-10-01"), D("2026-11-21"))
    assert len({post.id for post in posts}) == len(posts)
    for post in posts:
        assert re.fullmatch(r"[0-9a-f]{24}", post.id)
        day_start = datetime.combine(post.local_published_at.date(), time(0), tzinfo=ZONE)
        assert 0 <= int(post.id[:8], 16) - int(day_start.timestamp()) < 10


def test_a_notes_report_rows_add_up_to_its_lifetime_figures(xhs: Any) -> None:
    posts = [p for p in truth.notes_published(xhs, D("2026-08-01"), D("2026-09-30")) if p.deleted_at is None]
    rows = xhs.report_rows(D("2026-08-01"), LAST_DAY)
    summed: dict[str, list[Any]] = {}
    for row in rows:
        totals = summed.setdefault(row.note_id, [0, 0, 0, 0, 0, 0, Decimal("0.00")])
        for i, value in enumerate((row.reads, row.likes, row.comments, row.shares, row.saves, row.impressions,
                                   row.fee)):  # fmt: skip
            totals[i] += value
    assert len(posts) > 30
    boosted = 0
    for post in posts:
        expected = truth.note_truth(xhs, post, day_end(LAST_DAY))
        assert summed[post.id] == [expected.views, expected.likes, expected.comments, expected.shares, expected.saves,
                                   expected.impressions, expected.fee], post.id  # fmt: skip
        boosted += expected.fee > 0
    assert boosted >= 5


def test_report_rows_move_something_never_go_negative_and_carry_fee_zero_on_unboosted_days(xhs: Any) -> None:
    rows = xhs.report_rows(D("2026-10-24"), LAST_DAY)
    assert 600 < len(rows) < 1_200  # about 29 note-days a day
    for row in rows:
        figures = (row.impressions, row.reads, row.likes, row.comments, row.saves, row.shares)
        assert min(figures) >= 0 and row.fee >= 0 and (any(figures) or row.fee)
        assert row.impressions >= row.reads
        assert row.fee == row.fee.quantize(Decimal("0.01"))
    assert any(row.fee > 0 for row in rows) and sum(row.fee == 0 for row in rows) > len(rows) / 2
    days = sorted({row.day for row in rows})
    assert days[0] == D("2026-10-24") and days[-1] == LAST_DAY and len(days) == 29
    # One day, pinned: the first week of November has 220 note-days.
    assert len(xhs.report_rows(D("2026-11-01"), D("2026-11-07"))) == 220


def test_a_deleted_note_has_no_row_from_its_deletion_day_on(xhs: Any) -> None:
    deleted = [p for p in truth.notes_published(xhs, D("2025-01-01"), D("2026-10-31")) if p.deleted_at is not None]
    assert deleted
    for post in deleted[:10]:
        gone = post.deleted_at.astimezone(ZONE).date()  # type: ignore[union-attr]
        rows = [r for r in xhs.report_rows(post.local_published_at.date(), gone + timedelta(days=3))
                if r.note_id == post.id]  # fmt: skip
        assert rows and max(r.day for r in rows) < gone


def test_the_creator_pool_is_forty_creators_eight_of_them_kols(xhs: Any) -> None:
    creators = xhs.creators
    assert len(creators) == 40 and len({c.id for c in creators}) == 40 and len({c.name for c in creators}) == 40
    tiers = Counter(c.tier for c in creators)
    assert tiers == {"KOL": 8, "KOC": 32}
    for creator in creators:
        assert (creator.followers >= KOL_FOLLOWERS) == (creator.tier == "KOL")
        assert re.fullmatch(r"[0-9a-f]{24}", creator.id)


def test_a_few_collaborations_a_week_fees_by_tier_and_url_safe_ids(xhs: Any) -> None:
    found = xhs.collaborations_published(D("2026-01-01"), D("2026-11-21"))
    weeks = (D("2026-11-21") - D("2026-01-01")).days / 7
    assert 2.0 < len(found) / weeks < 4.0
    assert len({c.id for c in found}) == len(found)
    tiers = Counter(c.tier for c in found)
    assert tiers["KOL"] > 0 and tiers["KOC"] > 3 * tiers["KOL"]
    for c in found:
        assert isinstance(c, Collaboration) and isinstance(c.note, Post)
        assert re.fullmatch(r"[0-9]{16}", c.id)  # digits: safe in utm_content as is
        assert c.published_at.tzinfo is not None and c.published_at == c.note.published_at
        assert c.fee == c.fee.quantize(Decimal("0.01"))
        low, high = (8_000, 60_000) if c.tier == "KOL" else (500, 3_000)
        assert low <= c.fee <= high
        assert c.note.account.id == c.creator_id and c.note.account.name == c.creator_name
    # Pinned: November's first three weeks hold 9 collaborations, one of them a KOL's.
    november = xhs.collaborations_published(D("2026-11-01"), D("2026-11-21"))
    assert [(c.id, c.tier, c.fee) for c in november][:2] == [
        ("2026110700140283", "KOC", Decimal("2150.00")),
        ("2026110701675718", "KOC", Decimal("3000.00")),
    ]
    assert len(november) == 9 and Counter(c.tier for c in november)["KOL"] == 1


def test_collaborations_between_is_half_open_and_the_same_in_another_instance(xhs: Any) -> None:
    november = xhs.collaborations_published(D("2026-11-01"), D("2026-11-21"))
    first = november[0]
    start = first.published_at
    assert xhs.collaborations_between(start, start + timedelta(seconds=1)) == [first]
    assert first not in xhs.collaborations_between(start - timedelta(days=3), start)
    beijing_november = datetime(2026, 11, 1, tzinfo=ZONE), datetime(2026, 11, 22, tzinfo=ZONE)
    assert xhs.collaborations_between(*beijing_november) == november
    again = XiaohongshuWorld(xhs.seed, xhs.scale)
    assert again.collaborations_between(*beijing_november) == november
    assert [p.id for p in again.content.posts_between(ACCOUNT.id, D("2026-11-01"), LAST_DAY)] == [
        p.id for p in xhs.content.posts_between(ACCOUNT.id, D("2026-11-01"), LAST_DAY)
    ]


def test_a_collaboration_notes_figures_grow_and_impressions_exceed_reads(xhs: Any) -> None:
    c = xhs.collaborations_published(D("2026-11-01"), D("2026-11-21"))[0]
    day1 = truth.collaboration_truth(xhs, c, c.published_at + timedelta(days=1))
    later = truth.collaboration_truth(xhs, c, NOW)
    assert 0 < day1.views < later.views and day1.likes <= later.likes
    assert later.impressions >= 5 * later.views and later.saves > 0
    assert (later.collaboration_id, later.creator_id, later.fee) == (c.id, c.creator_id, c.fee)
    assert c.note.views_at(NOW) == later.views  # what the shop's links weigh collaborations by


def test_data_is_t_plus_one_from_nine_in_the_morning_beijing() -> None:
    assert last_ready_day(NOW) == LAST_DAY  # 08:00 Beijing on the 23rd: the 22nd is not out yet
    assert last_ready_day(datetime(2026, 11, 23, 1, 0, tzinfo=UTC)) == D("2026-11-22")  # 09:00 Beijing
