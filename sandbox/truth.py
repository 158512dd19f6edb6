"""Ground truth: what the platforms would report, computed from the world directly, never through HTTP.

Tests reconcile marts against these numbers; because they bypass the servers, a paging or retry bug
in an extractor shows up as a mismatch instead of being reproduced on both sides.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sandbox.formats import SHANGHAI
from sandbox.world import World, as_of_moment, shop_day_bounds


def meta_spend_by_account_day(
    world: World, since: date, until: date, as_of: date | datetime
) -> dict[tuple[str, date], Decimal]:
    """Spend in the account's currency per (account id like "act_1001", local day), days with delivery."""
    moment = as_of_moment(as_of)
    totals: dict[tuple[str, date], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for account in world.accounts:
        for entry in world.meta.insight_entries(account.id, since, until, moment):
            totals[(account.id, entry.day)] += entry.spend
    return dict(totals)


def meta_rows(world: World, account_id: str, since: date, until: date, as_of: date | datetime) -> list[dict[str, Any]]:
    """Every insights row (all fields) for ``[since, until]`` as reported at ``as_of``, by (date, ad id)."""
    return world.meta_insights(account_id, since, until, as_of)


def orders_updated_between(
    world: World, start: date | datetime, end: date | datetime, as_of: date | datetime
) -> list[dict[str, Any]]:
    """API-shaped orders whose updated_at at ``as_of`` lies in ``[start, end]``, by (updated_at, id)."""
    return world.orders_updated_between(start, end, as_of)


def orders_by_day(world: World, since: date, until: date, as_of: date | datetime) -> dict[date, tuple[int, Decimal]]:
    """(order count, GMV) per local shop day for orders existing at ``as_of``; days without orders left out.

    GMV follows the metric contract: total_line_items_price + shipping, before discounts and refunds.
    """
    moment = as_of_moment(as_of)
    first, _ = shop_day_bounds(since)
    _, last = shop_day_bounds(until)
    result: dict[date, tuple[int, Decimal]] = {}
    for entry in world.order_entries(moment, created_min=first, created_max=last, status="any"):
        day = entry.order.created_at.astimezone(SHANGHAI).date()
        count, gmv = result.get(day, (0, Decimal("0.00")))
        result[day] = (count + 1, gmv + world.shop.content(entry.order).gmv)
    return dict(sorted(result.items()))
