"""Google Ads' rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in ``tests/bad_input_cases.py``).

The record is a searchStream GoogleAdsRow: int64 metrics as JSON strings (a JSON number is the same value),
doubles as JSON numbers, nested lowerCamelCase objects, so a missing field is named by its path.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

from extractors.catalog import AccountSettings
from tests.bad_input_cases import MISSING, TYPE, Case, dropping, setting, twice
from tests.sources.google_ads.helpers import CN, STREAM, US, google_row

PARTITION = (STREAM, CN, date(2026, 11, 1), date(2026, 11, 2))
SETTINGS = AccountSettings("Asia/Shanghai", "CNY")
SOURCE = "google_ads"


def base() -> dict[str, Any]:
    return google_row("7001", "2026-11-01", "12340000", "1000", "50", conversions=2.0, value=120.5)


def in_another_ad_group(record: dict) -> list[dict]:
    other = copy.deepcopy(record)
    other["adGroup"] = {**other["adGroup"], "id": "12", "resourceName": f"customers/{CN}/adGroups/12"}
    return [record, other]


def case(name: str, *args: Any, **kwargs: Any) -> Case:
    return Case(f"google_ads {name}", SOURCE, *args, **kwargs)


CASES = [
    # -- types, and int64 values sent as strings or numbers -------------------------------------------------
    case("cost micros not a number", setting("metrics.costMicros", "twelve"), (TYPE + "cost_micros",)),
    case("cost micros with a fraction", setting("metrics.costMicros", "12340000.5"), (TYPE + "cost_micros",)),
    case("cost micros as a JSON number", setting("metrics.costMicros", 12340000), accepted=("cost_micros", 12340000)),
    case(
        "cost micros overflowing int64", setting("metrics.costMicros", "9223372036854775808"), (TYPE + "cost_micros",)
    ),
    case("cost micros negative", setting("metrics.costMicros", "-10000"), ("column=cost_micros, min_value=0",)),
    case("impressions as a JSON number", setting("metrics.impressions", 1000), accepted=("impressions", 1000)),
    case("impressions in exponent notation", setting("metrics.impressions", "1e3"), (TYPE + "impressions",)),
    case("clicks as a boolean", setting("metrics.clicks", True), (TYPE + "clicks",)),
    case("clicks above impressions", setting("metrics.clicks", "2000"), ("column_A=impressions, column_B=clicks",)),
    # Data-driven attribution gives fractional conversions; more than 4 decimals is refused, never rounded.
    case("conversions with six decimals", setting("metrics.conversions", 0.333333), (TYPE + "conversions",)),
    case("conversions as a string", setting("metrics.conversions", "2.0"), accepted=("conversions", Decimal("2"))),
    case(
        "conversions value negative",
        setting("metrics.conversionsValue", -1.5),
        ("column=conversions_value, min_value=0",),
    ),
    case("conversions value Infinity", setting("metrics.conversionsValue", "Infinity"), (TYPE + "conversions_value",)),
    case("conversions value kept exactly", None, accepted=("conversions_value", Decimal("120.5"))),
    # -- missing fields: unknown, never 0 --------------------------------------------------------------------
    case("cost micros missing", dropping("metrics.costMicros"), (MISSING + "metrics.costMicros",)),
    case("clicks missing", dropping("metrics.clicks"), (MISSING + "metrics.clicks",)),
    case("conversions missing", dropping("metrics.conversions"), (MISSING + "metrics.conversions",)),
    case(
        "metrics object null",
        setting("metrics", None),
        (MISSING + "metrics.costMicros", MISSING + "metrics.impressions", MISSING + "metrics.conversionsValue"),
    ),
    case("campaign name missing", dropping("campaign.name"), (MISSING + "campaign.name",)),
    case("customer time zone missing", dropping("customer.timeZone"), (MISSING + "customer.timeZone",)),
    case("currency missing", dropping("customer.currencyCode"), (MISSING + "customer.currencyCode",)),
    case("ad id missing", dropping("adGroupAd.ad.id"), ("rule=key_present column=ad_id",)),
    case("ad group id missing", dropping("adGroup.id"), ("rule=key_present column=ad_group_id",)),
    case("date missing", dropping("segments.date"), ("rule=key_present column=segments_date",)),
    case("ad without a name stays null", dropping("adGroupAd.ad.name"), accepted=("ad_name", None)),
    # -- dates, accounts, currencies, keys --------------------------------------------------------------------
    case("date with a time", setting("segments.date", "2026-11-01 00:00:00"), (TYPE + "segments_date",)),
    case("date outside the window", setting("segments.date", "2026-10-31"), ("rule=segments_date_inside_window",)),
    case(
        "currency not the customer's",
        setting("customer.currencyCode", "USD"),
        ("rule=currency_is_account_currency column=currency_code", "'USD'"),
    ),
    case(
        "row of another customer",
        setting("customer.id", US),
        ("rule=expect_column_pair_values_to_be_equal(column_A=account, column_B=customer_id",),
    ),
    case("duplicate row", None, ("column_list=['account', 'ad_group_id', 'ad_id', 'segments_date']",), records=twice),
    case("one ad in two ad groups is two rows", None, accepted=("ad_id", "7001"), records=in_another_ad_group),
    case(
        "Chinese name kept verbatim",
        setting("adGroup.name", "品牌词 | 精确匹配 🎯"),
        accepted=("ad_group_name", "品牌词 | 精确匹配 🎯"),
    ),
    case(
        "unknown new field kept in the record",
        setting("metrics.videoViews", "12"),
        accepted=("cost_micros", 12340000),
    ),
]

PAGE_LIES = [(STREAM, CN, "malformed")]

SERVED_SPOILS = [
    (STREAM, CN, "missing_clicks", ("rule=required field missing: metrics.clicks: 1 of",)),
    (STREAM, CN, "fractional_micros", ("rule=type_holds column=cost_micros", ".5'")),
]
