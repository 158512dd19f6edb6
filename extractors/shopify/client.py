"""Shopify's client and reader: the Admin REST ``orders`` request.

Orders are fetched by ``updated_at`` rather than ``created_at`` because fulfilments and refunds change
an order days after it was placed. Raw keeps every (order id, ``updated_at``) version it is given; dbt's
``int_shopify__orders_latest`` picks the latest version of each order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from extractors.account_settings import fetch_account_settings
from extractors.catalog import AccountSettings
from extractors.connections import Connection, ConnectionConfigError, extra_int, extra_str
from extractors.errors import ConfigurationError, ExtractContext
from extractors.http import HttpClient, RetrySettings, Verdict, classify_by_status
from extractors.paging import link_header_pages, records
from extractors.shopify.source import SOURCE
from extractors.streams import Window

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 250  # Shopify's maximum for REST list endpoints


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
        page_size = extra_int(conn, "page_size", DEFAULT_PAGE_SIZE, within=(1, 250))
        return cls(
            base_url=(conn.host or f"https://{shop}.myshopify.com").rstrip("/"),
            access_token=conn.password,
            shop=shop,
            api_version=extra_str(conn, "api_version", SOURCE.api_version) or SOURCE.api_version,
            page_size=page_size,
        )


class VersionWatch:
    """The status classifier, plus one warning when Shopify served another API version than was asked.

    Shopify answers a version past its support window as the oldest supported one and says so in
    ``X-Shopify-API-Version``; the data still comes, in a newer shape, so this warns rather than fails.
    """

    def __init__(self, requested: str, context: ExtractContext) -> None:
        self.requested = requested
        self.context = context
        self.served: str | None = None

    def __call__(self, response: requests.Response) -> Verdict:
        served = response.headers.get("X-Shopify-API-Version")
        if served and served != self.requested and self.served is None:
            self.served = served
            log.warning(
                "%s: asked for Admin API version %s, Shopify served %s (the one asked for is out of support); "
                "set extra.api_version on connection '%s' to a supported version",
                self.context.describe(),
                self.requested,
                served,
                self.context.conn_id,
            )
        return classify_by_status(response)


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
        classifier=VersionWatch(settings.api_version, context),
        headers={"X-Shopify-Access-Token": settings.access_token},
        secrets=[settings.access_token],
    )


def read_shop_settings(client: HttpClient, conn: Connection, account: str) -> AccountSettings:
    """The shop's ``iana_timezone`` (its order days end at midnight there) and ``currency``."""
    settings = ShopifySettings.from_connection(conn)
    return fetch_account_settings(
        client,
        f"{settings.base_url}/admin/api/{settings.api_version}/shop.json",
        timezone_path=("shop", "iana_timezone"),
        currency_path=("shop", "currency"),
    )


def read_orders(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    """Every order updated since ``window.start`` 00:00Z, up to now: no upper bound.

    An order edited after the window (a refund, a cancellation) must still arrive: capping the request at
    the window's end would lose that version for good, and publish the day as complete without it. Raw keeps
    every version, so a version newer than the window is simply the order's latest.
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
        "limit": settings.page_size,
    }
    return records(link_header_pages(client, url, params, records_key="orders"))
