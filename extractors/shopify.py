"""Shopify Admin REST: the ``orders`` stream (every order updated inside the window).

Connection ``shopify``: host = base URL (``https://<shop>.myshopify.com`` in production; derived
from the shop name when empty), password = Admin API access token, extra =
``{"shop": "<shop name>", "api_version": "2025-01", "page_size": 250}``. The shop is the account.

Orders are fetched by ``updated_at`` rather than ``created_at`` because fulfilments and refunds change
an order days after it was placed. Raw keeps every (order id, ``updated_at``) version it is given; dbt's
``int_shopify__orders_latest`` picks the latest version of each order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from extractors.connections import Connection, ConnectionConfigError, extra_int, extra_str
from extractors.errors import ConfigurationError, ExtractContext
from extractors.http import HttpClient, RetrySettings, classify_by_status
from extractors.paging import link_header_pages, records
from extractors.pii import hash_order_pii
from extractors.source import Source, StreamReader
from extractors.streams import Stream, Window

NAME = "shopify"
DEFAULT_CONN_ID = "shopify"
DEFAULT_API_VERSION = "2025-01"
DEFAULT_PAGE_SIZE = 250  # Shopify's maximum for REST list endpoints
# Fulfilment and refunds land within days of an order; three days of overlap catches an update the
# previous run saw half-way (and any clock skew around midnight) at the cost of re-reading a few orders.
LOOKBACK_DAYS = 3

ORDERS = Stream(name="orders", primary_key=("id",), cursor_field="updated_at", partition_field="updated_at")


def _shop(conn: Connection) -> str:
    """The shop a connection serves (its one account); required."""
    shop = extra_str(conn, "shop")
    if not shop:
        raise ConnectionConfigError(f"connection '{conn.conn_id}' has no extra.shop (the shop name)")
    return shop


@dataclass(frozen=True)
class ShopifySettings:
    base_url: str
    access_token: str = field(repr=False)
    shop: str
    api_version: str
    page_size: int

    @classmethod
    def from_connection(cls, conn: Connection) -> ShopifySettings:
        shop = _shop(conn)
        if not conn.password:
            raise ConnectionConfigError(f"connection '{conn.conn_id}' has no password (the Admin API token)")
        page_size = extra_int(conn, "page_size", DEFAULT_PAGE_SIZE)
        if not 1 <= page_size <= 250:
            raise ConnectionConfigError(f"connection '{conn.conn_id}': extra.page_size must be 1..250")
        return cls(
            base_url=(conn.host or f"https://{shop}.myshopify.com").rstrip("/"),
            access_token=conn.password,
            shop=shop,
            api_version=extra_str(conn, "api_version", DEFAULT_API_VERSION) or DEFAULT_API_VERSION,
            page_size=page_size,
        )


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    # Shopify REST uses honest status codes (429 + Retry-After, 401 for a bad token, 5xx), so the
    # generic status classifier is all it needs.
    try:
        settings = ShopifySettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    return HttpClient(
        context,
        retry=retry,
        classifier=classify_by_status,
        headers={"X-Shopify-Access-Token": settings.access_token},
        secrets=[settings.access_token],
    )


def read_orders(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    """Orders with ``updated_at`` in ``[window.start 00:00Z, window.end 00:00Z)``.

    Shopify's bounds are both inclusive and to the second, so the upper bound is the last second
    before the window's end.
    """
    settings = ShopifySettings.from_connection(conn)
    if account != settings.shop:
        # One connection serves one shop; asking it for another would land this shop's orders under
        # the wrong account.
        raise ConfigurationError(
            client.context, f"connection '{conn.conn_id}' is for shop '{settings.shop}', not '{account}'"
        )
    url = f"{settings.base_url}/admin/api/{settings.api_version}/orders.json"
    params = {
        "status": "any",  # the default, "open", would silently skip closed and cancelled orders
        "updated_at_min": f"{window.start.isoformat()}T00:00:00Z",
        "updated_at_max": f"{window.last_day.isoformat()}T23:59:59Z",
        "limit": settings.page_size,
    }
    return records(link_header_pages(client, url, params, records_key="orders"))


def list_accounts(conn: Connection) -> list[str]:
    # Only the shop: listing accounts needs no token, so a connection without one still fans out (and
    # each extract task then fails with the missing-token error).
    return [_shop(conn)]


SOURCE = Source(
    name=NAME,
    default_conn_id=DEFAULT_CONN_ID,
    lookback_days=LOOKBACK_DAYS,
    streams={ORDERS.name: StreamReader(ORDERS, read_orders, prepare=hash_order_pii)},
    list_accounts=list_accounts,
    make_client=make_client,
)
