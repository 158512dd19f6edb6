"""Shopify's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in ``tests/bad_input_cases.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from extractors.catalog import AccountSettings
from tests.bad_input_cases import MISSING, TYPE, Case, dropping, manifest_without, setting, twice
from tests.sources.shopify.helpers import order

PARTITION = ("orders", "demo-shop", date(2026, 11, 1), date(2026, 11, 2))
SETTINGS = AccountSettings("Asia/Shanghai", "CNY")


def base() -> dict[str, Any]:
    return order(
        5000000000001,
        "2026-11-01T10:00:00+08:00",
        "2026-11-01T12:00:00+08:00",
        name="#1001",
        test=False,
        customer={"id": 7000000000001, "created_at": "2026-01-01T00:00:00+08:00"},
        refunds=[{"id": 1, "transactions": [{"kind": "refund", "status": "success", "amount": "5.00"}]}],
    )


def refund_transaction_without(field: str) -> Callable[[dict], None]:
    def spoil(record: dict) -> None:
        del record["refunds"][0]["transactions"][0][field]

    return spoil


CASES = [
    Case(
        "shopify manifest without its files",
        "shopify",
        landing=manifest_without("files"),
        refused=("rule=manifest_readable", "files"),
    ),
    # -- Shopify: types -------------------------------------------------------------------------------------
    Case("shopify price not a number", "shopify", setting("total_price", "abc"), (TYPE + "total_price",)),
    Case("shopify price with a currency sign", "shopify", setting("total_price", "¥110.00"), (TYPE + "total_price",)),
    Case("shopify price negative", "shopify", setting("total_price", "-1.00"), ("column=total_price, min_value=0",)),
    Case(
        "shopify discounts above line items",
        "shopify",
        setting("total_discounts", "200.00"),
        ("column_A=total_line_items_price, column_B=total_discounts",),
    ),
    Case("shopify id as a GraphQL gid", "shopify", setting("id", "gid://shopify/Order/8"), (TYPE + "order_id",)),
    Case("shopify id 1.5", "shopify", setting("id", 1.5), (TYPE + "order_id",)),
    Case(
        "shopify id as a string of digits",
        "shopify",
        setting("id", "5000000000001"),
        accepted=("order_id", 5000000000001),
    ),
    Case("shopify updated_at not a timestamp", "shopify", setting("updated_at", "yesterday"), (TYPE + "updated_at",)),
    Case(
        "shopify updated_at without a zone",
        "shopify",
        setting("updated_at", "2026-11-01 12:00:00"),
        (TYPE + "updated_at",),
    ),
    Case(
        "shopify updated_at with an offset",
        "shopify",
        setting("updated_at", "2026-11-01T12:00:00+08:00"),
        accepted=("updated_at", "2026-11-01 04:00:00+00:00"),
    ),
    Case(
        "shopify updated_at before created_at",
        "shopify",
        setting("updated_at", "2026-11-01T09:00:00+08:00"),
        ("column_A=updated_at, column_B=created_at",),
    ),
    Case(
        "shopify version older than the window",
        "shopify",
        setting("updated_at", "2026-10-31T12:00:00+00:00"),
        ("rule=updated_at_not_before_window",),
    ),
    Case("shopify test flag as 'yes'", "shopify", setting("test", "yes"), (TYPE + "test",)),
    Case("shopify test flag as a boolean", "shopify", setting("test", True), accepted=("test", True)),
    Case("shopify refunds an object", "shopify", setting("refunds", {"id": 1}), (TYPE + "refunds type=JSON ARRAY",)),
    Case("shopify refunds a string", "shopify", setting("refunds", "none"), (TYPE + "refunds type=JSON ARRAY",)),
    Case("shopify line items an object", "shopify", setting("line_items", {}), (TYPE + "line_items type=JSON ARRAY",)),
    # -- Shopify: nulls and missing fields ----------------------------------------------------------------------
    Case(
        "shopify line items price missing",
        "shopify",
        dropping("total_line_items_price"),
        (MISSING + "total_line_items_price",),
    ),
    Case(
        "shopify shipping missing",
        "shopify",
        dropping("total_shipping_price_set"),
        (MISSING + "total_shipping_price_set.shop_money.amount",),
    ),
    Case(
        "shopify financial status null", "shopify", setting("financial_status", None), (MISSING + "financial_status",)
    ),
    Case("shopify line items null", "shopify", setting("line_items", None), (MISSING + "line_items",)),
    Case("shopify refunds missing", "shopify", dropping("refunds"), (MISSING + "refunds",)),
    Case(
        "shopify refund transaction without status",
        "shopify",
        refund_transaction_without("status"),
        (MISSING + "refunds[*].transactions[*].status",),
    ),
    Case(
        "shopify refund transaction without amount",
        "shopify",
        refund_transaction_without("amount"),
        (MISSING + "refunds[*].transactions[*].amount",),
    ),
    Case(
        "shopify refund transaction without kind",
        "shopify",
        refund_transaction_without("kind"),
        (MISSING + "refunds[*].transactions[*].kind",),
    ),
    Case("shopify id missing", "shopify", dropping("id"), ("rule=key_present column=order_id",)),
    Case("shopify guest order without a customer", "shopify", dropping("customer"), accepted=("customer_id", None)),
    # -- Shopify: currencies, encodings, keys ----------------------------------------------------------------
    Case(
        "shopify order in another currency",
        "shopify",
        setting("currency", "USD"),
        ("rule=currency_is_account_currency column=currency", "'USD'", "order_id=5000000000001"),
    ),
    Case(
        "shopify order dated past the last FX rate",
        "shopify",
        lambda order: order.update(created_at="2028-01-05T10:00:00+08:00", updated_at="2028-01-05T12:00:00+08:00"),
        ("rule=fx_rate_known column=currency", "'CNY' on 1 day(s), 2028-01-05..2028-01-05"),
    ),
    Case(
        "shopify currency lower-case",
        "shopify",
        setting("currency", "cny"),
        ("rule=currency_is_account_currency column=currency",),
    ),
    Case("shopify full-width order name kept", "shopify", setting("name", "#１００１"), accepted=("name", "#１００１")),
    Case(
        "shopify duplicate version", "shopify", None, ("column_list=['account', '_run_id', 'order_id']",), records=twice
    ),
]

PAGE_LIES = [
    ("orders", "sandbox-shop", "malformed"),
    ("orders", "sandbox-shop", "empty_page"),
]

SERVED_SPOILS = [
    ("orders", "sandbox-shop", "foreign_currency",
     ("rule=currency_is_account_currency column=currency", "the account's currency is CNY", "'USD': 1 rows")),
    ("orders", "sandbox-shop", "refunds_not_a_list", ("rule=type_holds column=refunds type=JSON ARRAY",)),
    ("orders", "sandbox-shop", "missing_line_items_price",
     ("rule=required field missing: total_line_items_price: 1 of",)),
    ("orders", "sandbox-shop", "refund_without_status",
     ("rule=required field missing: refunds[*].transactions[*].status: 1 of",)),
]  # fmt: skip
