"""Xiaohongshu's share of the marts week (tests/dbt/week.py): the week's note report, the note list and 蒲公英's
collaborations as the second load saw them, and an earlier 蒲公英 snapshot from the first load (so the marts must
take each collaboration's latest)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sandbox.xiaohongshu import truth
from tests.dbt import raw_fixtures as raw
from tests.dbt.week import FIRST_LOAD, SECOND_LOAD, SINCE, UNTIL
from tests.sources.xiaohongshu.helpers import ADVERTISER, COLLABORATIONS, NOTES, REPORT, SOURCE
from warehouse.raw_tables import raw_table_for

MAX_AGE_DAYS = 30  # the connection's default extra.post_max_age_days
FIRST_SNAPSHOT = truth.last_ready_day(FIRST_LOAD)  # the last Beijing day out at the first load


def collaboration_window(snapshot_day: date) -> tuple[date, date]:
    """The publish days a 蒲公英 snapshot of ``snapshot_day`` reads."""
    return snapshot_day - timedelta(days=MAX_AGE_DAYS - 1), snapshot_day


def land_week(con: Any, world: Any) -> None:
    xhs = world.part(SOURCE)
    window = (SINCE, UNTIL + timedelta(days=1))
    for row in truth.report_rows(xhs, SINCE, UNTIL):
        raw.insert_raw(con, raw_table_for(SOURCE, REPORT), ADVERTISER, row, "run-2", SECOND_LOAD, window)
    for item in truth.note_items(xhs, UNTIL - timedelta(days=MAX_AGE_DAYS - 1), UNTIL, SECOND_LOAD):
        raw.insert_raw(con, raw_table_for(SOURCE, NOTES), ADVERTISER, item, "run-2", SECOND_LOAD, window)
    for run_id, snapshot_day, loaded_at in (("run-1", FIRST_SNAPSHOT, FIRST_LOAD), ("run-2", UNTIL, SECOND_LOAD)):
        since, until = collaboration_window(snapshot_day)
        load_window = (SINCE, snapshot_day + timedelta(days=1))
        for row in truth.collaboration_rows(xhs, since, until, snapshot_day):
            table = raw_table_for(SOURCE, COLLABORATIONS)
            raw.insert_raw(con, table, ADVERTISER, row, run_id, loaded_at, load_window)
        raw.cover(con, SOURCE, COLLABORATIONS, ADVERTISER, load_window, run_id)
    for stream in (REPORT, NOTES):
        raw.cover(con, SOURCE, stream, ADVERTISER, window, "run-2")
