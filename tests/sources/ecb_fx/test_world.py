"""The ECB part of the world: TARGET working days, publication at 16:00 Frankfurt time, and rate levels that
agree with the committed FX seed (the ECB quotes units per 1 EUR, the seed CNY per unit)."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from decimal import Decimal

from sandbox.ecb_fx.world import EcbWorld, easter_sunday, is_target_day, published_at, target_holidays
from sandbox.world import World
from warehouse.settings import DBT_PROJECT_DIR


def test_easter_and_the_target_holidays() -> None:
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
    ]
    assert sorted(target_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 12, 25),
        date(2026, 12, 26),
    ]
    assert is_target_day(date(2026, 11, 20))  # a Friday
    assert not is_target_day(date(2026, 11, 21))  # a Saturday
    assert not is_target_day(date(2026, 4, 3))
    assert is_target_day(date(2026, 12, 24))


def test_rates_are_published_at_16_frankfurt_time_winter_and_summer() -> None:
    assert published_at(date(2026, 11, 20)) == datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # CET
    assert published_at(date(2026, 7, 1)) == datetime(2026, 7, 1, 14, 0, tzinfo=UTC)  # CEST


def test_units_per_eur_are_the_seed_levels_rounded_to_four_decimals(ecb: EcbWorld) -> None:
    day = date(2026, 11, 20)
    # The seed's CNY per EUR, USD and HKD on that day: 7.771962, 7.161917, 0.917676.
    assert ecb.units_per_eur(day, "CNY") == Decimal("7.7720")
    assert ecb.units_per_eur(day, "USD") == Decimal("1.0852")  # 7.771962 / 7.161917 = 1.08518
    assert ecb.units_per_eur(day, "HKD") == Decimal("8.4692")  # 7.771962 / 0.917676 = 8.46918
    with (DBT_PROJECT_DIR / "seeds" / "fx_rates_daily.csv").open() as f:
        seed = {(r["rate_date"], r["currency"]): Decimal(r["rate_to_reporting"]) for r in csv.DictReader(f)}
    for currency in ("USD", "HKD"):
        cross = ecb.units_per_eur(day, "CNY") / ecb.units_per_eur(day, currency)
        assert abs(cross - seed[(day.isoformat(), currency)]) < Decimal("0.0005")


def test_observations_are_target_days_published_by_as_of(ecb: EcbWorld) -> None:
    days = [o.day for o in ecb.observations("USD", date(2026, 4, 1), date(2026, 4, 8), date(2026, 11, 23))]
    assert days == [date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 7), date(2026, 4, 8)]
    before = ecb.observations("USD", date(2026, 11, 20), date(2026, 11, 20), datetime(2026, 11, 20, 14, 59, tzinfo=UTC))
    at = ecb.observations("USD", date(2026, 11, 20), date(2026, 11, 20), datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    assert before == [] and [o.units_per_eur for o in at] == [Decimal("1.0852")]
    assert ecb.observations("JPY", date(2026, 11, 2), date(2026, 11, 6), date(2026, 11, 23)) == []


def test_rates_do_not_depend_on_the_worlds_seed() -> None:
    day = date(2026, 11, 20)
    assert World(seed=1).part("ecb_fx").units_per_eur(day, "USD") == World(seed=2).part("ecb_fx").units_per_eur(
        day, "USD"
    )
