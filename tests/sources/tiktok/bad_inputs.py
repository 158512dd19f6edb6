"""TikTok's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in ``tests/bad_input_cases.py``).

TikTok's own traps: every metric is a string (so a number must hold its type as text), records nest their fields
under ``dimensions`` and ``metrics`` (a field missing there is "required field missing: metrics.<name>"), the day
comes as ``YYYY-MM-DD 00:00:00`` in the advertiser's zone, and ids pass 2^53.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tests.bad_input_cases import (
    MISSING,
    TYPE,
    Case,
    dropping,
    manifest_row_count,
    manifest_without,
    records_cut,
    setting,
    twice,
)
from tests.sources.tiktok.helpers import US, US_SETTINGS, report_row

PARTITION = ("ad_report_daily", US, date(2026, 11, 1), date(2026, 11, 2))
SETTINGS = US_SETTINGS
SRC = "tiktok"
REGEX_DAY = "rule=expect_column_values_to_match_regex(column=stat_time_day"


def base() -> dict[str, Any]:
    return report_row("1783000001100000000", "2026-11-01 00:00:00", "10.00")


CASES = [
    # -- TikTok: types (every value arrives as a string) --------------------------------------------------------
    Case("tiktok spend not a number", SRC, setting("metrics.spend", "ten dollars"), (TYPE + "spend",)),
    Case("tiktok spend with more decimals than kept", SRC, setting("metrics.spend", "12.34567"), (TYPE + "spend",)),
    Case("tiktok spend negative", SRC, setting("metrics.spend", "-5.00"), ("column=spend, min_value=0",)),
    Case("tiktok spend as a JSON number", SRC, setting("metrics.spend", 10.5), accepted=("spend", Decimal("10.5"))),
    Case("tiktok impressions 1234.5", SRC, setting("metrics.impressions", "1234.5"), (TYPE + "impressions",)),
    Case("tiktok impressions 1234.0", SRC, setting("metrics.impressions", "1234.0"), accepted=("impressions", 1234)),
    Case(
        "tiktok clicks above impressions",
        SRC,
        setting("metrics.clicks", "2000"),
        ("column_A=impressions, column_B=clicks",),
    ),
    Case("tiktok purchases fractional", SRC, setting("metrics.complete_payment", "1.5"), (TYPE + "complete_payment",)),
    # TikTok writes "-" where a figure does not apply; for a value that is unknown, never 0.
    Case(
        "tiktok purchase value written as a dash",
        SRC,
        setting("metrics.total_complete_payment_rate", "-"),
        (TYPE + "total_complete_payment_rate",),
    ),
    Case("tiktok conversions negative", SRC, setting("metrics.conversion", "-1"), ("column=conversion, min_value=0",)),
    # -- TikTok: nulls and missing fields -----------------------------------------------------------------------
    Case("tiktok spend missing", SRC, dropping("metrics.spend"), (MISSING + "metrics.spend",)),
    Case("tiktok spend null", SRC, setting("metrics.spend", None), (MISSING + "metrics.spend",)),
    Case("tiktok clicks missing", SRC, dropping("metrics.clicks"), (MISSING + "metrics.clicks",)),
    Case(
        "tiktok purchases missing", SRC, dropping("metrics.complete_payment"), (MISSING + "metrics.complete_payment",)
    ),
    Case(
        "tiktok purchase value missing",
        SRC,
        dropping("metrics.total_complete_payment_rate"),
        (MISSING + "metrics.total_complete_payment_rate",),
    ),
    Case("tiktok campaign id missing", SRC, dropping("metrics.campaign_id"), (MISSING + "metrics.campaign_id",)),
    Case(
        "tiktok every metric missing",
        SRC,
        dropping("metrics"),
        (MISSING + "metrics.spend", MISSING + "metrics.impressions"),
    ),
    Case("tiktok ad id missing", SRC, dropping("dimensions.ad_id"), ("rule=key_present column=ad_id",)),
    Case("tiktok day missing", SRC, dropping("dimensions.stat_time_day"), ("rule=key_present column=stat_time_day",)),
    Case("tiktok optional ad name missing stays null", SRC, dropping("metrics.ad_name"), accepted=("ad_name", None)),
    # -- TikTok: days, ids, names, keys ---------------------------------------------------------------------------
    Case(
        "tiktok day without its time kept",
        SRC,
        setting("dimensions.stat_time_day", "2026-11-01"),
        accepted=("stat_time_day", "2026-11-01"),
    ),
    Case(
        "tiktok day of an hourly report", SRC, setting("dimensions.stat_time_day", "2026-11-01 13:00:00"), (REGEX_DAY,)
    ),
    Case(
        "tiktok day carrying a zone",
        SRC,
        setting("dimensions.stat_time_day", "2026-11-01T00:00:00-08:00"),
        (REGEX_DAY,),
    ),
    Case(
        "tiktok day outside the window",
        SRC,
        setting("dimensions.stat_time_day", "2026-10-31 00:00:00"),
        ("rule=stat_time_day_inside_window",),
    ),
    Case(
        "tiktok day with slashes",
        SRC,
        setting("dimensions.stat_time_day", "2026/11/01 00:00:00"),
        ("rule=stat_time_day_inside_window",),
    ),
    Case(
        "tiktok ad id as a JSON number past 2^53 kept exact",
        SRC,
        setting("dimensions.ad_id", 1783000001100000001),
        accepted=("ad_id", "1783000001100000001"),
    ),
    Case(
        "tiktok Chinese and emoji name kept verbatim",
        SRC,
        setting("metrics.ad_name", "双11 大促 🎉"),
        accepted=("ad_name", "双11 大促 🎉"),
    ),
    Case("tiktok duplicate row", SRC, None, ("column_list=['account', 'ad_id', 'stat_time_day']",), records=twice),
    Case(
        "tiktok unknown new metric kept in the record",
        SRC,
        setting("metrics.real_time_conversion", "3"),
        accepted=("spend", Decimal("10.00")),
    ),
    # -- landings that lie ------------------------------------------------------------------------------------
    Case(
        "tiktok manifest claiming more rows",
        SRC,
        landing=manifest_row_count(5),
        refused=("rule=row_count_matches_manifest",),
    ),
    Case("tiktok records file cut off", SRC, landing=records_cut, refused=("rule=records_readable",)),
    Case(
        "tiktok landing without account settings",
        SRC,
        landing=manifest_without("account_settings"),
        refused=("rule=account_settings_present",),
    ),
]

PAGE_LIES = [
    ("ad_report_daily", US, "malformed"),
    ("ad_report_daily", US, "empty_page"),
]

SERVED_SPOILS = [
    ("ad_report_daily", US, "fractional_count", ("rule=type_holds column=impressions", ".5'")),
    ("ad_report_daily", US, "missing_spend", ("rule=required field missing: metrics.spend: 1 of",)),
]  # fmt: skip
