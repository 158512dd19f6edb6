"""The simulated Shopify shop: customers, orders, and how orders change after they are placed.

Each local day's orders are generated together from a generator keyed by (seed, day). Order numbers
and new-customer ids need counts of all earlier days; those counts come from cheap per-day draws, so
they are prefix sums rather than a replay of every earlier order.

An order is generated once with its whole future (fulfilment, maybe a refund); the version an API
call sees keeps only the events before the world's ``as_of``.

One order in twenty (``PII_HEAVY_SHARE``, drawn from the order's own seed, so always the same ones) carries
its customer's contact data where real shops end up with it and no fixed key list looks: phones under
``buyer_contact`` and ``mobile``, the e-mail among ``tags`` and in the ``landing_site`` query string (after
the UTM parameters, which stay as they were), and a contact object and a JSON string in the customer's
metafields. ``Customer.contact_forms`` lists every way the world writes them, for tests that prove none lands.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NamedTuple
from urllib.parse import quote

from sandbox import rng
from sandbox.formats import CENT, SHANGHAI, as_utc, money_str, shop_timestamp, to_money
from sandbox.seasonality import hourly_weights, promotion, shop_demand
from sandbox.shopify.links import link_for

SHOP_START = date(2024, 1, 1)
BASE_ORDERS_PER_DAY = 80
CURRENCY = "CNY"
TIMEZONE = "Asia/Shanghai"
VAT = Decimal("0.13")  # prices include VAT, as in China
FREE_SHIPPING_FROM = Decimal("99.00")
SHIPPING_FEE = Decimal("10.00")
REFUND_RATE = 0.08
# Every event of an order happens within this many days of its creation; an updated_at query only
# has to look at orders created this far before its start.
MAX_EVENT_DAYS = 30
PII_HEAVY_SHARE = 0.05

ORDER_ID_BASE = 5_000_000_000_000
CUSTOMER_ID_BASE = 7_000_000_000_000
PRODUCT_ID_BASE = 8_000_000_000_000
VARIANT_ID_BASE = 4_000_000_000_000
LINE_ITEM_ID_BASE = 11_000_000_000_000
REFUND_ID_BASE = 9_000_000_000_000
TRANSACTION_ID_BASE = 10_000_000_000_000
FIRST_ORDER_NUMBER = 1001


@dataclass(frozen=True, slots=True)
class Product:
    index: int
    handle: str
    title: str
    price: Decimal
    popularity: float

    @property
    def product_id(self) -> int:
        return PRODUCT_ID_BASE + self.index

    @property
    def variant_id(self) -> int:
        return VARIANT_ID_BASE + self.index

    @property
    def sku(self) -> str:
        return f"SKN-{self.index:03d}"


CATALOG = tuple(
    Product(i, handle, title, Decimal(price).quantize(CENT), popularity)
    for i, (handle, title, price, popularity) in enumerate(
        (
            ("hydrating-serum", "Hydrating Serum 30ml", 199, 3.0),
            ("vitamin-c-essence", "Vitamin C Essence 50ml", 259, 2.0),
            ("night-repair-cream", "Night Repair Cream", 299, 2.0),
            ("sunscreen-spf50", "Daily Sunscreen SPF50", 129, 2.5),
            ("cleansing-balm", "Cleansing Balm", 159, 1.5),
            ("sheet-mask-10", "Sheet Mask x10", 89, 2.5),
            ("peptide-eye-cream", "Peptide Eye Cream", 239, 1.0),
            ("soothing-toner", "Soothing Toner 200ml", 119, 1.5),
            ("tinted-lip-oil", "Tinted Lip Oil", 99, 1.5),
            ("deluxe-gift-set", "Deluxe Gift Set", 599, 0.8),
            ("travel-kit", "Travel Kit", 149, 1.0),
            ("retinol-serum", "Retinol Serum 0.3%", 329, 1.0),
            ("silk-body-lotion", "Silk Body Lotion", 139, 1.0),
            ("repair-hair-mask", "Repair Hair Mask", 109, 0.8),
            ("hand-cream-trio", "Hand Cream Trio", 79, 1.2),
            ("first-essence", "First Essence 150ml", 399, 1.2),
        )
    )
)
# Cumulative weights, computed once: random.choices would otherwise re-add them for every draw.
_POPULARITY_CUM = tuple(itertools.accumulate(p.popularity for p in CATALOG))
_LINE_COUNT_CUM = (0.6, 0.9, 1.0)

SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
            "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao")  # fmt: skip
GIVEN_NAMES = ("Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Yan", "Jie", "Ting", "Xin",
               "Yu", "Hui", "Jun", "Lan", "Mei", "Xiao", "Yi", "Chen")  # fmt: skip
CITIES = (
    ("Shanghai", "Shanghai", "200000"), ("Beijing", "Beijing", "100000"),
    ("Hangzhou", "Zhejiang", "310000"), ("Shenzhen", "Guangdong", "518000"),
    ("Guangzhou", "Guangdong", "510000"), ("Chengdu", "Sichuan", "610000"),
    ("Wuhan", "Hubei", "430000"), ("Nanjing", "Jiangsu", "210000"), ("Suzhou", "Jiangsu", "215000"),
    ("Xi'an", "Shaanxi", "710000"), ("Chongqing", "Chongqing", "400000"), ("Tianjin", "Tianjin", "300000"),
)  # fmt: skip
STREETS = ("Nanjing", "Huaihai", "Zhongshan", "Jianguo", "Renmin", "Jiefang", "Heping", "Changjiang",
           "Xinhua", "Yan'an")  # fmt: skip

# (utm_source, utm_medium, referring_site); None source = no UTM parameters.
CHANNELS = {
    "facebook": ("facebook", "paid_social", "https://m.facebook.com/"),
    "google": ("google", "cpc", "https://www.google.com/"),
    "tiktok": ("tiktok", "paid_social", "https://www.tiktok.com/"),
    "douyin": ("douyin", "paid_social", "https://www.douyin.com/"),
    "wechat": ("wechat", "social", "https://mp.weixin.qq.com/"),
    "xiaohongshu": ("xiaohongshu", "social", "https://www.xiaohongshu.com/"),
    "email": ("email", "email", None),
    "organic": (None, None, "https://www.baidu.com/"),
    "direct": (None, None, None),
}
# New customers arrive more through paid media; returning ones through owned channels and directly.
CHANNEL_MIX = {
    True: {"facebook": 0.22, "google": 0.14, "tiktok": 0.08, "douyin": 0.12, "wechat": 0.06,
           "xiaohongshu": 0.10, "email": 0.02, "organic": 0.12, "direct": 0.14},
    False: {"facebook": 0.10, "google": 0.08, "tiktok": 0.04, "douyin": 0.06, "wechat": 0.12,
            "xiaohongshu": 0.06, "email": 0.20, "organic": 0.10, "direct": 0.24},
}  # fmt: skip
_CHANNEL_CUM = {new: (tuple(mix), tuple(itertools.accumulate(mix.values()))) for new, mix in CHANNEL_MIX.items()}
EVERGREEN_UTM_CAMPAIGN = {
    "email": "newsletter", "wechat": "wechat_article", "xiaohongshu": "kol_seeding",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Customer:
    index: int
    first_name: str
    last_name: str
    city: str
    province: str
    zip: str
    address1: str
    created_at: datetime  # UTC; the account is made at the first checkout
    first_order_at: datetime  # UTC

    @property
    def id(self) -> int:
        return CUSTOMER_ID_BASE + self.index

    @property
    def email(self) -> str:
        return f"c{self.index}@example.com"

    @property
    def phone(self) -> str:
        return f"+86138{self.index:08d}"

    @property
    def national_phone(self) -> str:
        return self.phone[3:]

    @property
    def spaced_phone(self) -> str:
        national = self.national_phone
        return f"+86 {national[:3]} {national[3:7]} {national[7:]}"

    @property
    def dashed_phone(self) -> str:
        national = self.national_phone
        return f"{national[:3]}-{national[3:7]}-{national[7:]}"

    def contact_forms(self) -> tuple[str, ...]:
        """Every form in which the world writes this customer's e-mail or phone (a PII-heavy order uses all)."""
        return (self.email, quote(self.email, safe=""), self.phone, self.national_phone, self.spaced_phone,
                self.dashed_phone)  # fmt: skip


@dataclass(frozen=True, slots=True)
class OrderTimeline:
    """When an order was placed and when it changes: all a query needs to place it in (updated_at, id).

    Kept apart from the order's content (``OrderContent``) so a query over a month of orders only pays
    for the content of the orders it returns.
    """

    seq: int  # 0-based position among all orders ever placed
    customer_index: int
    is_new_customer: bool
    created_at: datetime  # UTC
    fulfilled_at: datetime
    refund_at: datetime | None

    @property
    def order_number(self) -> int:
        return FIRST_ORDER_NUMBER + self.seq

    @property
    def id(self) -> int:
        return ORDER_ID_BASE + self.order_number

    @property
    def local_day(self) -> date:
        return self.created_at.astimezone(SHANGHAI).date()

    def exists_at(self, as_of: datetime) -> bool:
        return self.created_at < as_of

    def is_fulfilled_at(self, as_of: datetime) -> bool:
        return self.fulfilled_at < as_of

    def is_refunded_at(self, as_of: datetime) -> bool:
        return self.refund_at is not None and self.refund_at < as_of

    def updated_at(self, as_of: datetime) -> datetime:
        """The last event before ``as_of`` (the order must exist at ``as_of``)."""
        if self.is_refunded_at(as_of):
            return self.refund_at  # type: ignore[return-value]  # refunds always follow fulfilment
        if self.is_fulfilled_at(as_of):
            return self.fulfilled_at
        return self.created_at


@dataclass(frozen=True, slots=True)
class Refund:
    full: bool
    # (line index, quantity, subtotal) refunded
    lines: tuple[tuple[int, int, Decimal], ...]
    amount: Decimal


@dataclass(frozen=True, slots=True)
class OrderContent:
    """What was bought, for how much, from where; fixed when the order is placed."""

    timeline: OrderTimeline
    customer: Customer
    lines: tuple[tuple[Product, int], ...]  # (product, quantity)
    discount_code: str | None
    discount_type: str | None
    total_line_items_price: Decimal
    total_discounts: Decimal
    shipping: Decimal
    landing_site: str
    referring_site: str | None
    refund: Refund | None  # what the refund at timeline.refund_at gives back

    @property
    def subtotal_price(self) -> Decimal:
        return self.total_line_items_price - self.total_discounts

    @property
    def total_price(self) -> Decimal:
        return self.subtotal_price + self.shipping

    @property
    def gmv(self) -> Decimal:
        """GMV as the metric contract defines it: line items plus shipping, before discounts/refunds."""
        return self.total_line_items_price + self.shipping


class OrderEntry(NamedTuple):
    """An order's position in the API's (updated_at, id) order at some ``as_of``."""

    updated_at: datetime
    id: int
    order: OrderTimeline


ORDER_STATUSES = ("open", "closed", "cancelled", "any")


def _status_of(order: OrderTimeline, as_of: datetime) -> str:
    # Shopify archives (closes) an order once it is fulfilled, by default.
    return "closed" if order.is_fulfilled_at(as_of) else "open"


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(UTC)


@functools.lru_cache(maxsize=8)
def _cumulative(weights: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(itertools.accumulate(weights))


def _time_in_day(day: date, u_hour: float, u_second: float) -> datetime:
    """A moment of a local day, hours weighted by the day's shopping pattern (inverse CDF)."""
    cumulative = _cumulative(hourly_weights(day))
    hour = min(23, bisect.bisect_right(cumulative, u_hour * cumulative[-1]))
    return _local_midnight(day) + timedelta(hours=hour, seconds=int(u_second * 3600))


def _two_units(*parts: object) -> tuple[float, float]:
    """Two uniform draws from one hash (its high and low 32 bits)."""
    h = rng.seed_of(*parts)
    return (h >> 32) / 2.0**32, (h & 0xFFFFFFFF) / 2.0**32


class ShopWorld:
    """The shop of one seed and scale."""

    def __init__(self, seed: int, scale: float, world: Any) -> None:
        self.seed = seed
        self.scale = scale
        # The whole world, for the posts and collaborations social visitors came from (sandbox.shopify.links).
        self._world = world
        self.currency = CURRENCY
        self.timezone = TIMEZONE
        self._lock = threading.Lock()
        # Prefix sums per day since SHOP_START: orders / new customers placed before that day.
        self._orders_before: list[int] = [0]
        self._new_before: list[int] = [0]
        # Caches sized for memory (a few hundred MB at most at scale 10), not for the whole history:
        # a daily run touches ~30 days of orders, a backfill walks forward through them.
        self.customer: Callable[[int], Customer] = functools.lru_cache(maxsize=50_000)(self._customer)
        self.content: Callable[[OrderTimeline], OrderContent] = functools.lru_cache(maxsize=50_000)(self._content)
        days = max(120, int(1200 / max(scale, 1.0)))
        self.orders_on: Callable[[date], tuple[OrderTimeline, ...]] = functools.lru_cache(maxsize=days)(self._orders_on)

    # -- daily counts --------------------------------------------------------------------------------

    def day_counts(self, day: date) -> tuple[int, int]:
        """(new-customer orders, returning-customer orders) placed on a local day."""
        if day < SHOP_START:
            return 0, 0
        r = rng.stream(self.seed, "shop", "count", day)
        total = round(BASE_ORDERS_PER_DAY * self.scale * shop_demand(day) * rng.lognormal_noise(r, 0.08))
        if day == SHOP_START:
            # Nobody can come back on the opening day; at least one customer so later days have someone.
            return max(1, total), 0
        share_new = 0.70 if promotion(day) else 0.62
        new = rng.binomial(r, total, share_new)
        return new, total - new

    def _extend_prefix(self, day: date) -> int:
        """Make the prefix sums cover ``day``; return its index."""
        index = (day - SHOP_START).days
        with self._lock:
            while len(self._orders_before) <= index + 1:
                i = len(self._orders_before) - 1
                new, returning = self.day_counts(SHOP_START + timedelta(days=i))
                self._orders_before.append(self._orders_before[-1] + new + returning)
                self._new_before.append(self._new_before[-1] + new)
        return index

    def orders_before(self, day: date) -> int:
        return 0 if day < SHOP_START else self._orders_before[self._extend_prefix(day)]

    # -- customers -----------------------------------------------------------------------------------

    def _first_order_at(self, index: int, day: date) -> datetime:
        return _time_in_day(day, *_two_units(self.seed, "first-order", index))

    def _customer(self, index: int) -> Customer:
        """Customer ``index`` (1-based): who they are and when they first ordered."""
        if index < 1 or index > self._new_before[-1]:
            raise KeyError(f"customer {index} has not been created yet")
        day = SHOP_START + timedelta(days=bisect.bisect_left(self._new_before, index) - 1)
        first_order_at = self._first_order_at(index, day)
        r = rng.stream(self.seed, "customer", index)
        city, province, zip_code = r.choice(CITIES)
        return Customer(
            index=index,
            first_name=r.choice(GIVEN_NAMES),
            last_name=r.choice(SURNAMES),
            city=city,
            province=province,
            zip=zip_code,
            address1=f"{r.randrange(1, 1200)} {r.choice(STREETS)} Road, Apt {r.randrange(101, 3000)}",
            created_at=first_order_at - timedelta(seconds=r.randrange(60, 900)),
            first_order_at=first_order_at,
        )

    # -- orders --------------------------------------------------------------------------------------

    def _orders_on(self, day: date) -> tuple[OrderTimeline, ...]:
        """Every order placed on a local day, sorted by creation time (cached; a pure function)."""
        if day < SHOP_START:
            return ()
        index = self._extend_prefix(day)
        new, returning = self.day_counts(day)
        known = self._new_before[index]
        slots = [(self._first_order_at(k, day), k, True) for k in range(known + 1, known + new + 1)]
        r = rng.stream(self.seed, "shop", "orders", day)
        for _ in range(returning):
            # Recent customers come back more often than old ones.
            u = r.random()
            slots.append((_time_in_day(day, r.random(), r.random()), known - math.floor(known * u * u), False))
        slots.sort()
        first_seq = self._orders_before[index]
        return tuple(self._timeline(first_seq + i, k, is_new, created) for i, (created, k, is_new) in enumerate(slots))

    def _timeline(self, seq: int, customer_index: int, is_new: bool, created: datetime) -> OrderTimeline:
        u_fulfil, u_refund = _two_units(self.seed, "order-events", seq)
        fulfilled = created + timedelta(seconds=86_400 + int(u_fulfil * 2 * 86_400))
        refund_at = None
        if u_refund < REFUND_RATE:
            u_delay, _ = _two_units(self.seed, "refund-delay", seq)
            # Refunds come 2-20 days after the order, and never before the parcel left.
            refund_at = max(created + timedelta(seconds=2 * 86_400 + int(u_delay * 18 * 86_400)),
                            fulfilled + timedelta(hours=1))  # fmt: skip
        return OrderTimeline(seq, customer_index, is_new, created, fulfilled, refund_at)

    def _content(self, order: OrderTimeline) -> OrderContent:
        r = rng.stream(self.seed, "order", order.seq)
        promo = promotion(order.local_day)
        lines = self._line_items(r)
        items = sum((p.price * q for p, q in lines), Decimal("0.00"))
        code, kind, discount = self._discount(r, promo, order.is_new_customer, items)
        shipping = Decimal("0.00") if items - discount >= FREE_SHIPPING_FROM else SHIPPING_FEE
        landing_site, referring_site = self._traffic(r, promo, order, lines[0][0])
        refund = None
        if order.refund_at is not None:
            refund = self._refund(r, lines, items, discount, items - discount + shipping)
        return OrderContent(
            timeline=order,
            customer=self.customer(order.customer_index),
            lines=lines,
            discount_code=code,
            discount_type=kind,
            total_line_items_price=items,
            total_discounts=discount,
            shipping=shipping,
            landing_site=landing_site,
            referring_site=referring_site,
            refund=refund,
        )

    @staticmethod
    def _line_items(r: Any) -> tuple[tuple[Product, int], ...]:
        n_lines = r.choices((1, 2, 3), cum_weights=_LINE_COUNT_CUM)[0]
        chosen: list[Product] = []
        while len(chosen) < n_lines:
            product = r.choices(CATALOG, cum_weights=_POPULARITY_CUM)[0]
            if product not in chosen:
                chosen.append(product)
        return tuple((p, 1 if r.random() < 0.8 else 2) for p in chosen)

    @staticmethod
    def _discount(r: Any, promo: str | None, is_new: bool, items: Decimal) -> tuple[str | None, str | None, Decimal]:
        """(code, type, amount). Promotions run tiered 满减 coupons; otherwise small percentage codes."""
        draw = r.random()
        if promo == "double11" and draw < 0.65:
            code, kind, amount = "DOUBLE11", "fixed_amount", Decimal(50 * int(items // 300) + 20)
        elif promo == "618" and draw < 0.55:
            code, kind, amount = "618SALE", "fixed_amount", Decimal(30 * int(items // 200) + 10)
        elif is_new and draw < 0.15:
            code, kind, amount = "WELCOME10", "percentage", to_money(items * Decimal("0.10"))
        elif not is_new and draw < 0.10:
            code, kind, amount = "VIP15", "percentage", to_money(items * Decimal("0.15"))
        else:
            return None, None, Decimal("0.00")
        return code, kind, min(amount, items - 1).quantize(CENT)

    def _traffic(self, r: Any, promo: str | None, order: OrderTimeline, product: Product) -> tuple[str, str | None]:
        names, cumulative = _CHANNEL_CUM[order.is_new_customer]
        channel = r.choices(names, cum_weights=cumulative)[0]
        source, medium, referrer = CHANNELS[channel]
        page = f"/products/{product.handle}" if r.random() < 0.7 else "/"
        if source is None:
            return page, referrer
        campaign = (
            promo or EVERGREEN_UTM_CAMPAIGN.get(channel) or ("prospecting" if order.is_new_customer else "retargeting")
        )
        link = link_for(self._world, self.seed, channel, order.seq, order.created_at)
        if link is not None:
            medium = link.medium or medium
        query = f"utm_source={source}&utm_medium={medium}&utm_campaign={campaign}"
        if link is not None:
            query += f"&utm_content={link.content}"
        return f"{page}?{query}", referrer

    @staticmethod
    def _refund(
        r: Any,
        lines: tuple[tuple[Product, int], ...],
        items: Decimal,
        discount: Decimal,
        total_price: Decimal,
    ) -> Refund:
        # Refunded goods are worth what was paid for them: the order discount is shared pro rata.
        paid_share = (items - discount) / items
        units = sum(q for _, q in lines)
        if units == 1 or r.random() < 0.4:
            refunded = tuple((i, q, to_money(p.price * q * paid_share)) for i, (p, q) in enumerate(lines))
            return Refund(True, refunded, total_price)
        i = r.randrange(len(lines))
        subtotal = to_money(lines[i][0].price * paid_share)
        return Refund(False, ((i, 1, subtotal),), subtotal)

    # -- queries -------------------------------------------------------------------------------------

    def entries(
        self,
        as_of: datetime,
        *,
        updated_min: datetime | None = None,
        updated_max: datetime | None = None,
        created_min: datetime | None = None,
        created_max: datetime | None = None,
        status: str = "any",
    ) -> list[OrderEntry]:
        """Orders existing at ``as_of`` that match the filters (bounds inclusive), sorted by (updated_at, id).

        ``status`` follows Shopify: ``open`` (not yet fulfilled, so not archived), ``closed``,
        ``cancelled`` (none in this world) or ``any``.
        """
        # Every page of one listing asks the same query; without the cache a 90-day backfill at 10x scale
        # re-filters ~100k orders per page. The world is immutable for a given as_of, so caching is safe.
        return list(self._matching(as_of, updated_min, updated_max, created_min, created_max, status))

    @functools.lru_cache(maxsize=16)  # noqa: B019 - the world lives as long as its server; that is intended
    def _matching(
        self,
        as_of: datetime,
        updated_min: datetime | None,
        updated_max: datetime | None,
        created_min: datetime | None,
        created_max: datetime | None,
        status: str,
    ) -> tuple[OrderEntry, ...]:
        first = SHOP_START
        if created_min is not None:
            first = max(first, created_min.astimezone(SHANGHAI).date())
        if updated_min is not None:
            first = max(first, updated_min.astimezone(SHANGHAI).date() - timedelta(days=MAX_EVENT_DAYS))
        last = as_of.astimezone(SHANGHAI).date()
        for bound in (created_max, updated_max):
            if bound is not None:
                last = min(last, bound.astimezone(SHANGHAI).date())
        found: list[OrderEntry] = []
        day = first
        while day <= last:
            for order in self.orders_on(day):
                if not order.exists_at(as_of):
                    break  # a day's orders are sorted by creation time
                if (created_min is not None and order.created_at < created_min) or (
                    created_max is not None and order.created_at > created_max
                ):
                    continue
                updated = order.updated_at(as_of)
                if (updated_min is not None and updated < updated_min) or (
                    updated_max is not None and updated > updated_max
                ):
                    continue
                if status != "any" and _status_of(order, as_of) != status:
                    continue
                found.append(OrderEntry(updated, order.id, order))
            day += timedelta(days=1)
        found.sort(key=lambda entry: (entry.updated_at, entry.id))
        return tuple(found)

    def orders_updated_between(
        self, start: date | datetime, end: date | datetime, as_of: date | datetime
    ) -> list[dict[str, Any]]:
        """API-shaped orders whose updated_at (at ``as_of``) is in ``[start, end]``, both inclusive."""
        moment = as_utc(as_of)
        entries = self.entries(moment, updated_min=as_utc(start), updated_max=as_utc(end))
        return [self.render(e.order, moment) for e in entries]

    def orders_created_on(self, day: date, as_of: date | datetime) -> list[dict[str, Any]]:
        """API-shaped orders placed on a local shop day (Asia/Shanghai) that exist at ``as_of``."""
        moment = as_utc(as_of)
        return [self.render(o, moment) for o in self.orders_on(day) if o.exists_at(moment)]

    # -- API shape -----------------------------------------------------------------------------------

    def render(self, order: OrderTimeline, as_of: datetime) -> dict[str, Any]:
        """The order as the Admin REST API returns it at ``as_of`` (the order must exist then)."""
        content = self.content(order)
        customer = content.customer
        created = shop_timestamp(order.created_at)
        refunded = order.is_refunded_at(as_of)
        financial_status = "paid"
        if refunded and content.refund is not None:
            financial_status = "refunded" if content.refund.full else "partially_refunded"
        shipping = money_str(content.shipping)
        shipping_money = {"amount": shipping, "currency_code": CURRENCY}
        address = {
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "address1": customer.address1,
            "city": customer.city,
            "province": customer.province,
            "country_code": "CN",
            "zip": customer.zip,
            "phone": customer.phone,
        }
        line_item_base = LINE_ITEM_ID_BASE + order.seq * 10
        rendered: dict[str, Any] = {
            "id": order.id,
            "name": f"#{order.order_number}",
            "order_number": order.order_number,
            "email": customer.email,
            "phone": customer.phone,
            "created_at": created,
            "updated_at": shop_timestamp(order.updated_at(as_of)),
            "processed_at": created,
            "cancelled_at": None,
            "currency": CURRENCY,
            "financial_status": financial_status,
            "fulfillment_status": "fulfilled" if order.is_fulfilled_at(as_of) else None,
            "taxes_included": True,
            "total_line_items_price": money_str(content.total_line_items_price),
            "total_discounts": money_str(content.total_discounts),
            "subtotal_price": money_str(content.subtotal_price),
            # VAT is included in the goods price: tax = price * rate / (1 + rate).
            "total_tax": money_str(content.subtotal_price * VAT / (1 + VAT)),
            "total_price": money_str(content.total_price),
            "total_shipping_price_set": {
                "shop_money": shipping_money,
                "presentment_money": dict(shipping_money),
            },
            "discount_codes": (
                [
                    {
                        "code": content.discount_code,
                        "amount": money_str(content.total_discounts),
                        "type": content.discount_type,
                    }
                ]
                if content.discount_code
                else []
            ),  # fmt: skip
            "line_items": [
                {
                    "id": line_item_base + i,
                    "product_id": product.product_id,
                    "variant_id": product.variant_id,
                    "sku": product.sku,
                    "title": product.title,
                    "quantity": quantity,
                    "price": money_str(product.price),
                    "total_discount": "0.00",
                }
                for i, (product, quantity) in enumerate(content.lines)
            ],
            "refunds": [self._render_refund(order, content, line_item_base)] if refunded else [],
            "customer": {
                "id": customer.id,
                "email": customer.email,
                "phone": customer.phone,
                "first_name": customer.first_name,
                "last_name": customer.last_name,
                "created_at": shop_timestamp(customer.created_at),
            },
            "billing_address": address,
            "shipping_address": dict(address),
            "landing_site": content.landing_site,
            "referring_site": content.referring_site,
            "source_name": "web",
            "test": False,
        }
        if self.is_pii_heavy(order):
            self._add_stray_pii(rendered, customer)
        return rendered

    def is_pii_heavy(self, order: OrderTimeline) -> bool:
        """Whether this order carries contact data in unexpected places (stable: drawn from its seed)."""
        return rng.unit(self.seed, "pii-heavy", order.seq) < PII_HEAVY_SHARE

    @staticmethod
    def _add_stray_pii(rendered: dict[str, Any], customer: Customer) -> None:
        landing = rendered["landing_site"]
        rendered["landing_site"] = f"{landing}{'&' if '?' in landing else '?'}email={quote(customer.email, safe='')}"
        rendered["buyer_contact"] = customer.spaced_phone
        rendered["mobile"] = customer.national_phone
        rendered["tags"] = f"vip, {customer.email}"
        rendered["customer"]["metafields"] = [
            {
                "namespace": "crm",
                "key": "preferred_contact",
                "value": {"contact": {"email": customer.email, "phone": customer.dashed_phone}},
            },
            {
                "namespace": "crm",
                "key": "backup_contact",
                "type": "json",
                "value": json.dumps({"mail": customer.email, "tel": customer.spaced_phone}),
            },
        ]

    @staticmethod
    def _render_refund(order: OrderTimeline, content: OrderContent, line_item_base: int) -> dict[str, Any]:
        refund, refund_at = content.refund, order.refund_at
        assert refund is not None and refund_at is not None
        at = shop_timestamp(refund_at)
        return {
            "id": REFUND_ID_BASE + order.seq,
            "order_id": order.id,
            "created_at": at,
            "transactions": [
                {
                    "id": TRANSACTION_ID_BASE + order.seq,
                    "kind": "refund",
                    "status": "success",
                    "amount": money_str(refund.amount),
                    "currency": CURRENCY,
                    "created_at": at,
                }
            ],
            "refund_line_items": [
                {"line_item_id": line_item_base + i, "quantity": quantity, "subtotal": money_str(subtotal)}
                for i, quantity, subtotal in refund.lines
            ],
        }


def build(world: Any) -> ShopWorld:
    """This source's part of the ``sandbox.world.World``."""
    return ShopWorld(world.seed, world.scale, world)


def shop_day_bounds(day: date) -> tuple[datetime, datetime]:
    """First and last second of a local shop day, in UTC (for inclusive API bounds)."""
    start = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    return as_utc(start), as_utc(start + timedelta(days=1) - timedelta(seconds=1))
