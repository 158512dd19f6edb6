"""How fast the simulated world generates: rows per day and seconds for 90 days, at scale 1 and 10.

Prints figures, asserts nothing. Run: ``python -m bench.sandbox_world``. Each scale starts from a fresh
``World`` (cold caches), the way a sandbox process starts; the second pass shows the cached cost.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from sandbox.shopify import truth as shop_truth
from sandbox.world import World

T = TypeVar("T")


def _timed(label: str, action: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = action()
    print(f"  {label:<52} {time.perf_counter() - started:7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    args = parser.parse_args()
    until = args.as_of - timedelta(days=1)
    since = args.as_of - timedelta(days=args.days)
    for scale in args.scales:
        report(scale, since, until, args.as_of, args.days)


def report(scale: float, since: date, until: date, as_of: date, days: int) -> None:
    ads, shop = World(seed=42, scale=scale).part("meta"), World(seed=42, scale=scale).part("shopify")
    print(f"scale {scale:g}: {len(ads.ads('act_1001'))} ads per account, {since} .. {until}")

    def meta_rows() -> list[dict]:
        return [r for a in ads.accounts for r in ads.insights(a.id, since, until, as_of)]

    def orders() -> list[dict]:
        return [o for i in range(days) for o in shop.orders_created_on(since + timedelta(i), as_of)]

    for attempt in ("cold", "warm"):
        rows = _timed(f"{attempt}: Meta insights, both accounts, {days} days", meta_rows)
        placed = _timed(f"{attempt}: orders placed, {days} days (API-shaped)", orders)
    fresh = World(seed=42, scale=scale).part("shopify")
    start = datetime.combine(until, datetime.min.time(), tzinfo=UTC)
    end = start + timedelta(days=1, seconds=-1)
    _timed("cold: orders updated on one day (30-day lookback)", lambda: fresh.orders_updated_between(start, end, as_of))
    _timed("cold: orders_by_day truth for the window", lambda: shop_truth.orders_by_day(fresh, since, until, as_of))
    print(f"  Meta rows: {len(rows)} ({len(rows) / days / 2:.0f} per account-day); "
          f"orders: {len(placed)} ({len(placed) / days:.0f} per day)")  # fmt: skip


if __name__ == "__main__":
    main()
