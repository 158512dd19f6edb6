"""Douyin's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in ``tests/bad_input_cases.py``).

Douyin's own traps: counters are JSON numbers nested under ``statistics`` (a field missing there is "required field
missing: statistics.<name>"), ``create_time`` is unix seconds (an ISO text or milliseconds must not pass), ids are
encrypted text, and the API has no save counter at all (nothing may invent one).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.bad_input_cases import MISSING, TYPE, Case, dropping, manifest_row_count, records_cut, setting, twice
from tests.sources.douyin.helpers import OPEN_ID, item

PARTITION = ("video_snapshots", OPEN_ID, date(2026, 11, 1), date(2026, 11, 2))
SETTINGS = None  # the source reads no account settings: every account is on Beijing time
SRC = "douyin"
ITEM = "@9VwKzuuES8gmaXS7ZohqSMZ+Ly2eOfWBBKZ9r33PiKgNZtE5Uol7j7HQoGmN6lD1FkYT1vEUFRrxrzR2ROoHxQ=="


def base() -> dict[str, Any]:
    return item(ITEM, create_time=1793395200)  # 2026-10-31 05:20 Beijing, before the snapshot day's end


CASES = [
    # -- Douyin: counter types (JSON numbers under statistics) ----------------------------------------------------
    Case("douyin plays as a numeric string kept", SRC, setting("statistics.play_count", "20000"),
         accepted=("play_count", 20000)),
    Case("douyin plays 1234.0 kept", SRC, setting("statistics.play_count", 1234.0), accepted=("play_count", 1234)),
    Case("douyin plays 1234.5", SRC, setting("statistics.play_count", 1234.5), (TYPE + "play_count",)),
    Case("douyin plays as text", SRC, setting("statistics.play_count", "2万"), (TYPE + "play_count",)),
    Case("douyin likes fractional", SRC, setting("statistics.digg_count", "9.5"), (TYPE + "digg_count",)),
    Case("douyin plays negative", SRC, setting("statistics.play_count", -3), ("column=play_count, min_value=0",)),
    Case("douyin likes negative", SRC, setting("statistics.digg_count", -1), ("column=digg_count, min_value=0",)),
    Case("douyin comments negative", SRC, setting("statistics.comment_count", -1),
         ("column=comment_count, min_value=0",)),
    Case("douyin shares negative", SRC, setting("statistics.share_count", -2), ("column=share_count, min_value=0",)),
    Case("douyin downloads negative", SRC, setting("statistics.download_count", -2),
         ("column=download_count, min_value=0",)),
    # -- Douyin: nulls and missing fields -------------------------------------------------------------------------
    Case("douyin plays missing", SRC, dropping("statistics.play_count"), (MISSING + "statistics.play_count",)),
    Case("douyin plays null", SRC, setting("statistics.play_count", None), (MISSING + "statistics.play_count",)),
    Case("douyin likes missing", SRC, dropping("statistics.digg_count"), (MISSING + "statistics.digg_count",)),
    Case("douyin comments missing", SRC, dropping("statistics.comment_count"),
         (MISSING + "statistics.comment_count",)),
    Case("douyin shares missing", SRC, dropping("statistics.share_count"), (MISSING + "statistics.share_count",)),
    Case("douyin every counter missing", SRC, dropping("statistics"),
         (MISSING + "statistics.play_count", MISSING + "statistics.digg_count")),
    Case("douyin title missing", SRC, dropping("title"), (MISSING + "title",)),
    Case("douyin item id missing", SRC, dropping("item_id"), ("rule=key_present column=item_id",)),
    Case("douyin item id null", SRC, setting("item_id", None), ("rule=key_present column=item_id",)),
    Case("douyin optional forwards missing stay null", SRC, dropping("statistics.forward_count"),
         accepted=("forward_count", None)),
    Case("douyin optional pin flag missing stays null", SRC, dropping("is_top"), accepted=("is_top", None)),
    # -- Douyin: times, flags, ids, keys ----------------------------------------------------------------------------
    Case("douyin create time as ISO text", SRC, setting("create_time", "2026-11-06T12:00:00Z"),
         (TYPE + "create_time",)),
    Case("douyin create time in milliseconds", SRC, setting("create_time", 1794000000000),
         ("column=create_time, min_value=1", "e.g. 1794000000000")),
    Case("douyin create time after the snapshot day", SRC, setting("create_time", 1794000000),
         ("column=published_at",)),
    Case("douyin create time zero", SRC, setting("create_time", 0), ("column=create_time, min_value=1",)),
    Case("douyin pin flag as text", SRC, setting("is_top", "yes"), (TYPE + "is_top",)),
    Case("douyin unknown media type", SRC, setting("media_type", 3), ("column=media_type, value_set",)),
    Case("douyin encrypted id kept verbatim", SRC, None, accepted=("item_id", ITEM)),
    Case("douyin emoji title kept verbatim", SRC, setting("title", "双11 开箱 🎉 #开箱"),
         accepted=("title", "双11 开箱 🎉 #开箱")),
    Case("douyin duplicate item", SRC, None, ("column_list=['account', 'snapshot_date', 'item_id']",), records=twice),
    Case("douyin unknown new counter kept in the record", SRC, setting("statistics.collect_count", 7),
         accepted=("play_count", 20000)),
    # -- landings that lie ----------------------------------------------------------------------------------------
    Case("douyin manifest claiming more rows", SRC, landing=manifest_row_count(5),
         refused=("rule=row_count_matches_manifest",)),
    Case("douyin records file cut off", SRC, landing=records_cut, refused=("rule=records_readable",)),
]  # fmt: skip

PAGE_LIES = [
    ("video_snapshots", OPEN_ID, "malformed"),
    ("video_snapshots", OPEN_ID, "empty_page"),
    ("fans_daily", OPEN_ID, "malformed"),
]

SERVED_SPOILS = [
    ("fans_daily", OPEN_ID, "fractional_count", ("rule=type_holds column=new_fans", ".5'")),
    ("fans_daily", OPEN_ID, "missing_counter", ("rule=required field missing: total_fans: 3 of 3 rows",)),
]  # fmt: skip
