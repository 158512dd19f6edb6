"""Loading into raw: partition replace, idempotence, restatement, all-or-nothing, refusals."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from tests.landing_helpers import land_records, meta_row
from warehouse.load import LoadError, load_manifests

D = date.fromisoformat


def raw_rows(warehouse, table="raw.meta__ads_insights"):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            f"select * exclude (_loaded_at, record), record::varchar from {table} order by all"
        ).fetchall()
    finally:
        con.close()


def test_loading_the_same_landing_twice_leaves_raw_identical(tmp_path):
    rows = [meta_row("a1", "2026-11-01", "10.00"), meta_row("a1", "2026-11-02", "12.50")]
    manifest = land_records(
        tmp_path / "l", "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-03"), "r1", rows
    )
    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [manifest])
    first = raw_rows(warehouse)
    load_manifests(warehouse, [manifest])
    assert raw_rows(warehouse) == first
    assert len(first) == 2


def test_a_restated_window_replaces_its_days_and_nothing_else(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    old = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_1001",
        D("2026-11-01"),
        D("2026-11-04"),
        "r1",
        [meta_row("a1", f"2026-11-0{d}", "10.00") for d in (1, 2, 3)],
    )
    other_account = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_2002",
        D("2026-11-01"),
        D("2026-11-04"),
        "r1",
        [meta_row("b1", "2026-11-02", "7.00")],
    )
    load_manifests(warehouse, [old, other_account])
    # The restatement covers days 2..3 only; day 3 now has no delivery at all.
    restated = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_1001",
        D("2026-11-02"),
        D("2026-11-04"),
        "r2",
        [meta_row("a1", "2026-11-02", "11.00")],
    )
    load_manifests(warehouse, [restated])
    con = duckdb.connect(str(warehouse), read_only=True)
    got = con.execute(
        "select account, date_start::varchar, record->>'spend', _run_id from raw.meta__ads_insights order by 1, 2"
    ).fetchall()
    assert got == [
        ("act_1001", "2026-11-01", "10.00", "r1"),
        ("act_1001", "2026-11-02", "11.00", "r2"),
        ("act_2002", "2026-11-02", "7.00", "r1"),
    ]


def test_orders_replace_by_updated_at_in_utc_day_window_and_keep_new_fields(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    first = {"id": 1, "created_at": "2026-11-01T23:30:00+08:00", "updated_at": "2026-11-01T23:30:00+08:00"}
    # 2026-11-02T07:59:59+08:00 is 2026-11-01T23:59:59Z: still inside [11-01, 11-02) in UTC.
    second = {
        "id": 2,
        "created_at": "2026-11-02T07:59:59+08:00",
        "updated_at": "2026-11-02T07:59:59+08:00",
        "brand_new_field": {"nested": True},
    }
    m = land_records(
        tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r1", [first, second]
    )
    load_manifests(warehouse, [m])
    con = duckdb.connect(str(warehouse), read_only=True)
    got = con.execute(
        "select order_id, updated_at::varchar, record->'brand_new_field'->>'nested' from raw.shopify__orders order by 1"
    ).fetchall()
    assert got == [(1, "2026-11-01 15:30:00+00", None), (2, "2026-11-01 23:59:59+00", "true")]


def test_a_record_outside_its_window_is_refused_and_nothing_is_loaded(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    before = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_1001",
        D("2026-11-01"),
        D("2026-11-02"),
        "r0",
        [meta_row("a0", "2026-11-01", "3.00")],
    )
    load_manifests(warehouse, [before])
    loaded_before = raw_rows(warehouse)
    good = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_1001",
        D("2026-11-01"),
        D("2026-11-02"),
        "r1",
        [meta_row("a1", "2026-11-01", "1.00")],
    )
    bad = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_2002",
        D("2026-11-01"),
        D("2026-11-02"),
        "r1",
        [meta_row("b1", "2026-11-05", "1.00")],
    )
    with pytest.raises(LoadError) as error:
        load_manifests(warehouse, [good, bad])
    message = str(error.value)
    assert "source=meta stream=ads_insights account=act_2002" in message
    assert "rule=date_start_inside_window" in message and "2026-11-05" in message
    assert raw_rows(warehouse) == loaded_before


def test_a_short_file_is_refused(tmp_path):
    manifest = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_1001",
        D("2026-11-01"),
        D("2026-11-02"),
        "r1",
        [meta_row("a1", "2026-11-01", "1.00"), meta_row("a2", "2026-11-01", "2.00")],
    )
    records = manifest.parent / "records.jsonl"
    records.write_text(records.read_text().splitlines()[0] + "\n")
    with pytest.raises(LoadError, match="rule=row_count_matches_manifest: manifest says 2 rows, files hold 1"):
        load_manifests(tmp_path / "w.duckdb", [manifest])


def test_an_empty_extraction_clears_its_window(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    full = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_1001",
        D("2026-11-01"),
        D("2026-11-02"),
        "r1",
        [meta_row("a1", "2026-11-01", "1.00")],
    )
    load_manifests(warehouse, [full])
    empty = land_records(tmp_path / "l", "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-02"), "r2", [])
    load_manifests(warehouse, [empty])
    assert raw_rows(warehouse) == []


def test_an_order_updated_after_its_window_keeps_its_earlier_version(tmp_path):
    """Rerunning an old window once the order moved on must not delete the version that window loaded."""
    warehouse = tmp_path / "w.duckdb"
    placed = {"id": 7, "created_at": "2026-11-01T10:00:00+08:00", "updated_at": "2026-11-01T10:00:00+08:00"}
    refunded = {**placed, "updated_at": "2026-11-05T09:00:00+08:00", "financial_status": "refunded"}
    first = land_records(tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r1", [placed])
    later = land_records(
        tmp_path / "l", "shopify", "orders", "shop", D("2026-11-05"), D("2026-11-06"), "r2", [refunded]
    )
    # The same first window asked again after the refund: the API no longer returns the order there.
    rerun = land_records(tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r3", [])
    load_manifests(warehouse, [first])
    load_manifests(warehouse, [later])
    load_manifests(warehouse, [rerun])
    load_manifests(warehouse, [later])
    con = duckdb.connect(str(warehouse), read_only=True)
    got = con.execute(
        "select order_id, updated_at::varchar, record->>'financial_status', _run_id from raw.shopify__orders order by 2"
    ).fetchall()
    assert got == [(7, "2026-11-01 02:00:00+00", None, "r1"), (7, "2026-11-05 01:00:00+00", "refunded", "r2")]


def test_a_failing_audit_rolls_the_whole_load_back(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    first = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_1001",
        D("2026-11-01"),
        D("2026-11-02"),
        "r1",
        [meta_row("a1", "2026-11-01", "1.00")],
    )
    load_manifests(warehouse, [first])
    before = raw_rows(warehouse)
    restated = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_1001",
        D("2026-11-01"),
        D("2026-11-02"),
        "r2",
        [meta_row("a1", "2026-11-01", "-9.00")],
    )
    seen = []

    def audit(con, parts):
        # The audit sees the new, uncommitted rows; raising rejects them.
        seen.append(con.execute("select record->>'spend' from raw.meta__ads_insights").fetchall())
        raise RuntimeError("rule failed")

    with pytest.raises(RuntimeError, match="rule failed"):
        load_manifests(warehouse, [restated], audit=audit)
    assert seen == [[("-9.00",)]]
    assert raw_rows(warehouse) == before
