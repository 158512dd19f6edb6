"""Ground truth for Bilibili: what a snapshot of the archives and of the account's totals holds, computed from the
world, never through HTTP, so a paging or cut-off bug in the extractor shows up as a mismatch."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from extractors.bilibili.source import SOURCE
from sandbox.bilibili.world import FOLLOWING, TIMEZONE, BilibiliWorld, snapshot_end
from sandbox.content import WORLD_START, Post
from sandbox.formats import as_utc

DEFAULT_MAX_AGE_DAYS = 30


def snapshot_posts(
    bilibili: BilibiliWorld, account_id: str, snapshot_day: date, as_of: date | datetime, max_age_days: int
) -> list[Post]:
    """The archives a snapshot for ``snapshot_day`` holds: listed at ``as_of``, published on one of the
    ``max_age_days`` Beijing days ending with ``snapshot_day``; newest first."""
    moment = as_utc(as_of)
    first_day = snapshot_day - timedelta(days=max_age_days - 1)
    since = datetime.combine(first_day, time(0), tzinfo=ZoneInfo(TIMEZONE))
    until = snapshot_end(snapshot_day)
    return [post for post in bilibili.archives(account_id, moment) if since <= post.published_at < until]


def archive_snapshots(
    bilibili: BilibiliWorld,
    account_id: str,
    snapshot_day: date,
    as_of: date | datetime,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
) -> list[dict[str, Any]]:
    """The snapshot's records as the extractor lands them: each list item with its ``stat`` answer beside it."""
    moment = as_utc(as_of)
    return [
        {**bilibili.list_item(post), "stat": bilibili.stat(post, moment)}
        for post in snapshot_posts(bilibili, account_id, snapshot_day, moment, max_age_days)
    ]


def user_stat(bilibili: BilibiliWorld, account_id: str, as_of: date | datetime) -> dict[str, Any]:
    """The account's totals the ``user/stat`` answer holds at ``as_of``."""
    return bilibili.user_stat(account_id, as_of_moment(as_of))


def as_of_moment(as_of: date | datetime) -> datetime:
    return as_utc(as_of)


def post_counters(
    bilibili: BilibiliWorld, account_id: str, snapshot_day: date, as_of: date | datetime, max_age_days: int
) -> dict[str, tuple[int, int, int, int, int]]:
    """(views, likes, comments, shares, saves) per BV id in a snapshot, saves being favourites (收藏)."""
    found = {}
    for record in archive_snapshots(bilibili, account_id, snapshot_day, as_of, max_age_days):
        stat = record["stat"]
        found[record["resource_id"]] = (stat["view"], stat["like"], stat["reply"], stat["share"], stat["favorite"])
    return found


def daily_read_at(snapshot_day: date) -> datetime:
    """When the daily run whose snapshot is ``snapshot_day`` reads the API: the first end of a data interval
    (00:00 UTC, ``dags/marketing_daily.py``) at which the day is complete (the source's readiness, midnight
    Beijing), so 00:00 UTC the next day (08:00 Beijing), as the end-to-end runs read it."""
    readiness = SOURCE.readiness
    zone = ZoneInfo(readiness.timezone or "UTC")
    ready = datetime.combine(snapshot_day + timedelta(days=1), time(readiness.hour), tzinfo=zone).astimezone(UTC)
    midnight = datetime.combine(ready.date(), time(0), tzinfo=UTC)
    return midnight if midnight == ready else midnight + timedelta(days=1)


def raw_history(bilibili: BilibiliWorld, since: date, until: date) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(stream, account, record) of everything daily runs over ``[since, until]`` would have left in raw: for each
    day, the archive snapshot as that day's run lands it (``daily_read_at``: the archives of the 30 Beijing days
    ending with the day, newest first, deleted ones gone, each list item with its ``stat`` at the read) and the
    account's totals then, each record carrying its ``snapshot_date``. For benchmarks that need years of history
    without years of runs."""
    first = max(since, WORLD_START)
    for account in bilibili.accounts:
        # Every archive up to the last read, oldest first: the young ones are found by bisecting on the publish
        # time, and arc_passed_total is those published by a read less those deleted by then.
        last_read = daily_read_at(until)
        posts = sorted(
            bilibili.posts_between(account.id, WORLD_START, bilibili.local_today(account.id, last_read)),
            key=lambda post: (post.published_at, post.id),
        )
        published = [post.published_at for post in posts]
        deleted = sorted(post.deleted_at for post in posts if post.deleted_at is not None)
        zone = ZoneInfo(TIMEZONE)
        day = first
        while day <= until:
            moment = daily_read_at(day)
            starts = datetime.combine(day - timedelta(days=DEFAULT_MAX_AGE_DAYS - 1), time(0), tzinfo=zone)
            ends = snapshot_end(day)
            snapshot_date = day.isoformat()
            young = posts[bisect_left(published, starts) : bisect_left(published, ends)]
            for post in reversed(young):
                if post.exists_at(moment):
                    record = bilibili.list_item(post)
                    record["stat"] = bilibili.stat(post, moment)
                    record["snapshot_date"] = snapshot_date
                    yield "archive_snapshots", account.id, record
            totals = {
                "following": FOLLOWING,
                "follower": bilibili.followers_at(account.id, moment),
                "arc_passed_total": bisect_right(published, moment) - bisect_right(deleted, moment),
                "snapshot_date": snapshot_date,
            }
            yield "user_stat_snapshots", account.id, totals
            day += timedelta(days=1)
