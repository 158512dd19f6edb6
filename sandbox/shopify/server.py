"""Shopify Admin REST orders as the extractors meet them: Link-header paging and REST status codes.

``page_info`` tokens are stateless: the filter and the (updated_at, id) of the page edge, base64-encoded.
A server restart or a second server answers the same token the same way, and a page boundary stays put
even when the clock moves between pages (orders that change meanwhile move to a later page, as on
Shopify).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from sandbox.formats import parse_moment
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, json_response
from sandbox.shopify.world import ORDER_STATUSES, OrderEntry, ShopWorld
from sandbox.world import World

# The Admin API token this server accepts (sandbox-only; it goes where a real token would).
ACCESS_TOKEN = "shpat_sandbox00000000000000000000000000"
SHOP = "sandbox-shop"

ORDERS_PATH = re.compile(r"^/admin/api/(\d{4}-\d{2}|unstable)/orders\.json$")
SHOP_PATH = re.compile(r"^/admin/api/(\d{4}-\d{2}|unstable)/shop\.json$")
DEFAULT_LIMIT = 50
MAX_LIMIT = 250
DATE_FILTERS = ("updated_at_min", "updated_at_max", "created_at_min", "created_at_max")
# Real Shopify filters this sandbox does not implement: refuse them rather than silently ignore them.
UNSUPPORTED_FILTERS = ("since_id", "ids", "financial_status", "fulfillment_status", "processed_at_min",
                       "processed_at_max", "attribution_app_id")  # fmt: skip
PAGE_INFO_COMPANIONS = {"page_info", "limit", "fields"}
CALL_LIMIT_HEADER = {"X-Shopify-Shop-Api-Call-Limit": "1/40"}
DRIFT_FIELDS = {
    "client_details": {"browser_ip": "203.0.113.7", "accept_language": "zh-CN", "user_agent": "Mozilla/5.0"},
    "current_total_duties_set": None,
    "merchant_business_entity_id": "MBE-sandbox",
}


# Data faults that spoil the first order of a page the way real shops' data goes wrong.
ORDER_SPOILS: dict[str, Any] = {
    # Amounts in another currency than the shop's, with no presentment amounts to convert from.
    "foreign_currency": lambda order: order.update(currency="USD"),
    "refunds_not_a_list": lambda order: order.update(refunds={"id": 1}),
    "missing_line_items_price": lambda order: order.pop("total_line_items_price", None),
    "refund_without_status": lambda order: order.update(
        refunds=[{"id": 1, "transactions": [{"id": 2, "kind": "refund", "amount": "1.00"}]}]
    ),
}


class BadRequest(ValueError):
    """A request Shopify answers with 400; ``field`` names the offending parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def shopify_error(status: int, errors: Any, headers: dict[str, str] | None = None) -> ApiResponse:
    return json_response(status, {"errors": errors}, {**CALL_LIMIT_HEADER, **(headers or {})})


def encode_page_info(filters: dict[str, str], edge: OrderEntry, direction: str) -> str:
    token = {"f": filters, "k": [edge.updated_at.isoformat(), edge.id], "d": direction}
    return base64.urlsafe_b64encode(json.dumps(token, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_page_info(raw: str) -> tuple[dict[str, str], tuple[datetime, int], str]:
    try:
        token = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        filters = {str(k): str(v) for k, v in token["f"].items()}
        key = (datetime.fromisoformat(token["k"][0]), int(token["k"][1]))
        direction = token["d"]
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, binascii.Error) as exc:
        raise BadRequest("page_info", "Invalid value.") from exc
    if direction not in ("next", "previous"):
        raise BadRequest("page_info", "Invalid value.")
    return filters, key, direction


class ShopifyServer(PlatformServer):
    name = "shopify"
    data_faults = ("schema_drift", "empty_page", *ORDER_SPOILS)
    settings_path = SHOP_PATH

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.shop: ShopWorld = world.part("shopify")

    def connection(self) -> dict[str, Any]:
        return self.http_connection(ACCESS_TOKEN, {"shop": SHOP})

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return shopify_error(
                429,
                "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
                {"Retry-After": "1.0"},
            )
        if fault == "server_error":
            return shopify_error(503, "Service Unavailable")
        if fault == "token_expired":
            return self._unauthorized()
        raise ValueError(f"no canned response for fault {fault!r}")

    @staticmethod
    def _unauthorized() -> ApiResponse:
        return shopify_error(401, "[API] Invalid API key or access token (unrecognized login or wrong password)")

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        if request.header("X-Shopify-Access-Token") != ACCESS_TOKEN:
            return self._unauthorized()
        match = ORDERS_PATH.match(request.path) or SHOP_PATH.match(request.path)
        if request.method != "GET" or match is None:
            return shopify_error(404, "Not Found")
        try:
            if match.re is SHOP_PATH:
                response = json_response(200, {"shop": self._shop_settings()}, CALL_LIMIT_HEADER)
            else:
                response = self._orders(request, as_of, data_fault)
        except BadRequest as exc:
            response = shopify_error(400, {exc.field: str(exc)})
        # Like Shopify: a version past its support window (or not released) is answered as the oldest one
        # still supported, and the header says which version actually served the call.
        response.headers["X-Shopify-API-Version"] = served_version(match.group(1), as_of.date())
        return response

    def _shop_settings(self) -> dict[str, Any]:
        """The fields of Shopify's Shop resource the extractor reads, with a few of their neighbours."""
        return {
            "id": 548380009,
            "name": "Sandbox Shop",
            "myshopify_domain": f"{SHOP}.myshopify.com",
            "currency": self.shop.currency,
            "iana_timezone": self.shop.timezone,
            "country_code": "CN",
        }

    def _orders(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        drift = data_fault == "schema_drift"
        limit = _limit(request.param("limit"))
        fields = _fields(request.param("fields"))
        page_info = request.param("page_info")
        if page_info is not None:
            extra = sorted({name for name, _ in request.params} - PAGE_INFO_COMPANIONS)
            if extra:
                raise BadRequest(
                    "page_info", f"page_info can only be combined with limit and fields, not: {', '.join(extra)}"
                )
            filters, key, direction = decode_page_info(page_info)
        else:
            filters, key, direction = _filters_from_query(request), None, "next"

        entries = self.shop.entries(as_of, **_parse_filters(filters))
        if key is None:
            start, end = 0, min(limit, len(entries))
        elif direction == "next":
            start = bisect.bisect_right(entries, key, key=lambda e: (e.updated_at, e.id))
            end = min(start + limit, len(entries))
        else:
            end = bisect.bisect_left(entries, key, key=lambda e: (e.updated_at, e.id))
            start = max(0, end - limit)
        page = entries[start:end]

        orders = [self._order(self.shop.render(entry.order, as_of), fields, drift) for entry in page]
        if data_fault in ORDER_SPOILS and orders:
            ORDER_SPOILS[data_fault](orders[0])
        links = []
        # Shopify's links carry only limit, fields and the token; the filter lives inside the token.
        companions = [("limit", str(limit))] + ([("fields", request.param("fields") or "")] if fields else [])
        base = f"{request.base_url}{request.path}"
        if page and start > 0:
            token = encode_page_info(filters, page[0], "previous")
            links.append(f'<{base}?{urlencode([*companions, ("page_info", token)])}>; rel="previous"')
        if page and end < len(entries):
            token = encode_page_info(filters, page[-1], "next")
            links.append(f'<{base}?{urlencode([*companions, ("page_info", token)])}>; rel="next"')
        headers = dict(CALL_LIMIT_HEADER)
        if links:
            headers["Link"] = ", ".join(links)
        if data_fault == "empty_page" and end < len(entries):
            orders = []  # a paging lie: no orders, yet a next link
        return json_response(200, {"orders": orders}, headers)

    @staticmethod
    def _order(order: dict[str, Any], fields: set[str] | None, drift: bool) -> dict[str, Any]:
        if fields is not None:
            order = {key: value for key, value in order.items() if key in fields}
        if drift:
            order.update(DRIFT_FIELDS)
        return order


def supported_versions(today: date) -> list[str]:
    """Stable versions Shopify serves on ``today``: one per quarter, each for twelve months from release."""
    versions = []
    for year in (today.year - 1, today.year):
        for month in (1, 4, 7, 10):
            released = date(year, month, 1)
            if released <= today < date(year + 1, month, 1):
                versions.append(f"{year}-{month:02d}")
    return versions


def served_version(requested: str, today: date) -> str:
    supported = supported_versions(today)
    return requested if requested in supported or requested == "unstable" else supported[0]


def _filters_from_query(request: ApiRequest) -> dict[str, str]:
    for name in UNSUPPORTED_FILTERS:
        if request.param(name) is not None:
            raise BadRequest(name, "is not supported by the sandbox")
    filters = {"status": request.param("status") or "open"}  # Shopify's default: open orders only
    for name in DATE_FILTERS:
        value = request.param(name)
        if value:
            filters[name] = value
    _parse_filters(filters)  # fail now, not on page two
    return filters


def _parse_filters(filters: dict[str, str]) -> dict[str, Any]:
    status = filters.get("status", "open")
    if status not in ORDER_STATUSES:
        raise BadRequest("status", f"must be one of {', '.join(ORDER_STATUSES)}")
    parsed: dict[str, Any] = {"status": status}
    for name in DATE_FILTERS:
        if name in filters:
            try:
                parsed[name.replace("_at", "")] = parse_moment(filters[name])
            except ValueError as exc:
                raise BadRequest(name, "is invalid") from exc
    return parsed


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError as exc:
        raise BadRequest("limit", "must be an integer") from exc
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest("limit", f"must be between 1 and {MAX_LIMIT}")
    return limit


def _fields(raw: str | None) -> set[str] | None:
    if raw is None or not raw.strip():
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


SERVER = ShopifyServer
