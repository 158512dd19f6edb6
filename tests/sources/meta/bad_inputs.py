"""Meta's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in ``tests/bad_input_cases.py``)."""

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
from tests.sources.meta.helpers import meta_row

PARTITION = ("ads_insights", "act_1001", date(2026, 11, 1), date(2026, 11, 2))
SETTINGS = AccountSettings("Asia/Shanghai", "CNY")


def base() -> dict[str, Any]:
    return meta_row("a1", "2026-11-01", "10.00", ad_name="Spring sale", campaign_name="Evergreen")


CASES = [
    # -- Meta: types --------------------------------------------------------------------------------------
    Case("meta spend not a number", "meta", setting("spend", "ten yuan"), (TYPE + "spend",)),
    Case("meta spend with more decimals than kept", "meta", setting("spend", "12.34567"), (TYPE + "spend",)),
    Case("meta spend in exponent notation", "meta", setting("spend", "1e3"), (TYPE + "spend",)),
    Case("meta spend with a thousands separator", "meta", setting("spend", "1,234.00"), (TYPE + "spend",)),
    Case("meta spend overflowing decimal(18,4)", "meta", setting("spend", "99999999999999999999"), (TYPE + "spend",)),
    Case("meta spend NaN", "meta", setting("spend", "NaN"), (TYPE + "spend",)),
    Case("meta spend Infinity", "meta", setting("spend", "Infinity"), (TYPE + "spend",)),
    Case("meta spend as an object", "meta", setting("spend", {"amount": "10"}), (TYPE + "spend",)),
    Case("meta spend as a list", "meta", setting("spend", ["10"]), (TYPE + "spend",)),
    Case("meta spend negative", "meta", setting("spend", "-5.00"), ("column=spend, min_value=0",)),
    Case("meta spend as a JSON number", "meta", setting("spend", 10.5), accepted=("spend", Decimal("10.5"))),
    Case("meta spend with trailing zeros", "meta", setting("spend", "10.500000"), accepted=("spend", Decimal("10.5"))),
    Case("meta impressions 1234.5", "meta", setting("impressions", "1234.5"), (TYPE + "impressions",)),
    Case("meta impressions 1234.0", "meta", setting("impressions", "1234.0"), accepted=("impressions", 1234)),
    Case("meta impressions as a JSON number", "meta", setting("impressions", 1000), accepted=("impressions", 1000)),
    Case("meta impressions negative", "meta", setting("impressions", "-1"), ("column=impressions, min_value=0",)),
    Case(
        "meta impressions overflowing bigint",
        "meta",
        setting("impressions", "9223372036854775808"),
        (TYPE + "impressions",),
    ),
    Case("meta impressions as a boolean", "meta", setting("impressions", True), (TYPE + "impressions",)),
    Case(
        "meta clicks above impressions", "meta", setting("clicks", "2000"), ("column_A=impressions, column_B=clicks",)
    ),
    Case(
        "meta link clicks above clicks",
        "meta",
        setting("inline_link_clicks", "60"),
        ("column_A=clicks, column_B=inline_link_clicks",),
    ),
    Case("meta clicks with a sign", "meta", setting("clicks", "+50"), accepted=("clicks", 50)),
    # -- Meta: nulls and missing fields -----------------------------------------------------------------------
    Case("meta spend missing", "meta", dropping("spend"), (MISSING + "spend",)),
    Case("meta spend null", "meta", setting("spend", None), (MISSING + "spend",)),
    Case("meta clicks missing", "meta", dropping("clicks"), (MISSING + "clicks",)),
    Case("meta impressions missing", "meta", dropping("impressions"), (MISSING + "impressions",)),
    Case("meta link clicks missing", "meta", dropping("inline_link_clicks"), (MISSING + "inline_link_clicks",)),
    Case("meta currency missing", "meta", dropping("account_currency"), (MISSING + "account_currency",)),
    Case("meta ad id missing", "meta", dropping("ad_id"), ("rule=key_present column=ad_id",)),
    Case("meta date missing", "meta", dropping("date_start"), ("rule=key_present column=date_start",)),
    Case("meta optional name missing stays null", "meta", dropping("ad_name"), accepted=("ad_name", None)),
    Case("meta actions missing stay null", "meta", None, accepted=("actions", None)),
    # -- Meta: dates, time zones, currencies, encodings, keys ---------------------------------------------------
    Case("meta date that does not exist", "meta", setting("date_start", "2026-11-31"), (TYPE + "date_start",)),
    Case("meta date with slashes", "meta", setting("date_start", "2026/11/01"), (TYPE + "date_start",)),
    Case(
        "meta date carrying a time and zone",
        "meta",
        setting("date_start", "2026-11-01T00:00:00-08:00"),
        (TYPE + "date_start",),
    ),
    Case(
        "meta date outside the window", "meta", setting("date_start", "2026-10-31"), ("rule=date_start_inside_window",)
    ),
    Case(
        "meta currency not the account's",
        "meta",
        setting("account_currency", "USD"),
        ("rule=currency_is_account_currency column=account_currency", "'USD'"),
    ),
    Case(
        "meta currency lower-case",
        "meta",
        setting("account_currency", "cny"),
        ("rule=currency_is_account_currency column=account_currency",),
    ),
    Case(
        "meta currency empty",
        "meta",
        setting("account_currency", ""),
        ("rule=currency_is_account_currency column=account_currency",),
    ),
    Case(
        "meta unknown currency code",
        "meta",
        setting("account_currency", "XYZ"),
        ("rule=currency_is_account_currency column=account_currency",),
    ),
    Case(
        "meta account in a currency without FX rates",
        "meta",
        setting("account_currency", "JPY"),
        ("rule=fx_rate_known column=account_currency", "'JPY' on 1 day(s), 2026-11-01..2026-11-01"),
        settings=AccountSettings("Asia/Tokyo", "JPY"),
    ),
    Case(
        "meta Chinese and emoji name kept verbatim",
        "meta",
        setting("ad_name", "双11 大促 🎉"),
        accepted=("ad_name", "双11 大促 🎉"),
    ),
    Case(
        "meta control characters kept verbatim",
        "meta",
        setting("ad_name", "tab\there\nline"),
        accepted=("ad_name", "tab\there\nline"),
    ),
    Case(
        "meta very long name kept whole",
        "meta",
        setting("campaign_name", "x" * 20000),
        accepted=("campaign_name", "x" * 20000),
    ),
    Case("meta duplicate row", "meta", None, ("column_list=['account', 'ad_id', 'date_start']",), records=twice),
    Case(
        "meta unknown new field kept in the record",
        "meta",
        setting("quality_ranking", "ABOVE_AVERAGE"),
        accepted=("spend", Decimal("10.00")),
    ),
    # -- landings that lie ------------------------------------------------------------------------------------
    Case("meta manifest cut off", "meta", landing=cut_manifest, refused=("rule=manifest_readable",)),
    Case(
        "meta manifest without its row count",
        "meta",
        landing=manifest_without("row_count"),
        refused=("rule=manifest_readable", "row_count"),
    ),
    Case(
        "meta manifest claiming more rows",
        "meta",
        landing=manifest_row_count(5),
        refused=("rule=row_count_matches_manifest",),
    ),
    Case("meta records file cut off", "meta", landing=records_cut, refused=("rule=records_readable",)),
    Case(
        "meta landing without account settings",
        "meta",
        landing=manifest_without("account_settings"),
        refused=("rule=account_settings_present",),
    ),
]

PAGE_LIES = [
    ("ads_insights", "act_1001", "malformed"),
    ("ads_insights", "act_1001", "empty_page"),
]

SERVED_SPOILS = [
    ("ads_insights", "act_1001", "fractional_count", ("rule=type_holds column=impressions", ".5'")),
    ("ads_insights", "act_1001", "missing_clicks", ("rule=required field missing: clicks: 1 of",)),
]  # fmt: skip
