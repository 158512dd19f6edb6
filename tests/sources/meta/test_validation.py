"""Meta's raw gate: its GX suite on what was just loaded, failing with source, stream, partition and rule."""

from __future__ import annotations

from datetime import date

import pytest

from expectations.runner import ValidationFailed, load_suites, validate
from tests.landing_helpers import land_records
from tests.sources.meta.helpers import meta_row
from warehouse import settings
from warehouse.load import connect, load_manifests

D = date.fromisoformat


def suite(name):
    (found,) = [s for s in load_suites(settings.SUITES_DIR / "raw") if s.name == name]
    return found


def load_meta(tmp_path, rows, run_id="r1"):
    warehouse = tmp_path / "w.duckdb"
    manifest = land_records(
        tmp_path / "l", "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-03"), run_id, rows
    )
    load_manifests(warehouse, [manifest])
    return connect(warehouse)


def test_clean_meta_rows_pass_every_rule(tmp_path):
    con = load_meta(tmp_path, [meta_row("a1", "2026-11-01", "10.00"), meta_row("a1", "2026-11-02", "0.00")])
    (outcome,) = validate(
        con, [suite("raw.meta__ads_insights")], run_ids=["r1"], window_start=D("2026-11-01"), window_end=D("2026-11-03")
    )
    assert outcome.success and outcome.rows == 2


def test_negative_spend_and_clicks_above_impressions_name_partition_and_rule(tmp_path):
    con = load_meta(
        tmp_path,
        [
            meta_row("a1", "2026-11-01", "10.00"),
            meta_row("a2", "2026-11-02", "-5.00"),
            meta_row("a3", "2026-11-02", "1.00", impressions=10, clicks=11),
        ],
    )
    with pytest.raises(ValidationFailed) as error:
        validate(
            con,
            [suite("raw.meta__ads_insights")],
            run_ids=["r1"],
            window_start=D("2026-11-01"),
            window_end=D("2026-11-03"),
        )
    lines = str(error.value).splitlines()
    assert lines[0] == "validation failed:"
    assert len(lines) == 3
    (spend,) = [line for line in lines if "column=spend" in line]
    (clicks,) = [line for line in lines if "column_B=clicks" in line]
    assert "suite=raw.meta__ads_insights source=meta stream=ads_insights" in spend
    assert "rule=expect_column_values_to_be_between(column=spend, min_value=0" in spend
    assert "partition=account=act_1001/date_start=2026-11-02: 1 of 3 rows unexpected, e.g. -5.0" in spend
    assert "rule=expect_column_pair_values_a_to_be_greater_than_b(column_A=impressions, column_B=clicks" in clicks
    assert "partition=account=act_1001/date_start=2026-11-02: 1 of 3 rows unexpected, e.g. (10, 11)" in clicks


def test_only_the_given_run_is_validated_and_an_empty_run_fails_the_row_count_rule(tmp_path):
    con = load_meta(tmp_path, [meta_row("a2", "2026-11-02", "-5.00")], run_id="old-run")
    with pytest.raises(ValidationFailed) as error:
        validate(
            con,
            [suite("raw.meta__ads_insights")],
            run_ids=["another-run"],
            window_start=D("2026-11-01"),
            window_end=D("2026-11-03"),
        )
    (line,) = str(error.value).splitlines()[1:]
    assert "rule=expect_table_row_count_to_be_between(min_value=1)" in line
    assert "run=another-run window=[2026-11-01, 2026-11-03)" in line
    assert "partition=all rows checked: observed 0" in line


def test_every_run_given_is_validated_and_the_message_names_them_all(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    first = land_records(
        tmp_path / "l", "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-03"), "r1",
        [meta_row("a1", "2026-11-01", "10.00")],
    )  # fmt: skip
    second = land_records(
        tmp_path / "l", "meta", "ads_insights", "act_2002", D("2026-11-01"), D("2026-11-03"), "r2",
        [meta_row("b1", "2026-11-02", "-5.00")],
    )  # fmt: skip
    load_manifests(warehouse, [first, second])
    con = connect(warehouse)
    window = {"window_start": D("2026-11-01"), "window_end": D("2026-11-03")}
    (outcome,) = validate(con, [suite("raw.meta__ads_insights")], run_ids=["r1"], **window)
    assert outcome.success and outcome.rows == 1
    with pytest.raises(ValidationFailed) as error:
        validate(con, [suite("raw.meta__ads_insights")], run_ids=["r1", "r2"], **window)
    (line,) = str(error.value).splitlines()[1:]
    assert "run=r1,r2 window=[2026-11-01, 2026-11-03)" in line
    assert "partition=account=act_2002/date_start=2026-11-02: 1 of 2 rows unexpected, e.g. -5.0" in line


def test_link_clicks_above_clicks_fail_the_typed_column_rule(tmp_path):
    con = load_meta(tmp_path, [meta_row("a1", "2026-11-01", "1.00", clicks=10, inline_link_clicks="12")])
    with pytest.raises(ValidationFailed) as error:
        validate(
            con,
            [suite("raw.meta__ads_insights")],
            run_ids=["r1"],
            window_start=D("2026-11-01"),
            window_end=D("2026-11-03"),
        )
    (line,) = str(error.value).splitlines()[1:]
    assert "column_A=clicks, column_B=inline_link_clicks" in line
    assert "partition=account=act_1001/date_start=2026-11-01: 1 of 1 rows unexpected, e.g. (10, 12)" in line


def test_the_load_step_validates_every_run_it_loads_and_rolls_back_on_a_failure(var_dir):
    from warehouse.pipeline import load_and_validate_raw

    landing = settings.landing_root()
    first = land_records(
        landing, "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-03"), "r1",
        [meta_row("a1", "2026-11-01", "10.00"), meta_row("a1", "2026-11-02", "12.00")],
    )  # fmt: skip
    second = land_records(
        landing, "meta", "ads_insights", "act_2002", D("2026-11-02"), D("2026-11-04"), "r2",
        [meta_row("b1", "2026-11-03", "7.00")],
    )  # fmt: skip
    summary = load_and_validate_raw([str(first), str(second)])
    assert summary == {
        "run_ids": ["r1", "r2"],
        "streams": {
            "meta.ads_insights": {
                "run_ids": ["r1", "r2"],
                "rows": 3,
                "window_start": "2026-11-01",
                "window_end": "2026-11-04",
                "rows_validated": 3,
            }
        },
    }

    # A later load whose second run breaks a rule: neither run's rows stay.
    good = land_records(
        landing, "meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-03"), "r3",
        [meta_row("a1", "2026-11-01", "11.00"), meta_row("a1", "2026-11-02", "12.00")],
    )  # fmt: skip
    bad = land_records(
        landing, "meta", "ads_insights", "act_2002", D("2026-11-02"), D("2026-11-04"), "r4",
        [meta_row("b1", "2026-11-03", "-1.00")],
    )  # fmt: skip
    with pytest.raises(ValidationFailed, match="run=r3,r4 window=\\[2026-11-01, 2026-11-04\\)"):
        load_and_validate_raw([str(good), str(bad)])
    con = connect(settings.warehouse_path())
    try:
        runs = con.execute("select distinct _run_id from raw.meta__ads_insights order by 1").fetchall()
    finally:
        con.close()
    assert runs == [("r1",), ("r2",)]
