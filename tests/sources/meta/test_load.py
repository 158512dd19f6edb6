"""Loading Meta insights into raw: partition replace, idempotence, restatement, all-or-nothing, refusals, and the
typed columns (a value that does not cast to its declared type is refused, naming the column)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from tests.landing_helpers import land_records
from tests.landing_helpers import raw_rows as stream_rows
from tests.sources.meta.helpers import meta_row
from warehouse.load import LoadError, load_manifests

D = date.fromisoformat


def raw_rows(warehouse):
    return stream_rows(warehouse, "meta", "ads_insights")


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
    # The restatement covers days 2..3 only; on day 3 ad a1 no longer appears, ad a2 does.
    restated = land_records(
        tmp_path / "l",
        "meta",
        "ads_insights",
        "act_1001",
        D("2026-11-02"),
        D("2026-11-04"),
        "r2",
        [meta_row("a1", "2026-11-02", "11.00"), meta_row("a2", "2026-11-03", "4.00")],
    )
    load_manifests(warehouse, [restated])
    con = duckdb.connect(str(warehouse), read_only=True)
    got = con.execute(
        "select account, date_start::varchar, ad_id, record->>'spend', _run_id from raw.meta__ads_insights "
        "order by 1, 2, 3"
    ).fetchall()
    assert got == [
        ("act_1001", "2026-11-01", "a1", "10.00", "r1"),
        ("act_1001", "2026-11-02", "a1", "11.00", "r2"),
        ("act_1001", "2026-11-03", "a2", "4.00", "r2"),
        ("act_2002", "2026-11-02", "b1", "7.00", "r1"),
    ]


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


def test_declared_columns_are_typed_on_load(tmp_path):
    record = meta_row(
        "a1", "2026-11-01", "10.50", impressions=1200, clicks=40, actions=[{"action_type": "purchase", "value": "2"}]
    )
    manifest = land_records(
        tmp_path / "l", "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-02"), "r1", [record]
    )
    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [manifest])
    con = duckdb.connect(str(warehouse), read_only=True)
    row = con.execute(
        "select account, date_start, ad_id, spend, impressions, clicks, inline_link_clicks, actions->0->>'value', "
        "typeof(date_start), typeof(spend), typeof(impressions), typeof(ad_id), action_values "
        "from raw.meta__ads_insights"
    ).fetchone()
    assert row == (
        "act_1001", D("2026-11-01"), "a1", Decimal("10.5000"), 1200, 40, 40, "2",
        "DATE", "DECIMAL(18,4)", "BIGINT", "VARCHAR", None,
    )  # fmt: skip
    (kept,) = con.execute("select record from raw.meta__ads_insights").fetchone()
    assert json.loads(kept) == record  # the record stays whole beside its typed columns


def test_a_value_that_does_not_cast_is_refused_naming_the_column_and_nothing_is_loaded(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    good = land_records(
        tmp_path / "l", "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-02"), "r0",
        [meta_row("a0", "2026-11-01", "3.00")],
    )  # fmt: skip
    load_manifests(warehouse, [good])
    before = raw_rows(warehouse)
    bad = land_records(
        tmp_path / "l", "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-02"), "r1",
        [meta_row("a1", "2026-11-01", "ten yuan"), meta_row("a2", "2026-11-01", "1.00", impressions="many")],
    )  # fmt: skip
    with pytest.raises(LoadError) as error:
        load_manifests(warehouse, [bad])
    message = str(error.value)
    assert "source=meta stream=ads_insights account=act_1001" in message
    assert "rule=type_holds column=spend type=decimal(18,4): 1 value(s) do not cast losslessly, e.g. 'ten yuan'" in (
        message
    )
    assert "rule=type_holds column=impressions type=bigint: 1 value(s) do not cast losslessly, e.g. 'many'" in message
    assert raw_rows(warehouse) == before


def test_a_record_without_its_key_is_refused(tmp_path):
    record = meta_row("a1", "2026-11-01", "1.00")
    del record["ad_id"]
    manifest = land_records(
        tmp_path / "l", "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-02"), "r1", [record]
    )
    with pytest.raises(LoadError, match="rule=key_present column=ad_id: 1 of 1 rows have no ad_id"):
        load_manifests(tmp_path / "w.duckdb", [manifest])


def test_a_manifest_that_cannot_be_read_is_refused_naming_it(tmp_path):
    manifest = land_records(
        tmp_path / "l", "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-02"), "r1",
        [meta_row("a1", "2026-11-01", "1.00")],
    )  # fmt: skip
    manifest.write_text('{"source": "meta", ')
    with pytest.raises(LoadError, match="rule=manifest_readable") as error:
        load_manifests(tmp_path / "w.duckdb", [manifest])
    assert str(manifest) in str(error.value)
