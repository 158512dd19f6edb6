"""Ground truth for Xiaohongshu: what the brand's notes and its creator collaborations hold, computed from the world,
never through HTTP.

Tests reconcile landings, staging and marts against these figures. The report's rows are the world's own; the
lifetime figures come straight from the notes' curves (``Post.figures_at``), not from adding rows up, so a row lost
at a page or chunk boundary shows up as a mismatch.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sandbox.content import Post
from sandbox.formats import as_utc
from sandbox.xiaohongshu.world import (
    ACCOUNT,
    ADVERTISER_ID,
    READY_HOUR,
    WORLD_START,
    Collaboration,
    XiaohongshuWorld,
    day_end,
    last_ready_day,
    local_date,
)

__all__ = ["day_end", "last_ready_day"]


class NoteTruth(NamedTuple):
    """A brand note's lifetime figures as of one moment (fee: boost spend in yuan, whole days over)."""

    post_id: str
    published_at: datetime
    views: int
    likes: int
    comments: int
    shares: int
    saves: int
    impressions: int
    fee: Decimal


class CollaborationTruth(NamedTuple):
    """A collaboration as the brand bought it, with its note's lifetime figures as of one moment."""

    collaboration_id: str
    creator_id: str
    creator_name: str
    tier: str
    fee: Decimal
    post_id: str
    title: str
    published_at: datetime
    views: int
    impressions: int
    likes: int
    comments: int
    shares: int
    saves: int


def note_truth(xhs: XiaohongshuWorld, post: Post, moment: date | datetime) -> NoteTruth:
    """One brand note's lifetime figures at ``moment``."""
    figures = xhs.note_figures(post, as_utc(moment))
    return NoteTruth(
        post.id,
        post.published_at,
        figures.views,
        figures.likes,
        figures.comments,
        figures.shares,
        figures.saves,
        figures.impressions,
        figures.fee,
    )


def notes_published(xhs: XiaohongshuWorld, since: date, until: date) -> list[Post]:
    """The brand's notes created on Beijing days ``[since, until]``, deleted ones included, oldest first."""
    return xhs.content.posts_between(ACCOUNT.id, since, until)


def note_figures(
    xhs: XiaohongshuWorld, since: date, until: date, moment: date | datetime, *, alive_at: date | datetime | None = None
) -> dict[str, NoteTruth]:
    """Each note created on Beijing days ``[since, until]`` (and, with ``alive_at``, not deleted by then), by id,
    with its lifetime figures at ``moment``."""
    alive = as_utc(alive_at) if alive_at is not None else None
    return {
        post.id: note_truth(xhs, post, moment)
        for post in notes_published(xhs, since, until)
        if alive is None or post.exists_at(alive)
    }


def snapshot_figures(
    xhs: XiaohongshuWorld, first_day: date, snapshot_day: date, as_of: date | datetime
) -> dict[str, NoteTruth]:
    """What the warehouse's post snapshot of ``snapshot_day`` holds after a load whose report starts at ``first_day``
    and whose note list was read at ``as_of``: every note created on ``[first_day, snapshot_day]`` still listed at
    ``as_of``, with its figures at the end of ``snapshot_day``."""
    return note_figures(xhs, first_day, snapshot_day, day_end(snapshot_day), alive_at=as_of)


def report_rows(xhs: XiaohongshuWorld, since: date, until: date) -> list[dict[str, Any]]:
    """The offline note report's rows for Beijing days ``[since, until]`` as the API renders them, by day then note."""
    return [xhs.render_report_row(row) for row in xhs.report_rows(since, until)]


def note_items(xhs: XiaohongshuWorld, since: date, until: date, as_of: date | datetime) -> list[dict[str, Any]]:
    """The note list's items at ``as_of`` for notes created on Beijing days ``[since, until]``, newest first."""
    return [xhs.render_note(post) for post in xhs.notes_listed(since, until, as_of_moment(as_of))]


def collaboration_truth(
    xhs: XiaohongshuWorld, collaboration: Collaboration, moment: date | datetime
) -> CollaborationTruth:
    """One collaboration with its note's lifetime figures at ``moment``."""
    figures = xhs.collaboration_figures(collaboration, as_utc(moment))
    note = collaboration.note
    return CollaborationTruth(
        collaboration.id,
        collaboration.creator_id,
        collaboration.creator_name,
        collaboration.tier,
        collaboration.fee,
        note.id,
        note.title,
        collaboration.published_at,
        figures.views,
        figures.impressions,
        figures.likes,
        figures.comments,
        figures.shares,
        figures.saves,
    )


def collaboration_figures(
    xhs: XiaohongshuWorld, since: date, until: date, moment: date | datetime
) -> dict[str, CollaborationTruth]:
    """Each collaboration whose note went out on Beijing days ``[since, until]``, by id, with figures at ``moment``."""
    return {c.id: collaboration_truth(xhs, c, moment) for c in xhs.collaborations_published(since, until)}


def collaboration_snapshot(
    xhs: XiaohongshuWorld, snapshot_day: date, max_age_days: int = 30
) -> dict[str, CollaborationTruth]:
    """What a 蒲公英 snapshot for ``snapshot_day`` holds: the collaborations published in the ``max_age_days`` up to
    that day, with figures at its end (the data's date_key)."""
    since = snapshot_day - timedelta(days=max_age_days - 1)
    return collaboration_figures(xhs, since, snapshot_day, day_end(snapshot_day))


def collaboration_rows(xhs: XiaohongshuWorld, since: date, until: date, data_day: date) -> list[dict[str, Any]]:
    """蒲公英's rows for notes published on Beijing days ``[since, until]`` (and by the end of ``data_day``), as the
    API renders them with figures as of ``data_day``, oldest first."""
    last = min(until, data_day)
    return [xhs.render_collaboration(c, data_day) for c in xhs.collaborations_published(since, last)]


def as_of_moment(as_of: date | datetime) -> datetime:
    return as_utc(as_of)


def publish_day(post: Post) -> date:
    return local_date(post.published_at)


def raw_history(
    xhs: XiaohongshuWorld, since: date, until: date, max_age_days: int = 30
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(stream, account, record) of everything daily runs over ``[since, until]`` would have left in raw: every
    report row of those days, and for each day the note list's snapshot as that day's run reads it (09:00 Beijing
    the next morning: the notes of the ``max_age_days`` up to the day, deleted ones gone) and 蒲公英's (the
    collaborations of those days, figures as of the day), each record carrying its ``snapshot_date``. For
    benchmarks that need years of history without years of runs."""
    first = max(since, WORLD_START)
    advertiser = ADVERTISER_ID
    for row in report_rows(xhs, first, until):
        yield "note_report_daily", advertiser, row
    day = first
    while day <= until:
        snapshot_date = day.isoformat()
        read_at = day_end(day) + timedelta(hours=READY_HOUR)
        oldest = day - timedelta(days=max_age_days - 1)
        for post in xhs.notes_listed(oldest, day, read_at):
            yield "note_list", advertiser, {**xhs.render_note(post), "snapshot_date": snapshot_date}
        for row in collaboration_rows(xhs, oldest, day, day):
            yield "collaboration_snapshots", advertiser, {**row, "snapshot_date": snapshot_date}
        day += timedelta(days=1)
