"""Ground truth for Shopify: what the orders API would return, computed from the world, never through HTTP."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sandbox.formats import SHANGHAI, as_utc
from sandbox.shopify.world import ShopWorld, shop_day_bounds


def orders_updated_between(
    shop: ShopWorld, start: date | datetime, end: date | datetime, as_of: date | datetime
) -> list[dict[str, Any]]:
    """API-shaped orders whose updated_at at ``as_of`` lies in ``[start, end]``, by (updated_at, id)."""
    return shop.orders_updated_between(start, end, as_of)


def orders_by_day(shop: ShopWorld, since: date, until: date, as_of: date | datetime) -> dict[date, tuple[int, Decimal]]:
    """(order count, GMV) per local shop day for orders existing at ``as_of``; days without orders left out.

    GMV follows the metric contract: total_line_items_price + shipping, before discounts and refunds.
    """
    moment = as_utc(as_of)
    first, _ = shop_day_bounds(since)
    _, last = shop_day_bounds(until)
    result: dict[date, tuple[int, Decimal]] = {}
    for entry in shop.entries(moment, created_min=first, created_max=last, status="any"):
        day = entry.order.created_at.astimezone(SHANGHAI).date()
        count, gmv = result.get(day, (0, Decimal("0.00")))
        result[day] = (count + 1, gmv + shop.content(entry.order).gmv)
    return dict(sorted(result.items()))


def orders_by_link(orders: list[dict[str, Any]]) -> dict[tuple[str | None, str], tuple[int, Decimal]]:
    """(order count, GMV) per (utm_medium, utm_content) of API-shaped orders' landing links, for the orders whose
    link names a post, an account or a creator collaboration (``sandbox.shopify.links``).

    GMV follows the metric contract: total_line_items_price + shipping, before discounts and refunds.
    """
    result: dict[tuple[str | None, str], tuple[int, Decimal]] = {}
    for order in orders:
        query = parse_qs(urlsplit(order["landing_site"] or "").query)
        if "utm_content" not in query:
            continue
        key = (query.get("utm_medium", [None])[0], query["utm_content"][0])
        gmv = Decimal(order["total_line_items_price"]) + Decimal(
            order["total_shipping_price_set"]["shop_money"]["amount"]
        )
        count, total = result.get(key, (0, Decimal("0.00")))
        result[key] = (count + 1, total + gmv)
    return result
