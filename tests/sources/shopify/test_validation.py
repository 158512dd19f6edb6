"""Shopify's raw gate: its GX suite on what was just loaded; a PII leak fails without repeating the leak."""

from __future__ import annotations

from datetime import date

import pytest

from expectations.runner import ValidationFailed, load_suites, validate
from tests.landing_helpers import land_records
from tests.sources.shopify.helpers import order
from warehouse import settings
from warehouse.load import connect, load_manifests

D = date.fromisoformat


def suite(name):
    (found,) = [s for s in load_suites(settings.SUITES_DIR / "raw") if s.name == name]
    return found


def test_unhashed_customer_email_in_raw_orders_fails_the_pii_rule(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    record = order(
        1, "2026-11-01T10:00:00+08:00", "2026-11-01T10:00:00+08:00", customer={"id": 5, "email": "someone@example.com"}
    )
    manifest = land_records(
        tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r1", [record]
    )
    load_manifests(warehouse, [manifest])
    with pytest.raises(ValidationFailed) as error:
        validate(
            connect(warehouse),
            [suite("raw.shopify__orders")],
            run_ids=["r1"],
            window_start=D("2026-11-01"),
            window_end=D("2026-11-02"),
        )
    message = str(error.value)
    assert "rule=expect_column_values_to_be_null(column=unhashed_email)" in message
    assert "partition=account=shop/updated_date=2026-11-01" in message
    assert "values withheld (sensitive column)" in message
    assert "someone@example.com" not in message  # the alert must not repeat the leak
