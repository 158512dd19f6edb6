"""The Official Account's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in
``tests/bad_input_cases.py``).

WeChat's own traps: an article record nests the day's figures under ``detail`` (a field missing there is "required
field missing: detail.<name>"), numbers are JSON numbers, days are ``YYYY-MM-DD`` Beijing days, and figures are
cumulative, so a later day may not show fewer readers than an earlier one by more than a purge does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.bad_input_cases import MISSING, TYPE, Case, dropping, manifest_row_count, records_cut, setting, twice
from tests.sources.wechat_oa.helpers import APPID, ARTICLES, article_record

PARTITION = (ARTICLES, APPID, date(2026, 11, 1), date(2026, 11, 2))
SETTINGS = None
SRC = "wechat_oa"


def base() -> dict[str, Any]:
    return article_record("2247481035_1", "2026-11-01", "2026-11-01")


def _two_days_reads_falling(record: dict) -> list[dict]:
    later = article_record("2247481035_1", "2026-11-01", "2026-11-02", read_user=100)
    record["detail"]["read_user"] = 1000
    return [record, later]


CASES = [
    Case("wechat reads negative", SRC, setting("detail.read_user", -1), ("column=read_user, min_value=0",)),
    Case("wechat reads as text", SRC, setting("detail.read_user", "1.2万"), (TYPE + "read_user",)),
    Case("wechat reads fractional", SRC, setting("detail.read_user", 12.5), (TYPE + "read_user",)),
    Case(
        "wechat reads as a numeric string kept", SRC, setting("detail.read_user", "1200"), accepted=("read_user", 1200)
    ),
    Case("wechat shares missing", SRC, dropping("detail.share_user"), (MISSING + "detail.share_user",)),
    Case("wechat saves null", SRC, setting("detail.collection_user", None), (MISSING + "detail.collection_user",)),
    Case("wechat day missing", SRC, dropping("detail"), ("rule=key_present column=stat_date",)),
    Case("wechat msgid missing", SRC, dropping("msgid"), ("rule=key_present column=msgid",)),
    Case(
        "wechat msgid not WeChat's",
        SRC,
        setting("msgid", "abc"),
        ("rule=expect_column_values_to_match_regex(column=msgid",),
    ),
    Case(
        "wechat reads below readers", SRC, setting("detail.read_count", 5), ("column_A=read_count, column_B=read_user",)
    ),
    Case(
        "wechat stat day before publish",
        SRC,
        setting("detail.stat_date", "2026-10-31"),
        ("column=days_since_publish, min_value=0",),
    ),
    Case(
        "wechat mass-message day outside the window",
        SRC,
        setting("ref_date", "2026-10-31"),
        ("rule=ref_date_not_before_window",),
    ),
    Case(
        "wechat cumulative readers falling by 90% overnight",
        SRC,
        None,
        ("column=read_user_kept_share, min_value=0.7",),
        records=_two_days_reads_falling,
    ),
    Case("wechat duplicate article day", SRC, None, ("column_list=['account', 'msgid', 'stat_date']",), records=twice),
    Case("wechat optional title missing stays null", SRC, dropping("title"), accepted=("title", None)),
    Case("wechat tags not a list", SRC, setting("topic_tags", "护肤"), (TYPE + "topic_tags type=JSON ARRAY",)),
    Case(
        "wechat unknown new field kept in the record",
        SRC,
        setting("detail.is_first_publish", 1),
        accepted=("read_user", 1200),
    ),
    Case(
        "wechat manifest claiming more rows",
        SRC,
        landing=manifest_row_count(5),
        refused=("rule=row_count_matches_manifest",),
    ),
    Case("wechat records file cut off", SRC, landing=records_cut, refused=("rule=records_readable",)),
]

PAGE_LIES = [(ARTICLES, APPID, "malformed")]

SERVED_SPOILS = [
    (ARTICLES, APPID, "missing_counter", ("rule=required field missing: detail.read_user: 1 of",)),
    ("user_summary", APPID, "missing_counter", ("rule=required field missing: new_user: 1 of",)),
]  # fmt: skip
