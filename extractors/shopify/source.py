"""The Shopify source, declared once: its connection, accounts, lookback, readiness and streams.

Connection ``shopify``: host = base URL (``https://<shop>.myshopify.com`` in production; derived from the shop
name when empty), password = Admin API access token, extra = ``{"shop": "<shop name>", "api_version":
"2026-10", "page_size": 250}``. The shop is the account.
"""

from extractors.catalog import (
    BOOLEAN,
    COUNT,
    JSON,
    MONEY,
    TEXT,
    TIMESTAMP,
    Accounts,
    Column,
    LoadStrategy,
    Readiness,
    Source,
    Stream,
)

ORDERS = Stream(
    name="orders",
    description=(
        "One row per landed order version. Orders are extracted by updated_at, so an order appears once per "
        "version. Money is in the shop currency; PII was keyed-hashed on landing (email/phone became *_sha256, "
        "HMAC-SHA256)."
    ),
    primary_key=("order_id",),
    cursor_field="updated_at",
    partition_column="updated_at",
    strategy=LoadStrategy.VERSIONED_APPEND,
    version_key=("order_id", "updated_at"),
    currency_column="currency",
    activity_date_column="created_at",
    # Refunded money counts only successful refund transactions: one without kind, status or amount is unknown.
    nested_required=(
        "refunds[*].transactions[*].kind",
        "refunds[*].transactions[*].status",
        "refunds[*].transactions[*].amount",
    ),
    # Required unless optional: the money, currency and lists the marts are computed from. Optional: what a
    # guest checkout, an unfulfilled or uncancelled order, or an order without a landing page leaves null.
    columns=(
        Column("order_id", COUNT, "Shopify order id (globally unique).", path="id"),
        Column("updated_at", TIMESTAMP, "When this version was written; versions of one order differ by it."),
        Column("name", TEXT, 'The order\'s display name (e.g. "#1234").', optional=True),
        Column("order_number", COUNT, "The order's number within the shop.", optional=True),
        Column(
            "email_sha256",
            TEXT,
            "HMAC-SHA256 (key: connection pii_hashing) of the order's normalized email, hashed on landing.",
            optional=True,
        ),
        Column(
            "phone_sha256",
            TEXT,
            "HMAC-SHA256 (key: connection pii_hashing) of the order's normalized phone, hashed on landing.",
            optional=True,
        ),
        Column("created_at", TIMESTAMP, "When the order was placed."),
        Column("processed_at", TIMESTAMP, "When the order was processed.", optional=True),
        Column("cancelled_at", TIMESTAMP, "When the order was cancelled, null if it was not.", optional=True),
        Column("currency", TEXT, "The order's (shop) currency; every money field is in it."),
        Column("financial_status", TEXT, "Shopify financial status."),
        Column("fulfillment_status", TEXT, "Shopify fulfillment status (null = unfulfilled).", optional=True),
        Column("taxes_included", BOOLEAN, "Whether prices include tax.", optional=True),
        Column("total_line_items_price", MONEY, "Sum of line item prices (before discounts)."),
        Column("total_discounts", MONEY, "Total discounts on the order."),
        Column("subtotal_price", MONEY, "Line items after discounts.", optional=True),
        Column("total_tax", MONEY, "Total tax.", optional=True),
        Column(
            "total_price",
            MONEY,
            "What the customer paid (line items - discounts + shipping, tax included).",
        ),
        Column(
            "total_shipping_price",
            MONEY,
            "Shipping charged, in the shop currency.",
            path="total_shipping_price_set.shop_money.amount",
        ),
        Column(
            "shipping_currency",
            TEXT,
            "Currency of total_shipping_price.",
            path="total_shipping_price_set.shop_money.currency_code",
            optional=True,
        ),
        Column(
            "customer_id", COUNT, "Shopify customer id (null for a guest checkout).", path="customer.id", optional=True
        ),
        Column(
            "customer_email_sha256",
            TEXT,
            "HMAC-SHA256 of the customer's normalized email.",
            path="customer.email_sha256",
            optional=True,
        ),
        Column(
            "customer_created_at",
            TIMESTAMP,
            "When the customer record was created.",
            path="customer.created_at",
            optional=True,
        ),
        Column(
            "landing_site",
            TEXT,
            "The landing path and query string of the session that placed the order.",
            optional=True,
        ),
        Column("referring_site", TEXT, "The referring URL.", optional=True),
        Column("source_name", TEXT, "Sales channel (web, pos, ...).", optional=True),
        Column("test", BOOLEAN, "Shopify test order flag.", optional=True),
        Column("discount_codes", JSON, "Discount codes as JSON.", optional=True),
        Column("line_items", JSON, "Line items as JSON.", json_type="ARRAY"),
        Column("refunds", JSON, "Refunds with their transactions as JSON.", json_type="ARRAY"),
    ),
    reader="extractors.shopify.client:read_orders",
    prepare="extractors.pii:hash_order_pii",
)

SOURCE = Source(
    name="shopify",
    description="Shopify Admin REST orders. PII is hashed on landing; names and street lines are dropped.",
    conn_id="shopify",
    accounts=Accounts(extra_key="shop", many=False),
    # Fulfilment and refunds land within days of an order; three days of overlap catches an update the
    # previous run saw half-way (and any clock skew around midnight) at the cost of re-reading a few orders.
    lookback_days=3,
    # Order days end at midnight in the shop's own zone, which its settings (shop.json) report.
    readiness=Readiness(hour=0, timezone=None),
    streams=(ORDERS,),
    client="extractors.shopify.client:make_client",
    account_settings="extractors.shopify.client:read_shop_settings",
    # A stable version inside Shopify's twelve-month support window; the connection's extra.api_version
    # overrides it. Shopify answers an expired version as its oldest supported one (the client warns).
    api_version="2026-10",
)
