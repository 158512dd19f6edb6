"""Loading Shopify orders into raw: versions kept and replaced by (order_id, updated_at) on UTC day windows, new
fields kept, and the typed columns read from the record's paths."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import duckdb
import pytest

from tests.landing_helpers import land_records
from tests.landing_helpers import raw_rows as stream_rows
from tests.sources.shopify.helpers import order
from warehouse.load import LoadError, load_manifests

D = date.fromisoformat


def raw_rows(warehouse):
    return stream_rows(warehouse, "shopify", "orders")


def test_orders_replace_by_updated_at_in_utc_day_window_and_keep_new_fields(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    first = order(1, "2026-11-01T23:30:00+08:00", "2026-11-01T23:30:00+08:00")
    # 2026-11-02T07:59:59+08:00 is 2026-11-01T23:59:59Z: still inside [11-01, 11-02) in UTC.
    second = order(2, "2026-11-02T07:59:59+08:00", "2026-11-02T07:59:59+08:00", brand_new_field={"nested": True})
    m = land_records(
        tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r1", [first, second]
    )
    load_manifests(warehouse, [m])
    con = duckdb.connect(str(warehouse), read_only=True)
    got = con.execute(
        "select order_id, updated_at::varchar, record->'brand_new_field'->>'nested' from raw.shopify__orders order by 1"
    ).fetchall()
    assert got == [(1, "2026-11-01 15:30:00+00", None), (2, "2026-11-01 23:59:59+00", "true")]


def test_an_order_updated_after_its_window_keeps_its_earlier_version(tmp_path):
    """Rerunning an old window once the order moved on must not delete the version that window loaded."""
    warehouse = tmp_path / "w.duckdb"
    placed = order(7, "2026-11-01T10:00:00+08:00", "2026-11-01T10:00:00+08:00")
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
    assert got == [(7, "2026-11-01 02:00:00+00", "paid", "r1"), (7, "2026-11-05 01:00:00+00", "refunded", "r2")]


def test_typed_columns_come_from_the_records_paths(tmp_path):
    record = order(
        5000000000001,
        "2026-11-01T10:00:00+08:00",
        "2026-11-01T12:00:00+08:00",
        total_price="118.00",
        taxes_included=True,
        customer={"id": 7000000000042, "email_sha256": "abc"},
        line_items=[{"id": 1, "title": "Thing"}],
    )
    m = land_records(tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r1", [record])
    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [m])
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    row = con.execute(
        "select order_id, updated_at, total_price, taxes_included, total_shipping_price, shipping_currency, "
        "customer_id, customer_email_sha256, line_items->0->>'title', cancelled_at from raw.shopify__orders"
    ).fetchone()
    assert row == (
        5000000000001, datetime(2026, 11, 1, 4, tzinfo=UTC), Decimal("118.0000"), True, Decimal("10.0000"), "CNY",
        7000000000042, "abc", "Thing", None,
    )  # fmt: skip


def test_an_order_id_that_is_not_a_number_is_refused_and_nothing_is_loaded(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    placed = order(7, "2026-11-01T10:00:00+08:00", "2026-11-01T10:00:00+08:00")
    load_manifests(
        warehouse,
        [land_records(tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r1", [placed])],
    )
    before = raw_rows(warehouse)
    odd = {**placed, "id": "gid://shopify/Order/8"}
    bad = land_records(tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r2", [odd])
    with pytest.raises(LoadError) as error:
        load_manifests(warehouse, [bad])
    message = str(error.value)
    assert "source=shopify stream=orders account=shop" in message
    assert (
        "rule=type_holds column=order_id type=bigint: 1 value(s) do not cast losslessly, "
        "e.g. 'gid://shopify/Order/8'" in message
    )
    assert raw_rows(warehouse) == before


def test_an_order_without_updated_at_is_refused(tmp_path):
    record = {k: v for k, v in order(7, "2026-11-01T10:00:00+08:00", "").items() if k != "updated_at"}
    m = land_records(tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r1", [record])
    with pytest.raises(LoadError, match="rule=key_present column=updated_at: 1 of 1 rows have no updated_at"):
        load_manifests(tmp_path / "w.duckdb", [m])


@pytest.mark.parametrize(
    "field", ["total_line_items_price", "total_discounts", "total_price", "currency", "refunds", "total_shipping_price"]
)
def test_an_order_without_a_required_field_is_refused_naming_it(tmp_path, field):
    """A missing money field is unknown, never 0: the order does not load, and neither does its run."""
    record = order(7, "2026-11-01T10:00:00+08:00", "2026-11-01T10:00:00+08:00")
    if field == "total_shipping_price":
        record["total_shipping_price_set"] = {"shop_money": {"currency_code": "CNY"}}
        path = "total_shipping_price_set.shop_money.amount"
    else:
        del record[field]
        path = field
    m = land_records(tmp_path / "l", "shopify", "orders", "shop", D("2026-11-01"), D("2026-11-02"), "r1", [record])
    with pytest.raises(LoadError) as refused:
        load_manifests(tmp_path / "w.duckdb", [m])
    assert str(refused.value) == (
        "source=shopify stream=orders account=shop window=[2026-11-01, 2026-11-02) "
        f"rule=required field missing: {path}: 1 of 1 rows "
        f"(column {field}; declare it optional if the platform may leave it out)"
    )
