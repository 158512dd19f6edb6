"""Write seeds/fx_rates_daily.csv: sample daily FX rates to CNY for the sandbox.

The rates are made up (plausible levels with a slow seasonal drift and a small day-to-day wiggle) and a pure
function of the date, so the file is reproducible byte for byte: `python dbt_project/scripts/make_fx_seed.py`.
Production replaces the seed with real rates (one row per day and currency, same columns).
"""

from __future__ import annotations

import csv
import hashlib
import math
from datetime import date, timedelta
from pathlib import Path

SEED_PATH = Path(__file__).resolve().parent.parent / "seeds" / "fx_rates_daily.csv"
FIRST_DAY = date(2025, 1, 1)
LAST_DAY = date(2027, 12, 31)

# currency -> (centre, seasonal amplitude, monthly amplitude, daily wiggle amplitude), CNY per unit.
LEVELS: dict[str, tuple[float, float, float, float]] = {
    "USD": (7.20, 0.06, 0.02, 0.01),
    "EUR": (7.85, 0.12, 0.04, 0.02),
    "HKD": (0.922, 0.008, 0.003, 0.001),
}


def _wiggle(day: date, currency: str) -> float:
    """A deterministic number in [-1, 1) for (day, currency); no RNG state to keep in sync."""
    digest = hashlib.sha256(f"{currency}:{day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**31 - 1.0


def rate(day: date, currency: str) -> float:
    if currency == "CNY":
        return 1.0
    centre, seasonal, monthly, daily = LEVELS[currency]
    t = (day - FIRST_DAY).days
    value = (
        centre
        + seasonal * math.sin(2 * math.pi * t / 365.25)
        + monthly * math.sin(2 * math.pi * t / 29.5 + 1.0)
        + daily * _wiggle(day, currency)
    )
    return round(value, 6)


def rows() -> list[tuple[str, str, str]]:
    out = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        for currency in ("CNY", "USD", "EUR", "HKD"):
            out.append((day.isoformat(), currency, f"{rate(day, currency):.6f}"))
        day += timedelta(days=1)
    return out


def main() -> None:
    SEED_PATH.parent.mkdir(parents=True, exist_ok=True)
    with SEED_PATH.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("rate_date", "currency", "rate_to_reporting"))
        writer.writerows(rows())
    print(f"wrote {SEED_PATH}")


if __name__ == "__main__":
    main()
