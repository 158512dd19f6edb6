"""Bilibili's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in ``tests/bad_input_cases.py``).

Bilibili's own traps: a record is the archive list item with its data answer nested under ``stat`` (a counter
missing there is "required field missing: stat.<name>"), counts may arrive as strings (kept when whole), the web
shows big counts as "1.2万" (never a count here), ``ptime`` is unix seconds (milliseconds would put the video in the
future), ids are BV ids, and a snapshot's day is the window's last, set by the load.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.bad_input_cases import MISSING, TYPE, Case, dropping, manifest_row_count, records_cut, setting, twice
from tests.sources.bilibili.helpers import ACCOUNT, ARCHIVES, SETTINGS, USER_STAT, archive_record

PARTITION = (ARCHIVES, ACCOUNT, date(2026, 11, 1), date(2026, 11, 2))
SRC = "bilibili"
PTIME = 1_793_450_000  # 2026-10-31 20:33 in Beijing: a day before the snapshot day
FUTURE = 1_793_600_000  # 2026-11-02 14:13 in Beijing: after the snapshot's day


def base() -> dict[str, Any]:
    return archive_record("BV1aB2cD3eF4", PTIME)


def between(column: str) -> str:
    return f"rule=expect_column_values_to_be_between(column={column}"


CASES = [
    # -- types: counts as Bilibili sends them, and as it must not ---------------------------------------------
    Case("bilibili plays as a whole string kept", SRC, setting("stat.view", "12000"), accepted=("view_count", 12000)),
    Case("bilibili plays fractional", SRC, setting("stat.view", "12000.5"), (TYPE + "view_count",)),
    Case("bilibili plays as the web writes them", SRC, setting("stat.view", "1.2万"), (TYPE + "view_count",)),
    Case("bilibili plays negative", SRC, setting("stat.view", -1), (between("view_count") + ", min_value=0",)),
    Case("bilibili coins fractional", SRC, setting("stat.coin", "3.5"), (TYPE + "coin_count",)),
    Case("bilibili favourites negative", SRC, setting("stat.favorite", -3), (between("favorite_count"),)),
    # -- nulls and missing counters: unknown, never 0 ------------------------------------------------------------
    Case("bilibili likes missing", SRC, dropping("stat.like"), (MISSING + "stat.like",)),
    Case("bilibili favourites null", SRC, setting("stat.favorite", None), (MISSING + "stat.favorite",)),
    Case("bilibili danmaku missing", SRC, dropping("stat.danmaku"), (MISSING + "stat.danmaku",)),
    Case("bilibili every counter missing", SRC, dropping("stat"), (MISSING + "stat.view", MISSING + "stat.like")),
    Case("bilibili ptime missing", SRC, dropping("ptime"), (MISSING + "ptime",)),
    Case("bilibili title missing", SRC, dropping("title"), (MISSING + "title",)),
    Case("bilibili BV id missing", SRC, dropping("resource_id"), ("rule=key_present column=resource_id",)),
    Case("bilibili optional tags missing stay null", SRC, dropping("tag"), accepted=("tag", None)),
    Case("bilibili optional length missing stays null", SRC, dropping("video_info"), accepted=("duration", None)),
    # -- ids, times, text, keys ------------------------------------------------------------------------------------
    Case(
        "bilibili av number instead of a BV id",
        SRC,
        setting("resource_id", "av170001"),
        ("rule=expect_column_values_to_match_regex(column=resource_id",),
    ),
    Case("bilibili ptime in milliseconds", SRC, setting("ptime", PTIME * 1000), (between("ptime") + ", min_value=1",)),
    Case("bilibili video published after the snapshot", SRC, setting("ptime", FUTURE), (between("published_at"),)),
    Case("bilibili ptime as a string kept", SRC, setting("ptime", str(PTIME)), accepted=("ptime", PTIME)),
    Case("bilibili ptime as a date", SRC, setting("ptime", "2026-10-31"), (TYPE + "ptime",)),
    Case(
        "bilibili a video older than a year in a snapshot",
        SRC,
        setting("ptime", PTIME - 400 * 86400),
        (between("days_since_publish"),),
    ),
    Case(
        "bilibili Chinese and emoji title kept verbatim",
        SRC,
        setting("title", "双11 护肤合集 🎉"),
        accepted=("title", "双11 护肤合集 🎉"),
    ),
    Case(
        "bilibili duplicate video in a snapshot",
        SRC,
        None,
        ("column_list=['account', 'snapshot_date', 'resource_id']",),
        records=twice,
    ),
    Case(
        "bilibili unknown new counter kept in the record",
        SRC,
        setting("stat.vt", 0),
        accepted=("view_count", 12000),
    ),
    # -- landings that lie --------------------------------------------------------------------------------------
    Case(
        "bilibili manifest claiming more rows",
        SRC,
        landing=manifest_row_count(5),
        refused=("rule=row_count_matches_manifest",),
    ),
    Case("bilibili records file cut off", SRC, landing=records_cut, refused=("rule=records_readable",)),
]

# The snapshot's day is the window's last: a landing's records never carry it, whatever they say.
CASES.append(
    Case("bilibili snapshot date in the record ignored", SRC, setting("snapshot_date", "2020-01-01"),
         accepted=("snapshot_date", date(2026, 11, 1)))
)  # fmt: skip

PAGE_LIES = [
    (ARCHIVES, ACCOUNT, "malformed"),
    (ARCHIVES, ACCOUNT, "empty_page"),
]

SERVED_SPOILS = [
    (ARCHIVES, ACCOUNT, "missing_counter", ("rule=required field missing: stat.favorite: 1 of",)),
    (USER_STAT, ACCOUNT, "missing_counter", ("rule=required field missing: follower: 1 of",)),
]

__all__ = ["CASES", "PAGE_LIES", "PARTITION", "SERVED_SPOILS", "SETTINGS", "base"]
