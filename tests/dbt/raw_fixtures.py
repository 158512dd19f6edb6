"""A small, hand-made raw layer whose mart values are worked out by hand in test_dbt_build.py.

Records are shaped exactly as the APIs return them (docs/interfaces.md section 1) after landing (PII hashed:
email/phone became email_sha256/phone_sha256, names and street lines dropped), and the raw tables are created
with the loader's own DDL and typed by its own column expressions (warehouse.raw_tables), so the dbt project
reads what the loader writes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from extractors.catalog import LoadStrategy
from warehouse.coverage import ensure_ledger, record_coverage
from warehouse.load import ACCOUNT_SETTINGS, ACCOUNT_SETTINGS_DDL, ensure_raw_table
from warehouse.raw_tables import RawTable, raw_table_for, raw_tables

SHOP = "mw-demo.myshopify.com"
LOADED_AT = datetime(2026, 11, 6, 6, 0, tzinfo=UTC)


def meta_record(
    account: str,
    currency: str,
    ad: str,
    day: str,
    spend: str,
    impressions: str,
    clicks: str,
    link_clicks: str,
    purchases: str | None = None,
    purchase_value: str | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "account_id": account.removeprefix("act_"),
        "account_currency": currency,
        "campaign_id": f"c-{ad}",
        "campaign_name": f"Campaign {ad}",
        "adset_id": f"s-{ad}",
        "adset_name": f"Ad set {ad}",
        "ad_id": ad,
        "ad_name": f"Ad {ad}",
        "date_start": day,
        "date_stop": day,
        "spend": spend,
        "impressions": impressions,
        "clicks": clicks,
        "inline_link_clicks": link_clicks,
    }
    # Meta leaves actions / action_values out when they are empty.
    actions = [{"action_type": "link_click", "value": link_clicks}]
    if purchases is not None:
        actions.append({"action_type": "purchase", "value": purchases})
    record["actions"] = actions
    if purchase_value is not None:
        record["action_values"] = [{"action_type": "purchase", "value": purchase_value}]
    return record


# (account, record). act_1001 is CNY, act_2002 USD.
META_ROWS: list[tuple[str, dict[str, Any]]] = [
    ("act_1001", meta_record("act_1001", "CNY", "a1", "2026-11-01", "100.00", "10000", "350", "300", "4", "812.50")),
    ("act_1001", meta_record("act_1001", "CNY", "a2", "2026-11-01", "50.00", "5000", "60", "50")),
    ("act_1001", meta_record("act_1001", "CNY", "a1", "2026-11-02", "80.00", "8000", "200", "160", "2", "300.00")),
    ("act_2002", meta_record("act_2002", "USD", "b1", "2026-11-01", "20.00", "4000", "90", "80", "1", "50.00")),
    ("act_2002", meta_record("act_2002", "USD", "b2", "2026-11-01", "0.00", "0", "0", "0")),
]


def order_record(
    order_id: int,
    *,
    created_at: str,
    updated_at: str,
    customer_id: int | None,
    line_items_price: str,
    discounts: str,
    shipping: str,
    financial_status: str = "paid",
    fulfillment_status: str | None = None,
    refund_transactions: Sequence[tuple[str, str, str]] = (),
    landing_site: str | None = "/",
    currency: str = "CNY",
) -> dict[str, Any]:
    total_price = f"{float(line_items_price) - float(discounts) + float(shipping):.2f}"
    email_hash = f"sha256-of-c{customer_id}" if customer_id else "sha256-of-guest"
    refunds = []
    if refund_transactions:
        refunds.append(
            {
                "id": order_id + 1,
                "order_id": order_id,
                "created_at": updated_at,
                "transactions": [
                    {
                        "id": order_id + 2 + i,
                        "kind": kind,
                        "status": status,
                        "amount": amount,
                        "currency": currency,
                        "created_at": updated_at,
                    }
                    for i, (kind, status, amount) in enumerate(refund_transactions)
                ],
                "refund_line_items": [{"line_item_id": 1, "quantity": 1, "subtotal": "199.00"}],
            }
        )
    return {
        "id": order_id,
        "name": f"#{order_id % 10000}",
        "order_number": order_id % 10000,
        "email_sha256": email_hash,
        "phone_sha256": "sha256-of-phone",
        "created_at": created_at,
        "updated_at": updated_at,
        "processed_at": created_at,
        "cancelled_at": None,
        "currency": currency,
        "financial_status": financial_status,
        "fulfillment_status": fulfillment_status,
        "taxes_included": True,
        "total_line_items_price": line_items_price,
        "total_discounts": discounts,
        "subtotal_price": f"{float(line_items_price) - float(discounts):.2f}",
        "total_tax": "0.00",
        "total_price": total_price,
        "total_shipping_price_set": {
            "shop_money": {"amount": shipping, "currency_code": currency},
            "presentment_money": {"amount": shipping, "currency_code": currency},
        },
        "discount_codes": [{"code": "DOUBLE11", "amount": discounts, "type": "fixed_amount"}]
        if discounts != "0.00"
        else [],
        "line_items": [
            {
                "id": 1,
                "product_id": 2,
                "variant_id": 3,
                "sku": "SKU-1",
                "title": "Thing",
                "quantity": 1,
                "price": line_items_price,
                "total_discount": "0.00",
            }
        ],
        "refunds": refunds,
        "customer": None
        if customer_id is None
        else {
            "id": customer_id,
            "email_sha256": email_hash,
            "phone_sha256": "sha256-of-phone",
            "created_at": "2026-01-01T00:00:00+08:00",
        },
        "billing_address": {"city": "Shanghai", "province": "Shanghai", "country_code": "CN", "zip": "200000"},
        "shipping_address": {"city": "Shanghai", "province": "Shanghai", "country_code": "CN", "zip": "200000"},
        "landing_site": landing_site,
        "referring_site": "https://www.facebook.com/",
        "source_name": "web",
        "test": False,
    }


ORDER_1 = 5000000000001
ORDER_2 = 5000000000002
ORDER_3 = 5000000000003
ORDER_4 = 5000000000004
CUSTOMER_A = 7000000000042
CUSTOMER_B = 7000000000043

# (run_id, loaded_at, record): every raw version, as the loader would hold them after several runs.
ORDER_VERSIONS: list[tuple[str, datetime, dict[str, Any]]] = [
    # Order 1, customer A's first order: placed, then partly refunded (a failed attempt first) and fulfilled.
    (
        "run-1",
        datetime(2026, 11, 2, 6, 0, tzinfo=UTC),
        order_record(
            ORDER_1,
            created_at="2026-11-01T10:00:00+08:00",
            updated_at="2026-11-01T10:00:00+08:00",
            customer_id=CUSTOMER_A,
            line_items_price="398.00",
            discounts="40.00",
            shipping="10.00",
            landing_site="/products/x?utm_source=facebook&utm_medium=paid_social&utm_campaign=double11",
        ),
    ),
    (
        "run-5",
        datetime(2026, 11, 6, 6, 0, tzinfo=UTC),
        order_record(
            ORDER_1,
            created_at="2026-11-01T10:00:00+08:00",
            updated_at="2026-11-05T12:00:00+08:00",
            customer_id=CUSTOMER_A,
            line_items_price="398.00",
            discounts="40.00",
            shipping="10.00",
            financial_status="partially_refunded",
            fulfillment_status="fulfilled",
            refund_transactions=[("refund", "failure", "199.00"), ("refund", "success", "199.00")],
            landing_site="/products/x?utm_source=facebook&utm_medium=paid_social&utm_campaign=double11",
        ),
    ),
    # Order 2: customer A again (returning), two days later.
    (
        "run-3",
        datetime(2026, 11, 4, 6, 0, tzinfo=UTC),
        order_record(
            ORDER_2,
            created_at="2026-11-03T09:00:00+08:00",
            updated_at="2026-11-03T09:00:00+08:00",
            customer_id=CUSTOMER_A,
            line_items_price="100.00",
            discounts="0.00",
            shipping="0.00",
        ),
    ),
    # Order 3: customer B, late on Nov 1 Shanghai time; the same version landed by two runs (a tie on
    # updated_at), the later load says "paid" and must win.
    (
        "run-2a",
        datetime(2026, 11, 2, 6, 0, tzinfo=UTC),
        order_record(
            ORDER_3,
            created_at="2026-11-01T23:30:00+08:00",
            updated_at="2026-11-01T23:30:00+08:00",
            customer_id=CUSTOMER_B,
            line_items_price="200.00",
            discounts="20.00",
            shipping="0.00",
            financial_status="pending",
        ),
    ),
    (
        "run-2b",
        datetime(2026, 11, 2, 7, 0, tzinfo=UTC),
        order_record(
            ORDER_3,
            created_at="2026-11-01T23:30:00+08:00",
            updated_at="2026-11-01T23:30:00+08:00",
            customer_id=CUSTOMER_B,
            line_items_price="200.00",
            discounts="20.00",
            shipping="0.00",
            financial_status="paid",
        ),
    ),
    # Order 4: a guest, 00:30 Shanghai on Nov 2 = 16:30 UTC on Nov 1: its order_date is Nov 2.
    (
        "run-2b",
        datetime(2026, 11, 2, 7, 0, tzinfo=UTC),
        order_record(
            ORDER_4,
            created_at="2026-11-02T00:30:00+08:00",
            updated_at="2026-11-02T00:30:00+08:00",
            customer_id=None,
            line_items_price="59.90",
            discounts="0.00",
            shipping="8.00",
            landing_site="/?utm_source=newsletter&utm_campaign=spring%20sale",
        ),
    ),
]


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The raw tables, the coverage ledger and the account settings table, as the loader creates them."""
    con.execute("create schema if not exists raw")
    for table in raw_tables():
        ensure_raw_table(con, table)
    ensure_ledger(con)
    con.execute(ACCOUNT_SETTINGS_DDL)


def cover(
    con: duckdb.DuckDBPyConnection, source: str, stream: str, account: str, window: tuple[date, date], run_id: str
) -> None:
    """What a load of ``window`` records in the coverage ledger."""
    record_coverage(con, source=source, stream=stream, account=account, first=window[0], end=window[1], run_id=run_id)


def set_account_settings(
    con: duckdb.DuckDBPyConnection, source: str, account: str, timezone: str, currency: str | None
) -> None:
    """The account's settings as a load records them from its manifest."""
    con.execute(
        f"insert into {ACCOUNT_SETTINGS} values ($source, $account, $timezone, $currency, 'run-settings', $at, $at)",
        {"source": source, "account": account, "timezone": timezone, "currency": currency, "at": LOADED_AT},
    )


def insert_raw(
    con: duckdb.DuckDBPyConnection,
    table: RawTable,
    account: str,
    record: dict[str, Any],
    run_id: str,
    loaded_at: datetime,
    window: tuple[date, date],
) -> None:
    """One raw row typed by the loader's own column expressions, as a load at ``loaded_at`` would leave it (a
    snapshot's row is the window's last day's)."""
    snapshot = {"last_day": window[1] - timedelta(days=1)} if table.strategy is LoadStrategy.SNAPSHOT else {}
    con.execute(
        f"""
        insert into {table.name} by name
        select $account as account, {table.load_select}, record, $run_id as _run_id,
            cast($window_start as date) as _window_start, cast($window_end as date) as _window_end,
            $loaded_at as _extracted_at, $loaded_at as _loaded_at
        from (select cast($record as json) as record)
        """,
        {
            "account": account,
            "record": json.dumps(record),
            "run_id": run_id,
            "window_start": window[0],
            "window_end": window[1],
            "loaded_at": loaded_at,
            **snapshot,
        },
    )


def insert_meta(
    con: duckdb.DuckDBPyConnection,
    account: str,
    record: dict[str, Any],
    run_id: str = "run-m",
    loaded_at: datetime = LOADED_AT,
    window: tuple[date, date] = (date(2026, 10, 7), date(2026, 11, 6)),
) -> None:
    insert_raw(con, raw_table_for("meta", "ads_insights"), account, record, run_id, loaded_at, window)


def insert_order(
    con: duckdb.DuckDBPyConnection,
    record: dict[str, Any],
    run_id: str,
    loaded_at: datetime,
    window: tuple[date, date] = (date(2026, 10, 30), date(2026, 11, 6)),
) -> None:
    insert_raw(con, raw_table_for("shopify", "orders"), SHOP, record, run_id, loaded_at, window)


def build_raw_warehouse(path: Path) -> None:
    """Create `path` with the raw tables holding the hand-made records above."""
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        create_raw_tables(con)
        for account, record in META_ROWS:
            insert_meta(con, account, record)
        for account in sorted({account for account, _ in META_ROWS}):
            cover(con, "meta", "ads_insights", account, (date(2026, 10, 7), date(2026, 11, 6)), "run-m")
        for run_id, loaded_at, record in ORDER_VERSIONS:
            insert_order(con, record, run_id, loaded_at)
        cover(con, "shopify", "orders", SHOP, (date(2026, 10, 30), date(2026, 11, 6)), "run-o")
        set_account_settings(con, "shopify", SHOP, "Asia/Shanghai", "CNY")
    finally:
        con.close()
