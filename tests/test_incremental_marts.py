"""Incremental marts: after an initial load and two daily runs (restated conversions, refunds and new orders
arriving), the incrementally built marts equal a full rebuild of the same raw tables, row for row, and the
days no load touched were not rebuilt."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from devenv.airflow_env import connection_variables
from sandbox import Sandbox
from warehouse import pipeline, settings
from warehouse.dbt_build import run_dbt_build

FIRST_RUN = date(2026, 11, 10)


def run_day(logical_date: date, initial_load_days: int = 0) -> None:
    jobs = pipeline.plan_every_stream(
        interval_start=logical_date - timedelta(days=1),
        interval_end=logical_date,
        run_id=f"run-{logical_date}",
        initial_load_days=initial_load_days,
    )
    pipeline.load_and_validate_raw([pipeline.run_extraction_job(job) for job in jobs])
    pipeline.build_marts()


def marts(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
        ]
        return {name: con.execute(f"select * from marts.{name} order by all").fetchall() for name in sorted(names)}
    finally:
        con.close()


def test_incremental_builds_equal_a_full_rebuild(var_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Sandbox(seed=42, scale=1.0, as_of=FIRST_RUN) as sb:
        for name, value in connection_variables(sb.connections()).items():
            monkeypatch.setenv(name, value)
        run_day(FIRST_RUN, initial_load_days=30)
        for later in (FIRST_RUN + timedelta(days=3), FIRST_RUN + timedelta(days=6)):
            sb.set_as_of(later)
            run_day(later)
    incremental = marts(settings.warehouse_path())

    rebuilt = var_dir / "full_refresh.duckdb"
    shutil.copy(settings.warehouse_path(), rebuilt)
    run_dbt_build(rebuilt, full_refresh=True, unit_tests=False, artifacts_dir=var_dir / "dbt-full")
    assert marts(rebuilt) == incremental
    assert {name: len(rows) for name, rows in incremental.items()}.keys() >= {"ad_performance_daily", "orders"}

    con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
    # Days before the later runs' windows kept the rows the first build wrote: they were not rebuilt.
    loads = con.execute("select count(distinct _loaded_at) from marts.ad_performance_daily").fetchone()
    oldest_day = con.execute(
        "select min(date_day) from marts.ad_performance_daily where _loaded_at = (select max(_loaded_at) "
        "from marts.ad_performance_daily)"
    ).fetchone()
    con.close()
    assert loads == (3,)
    assert oldest_day is not None and oldest_day[0] > FIRST_RUN - timedelta(days=30)
