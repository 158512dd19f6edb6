"""The simulated TikTok advertisers: the shared ad delivery (``sandbox.ad_delivery``) rendered as rows of the
integrated report (report_type BASIC, data_level AUCTION_AD, dimensions ad_id and stat_time_day).

Levels: campaign → ad group → ad, the delivery's own three. Clicks: TikTok's ``clicks`` counts clicks to the ad's
destination, the delivery's link clicks. Conversions: the ad groups optimize for Complete Payment, so ``conversion``
(the optimization event) and ``complete_payment`` count the same purchases, restated for weeks as they are
attributed; ``total_complete_payment_rate`` is their value (TikTok's misleading name).

Time: each advertiser reports in its own zone, and a day shows once it has ended there (``report_days``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.ad_delivery import WORLD_START, AdAccount, AdDay, AdDelivery, reported_purchases
from sandbox.formats import CENT, as_utc, money_str

# Two advertisers: the brand's US account and its cross-border account run from Shanghai, which bills in USD (a
# TikTok for Business account of a Chinese seller is set up in USD on Beijing time). budget_unit: Meta's USD
# account is 1/7; TikTok gets a bit less per account, as a brand's second paid-social platform usually does.
ADVERTISERS = (
    AdAccount("7301940000000000011", "11", "Brand US · TikTok", "USD", "America/Los_Angeles", 7.5, 52.0, 0.11),
    AdAccount("7301940000000000022", "22", "Brand Cross-border · TikTok", "USD", "Asia/Shanghai", 5.5, 41.0, 0.08),
)

# 19-digit ids like TikTok's (campaign, ad group and ad ids start 17…, beyond 2^53): prefix + the advertiser's
# two-digit code + the delivery's own numbering add up to 19 digits at every level, none like Meta's 1202….
ID_PREFIXES = ("1781000000000", "17820000000", "178300000")

DIMENSIONS = ("ad_id", "stat_time_day")
ATTRIBUTES = ("advertiser_id", "campaign_id", "campaign_name", "adgroup_id", "adgroup_name", "ad_name", "currency")
# Additive metrics, then the ratios TikTok derives from them (ctr in percent).
METRICS = (
    "spend", "impressions", "clicks", "conversion", "complete_payment", "total_complete_payment_rate",
    "ctr", "cpc", "cpm", "cost_per_conversion",
)  # fmt: skip
# What a request gets when it names no metrics (TikTok's default).
DEFAULT_METRICS = ("spend", "impressions")


@dataclass(frozen=True, slots=True)
class ReportDay:
    """One ad's figures on one advertiser-local day as the report holds them at some as-of moment."""

    entry: AdDay
    purchases: int
    purchase_value: Decimal

    @property
    def key(self) -> tuple[str, str]:
        return self.entry.key


def _ratio(numerator: Decimal, denominator: int, scale: int = 1) -> str:
    if not denominator:
        return "0.00"
    return str((numerator * scale / Decimal(denominator)).quantize(CENT))


def stat_time_day(day: date) -> str:
    """A report day as TikTok writes it: midnight of the day, without a zone (the advertiser's)."""
    return f"{day.isoformat()} 00:00:00"


class TikTokWorld(AdDelivery):
    """Both advertisers of one seed and scale."""

    def __init__(self, seed: int, scale: float) -> None:
        super().__init__("tiktok", seed, scale, ADVERTISERS, ID_PREFIXES)

    def local_today(self, advertiser_id: str, as_of: datetime) -> date:
        """The advertiser's calendar day at ``as_of``."""
        return as_of.astimezone(ZoneInfo(self.account(advertiser_id).timezone)).date()

    def report_days(self, advertiser_id: str, since: date, until: date, as_of: datetime) -> list[ReportDay]:
        """Ad-days of ``[since, until]`` over in the advertiser's zone at ``as_of``, by (day, ad id), purchases
        as attributed by then. An ad without delivery that day is absent, as in the real report."""
        today = self.local_today(advertiser_id, as_of)
        found: list[ReportDay] = []
        day, last = max(since, WORLD_START), min(until, today - timedelta(days=1))
        while day <= last:
            for entry in self.delivery(self.account(advertiser_id).id, day):
                purchases, value = reported_purchases(entry.purchases, entry.purchase_value, (today - day).days)
                found.append(ReportDay(entry, purchases, value))
            day += timedelta(days=1)
        return found

    def render(self, reported: ReportDay, metrics: Iterable[str]) -> dict[str, Any]:
        """The report row with the metrics asked for; every value a string, ids too (they pass 2^53)."""
        values = metric_values(reported)
        return {
            "dimensions": {"ad_id": reported.entry.ad.id, "stat_time_day": stat_time_day(reported.entry.day)},
            "metrics": {name: values[name] for name in metrics},
        }

    def rows(
        self,
        advertiser_id: str,
        since: date,
        until: date,
        as_of: date | datetime,
        metrics: Iterable[str] = (*ATTRIBUTES, *METRICS),
    ) -> list[dict[str, Any]]:
        """Every report row for ``[since, until]`` at ``as_of`` with ``metrics`` (all of them by default)."""
        asked = tuple(metrics)
        return [self.render(r, asked) for r in self.report_days(advertiser_id, since, until, as_utc(as_of))]


def metric_values(reported: ReportDay) -> dict[str, str]:
    """Every attribute and metric of a report row, as the API writes them (strings)."""
    entry = reported.entry
    ad, adset, campaign = entry.ad, entry.ad.adset, entry.ad.campaign
    clicks = entry.inline_link_clicks  # clicks to the destination
    return {
        "advertiser_id": campaign.account.id,
        "campaign_id": campaign.id,
        "campaign_name": campaign.name,
        "adgroup_id": adset.id,
        "adgroup_name": adset.name,
        "ad_name": ad.name,
        "currency": campaign.account.currency,
        "spend": money_str(entry.spend),
        "impressions": str(entry.impressions),
        "clicks": str(clicks),
        "conversion": str(reported.purchases),
        "complete_payment": str(reported.purchases),
        "total_complete_payment_rate": money_str(reported.purchase_value),
        "ctr": _ratio(Decimal(clicks), entry.impressions, 100),
        "cpc": _ratio(entry.spend, clicks),
        "cpm": _ratio(entry.spend, entry.impressions, 1000),
        "cost_per_conversion": _ratio(entry.spend, reported.purchases),
    }


def build(world: Any) -> TikTokWorld:
    """This source's part of the ``sandbox.world.World``."""
    return TikTokWorld(world.seed, world.scale)
