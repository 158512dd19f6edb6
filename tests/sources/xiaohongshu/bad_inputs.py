"""Xiaohongshu's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in ``tests/bad_input_cases.py``).

Xiaohongshu's own traps, on the daily note report: numbers arrive as JSON numbers or as strings ("150", "12.50")
and must be kept exactly (a count with a fraction, a fee with more than cents' worth of digits or a currency sign
must not pass), ``time`` is a bare day, ids are 24 hex characters, and a counter the API left out is missing, never
0.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tests.bad_input_cases import MISSING, TYPE, Case, dropping, manifest_row_count, records_cut, setting, twice
from tests.sources.xiaohongshu.helpers import ADVERTISER, NOTE, row

PARTITION = ("note_report_daily", ADVERTISER, date(2026, 11, 1), date(2026, 11, 2))
SETTINGS = None  # the source reads no account settings: every advertiser is on Beijing time and bills in yuan
SRC = "xiaohongshu"


def base() -> dict[str, Any]:
    return row(NOTE, "2026-11-01")


CASES = [
    # -- Xiaohongshu: numbers as strings, kept exactly ---------------------------------------------------------------
    Case("xiaohongshu reads as a numeric string kept", SRC, setting("click", "150"), accepted=("clicks", 150)),
    Case("xiaohongshu reads 150.0 kept", SRC, setting("click", 150.0), accepted=("clicks", 150)),
    Case("xiaohongshu fee as a string kept exactly", SRC, setting("fee", "3.50"), accepted=("fee", Decimal("3.50"))),
    Case("xiaohongshu fee as a number kept", SRC, setting("fee", 3.5), accepted=("fee", Decimal("3.5"))),
    Case("xiaohongshu fee zero is a real zero", SRC, setting("fee", "0.00"), accepted=("fee", Decimal("0"))),
    Case("xiaohongshu reads 150.5", SRC, setting("click", 150.5), (TYPE + "clicks",)),
    Case("xiaohongshu reads as text", SRC, setting("click", "1.5万"), (TYPE + "clicks",)),
    Case("xiaohongshu impressions with a thousands comma", SRC, setting("impression", "1,200"),
         (TYPE + "impressions",)),
    Case("xiaohongshu fee with a currency sign", SRC, setting("fee", "¥3.50"), (TYPE + "fee",)),
    Case("xiaohongshu fee past a hundredth of a cent", SRC, setting("fee", "3.123456"), (TYPE + "fee",)),
    Case("xiaohongshu fee negative", SRC, setting("fee", "-3.50"), ("column=fee, min_value=0",)),
    Case("xiaohongshu reads negative", SRC, setting("click", -1), ("column=clicks, min_value=0",)),
    Case("xiaohongshu saves negative", SRC, setting("collect", "-2"), ("column=collects, min_value=0",)),
    Case("xiaohongshu impressions negative", SRC, setting("impression", -5), ("column=impressions, min_value=0",)),
    Case("xiaohongshu reads above impressions", SRC, setting("click", 5000), ("column_A=impressions",)),
    # -- Xiaohongshu: nulls and missing fields ------------------------------------------------------------------------
    Case("xiaohongshu likes missing", SRC, dropping("like"), (MISSING + "like",)),
    Case("xiaohongshu saves null", SRC, setting("collect", None), (MISSING + "collect",)),
    Case("xiaohongshu fee missing", SRC, dropping("fee"), (MISSING + "fee",)),
    Case("xiaohongshu reads missing", SRC, dropping("click"), (MISSING + "click",)),
    Case("xiaohongshu note id missing", SRC, dropping("note_id"), ("rule=key_present column=note_id",)),
    Case("xiaohongshu day missing", SRC, dropping("time"), ("rule=key_present column=stat_date",)),
    # -- Xiaohongshu: days, ids, keys ---------------------------------------------------------------------------------
    Case("xiaohongshu day outside the window", SRC, setting("time", "2026-11-05"),
         ("rule=stat_date_inside_window",)),
    Case("xiaohongshu day with slashes", SRC, setting("time", "2026/11/01"), (TYPE + "stat_date",)),
    Case("xiaohongshu day with a time", SRC, setting("time", "2026-11-01 00:00:00"), (TYPE + "stat_date",)),
    Case("xiaohongshu note id as a number", SRC, setting("note_id", 12345), ("column=note_id, regex",)),
    Case("xiaohongshu note id kept verbatim", SRC, None, accepted=("note_id", NOTE)),
    Case("xiaohongshu duplicate note day", SRC, None, ("column_list=['account', 'note_id', 'stat_date']",),
         records=twice),
    Case("xiaohongshu unknown new metric kept in the record", SRC, setting("search_cmt_click", "3"),
         accepted=("clicks", 150)),
    # -- landings that lie --------------------------------------------------------------------------------------------
    Case("xiaohongshu manifest claiming more rows", SRC, landing=manifest_row_count(5),
         refused=("rule=row_count_matches_manifest",)),
    Case("xiaohongshu records file cut off", SRC, landing=records_cut, refused=("rule=records_readable",)),
]  # fmt: skip

PAGE_LIES = [
    ("note_report_daily", ADVERTISER, "malformed"),
    ("note_report_daily", ADVERTISER, "empty_page"),
    ("note_list", ADVERTISER, "malformed"),
    ("collaboration_snapshots", ADVERTISER, "malformed"),
]

SERVED_SPOILS = [
    ("note_report_daily", ADVERTISER, "fractional_count", ("rule=type_holds column=clicks", ".5'")),
    ("collaboration_snapshots", ADVERTISER, "missing_counter", ("rule=required field missing: like_num: 1 of",)),
]  # fmt: skip
