"""One brand's simulated marketing world: its Meta ad accounts and its Shopify shop.

Everything here is a pure function of (seed, scale, the dates asked for, as_of): two ``World``
objects with the same seed and scale, in any process, answer every question identically. ``as_of``
stands for "now" in the world; a ``date`` means midnight UTC of that date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sandbox.formats import SHANGHAI, as_utc
from sandbox.meta_world import AdAccount, AdDay, MetaWorld
from sandbox.shop_world import OrderEntry, ShopWorld


class World:
    """The facade the servers and the ground truth ask; the parts live in meta_world/shop_world."""

    def __init__(self, seed: int = 42, scale: float = 1.0) -> None:
        if scale <= 0:
            raise ValueError(f"scale must be positive, got {scale}")
        self.seed = seed
        self.scale = scale
        self.meta = MetaWorld(seed, scale)
        self.shop = ShopWorld(seed, scale)

    def __repr__(self) -> str:
        return f"World(seed={self.seed}, scale={self.scale})"

    @property
    def accounts(self) -> tuple[AdAccount, ...]:
        return self.meta.accounts

    # -- Meta ------------------------------------------------------------------------------------------

    def meta_entries(self, account_id: str, since: date, until: date, as_of: date | datetime) -> list[AdDay]:
        """Ad-days of ``[since, until]`` that exist at ``as_of``, sorted by (date, ad id)."""
        return self.meta.insight_entries(account_id, since, until, as_of_moment(as_of))

    def meta_insights(self, account_id: str, since: date, until: date, as_of: date | datetime) -> list[dict[str, Any]]:
        """Insights rows (level=ad, time_increment=1, all fields) as the API reports them at ``as_of``."""
        moment = as_of_moment(as_of)
        return [self.meta.render(e, moment) for e in self.meta.insight_entries(account_id, since, until, moment)]

    # -- Shopify ---------------------------------------------------------------------------------------

    def order_entries(self, as_of: date | datetime, **filters: Any) -> list[OrderEntry]:
        """Orders at ``as_of`` matching ``ShopWorld.entries`` filters, sorted by (updated_at, id)."""
        return self.shop.entries(as_of_moment(as_of), **filters)

    def orders_updated_between(
        self, start: date | datetime, end: date | datetime, as_of: date | datetime
    ) -> list[dict[str, Any]]:
        """API-shaped orders whose updated_at (at ``as_of``) is in ``[start, end]``, both inclusive."""
        moment = as_of_moment(as_of)
        entries = self.shop.entries(moment, updated_min=as_utc(start), updated_max=as_utc(end))
        return [self.shop.render(e.order, moment) for e in entries]

    def orders_created_on(self, day: date, as_of: date | datetime) -> list[dict[str, Any]]:
        """API-shaped orders placed on a local shop day (Asia/Shanghai) that exist at ``as_of``."""
        moment = as_of_moment(as_of)
        return [self.shop.render(o, moment) for o in self.shop.orders_on(day) if o.exists_at(moment)]


def as_of_moment(as_of: date | datetime) -> datetime:
    """The world's "now" as an aware UTC datetime (a date means its midnight UTC)."""
    return as_utc(as_of)


def shop_day_bounds(day: date) -> tuple[datetime, datetime]:
    """First and last second of a local shop day, in UTC (for inclusive API bounds)."""
    start = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    return as_utc(start), as_utc(start + timedelta(days=1) - timedelta(seconds=1))
