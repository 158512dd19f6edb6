"""Simulated paid delivery shared by every ad platform's sandbox: accounts → campaigns → ad sets → ads, and
what each ad spent and bought on each day.

Each platform's ``world.py`` builds one ``AdDelivery`` with its own accounts and id scheme and renders the
rows in its API's shape; the economics (budgets, promotion peaks, pacing, creative fatigue, restated
conversions) live once, here. Delivery of one ad on one day is drawn from a generator keyed by (seed,
platform, ad, day), so any day can be produced on its own and is identical in every process. Purchases are
generated at their final value; what a platform reports for a recent day is a growing fraction of it (see
``purchase_fraction``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sandbox import rng
from sandbox.formats import CENT, to_money
from sandbox.seasonality import ad_budget_multiplier, promo_factor

WORLD_START = date(2024, 1, 1)
RESTATEMENT_DAYS = 28
CAMPAIGNS_PER_ACCOUNT = 4
ADSETS_PER_CAMPAIGN = 3
ADS_PER_ADSET = 4

# Delivery anomalies a test can inject into one campaign on one day (``AdDelivery.inject_anomaly``), each
# what the channel marts' anomaly rules must catch: the budget multiplied (a spike) or cut (a collapse), no
# delivery at all, a creative whose click-through collapses, and conversion tracking that broke (clicks go
# on, conversions report 0).
ANOMALIES = {
    "spend_spike": 4.0,
    "spend_collapse": 0.1,
    "zero_delivery": 0.0,
    "ctr_collapse": 0.15,
    "tracking_broke": 0.0,
}
# The ground truth for each injected kind: the reason marts.campaign_delivery_anomalies must give it.
FLAGGED_AS = {
    "spend_spike": "spend spike",
    "spend_collapse": "spend collapse",
    "zero_delivery": "zero delivery",
    "ctr_collapse": "CTR collapse",
    "tracking_broke": "conversions stopped while clicks continue",
}

# Annual flights of the promotion campaigns (month, day) inclusive.
FLIGHTS = {"618": ((5, 25), (6, 20)), "double11": ((10, 15), (11, 13))}


@dataclass(frozen=True, slots=True)
class AdAccount:
    id: str  # as the API path and the ground truth name it (Meta "act_1001")
    number: str  # as rows carry it in account_id (Meta "1001")
    name: str
    currency: str
    timezone: str
    base_cpm: float  # native currency per 1000 impressions
    aov: float  # native currency per purchase
    budget_unit: float  # CNY budgets are ~7x USD budgets for the same reach


# (name, kind, season) for the first four campaigns; later ones reuse them with a variant label.
CAMPAIGN_TEMPLATES = (
    ("Evergreen Prospecting", "prospecting", None),
    ("Evergreen Retargeting", "retargeting", None),
    ("618 Retargeting", "retargeting", "618"),
    ("Double11 Prospecting", "prospecting", "double11"),
)
VARIANTS = ("Lookalike", "Broad", "Interest", "Livestream", "Creator", "Catalog", "Video", "Cold", "Warm")
AUDIENCES = {
    "prospecting": (
        "Women 18-34 Tier-1 Cities", "Lookalike 1% Purchasers", "Interest: Skincare",
        "Broad 18-45", "Lookalike 3% Engagers", "Interest: Beauty KOLs",
    ),
    "retargeting": (
        "Site Visitors 30d", "Add to Cart 7d", "Purchasers 180d",
        "Video Viewers 50%", "IG Engagers 60d", "Checkout Abandoners 3d",
    ),
}  # fmt: skip
CREATIVES = (
    "UGC Video A", "UGC Video B", "Carousel Bestsellers", "Static Offer", "Founder Story",
    "Before-After Reel", "Catalog DPA", "KOL Review Clip", "Unboxing Reel", "Gift Set Static",
)  # fmt: skip
BASE_CTR = {"prospecting": 0.011, "retargeting": 0.02}
BASE_CVR = {"prospecting": 0.012, "retargeting": 0.035}


@dataclass(frozen=True, slots=True)
class Campaign:
    id: str
    name: str
    account: AdAccount
    kind: str  # prospecting | retargeting
    season: str | None  # None = always on; else an annual flight from FLIGHTS
    daily_budget: Decimal
    start_date: date
    end_date: date | None

    def flight_start(self, day: date) -> date | None:
        """Start of the flight that contains ``day``, or None when the campaign is not live."""
        if day < self.start_date or (self.end_date is not None and day > self.end_date):
            return None
        if self.season is None:
            return self.start_date
        (m1, d1), (m2, d2) = FLIGHTS[self.season]
        start, end = date(day.year, m1, d1), date(day.year, m2, d2)
        return start if start <= day <= end else None


@dataclass(frozen=True, slots=True)
class AdSet:
    id: str
    name: str
    campaign: Campaign
    weight: float
    cpm_factor: float


@dataclass(frozen=True, slots=True)
class Ad:
    id: str
    name: str
    adset: AdSet
    weight: float
    ctr_factor: float
    launch_offset: int  # days after the flight starts before the ad delivers
    stop_offset: int | None  # days after the flight starts when the ad is switched off (fatigue)

    @property
    def campaign(self) -> Campaign:
        return self.adset.campaign


@dataclass(frozen=True, slots=True)
class AdDay:
    """One ad's final delivery on one day in the account's time zone."""

    ad: Ad
    day: date
    spend: Decimal
    impressions: int
    clicks: int
    inline_link_clicks: int
    purchases: int
    purchase_value: Decimal

    @property
    def key(self) -> tuple[str, str]:
        """Sort and cursor key: date, then ad id (both strings, so the order is lexicographic)."""
        return (self.day.isoformat(), self.ad.id)


def purchase_fraction(lag_days: int) -> float:
    """Share of a day's final purchases that the platform reports ``lag_days`` after the day.

    Attribution windows keep crediting a day for four weeks: about two thirds arrive by the next day,
    the rest trickle in, and from 28 days on the number is final.
    """
    if lag_days >= RESTATEMENT_DAYS:
        return 1.0
    remaining = (RESTATEMENT_DAYS - max(lag_days, 1)) / (RESTATEMENT_DAYS - 1)
    return 1.0 - 0.35 * remaining * remaining


def reported_purchases(final_count: int, final_value: Decimal, lag_days: int) -> tuple[int, Decimal]:
    """(count, value) as reported at a lag; value keeps the final value per purchase."""
    count = math.floor(final_count * purchase_fraction(lag_days) + 1e-9)
    if count >= final_count:
        return final_count, final_value
    value = (final_value * count / final_count).quantize(CENT) if final_count else Decimal("0.00")
    return count, value


class AdDelivery:
    """One platform's ad accounts of one seed and scale, and their delivery.

    ``id_prefixes`` (campaign, ad set, ad) start every id, so two platforms never share one and ids look
    like the platform's own (long digit strings). ``platform`` keys every random draw: the same seed gives
    each platform its own campaigns.
    """

    def __init__(
        self,
        platform: str,
        seed: int,
        scale: float,
        accounts: tuple[AdAccount, ...],
        id_prefixes: tuple[str, str, str],
    ) -> None:
        self.platform = platform
        self.seed = seed
        self.scale = scale
        self.accounts = accounts
        self.id_prefixes = id_prefixes
        self._campaigns: dict[str, tuple[Campaign, ...]] = {}
        self._ads_by_campaign: dict[str, tuple[Ad, ...]] = {}
        self._anomalies: dict[tuple[str, date], str] = {}
        for account in accounts:
            self._build_account(account, max(1, round(CAMPAIGNS_PER_ACCOUNT * scale)))
        # Per-instance caches so two worlds never share entries and the world can be collected.
        self.delivery: Callable[[str, date], tuple[AdDay, ...]] = functools.lru_cache(maxsize=1024)(self._delivery)

    # -- structure -------------------------------------------------------------------------------------

    def account(self, account_id: str) -> AdAccount:
        """Look an account up by its id or its number (Meta: "act_1001" or "1001")."""
        for account in self.accounts:
            if account_id in (account.id, account.number):
                return account
        raise KeyError(f"unknown ad account {account_id!r}")

    def campaigns(self, account_id: str) -> tuple[Campaign, ...]:
        return self._campaigns[self.account(account_id).id]

    def ads(self, account_id: str) -> tuple[Ad, ...]:
        return tuple(ad for c in self.campaigns(account_id) for ad in self._ads_by_campaign[c.id])

    def _build_account(self, account: AdAccount, n_campaigns: int) -> None:
        campaigns = []
        for ci in range(n_campaigns):
            template, kind, season = CAMPAIGN_TEMPLATES[ci % len(CAMPAIGN_TEMPLATES)]
            generation = ci // len(CAMPAIGN_TEMPLATES)
            r = rng.stream(self.seed, self.platform, "campaign", account.id, ci)
            name = template if generation == 0 else f"{template} · {VARIANTS[(generation - 1) % len(VARIANTS)]}"
            if account.currency != "CNY":
                name = f"US {name}"
            # CNY per day: one platform takes a fifth to a tenth of the shop's GMV, as Meta does for a typical
            # DTC brand; an account's budget_unit scales it (its currency, its platform's share).
            low, high = (2000, 5000) if season else (1200, 2500) if kind == "prospecting" else (600, 1500)
            budget = round(r.uniform(low, high) * account.budget_unit / 10) * 10
            campaign = Campaign(
                id=f"{self.id_prefixes[0]}{account.number}{ci:04d}",
                name=name,
                account=account,
                kind=kind,
                season=season,
                daily_budget=Decimal(budget).quantize(CENT),
                start_date=WORLD_START + timedelta(days=r.randrange(0, 15)),
                end_date=None,
            )
            campaigns.append(campaign)
            self._ads_by_campaign[campaign.id] = self._build_ads(campaign, ci)
        self._campaigns[account.id] = tuple(campaigns)

    def _build_ads(self, campaign: Campaign, ci: int) -> tuple[Ad, ...]:
        account = campaign.account
        r = rng.stream(self.seed, self.platform, "ads", campaign.id)
        ads = []
        for ai, audience in enumerate(r.sample(AUDIENCES[campaign.kind], ADSETS_PER_CAMPAIGN)):
            adset = AdSet(
                id=f"{self.id_prefixes[1]}{account.number}{ci:04d}{ai:02d}",
                name=f"{campaign.name} | {audience}",
                campaign=campaign,
                weight=r.uniform(0.6, 1.4),
                cpm_factor=r.uniform(0.7, 1.4),
            )
            for di, creative in enumerate(r.sample(CREATIVES, ADS_PER_ADSET)):
                # Promotion flights retire a tired creative part-way through; always-on ads rotate by week.
                stop = r.randrange(10, 20) if campaign.season and r.random() < 0.5 else None
                ads.append(
                    Ad(
                        id=f"{self.id_prefixes[2]}{account.number}{ci:04d}{ai:02d}{di:02d}",
                        name=f"{creative} v{r.randrange(1, 4)}",
                        adset=adset,
                        weight=r.uniform(0.3, 1.0),
                        ctr_factor=math.exp(r.gauss(0.0, 0.25)),
                        launch_offset=r.randrange(0, 6),
                        stop_offset=stop,
                    )
                )
        return tuple(ads)

    def inject_anomaly(self, campaign_id: str, day: date, kind: str) -> None:
        """Make ``campaign_id`` deliver abnormally on ``day`` (one of ``ANOMALIES``): a knob of this world."""
        if kind not in ANOMALIES:
            raise ValueError(f"unknown anomaly {kind!r}; known: {', '.join(ANOMALIES)}")
        if not any(c.id == campaign_id for campaigns in self._campaigns.values() for c in campaigns):
            raise KeyError(f"no campaign {campaign_id!r} on {self.platform}")
        self._anomalies[(campaign_id, day)] = kind
        self.delivery.cache_clear()  # type: ignore[attr-defined]

    # -- delivery --------------------------------------------------------------------------------------

    def _ad_delivers(self, ad: Ad, day: date, flight_start: date) -> bool:
        offset = (day - flight_start).days
        if offset < ad.launch_offset or (ad.stop_offset is not None and offset >= ad.stop_offset):
            return False
        if ad.campaign.season is None:
            iso_year, iso_week, _ = day.isocalendar()
            if rng.unit(self.seed, self.platform, "paused", ad.id, iso_year, iso_week) < 0.12:
                return False
        return rng.unit(self.seed, self.platform, "dark", ad.id, day) >= 0.02

    def _delivery(self, account_id: str, day: date) -> tuple[AdDay, ...]:
        """Final delivery of every ad of an account on a local day (cached; a pure function)."""
        rows: list[AdDay] = []
        promo = promo_factor(day)
        for campaign in self.campaigns(account_id):
            flight_start = campaign.flight_start(day)
            anomaly = self._anomalies.get((campaign.id, day))
            if flight_start is None or anomaly == "zero_delivery":
                continue
            live = [ad for ad in self._ads_by_campaign[campaign.id] if self._ad_delivers(ad, day, flight_start)]
            if not live:
                continue
            r = rng.stream(self.seed, self.platform, "pacing", campaign.id, day)
            utilisation = min(1.0, max(0.6, r.gauss(0.9, 0.05)))
            budget = float(campaign.daily_budget) * ad_budget_multiplier(day) * utilisation
            if anomaly in ("spend_spike", "spend_collapse"):
                budget *= ANOMALIES[anomaly]
            total_weight = sum(ad.adset.weight * ad.weight for ad in live)
            for ad in live:
                row = self._ad_day(ad, day, budget * ad.adset.weight * ad.weight / total_weight, promo)
                if row is not None:
                    rows.append(_spoiled(row, anomaly) if anomaly else row)
        rows.sort(key=lambda row: row.ad.id)
        return tuple(rows)

    def _ad_day(self, ad: Ad, day: date, planned_spend: float, promo: float) -> AdDay | None:
        account, kind = ad.campaign.account, ad.campaign.kind
        r = rng.stream(self.seed, self.platform, "delivery", ad.id, day)
        spend = to_money(planned_spend * rng.lognormal_noise(r, 0.08))
        if spend <= 0:
            return None  # an ad that spent nothing is absent from insights
        # Auctions get dearer during promotions: everyone bids at once.
        cpm = account.base_cpm * ad.adset.cpm_factor * (1 + 0.15 * (promo - 1)) * rng.lognormal_noise(r, 0.1)
        impressions = max(1, int(float(spend) / cpm * 1000))
        ctr = BASE_CTR[kind] * ad.ctr_factor * rng.lognormal_noise(r, 0.1)
        clicks = rng.binomial(r, impressions, min(ctr, 0.5))
        link_clicks = rng.binomial(r, clicks, r.uniform(0.78, 0.92))
        cvr = BASE_CVR[kind] * (1 + 0.12 * (promo - 1)) * rng.lognormal_noise(r, 0.15)
        purchases = rng.poisson(r, link_clicks * cvr)
        value = to_money(purchases * account.aov * rng.lognormal_noise(r, 0.1)) if purchases else CENT * 0
        return AdDay(ad, day, spend, impressions, clicks, link_clicks, purchases, value)

    def entries(self, account_id: str, since: date, until: date, as_of: datetime) -> list[AdDay]:
        """Final delivery rows for ``[since, until]`` that exist at ``as_of``, sorted by (date, ad id)."""
        last = min(until, as_of.date() - timedelta(days=1))
        day, entries = max(since, WORLD_START), list[AdDay]()
        while day <= last:
            entries.extend(self.delivery(account_id, day))
            day += timedelta(days=1)
        return entries


def _spoiled(row: AdDay, anomaly: str) -> AdDay:
    """An ad-day as a click-through collapse or broken conversion tracking leaves it."""
    if anomaly == "ctr_collapse":
        clicks = math.floor(row.clicks * ANOMALIES[anomaly])
        link_clicks = min(clicks, math.floor(row.inline_link_clicks * ANOMALIES[anomaly]))
        purchases = min(row.purchases, link_clicks)
        value = (row.purchase_value * purchases / row.purchases).quantize(CENT) if row.purchases else row.purchase_value
        return replace(row, clicks=clicks, inline_link_clicks=link_clicks, purchases=purchases, purchase_value=value)
    if anomaly == "tracking_broke":
        return replace(row, purchases=0, purchase_value=CENT * 0)
    return row
