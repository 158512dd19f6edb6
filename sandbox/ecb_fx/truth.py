"""Ground truth for the ECB feed: what the data API would report, and the daily rates to the reporting
currency a warehouse should derive from it, computed from the world, never through HTTP.

``rates_to_reporting`` is the contract ``int_fx_rates_daily`` is checked against: a cross rate through EUR
on every day with an observation, carried forward over days without one (weekends, TARGET holidays, today
before 16:00 Frankfurt) for at most ``max_stale_days``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sandbox.ecb_fx.world import BASE, EcbWorld, Observation

# int_fx_rates_daily keeps 8 decimals, like the FX seed.
KEPT = Decimal("0.00000001")


def observations(ecb: EcbWorld, currency: str, start: date, end: date, as_of: date | datetime) -> list[Observation]:
    """Observations the API serves for ``currency`` over ``start..end`` (inclusive) at ``as_of``."""
    return ecb.observations(currency, start, end, as_of)


def cross_rate(reporting_per_eur: Decimal, units_per_eur: Decimal) -> Decimal:
    """Reporting-currency units per 1 unit of a currency, through EUR, kept to 8 decimals."""
    return (reporting_per_eur / units_per_eur).quantize(KEPT, rounding=ROUND_HALF_UP)


def rates_to_reporting(
    ecb: EcbWorld,
    start: date,
    end: date,
    as_of: date | datetime,
    *,
    reporting: str = "CNY",
    max_stale_days: int = 4,
    loaded_since: date | None = None,
) -> dict[tuple[date, str], tuple[Decimal, date]]:
    """(rate to ``reporting``, observation day it comes from) per (calendar day, currency) over ``start..end``.

    Covers EUR and every quoted currency; a day whose latest observation is older than ``max_stale_days`` is
    left out (the warehouse falls back to the seed there). Observations up to ``max_stale_days`` before
    ``start`` count, as they do in the warehouse when it holds them; ``loaded_since`` is the first day a
    warehouse holds, when it holds none before.
    """
    first = max(start - timedelta(days=max_stale_days), loaded_since or date.min)
    per_day: dict[date, dict[str, Decimal]] = {}
    for currency in ecb.currencies:
        for observation in ecb.observations(currency, first, end, as_of):
            per_day.setdefault(observation.day, {})[currency] = observation.units_per_eur
    result: dict[tuple[date, str], tuple[Decimal, date]] = {}
    day = start
    while day <= end:
        for age in range(max_stale_days + 1):
            observed = day - timedelta(days=age)
            # EUR is 1 EUR per EUR, on every day the ECB quotes anything.
            quotes = {**per_day[observed], BASE: Decimal(1)} if observed in per_day else {}
            if reporting in quotes:
                for currency, units in quotes.items():
                    result[(day, currency)] = (cross_rate(quotes[reporting], units), observed)
                break
        day += timedelta(days=1)
    return result
