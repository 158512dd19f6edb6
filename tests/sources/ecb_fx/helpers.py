"""ECB constants and helpers shared by the tests in this folder and its e2e hook."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from sandbox.ecb_fx import truth
from warehouse.settings import DBT_PROJECT_DIR

CURRENCIES = ("CNY", "USD", "HKD")
MAX_STALE_DAYS = 4  # int_fx_rates_daily's default for var('fx_max_stale_days')


@cache
def seed_rates() -> dict[tuple[date, str], Decimal]:
    """The committed FX seed, by (day, currency)."""
    with (DBT_PROJECT_DIR / "seeds" / "fx_rates_daily.csv").open() as f:
        return {
            (date.fromisoformat(r["rate_date"]), r["currency"]): Decimal(r["rate_to_reporting"])
            for r in csv.DictReader(f)
        }


def daily_rates(warehouse: Path, start: date, end: date) -> dict[tuple[date, str], tuple[Decimal, str]]:
    """(rate_to_reporting, rate_source) of int_fx_rates_daily per (day, currency) over ``start..end``."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        found = con.execute(
            "select rate_date, currency, rate_to_reporting, rate_source from intermediate.int_fx_rates_daily "
            "where rate_date between $start and $end",
            {"start": start, "end": end},
        ).fetchall()
    finally:
        con.close()
    return {(day, currency): (rate, source) for day, currency, rate, source in found}


def expected_ecb_rates(
    ecb: Any, start: date, end: date, as_of: date | datetime
) -> dict[tuple[date, str], tuple[Decimal, str]]:
    """Truth's forward-filled cross rates to CNY over ``start..end``, as int_fx_rates_daily should hold them."""
    return {
        key: (rate, "ecb")
        for key, (rate, _) in truth.rates_to_reporting(
            ecb, start, end, as_of, reporting="CNY", max_stale_days=MAX_STALE_DAYS
        ).items()
    }
