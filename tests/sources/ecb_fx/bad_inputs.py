"""The ECB's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in ``tests/bad_input_cases.py``).

The account is the quoted currency; the source reads no account settings (its days are Frankfurt days), so
``SETTINGS`` is None.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tests.bad_input_cases import (
    MISSING,
    TYPE,
    Case,
    cut_manifest,
    dropping,
    manifest_row_count,
    records_cut,
    setting,
    twice,
)

PARTITION = ("reference_rates", "USD", date(2026, 11, 2), date(2026, 11, 3))
SETTINGS = None
POSITIVE = "rule=expect_column_values_to_be_between(column=units_per_base, min_value=0.0, strict_min=True)"


def base() -> dict[str, Any]:
    return {
        "rate_date": "2026-11-02",
        "currency": "USD",
        "base_currency": "EUR",
        "units_per_base": 1.0811,
        "series_key": "D.USD.EUR.SP00.A",
    }


CASES = [
    # -- ECB: the rate -------------------------------------------------------------------------------------------
    Case("ecb rate not a number", "ecb_fx", setting("units_per_base", "one"), (TYPE + "units_per_base",)),
    Case("ecb rate with a fifth decimal", "ecb_fx", setting("units_per_base", 1.08115), (TYPE + "units_per_base",)),
    Case("ecb rate as a list", "ecb_fx", setting("units_per_base", [1.0811]), (TYPE + "units_per_base",)),
    Case("ecb rate zero", "ecb_fx", setting("units_per_base", 0), (POSITIVE,)),
    Case("ecb rate negative", "ecb_fx", setting("units_per_base", -1.0811), (POSITIVE,)),
    Case("ecb rate missing", "ecb_fx", dropping("units_per_base"), (MISSING + "units_per_base",)),
    Case("ecb rate null", "ecb_fx", setting("units_per_base", None), (MISSING + "units_per_base",)),
    Case(
        "ecb rate as a decimal string",
        "ecb_fx",
        setting("units_per_base", "1.0811"),
        accepted=("units_per_base", Decimal("1.0811")),
    ),  # fmt: skip
    Case(
        "ecb rate with its trailing zero dropped",
        "ecb_fx",
        setting("units_per_base", 7.821),
        accepted=("units_per_base", Decimal("7.8210")),
    ),  # fmt: skip
    # -- ECB: currencies -----------------------------------------------------------------------------------------
    Case(
        "ecb currency lower-case",
        "ecb_fx",
        setting("currency", "usd"),
        ("rule=expect_column_values_to_match_regex(column=currency, regex=^[A-Z]{3}$)",),
    ),  # fmt: skip
    Case(
        "ecb currency not the one asked for",
        "ecb_fx",
        setting("currency", "JPY"),
        ("rule=expect_column_pair_values_to_be_equal(column_A=account, column_B=currency)",),
    ),  # fmt: skip
    Case("ecb currency missing", "ecb_fx", dropping("currency"), ("rule=key_present column=currency",)),
    Case(
        "ecb base currency not EUR",
        "ecb_fx",
        setting("base_currency", "USD"),
        ("rule=expect_column_values_to_be_in_set(column=base_currency, value_set=['EUR'])",),
    ),  # fmt: skip
    Case("ecb base currency missing", "ecb_fx", dropping("base_currency"), (MISSING + "base_currency",)),
    # -- ECB: dates and keys -------------------------------------------------------------------------------------
    Case("ecb date missing", "ecb_fx", dropping("rate_date"), ("rule=key_present column=rate_date",)),
    Case("ecb date that does not exist", "ecb_fx", setting("rate_date", "2026-02-30"), (TYPE + "rate_date",)),
    Case(
        "ecb date carrying a time and zone",
        "ecb_fx",
        setting("rate_date", "2026-11-02T16:00:00+01:00"),
        (TYPE + "rate_date",),
    ),  # fmt: skip
    Case(
        "ecb date outside the window",
        "ecb_fx",
        setting("rate_date", "2026-10-30"),
        ("rule=rate_date_inside_window",),
    ),  # fmt: skip
    Case(
        "ecb duplicate observation",
        "ecb_fx",
        None,
        ("column_list=['account', 'currency', 'rate_date']",),
        records=twice,
    ),  # fmt: skip
    Case(
        "ecb unknown new field kept in the record",
        "ecb_fx",
        setting("obs_status", "A"),
        accepted=("units_per_base", Decimal("1.0811")),
    ),  # fmt: skip
    # -- landings that lie ---------------------------------------------------------------------------------------
    Case("ecb manifest cut off", "ecb_fx", landing=cut_manifest, refused=("rule=manifest_readable",)),
    Case(
        "ecb manifest claiming more rows",
        "ecb_fx",
        landing=manifest_row_count(3),
        refused=("rule=row_count_matches_manifest",),
    ),  # fmt: skip
    Case("ecb records file cut off", "ecb_fx", landing=records_cut, refused=("rule=records_readable",)),
]

PAGE_LIES = [
    ("reference_rates", "USD", "malformed"),
]

SERVED_SPOILS = [
    ("reference_rates", "USD", "stray_day", ("rule=rate_date_inside_window: records outside the window: 2026-10-31",)),
    ("reference_rates", "USD", "extra_decimal", ("rule=type_holds column=units_per_base", "1.08115")),
]  # fmt: skip
