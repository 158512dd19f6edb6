"""What the end-to-end run (tests/test_end_to_end.py) checks of Shopify: orders and GMV per shop day in the
published sales mart equal the truth."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sandbox.shopify import truth


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    # Shop-local (UTC+8) days wholly inside the loaded window: the first local day began 8 hours before
    # it, and local day as_of was still running at its end. sales_daily holds exactly those days.
    first_day, last_day = window_start + timedelta(days=1), as_of.date() - timedelta(days=1)
    expected_orders = truth.orders_by_day(world.part("shopify"), first_day, last_day, as_of)
    got_orders = {
        day: (orders, gmv)
        for day, orders, gmv in con.execute(
            "select order_date, orders, gmv from marts.sales_daily where order_date between $a and $b",
            {"a": first_day, "b": last_day},
        ).fetchall()
    }
    assert sum(n for n, _ in expected_orders.values()) > 1000
    (days_published,) = con.execute("select count(*) from marts.sales_daily").fetchone()
    assert days_published == initial_days - 1
    assert got_orders == {d: (n, Decimal(g)) for d, (n, g) in expected_orders.items()}
