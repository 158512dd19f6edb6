"""Ocean Engine's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in
``tests/bad_input_cases.py``): its string-typed metrics, its 19-digit string ids, its Beijing days, and the
advertiser's currency coming from its settings rather than from the rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from extractors.catalog import AccountSettings
from tests.bad_input_cases import (
    MISSING,
    TYPE,
    Case,
    cut_manifest,
    dropping,
    manifest_row_count,
    manifest_without,
    records_cut,
    setting,
    twice,
)
from tests.sources.ocean_engine.helpers import report_row

ADVERTISER = "1768310000000101"
PROMOTION = "7301300003100000001"
PARTITION = ("ad_report_daily", ADVERTISER, date(2026, 11, 1), date(2026, 11, 2))
SETTINGS = AccountSettings("Asia/Shanghai", "CNY")
S = "ocean_engine"


def base() -> dict[str, Any]:
    return report_row(PROMOTION, "2026-11-01", "10.00")


def case(id: str, *args: Any, **kwargs: Any) -> Case:
    return Case(f"ocean_engine {id}", S, *args, **kwargs)


CASES = [
    # -- metrics arrive as strings: each must hold its type exactly ----------------------------------------
    case("cost not a number", setting("metrics.stat_cost", "十元"), (TYPE + "stat_cost",)),
    case("cost with more decimals than kept", setting("metrics.stat_cost", "12.34567"), (TYPE + "stat_cost",)),
    case("cost in exponent notation", setting("metrics.stat_cost", "1e3"), (TYPE + "stat_cost",)),
    case("cost with a thousands separator", setting("metrics.stat_cost", "1,234.00"), (TYPE + "stat_cost",)),
    case("cost as an empty string", setting("metrics.stat_cost", ""), (TYPE + "stat_cost",)),
    case("cost as an object", setting("metrics.stat_cost", {"amount": "10"}), (TYPE + "stat_cost",)),
    case("cost negative", setting("metrics.stat_cost", "-5.00"), ("column=stat_cost, min_value=0",)),
    case("cost as a JSON number", setting("metrics.stat_cost", 10.5), accepted=("stat_cost", Decimal("10.5"))),
    case("cost without fen", setting("metrics.stat_cost", "12"), accepted=("stat_cost", Decimal("12"))),
    case("impressions 1234.5", setting("metrics.show_cnt", "1234.5"), (TYPE + "show_cnt",)),
    case("impressions 1234.0", setting("metrics.show_cnt", "1234.0"), accepted=("show_cnt", 1234)),
    case("impressions as a JSON number", setting("metrics.show_cnt", 1000), accepted=("show_cnt", 1000)),
    case("impressions negative", setting("metrics.show_cnt", "-1"), ("column=show_cnt, min_value=0",)),
    case(
        "clicks above impressions",
        setting("metrics.click_cnt", "2000"),
        ("column_A=show_cnt, column_B=click_cnt",),
    ),
    case("conversions fractional", setting("metrics.convert_cnt", "2.5"), (TYPE + "convert_cnt",)),
    case("conversions negative", setting("metrics.convert_cnt", "-2"), ("column=convert_cnt, min_value=0",)),
    case(
        "pay amount negative",
        setting("metrics.active_pay_amount", "-520.00"),
        ("column=active_pay_amount, min_value=0",),
    ),
    case(
        "pay amount as a percentage",
        setting("metrics.active_pay_amount", "12%"),
        (TYPE + "active_pay_amount",),
    ),
    # -- a metric or dimension the API left out is unknown, never 0 ---------------------------------------
    case("cost missing", dropping("metrics.stat_cost"), (MISSING + "metrics.stat_cost",)),
    case("cost null", setting("metrics.stat_cost", None), (MISSING + "metrics.stat_cost",)),
    case("impressions missing", dropping("metrics.show_cnt"), (MISSING + "metrics.show_cnt",)),
    case("clicks missing", dropping("metrics.click_cnt"), (MISSING + "metrics.click_cnt",)),
    case("conversions missing", dropping("metrics.convert_cnt"), (MISSING + "metrics.convert_cnt",)),
    case("pay amount missing", dropping("metrics.active_pay_amount"), (MISSING + "metrics.active_pay_amount",)),
    case(
        "the whole metrics object missing",
        dropping("metrics"),
        (MISSING + "metrics.stat_cost", MISSING + "metrics.show_cnt", MISSING + "metrics.active_pay_amount"),
    ),
    case("project id missing", dropping("dimensions.cdp_project_id"), (MISSING + "dimensions.cdp_project_id",)),
    case(
        "promotion id missing", dropping("dimensions.cdp_promotion_id"), ("rule=key_present column=cdp_promotion_id",)
    ),
    case("day missing", dropping("dimensions.stat_time_day"), ("rule=key_present column=stat_time_day",)),
    case(
        "optional promotion name missing stays null",
        dropping("dimensions.cdp_promotion_name"),
        accepted=("cdp_promotion_name", None),
    ),
    # -- ids pass 2^53: strings end to end ------------------------------------------------------------------
    case("promotion id kept as the exact string", None, accepted=("cdp_promotion_id", PROMOTION)),
    case(
        "promotion id as an exact JSON integer kept exact",
        setting("dimensions.cdp_promotion_id", int(PROMOTION)),
        accepted=("cdp_promotion_id", PROMOTION),
    ),
    case(
        "promotion id mangled to a float by a JavaScript client",
        setting("dimensions.cdp_promotion_id", float(PROMOTION)),
        ("column=cdp_promotion_id", "regex"),
    ),
    case(
        "project id in exponent notation",
        setting("dimensions.cdp_project_id", "7.3011e+18"),
        ("column=cdp_project_id", "regex"),
    ),
    # -- Beijing days, the advertiser's currency --------------------------------------------------------------
    case("day that does not exist", setting("dimensions.stat_time_day", "2026-11-31"), (TYPE + "stat_time_day",)),
    case("day with slashes", setting("dimensions.stat_time_day", "2026/11/01"), (TYPE + "stat_time_day",)),
    case(
        "day as an hour range (stat_time_hour's format)",
        setting("dimensions.stat_time_day", "2026-11-01 14:00 - 14:59"),
        (TYPE + "stat_time_day",),
    ),
    case(
        "day outside the window",
        setting("dimensions.stat_time_day", "2026-10-31"),
        ("rule=stat_time_day_inside_window",),
    ),
    case(
        "advertiser in a currency without FX rates",
        None,
        ("rule=fx_rate_known account currency", "'JPY' on 1 day(s), 2026-11-01..2026-11-01"),
        settings=AccountSettings("Asia/Shanghai", "JPY"),
    ),
    case(
        "Chinese and emoji name kept verbatim",
        setting("dimensions.cdp_promotion_name", "双11 直播间 🎉"),
        accepted=("cdp_promotion_name", "双11 直播间 🎉"),
    ),
    case(
        "very long project name kept whole",
        setting("dimensions.cdp_project_name", "项" * 20000),
        accepted=("cdp_project_name", "项" * 20000),
    ),
    case("duplicate row", None, ("column_list=['account', 'cdp_promotion_id', 'stat_time_day']",), records=twice),
    case(
        "unknown new metric kept in the record",
        setting("metrics.deep_convert_cnt", "0"),
        accepted=("stat_cost", Decimal("10.00")),
    ),
    # -- landings that lie ------------------------------------------------------------------------------------
    case("manifest cut off", landing=cut_manifest, refused=("rule=manifest_readable",)),
    case("manifest claiming more rows", landing=manifest_row_count(5), refused=("rule=row_count_matches_manifest",)),
    case("records file cut off", landing=records_cut, refused=("rule=records_readable",)),
    case(
        "landing without account settings",
        landing=manifest_without("account_settings"),
        refused=("rule=account_settings_present",),
    ),
]

PAGE_LIES = [
    ("ad_report_daily", ADVERTISER, "malformed"),
    ("ad_report_daily", ADVERTISER, "empty_page"),
]

SERVED_SPOILS = [
    ("ad_report_daily", ADVERTISER, "fractional_count", ("rule=type_holds column=show_cnt", ".5'")),
    ("ad_report_daily", ADVERTISER, "missing_cost", ("rule=required field missing: metrics.stat_cost: 1 of",)),
]
