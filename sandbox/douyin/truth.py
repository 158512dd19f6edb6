"""Ground truth for Douyin: what a video-list snapshot and the fans data hold, computed from the world, never
through HTTP.

Tests reconcile landings and marts against these figures; because they bypass the server, a paging bug in the
extractor (a post skipped at a page boundary, paging stopped at a pinned post) shows up as a mismatch.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from extractors.douyin.source import SOURCE
from sandbox.content import WORLD_START, Post
from sandbox.douyin.world import TIMEZONE, DouyinWorld
from sandbox.formats import as_utc

DEFAULT_MAX_AGE_DAYS = 30


class PostTruth(NamedTuple):
    """One post's lifetime figures as a snapshot taken at some moment shows them (saves: Douyin has none)."""

    post_id: str
    published_at: datetime
    views: int
    likes: int
    comments: int
    shares: int


def day_end(day: date) -> datetime:
    """The instant a Beijing day ends, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(TIMEZONE)).astimezone(UTC)


def snapshot_posts(
    douyin: DouyinWorld, open_id: str, snapshot_day: date, as_of: date | datetime, max_age_days: int = 30
) -> list[Post]:
    """The posts a snapshot for ``snapshot_day`` taken at ``as_of`` holds, in the list's order (pinned first):
    published in the ``max_age_days`` before the day's end, and not deleted by ``as_of``."""
    moment = as_utc(as_of)
    until = day_end(snapshot_day)
    since = until - timedelta(days=max_age_days)
    return [post for post in douyin.listed(open_id, moment) if since <= post.published_at < until]


def snapshot_items(
    douyin: DouyinWorld, open_id: str, snapshot_day: date, as_of: date | datetime, max_age_days: int = 30
) -> list[dict[str, Any]]:
    """Those posts as ``/video/list/`` items at ``as_of``: what the extractor lands, field for field."""
    moment = as_utc(as_of)
    return [douyin.render_item(post, moment) for post in snapshot_posts(douyin, open_id, snapshot_day, moment,
                                                                          max_age_days)]  # fmt: skip


def post_figures(
    douyin: DouyinWorld, open_id: str, snapshot_day: date, as_of: date | datetime, max_age_days: int = 30
) -> dict[str, PostTruth]:
    """Each post of that snapshot by id, with its lifetime figures at ``as_of``."""
    moment = as_utc(as_of)
    found = {}
    for post in snapshot_posts(douyin, open_id, snapshot_day, moment, max_age_days):
        figures = post.figures_at(moment)
        found[post.id] = PostTruth(
            post.id, post.published_at, figures.views, figures.likes, figures.comments, figures.shares
        )
    return found


def fans_rows(douyin: DouyinWorld, open_id: str, since: date, until: date) -> list[dict[str, Any]]:
    """The fans data's rows for Beijing days ``[since, until]``, oldest first."""
    return douyin.fans_rows(open_id, until, (until - since).days + 1)


def followers_by_day(douyin: DouyinWorld, open_id: str, since: date, until: date) -> dict[date, tuple[int, int, int]]:
    """(followers at the day's end, follows, unfollows) per Beijing day of ``[since, until]``."""
    found = {}
    day = since
    while day <= until:
        entry = douyin.follower_day(open_id, day)
        found[day] = (entry.followers_end, entry.follows, entry.unfollows)
        day += timedelta(days=1)
    return found


def daily_read_at(snapshot_day: date) -> datetime:
    """When the daily run whose snapshot is ``snapshot_day`` reads the list: the first end of a data interval
    (00:00 UTC, ``dags/marketing_daily.py``) at which the day is complete (the source's readiness, 10:00 Beijing
    the next day), so 00:00 UTC two days on (08:00 Beijing), as the end-to-end runs read it."""
    readiness = SOURCE.readiness
    zone = ZoneInfo(readiness.timezone or "UTC")
    ready = datetime.combine(snapshot_day + timedelta(days=1), time(readiness.hour), tzinfo=zone).astimezone(UTC)
    midnight = datetime.combine(ready.date(), time(0), tzinfo=UTC)
    return midnight if midnight == ready else midnight + timedelta(days=1)


def raw_history(douyin: DouyinWorld, since: date, until: date) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(stream, account, record) of everything daily runs over ``[since, until]`` would have left in raw: for each
    day, the video list's snapshot as that day's run lands it (``daily_read_at``: pinned posts first, then the
    posts of the 30 days before the day's end newest first, deleted ones gone, counters at the read), each item
    carrying its ``snapshot_date``; and every day's fans row. For benchmarks that need years of history without
    years of runs."""
    first = max(since, WORLD_START)
    for account in douyin.accounts:
        yield from _video_snapshots(douyin, account.id, first, until)
        day = first
        while day <= until:
            yield "fans_daily", account.id, douyin.fans_row(account.id, day)
            day += timedelta(days=1)


def _video_snapshots(
    douyin: DouyinWorld, open_id: str, since: date, until: date
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    # Every post any snapshot of the range can hold, oldest first, found by bisecting on the publish time.
    posts = sorted(
        douyin.content.posts_between(open_id, since - timedelta(days=DEFAULT_MAX_AGE_DAYS + 1), until),
        key=lambda post: (post.published_at, post.id),
    )
    published = [post.published_at for post in posts]
    pinned = douyin.pinned(open_id)
    pinned_ids = {post.id for post in pinned}
    day = since
    while day <= until:
        moment = daily_read_at(day)
        ends = day_end(day)
        starts = ends - timedelta(days=DEFAULT_MAX_AGE_DAYS)
        # The list's order: pinned posts first (an old one is skipped by the reader), then newest first.
        listed = [post for post in pinned if starts <= post.published_at < ends and post.exists_at(moment)]
        young = posts[bisect_left(published, starts) : bisect_left(published, ends)]
        listed.extend(post for post in reversed(young) if post.id not in pinned_ids and post.exists_at(moment))
        snapshot_date = day.isoformat()
        for post in listed:
            item = douyin.render_item(post, moment)
            item["snapshot_date"] = snapshot_date
            yield "video_snapshots", open_id, item
        day += timedelta(days=1)
