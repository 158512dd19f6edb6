"""Ground truth for Instagram: what the Graph API holds, computed from the world, never through HTTP.

Tests reconcile landings and marts against these; because they bypass the server, a paging, filtering or
chunking bug in an extractor shows up as a mismatch instead of being reproduced on both sides.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from extractors.instagram.source import SOURCE
from sandbox.content import WORLD_START, Post
from sandbox.formats import as_utc
from sandbox.instagram.world import NOT_ENOUGH_VIEWERS_SUBCODE, InstagramWorld, local_midnight

# What the extractor asks for, in its order.
MEDIA_FIELDS = ("id", "timestamp", "media_type", "media_product_type", "permalink", "caption", "like_count",
                "comments_count")  # fmt: skip
MEDIA_METRICS = ("reach", "views", "likes", "comments", "shares", "saved")
DEFAULT_MAX_AGE_DAYS = 30
POST_FORMATS = {"image": "image", "carousel": "carousel", "video": "video", "reel": "reel"}


def snapshot_posts(
    ig: InstagramWorld, account_id: str, snapshot_day: date, as_of: date | datetime, max_age_days: int = 30
) -> list[Post]:
    """The posts a snapshot for ``snapshot_day`` holds when read at ``as_of``: listed then (published, not deleted)
    and published in the ``max_age_days`` before the end of the snapshot day (Pacific), newest first."""
    ends = local_midnight(snapshot_day + timedelta(days=1))
    since = ends - timedelta(days=max_age_days)
    return [post for post in ig.media(account_id, as_utc(as_of)) if since <= post.published_at < ends]


def media_record(ig: InstagramWorld, post: Post, as_of: date | datetime) -> dict[str, Any]:
    """The record the extractor lands for ``post``: the node's fields asked for, its insights keyed by metric (or
    Graph's (#10) error when it has too few viewers)."""
    moment = as_utc(as_of)
    node = ig.media_node(post, moment)
    record: dict[str, Any] = {name: node[name] for name in MEDIA_FIELDS}
    insights = ig.insights(post, moment)
    if insights is None:
        record["insights"] = None
        # Graph's error as the server writes it, without its fbtrace_id (a fresh one on every answer).
        record["insights_error"] = {"message": "(#10) Not enough viewers for the media to show insights",
                                    "type": "OAuthException", "code": 10, "error_subcode": NOT_ENOUGH_VIEWERS_SUBCODE,
                                    "is_transient": False}  # fmt: skip
    else:
        record["insights"] = {name: insights[name] for name in MEDIA_METRICS}
    return record


def snapshot_records(
    ig: InstagramWorld, account_id: str, snapshot_day: date, as_of: date | datetime, max_age_days: int = 30
) -> list[dict[str, Any]]:
    return [media_record(ig, post, as_of) for post in snapshot_posts(ig, account_id, snapshot_day, as_of, max_age_days)]


def post_figures(ig: InstagramWorld, post: Post, as_of: date | datetime) -> dict[str, int | None]:
    """The post's lifetime counters as the marts name them: likes and comments from the media node, the rest from
    insights (null when Graph has none for the post)."""
    moment = as_utc(as_of)
    node = ig.media_node(post, moment)
    insights = ig.insights(post, moment) or {}
    return {
        "views": insights.get("views"),
        "likes": node["like_count"],
        "comments": node["comments_count"],
        "shares": insights.get("shares"),
        "saves": insights.get("saved"),
    }


def new_followers_by_day(
    ig: InstagramWorld, account_id: str, since: date, until: date, as_of: date | datetime
) -> dict[date, int]:
    """follower_count per Pacific day of ``[since, until]`` whose value is out at ``as_of``."""
    days = ig.follower_count_days(account_id, local_midnight(since), local_midnight(until + timedelta(days=1)),
                                  as_utc(as_of))  # fmt: skip
    return {day: ig.follower_day(account_id, day).follows for day in days}


def followers_count(ig: InstagramWorld, account_id: str, as_of: date | datetime) -> int:
    return ig.followers_count(account_id, as_utc(as_of))


def daily_read_at(snapshot_day: date) -> datetime:
    """When the daily run whose snapshot is ``snapshot_day`` reads the API: the first end of a data interval
    (00:00 UTC, ``dags/marketing_daily.py``) at which the day is complete (the source's readiness, 08:00 Pacific
    the next day), so 00:00 UTC two days on (16:00 or 17:00 Pacific), as the end-to-end runs read it."""
    readiness = SOURCE.readiness
    zone = ZoneInfo(readiness.timezone or "UTC")
    ready = datetime.combine(snapshot_day + timedelta(days=1), time(readiness.hour), tzinfo=zone).astimezone(UTC)
    midnight = datetime.combine(ready.date(), time(0), tzinfo=UTC)
    return midnight if midnight == ready else midnight + timedelta(days=1)


def raw_history(ig: InstagramWorld, since: date, until: date) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(stream, account, record) of everything daily runs over ``[since, until]`` would have left in raw: for each
    day, the media snapshot as that day's run lands it (``daily_read_at``: the media of the 30 days before the
    day's end, Pacific, newest first, deleted ones gone, each ``media_record`` at the read) and the user node then
    (``followers_count`` live, ``media_count``), each record carrying its ``snapshot_date``; and every day's
    ``follower_count`` value as the reader shapes it. For benchmarks that need years of history without years of
    runs."""
    first = max(since, WORLD_START)
    for account in ig.accounts:
        yield from _snapshots(ig, account.id, first, until)
        day = first
        while day <= until:
            value = ig.follower_count_value(account.id, day)
            record = {"name": "follower_count", "period": "day", **value, "day": day.isoformat()}
            yield "follower_count", account.id, record
            day += timedelta(days=1)


def _snapshots(
    ig: InstagramWorld, account_id: str, since: date, until: date
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    # Every media of the account up to the last read, oldest first: the young ones are found by bisecting on the
    # publish time, and the user node's media_count is those published by a read less those deleted by then.
    last_read = daily_read_at(until)
    posts = sorted(
        ig.posts_between(account_id, WORLD_START, ig.local_today(account_id, last_read)),
        key=lambda post: (post.published_at, post.id),
    )
    published = [post.published_at for post in posts]
    deleted = sorted(post.deleted_at for post in posts if post.deleted_at is not None)
    day = since
    while day <= until:
        moment = daily_read_at(day)
        ends = local_midnight(day + timedelta(days=1))
        starts = ends - timedelta(days=DEFAULT_MAX_AGE_DAYS)
        snapshot_date = day.isoformat()
        young = posts[bisect_left(published, starts) : bisect_left(published, ends)]
        for post in reversed(young):
            if post.exists_at(moment):
                record = media_record(ig, post, moment)
                record["snapshot_date"] = snapshot_date
                yield "media_insights", account_id, record
        node = {
            "id": account_id,
            "followers_count": ig.followers_count(account_id, moment),
            "media_count": bisect_right(published, moment) - bisect_right(deleted, moment),
            "snapshot_date": snapshot_date,
        }
        yield "account", account_id, node
        day += timedelta(days=1)
