"""A month of ECB reference rates extracted over HTTP, loaded into a real DuckDB raw table, and built by dbt
into stg_ecb_fx__reference_rates and int_fx_rates_daily: the daily rates equal the sandbox truth's
forward-filled cross rates through EUR, and the seed fills in past the staleness limit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from devenv.airflow_env import connection_variables
from extractors.run import extract_partition
from extractors.streams import Window
from sandbox.ecb_fx import truth
from tests.conftest import reset_sandbox
from tests.helpers import AS_OF, FAST_RETRY
from tests.sources.ecb_fx import e2e
from tests.sources.ecb_fx.helpers import CURRENCIES, daily_rates, expected_ecb_rates, seed_rates
from warehouse import pipeline, settings
from warehouse.dbt_build import run_dbt_build

OCTOBER = Window(date(2026, 10, 1), date(2026, 11, 1))


@pytest.fixture(scope="module")
def month(running_sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The build warehouse after loading October 2026 for every currency and building the FX models."""
    folder = tmp_path_factory.mktemp("ecb_month")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MW_VAR_DIR", str(folder / "var"))
        # Tests of other sources stay out of this build: cautious selection runs only tests whose parents
        # are all selected, so a test joining the seed with another source's models is not picked up.
        patch.setenv("DBT_INDIRECT_SELECTION", "cautious")
        reset_sandbox(running_sandbox)
        for variable, value in connection_variables(running_sandbox.connections()).items():
            patch.setenv(variable, value)
        manifests = [
            str(extract_partition("ecb_fx", "reference_rates", currency, OCTOBER, "oct", settings.landing_root(),
                                  retry=FAST_RETRY))
            for currency in CURRENCIES
        ]  # fmt: skip
        loaded = pipeline.load_and_validate_raw(manifests)
        assert loaded["streams"]["ecb_fx.reference_rates"]["rows_validated"] == 3 * 22
        run_dbt_build(settings.warehouse_path(), select="+int_fx_rates_daily", artifacts_dir=folder / "dbt")
        yield settings.warehouse_path()
    assert os.environ.get("DBT_INDIRECT_SELECTION") != "cautious"


def test_staging_holds_every_observation_as_published(month: Path, ecb: Any) -> None:
    con = duckdb.connect(str(month), read_only=True)
    try:
        got = con.execute(
            "select currency, rate_date, base_currency, units_per_base from staging.stg_ecb_fx__reference_rates"
        ).fetchall()
    finally:
        con.close()
    expected = {
        (o.currency, o.day, "EUR", o.units_per_eur)
        for currency in CURRENCIES
        for o in truth.observations(ecb, currency, OCTOBER.start, OCTOBER.last_day, AS_OF)
    }
    assert set(got) == expected and len(got) == 66
    assert ("USD", date(2026, 10, 30), "EUR", Decimal("1.0834")) in expected


def test_the_daily_rates_of_the_month_are_truths_forward_filled_cross_rates(month: Path, ecb: Any) -> None:
    got = daily_rates(month, OCTOBER.start, OCTOBER.last_day)
    expected = expected_ecb_rates(ecb, OCTOBER.start, OCTOBER.last_day, AS_OF)
    assert got == expected
    assert len(got) == 31 * 4  # every day of October × CNY, USD, HKD and EUR
    # Friday the 30th carried over the weekend; hand-computed: 7.7146 CNY / 1.0834 USD per EUR.
    assert got[(date(2026, 10, 31), "USD")] == got[(date(2026, 10, 30), "USD")] == (Decimal("7.12073103"), "ecb")
    assert got[(date(2026, 10, 30), "EUR")] == (Decimal("7.71460000"), "ecb")
    assert {got[(day, "CNY")] for day in (date(2026, 10, 1), date(2026, 10, 31))} == {(Decimal(1), "ecb")}


def test_the_ecb_and_the_seed_agree_to_the_rounding(month: Path) -> None:
    got = daily_rates(month, OCTOBER.start, OCTOBER.last_day)
    for (day, currency), (rate, _) in got.items():
        if currency in ("USD", "HKD", "EUR") and day.weekday() < 5:
            assert abs(rate - seed_rates()[(day, currency)]) < Decimal("0.001"), (day, currency)


def test_past_the_staleness_limit_and_before_the_feed_the_seed_is_used(month: Path) -> None:
    got = daily_rates(month, date(2026, 9, 29), date(2026, 11, 5))
    # The warehouse holds nothing after Friday 2026-10-30: it is carried 4 days, to Tuesday 2026-11-03.
    for offset in range(1, 5):
        assert got[(date(2026, 10, 30) + timedelta(days=offset), "USD")] == (Decimal("7.12073103"), "ecb")
    for day in (date(2026, 9, 29), date(2026, 9, 30), date(2026, 11, 4), date(2026, 11, 5)):
        for currency in ("USD", "HKD", "EUR"):
            assert got[(day, currency)] == (seed_rates()[(day, currency)], "seed")
        assert got[(day, "CNY")] == (Decimal(1), "seed")


def test_every_day_of_the_seed_has_one_rate_per_currency(month: Path) -> None:
    con = duckdb.connect(str(month), read_only=True)
    try:
        (rows, keys, days, sources) = con.execute(
            "select count(*), count(distinct (rate_date, currency)), count(distinct rate_date), "
            "list(distinct rate_source order by rate_source) from intermediate.int_fx_rates_daily"
        ).fetchone()  # type: ignore[misc]
    finally:
        con.close()
    assert rows == keys == len(seed_rates()) == 1095 * 4
    assert days == 1095 and sources == ["ecb", "seed"]


def test_the_end_to_end_check_reads_the_build_warehouse_beside_serving(month: Path, world: Any) -> None:
    serving = month.with_name("serving.duckdb")
    duckdb.connect(str(serving)).close()
    con = duckdb.connect(str(serving), read_only=True)
    try:
        as_of = datetime(2026, 11, 1, tzinfo=UTC)
        e2e.check_published(con, world, window_start=OCTOBER.start, as_of=as_of, initial_days=31)
    finally:
        con.close()
