"""The ECB's daily euro foreign exchange reference rates, as the sandbox world has them.

Levels come from the committed FX seed's generator (``dbt_project/scripts/make_fx_seed.py``, CNY per unit of
a currency), so a mart converted with the ECB feed and one converted with the seed agree to the rounding:
the ECB quotes units of a currency per 1 EUR, which is ``rate(day, 'EUR') / rate(day, currency)``, published
to 4 decimals. Rates exist only on TARGET working days, and a day's rate is published at 16:00 Frankfurt
time on that day; before that the day has no observation. Rates do not depend on the world's seed: they are
market data, the same in every world.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.formats import as_utc
from warehouse.settings import DBT_PROJECT_DIR

# The quoted currencies the sandbox serves (every currency of the FX seed other than EUR itself).
CURRENCIES = ("CNY", "USD", "HKD")
BASE = "EUR"
FRANKFURT = ZoneInfo("Europe/Berlin")
PUBLICATION_TIME = time(16, 0)
# The ECB publishes reference rates with 4 decimals for the currencies served here.
PUBLISHED = Decimal("0.0001")
SEED_GENERATOR = DBT_PROJECT_DIR / "scripts" / "make_fx_seed.py"


@cache
def _seed_generator() -> ModuleType:
    # A script, not a package: loaded from its file so the sandbox and the committed seed share one formula.
    spec = importlib.util.spec_from_file_location("_make_fx_seed", SEED_GENERATOR)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {SEED_GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_rate(day: date, currency: str) -> Decimal:
    """CNY per unit of ``currency`` on ``day``, exactly as the seed generator writes it."""
    return Decimal(str(_seed_generator().rate(day, currency)))


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def target_holidays(year: int) -> frozenset[date]:
    """The TARGET closing days of ``year``, on which the ECB publishes no reference rate."""
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter - timedelta(days=2),  # Good Friday
            easter + timedelta(days=1),  # Easter Monday
            date(year, 5, 1),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_target_day(day: date) -> bool:
    return day.weekday() < 5 and day not in target_holidays(day.year)


def published_at(day: date) -> datetime:
    """When ``day``'s reference rates appear: 16:00 Frankfurt time on that day, in UTC."""
    return datetime.combine(day, PUBLICATION_TIME, tzinfo=FRANKFURT).astimezone(UTC)


@dataclass(frozen=True)
class Observation:
    day: date
    currency: str
    units_per_eur: Decimal


class EcbWorld:
    """Reference rates of ``CURRENCIES`` against EUR, a pure function of the day."""

    def __init__(self, seed: int, scale: float) -> None:
        # Kept for the world's contract (every part knows its seed and scale); the rates ignore both.
        self.seed = seed
        self.scale = scale
        self.currencies = CURRENCIES

    def units_per_eur(self, day: date, currency: str) -> Decimal:
        """Units of ``currency`` per 1 EUR on ``day``, as published (4 decimals), whether or not it is a TARGET day."""
        if currency not in self.currencies:
            raise KeyError(f"the sandbox ECB has no {currency} rate; it has {', '.join(self.currencies)}")
        ratio = seed_rate(day, BASE) / seed_rate(day, currency)
        return ratio.quantize(PUBLISHED, rounding=ROUND_HALF_UP)

    def observations(self, currency: str, start: date, end: date, as_of: date | datetime) -> list[Observation]:
        """The published observations of ``currency`` for days ``start..end`` (inclusive) at ``as_of``, by day."""
        if currency not in self.currencies:
            return []
        moment = as_utc(as_of)
        found = []
        day = start
        while day <= end:
            if is_target_day(day) and published_at(day) <= moment:
                found.append(Observation(day, currency, self.units_per_eur(day, currency)))
            day += timedelta(days=1)
        return found


def build(world: Any) -> EcbWorld:
    """This source's part of the ``sandbox.world.World``."""
    return EcbWorld(world.seed, world.scale)
