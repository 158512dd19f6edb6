"""The raw gate: GX suites on what was just loaded, failing with source, stream, partition and rule."""

from __future__ import annotations

from datetime import date

import pytest

from expectations.runner import ValidationFailed, load_suites, validate
from tests.landing_helpers import land_records, meta_row
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
        con, [suite("raw.meta__ads_insights")], run_id="r1", window_start=D("2026-11-01"), window_end=D("2026-11-03")
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
            run_id="r1",
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
            run_id="another-run",
            window_start=D("2026-11-01"),
            window_end=D("2026-11-03"),
        )
    (line,) = str(error.value).splitlines()[1:]
    assert "rule=expect_table_row_count_to_be_between(min_value=1)" in line
    assert "run=another-run window=[2026-11-01, 2026-11-03)" in line
    assert "partition=all rows checked: observed 0" in line


def test_unhashed_customer_email_in_raw_orders_fails_the_pii_rule(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    order = {
        "id": 1,
        "created_at": "2026-11-01T10:00:00+08:00",
        "updated_at": "2026-11-01T10:00:00+08:00",
        "currency": "CNY",
        "total_line_items_price": "100.00",
        "total_discounts": "0.00",
        "total_price": "100.00",
        "customer": {"id": 5, "email": "someone@example.com"},
    }
    manifest = land_records(
        tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r1", [order]
    )
    load_manifests(warehouse, [manifest])
    with pytest.raises(ValidationFailed) as error:
        validate(
            connect(warehouse),
            [suite("raw.shopify__orders")],
            run_id="r1",
            window_start=D("2026-11-01"),
            window_end=D("2026-11-02"),
        )
    message = str(error.value)
    assert "rule=expect_column_values_to_be_null(column=unhashed_email)" in message
    assert "partition=account=shop/updated_date=2026-11-01" in message
    assert "values withheld (sensitive column)" in message
    assert "someone@example.com" not in message  # the alert must not repeat the leak
