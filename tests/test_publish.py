"""Write-audit-publish: the serving file changes whole, at once, or not at all."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import duckdb
import pytest

from warehouse.dbt_build import BuildIncomplete, finish_build_record, start_build_record
from warehouse.publish import publish_marts


def record_complete_build(path):
    """What a passing full dbt build leaves: a `succeeded` build that stamped every mart."""
    build_id = start_build_record(path, selection=None, full_refresh=False)
    con = duckdb.connect(str(path))
    # The table dbt_project/macros/stamp_build.sql creates and fills.
    con.execute(
        "create table if not exists _pipeline.mart_builds (schema_name varchar not null, model_name varchar "
        "not null, build_id varchar not null, built_at timestamptz not null, primary key (schema_name, model_name))"
    )
    for (name,) in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall():
        con.execute(
            "insert or replace into _pipeline.mart_builds values ('marts', $m, $b, now())", {"m": name, "b": build_id}
        )
    con.close()
    finish_build_record(path, build_id, "succeeded")
    return build_id


def build_warehouse(path, spend_rows):
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(
        "create or replace table marts.ad_spend_daily as select * from (values " + spend_rows + ") t(day, spend)"
    )
    con.execute("create schema if not exists staging")
    con.execute("create or replace table staging.not_public as select 1 as x")
    con.close()
    record_complete_build(path)


def test_publish_copies_marts_only_and_records_the_run(tmp_path):
    warehouse, serving = tmp_path / "w.duckdb", tmp_path / "serving.duckdb"
    build_warehouse(warehouse, "('2026-11-01', 10.5), ('2026-11-02', 4.5)")
    result = publish_marts(
        warehouse,
        serving,
        run_id="manual__2026-11-23T00:00:00+00:00",
        data_interval_start=date(2026, 11, 22),
        data_interval_end=date(2026, 11, 23),
    )
    assert result.tables == {"ad_spend_daily": 2}
    build = duckdb.connect(str(warehouse), read_only=True)
    (latest_build,) = build.execute("select build_id from _pipeline.builds").fetchone()
    build.close()
    assert result.build_id == latest_build
    con = duckdb.connect(str(serving), read_only=True)
    assert con.execute("select sum(spend) from marts.ad_spend_daily").fetchone() == (15.0,)
    assert con.execute(
        "select table_schema || '.' || table_name from information_schema.tables order by 1"
    ).fetchall() == [("_pipeline.publication",), ("marts.ad_spend_daily",)]
    assert con.execute("select run_id, data_interval_end, build_id from _pipeline.publication").fetchone() == (
        "manual__2026-11-23T00:00:00+00:00",
        date(2026, 11, 23),
        latest_build,
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_reader_of_the_old_file_keeps_a_consistent_view_across_a_publish(tmp_path):
    warehouse, serving = tmp_path / "w.duckdb", tmp_path / "serving.duckdb"
    build_warehouse(warehouse, "('2026-11-01', 10.0)")
    publish_marts(
        warehouse, serving, run_id="r1", data_interval_start=date(2026, 11, 1), data_interval_end=date(2026, 11, 2)
    )
    reader = duckdb.connect(str(serving), read_only=True)
    build_warehouse(warehouse, "('2026-11-01', 10.0), ('2026-11-02', 20.0)")
    publish_marts(
        warehouse, serving, run_id="r2", data_interval_start=date(2026, 11, 2), data_interval_end=date(2026, 11, 3)
    )
    assert reader.execute("select sum(spend)::double, count(*) from marts.ad_spend_daily").fetchone() == (10.0, 1)
    # A BI tool connecting now is another process (DuckDB shares one instance per path within a process).
    probe = (
        "import duckdb; c = duckdb.connect(%r, read_only=True); "
        "print(c.execute('select sum(spend)::double, count(*) from marts.ad_spend_daily').fetchone())"
    ) % str(serving)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(30.0, 2)"


def test_a_failed_publish_leaves_the_serving_file_byte_identical(tmp_path):
    warehouse, serving = tmp_path / "w.duckdb", tmp_path / "serving.duckdb"
    build_warehouse(warehouse, "('2026-11-01', 10.0)")
    publish_marts(
        warehouse, serving, run_id="r1", data_interval_start=date(2026, 11, 1), data_interval_end=date(2026, 11, 2)
    )
    before = serving.read_bytes()
    con = duckdb.connect(str(warehouse))
    con.execute("drop schema marts cascade")
    con.close()
    with pytest.raises(RuntimeError, match="nothing to publish"):
        publish_marts(
            warehouse, serving, run_id="r2", data_interval_start=date(2026, 11, 2), data_interval_end=date(2026, 11, 3)
        )
    assert serving.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "w.duckdb"]


def test_bookkeeping_columns_stay_in_the_build_warehouse(tmp_path):
    """``_loaded_at`` says when a row was loaded, which a rerun changes; serving holds only the data."""
    warehouse, serving = tmp_path / "w.duckdb", tmp_path / "serving.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute(
        "create table marts.orders as "
        "select 1 as order_id, 9.5 as gmv, timestamptz '2026-11-02 06:00:00+00' as _loaded_at"
    )
    con.close()
    record_complete_build(warehouse)
    publish_marts(
        warehouse, serving, run_id="r1", data_interval_start=date(2026, 11, 1), data_interval_end=date(2026, 11, 2)
    )
    con = duckdb.connect(str(serving), read_only=True)
    assert [d[0] for d in con.execute("select * from marts.orders").description] == ["order_id", "gmv"]
    assert con.execute("select * from marts.orders").fetchall() == [(1, 9.5)]


def test_a_stale_wal_beside_the_serving_file_is_not_replayed_into_the_new_one(tmp_path):
    """Someone opened serving.duckdb for writing and crashed: its WAL must not break the next publish."""
    warehouse, serving = tmp_path / "w.duckdb", tmp_path / "serving.duckdb"
    build_warehouse(warehouse, "('2026-11-01', 10.0)")
    publish_marts(
        warehouse, serving, run_id="r1", data_interval_start=date(2026, 11, 1), data_interval_end=date(2026, 11, 2)
    )
    crash = (
        "import duckdb, os; c = duckdb.connect(%r); "
        "c.execute(\"insert into marts.ad_spend_daily values ('2026-11-09', 99.0)\"); os._exit(0)"
    ) % str(serving)
    subprocess.run([sys.executable, "-c", crash], check=True)
    assert (tmp_path / "serving.duckdb.wal").exists()

    build_warehouse(warehouse, "('2026-11-01', 10.0), ('2026-11-02', 20.0)")
    publish_marts(
        warehouse, serving, run_id="r2", data_interval_start=date(2026, 11, 2), data_interval_end=date(2026, 11, 3)
    )
    assert not (tmp_path / "serving.duckdb.wal").exists()
    probe = (
        "import duckdb; c = duckdb.connect(%r, read_only=True); "
        "print(c.execute('select sum(spend)::double, count(*) from marts.ad_spend_daily').fetchone(), "
        "c.execute('select run_id from _pipeline.publication').fetchone()[0])"
    ) % str(serving)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(30.0, 2) r2"


def test_a_mart_the_latest_build_did_not_write_is_not_published(tmp_path):
    """A table in marts that no build stamped (dropped from the project, or written by hand) is stale."""
    warehouse, serving = tmp_path / "w.duckdb", tmp_path / "serving.duckdb"
    build_warehouse(warehouse, "('2026-11-01', 10.0)")
    publish_marts(
        warehouse, serving, run_id="r1", data_interval_start=date(2026, 11, 1), data_interval_end=date(2026, 11, 2)
    )
    before = serving.read_bytes()
    con = duckdb.connect(str(warehouse))
    con.execute("create table marts.orders as select 1 as order_id")
    con.close()
    with pytest.raises(
        BuildIncomplete, match=r"rule=build_complete: .*marts not written by build .*: orders \(no build stamp\)"
    ) as refused:
        publish_marts(
            warehouse, serving, run_id="r2", data_interval_start=date(2026, 11, 2), data_interval_end=date(2026, 11, 3)
        )
    assert refused.value.stale == {"orders": None}
    assert refused.value.status == "succeeded"
    assert serving.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "w.duckdb"]


def test_marts_without_any_recorded_build_are_not_published(tmp_path):
    warehouse, serving = tmp_path / "w.duckdb", tmp_path / "serving.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute("create table marts.ad_spend_daily as select date '2026-11-01' as day, 1.0 as spend")
    con.close()
    with pytest.raises(BuildIncomplete, match="rule=build_complete: .*no build is recorded in _pipeline.builds"):
        publish_marts(
            warehouse, serving, run_id="r1", data_interval_start=date(2026, 11, 1), data_interval_end=date(2026, 11, 2)
        )
    assert not serving.exists()
