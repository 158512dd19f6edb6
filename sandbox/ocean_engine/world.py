"""The simulated Ocean Engine advertisers: the shared ad delivery (``sandbox.ad_delivery``) rendered as rows of
the v3 custom report (data topic ``BASIC_DATA``, one row per promotion and Beijing day).

Levels: upgraded (体验版) accounts have two, the project (项目: budget, bidding, targeting) and its promotions
(广告: the creatives). The shared delivery's campaign is the project and its ad the promotion; the delivery's
middle level (an audience) is no Ocean Engine object, so no report dimension names it, and a promotion's name
carries the audience instead.

Time: every day is a Beijing day, and the report shows a day while it is still running. Its cost keeps moving
until ``SETTLED_HOURS`` after the next Beijing midnight (late billing, invalid-traffic deductions): until then
the report holds the part of the day's delivery counted so far, growing evenly over those hours, so a run that
reads a day too early lands too little.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sandbox.ad_delivery import WORLD_START, AdAccount, AdDay, AdDelivery, reported_purchases
from sandbox.formats import CENT, SHANGHAI, as_utc, money_str

# Both advertisers bill in CNY and report in Beijing time: Ocean Engine serves mainland China only. budget_unit
# 1.0 is Meta's CN account's scale: a Chinese brand spends about as much on Douyin as on Meta's CN account.
ADVERTISERS = (
    AdAccount("1768310000000101", "31", "品牌抖音旗舰店", "CNY", "Asia/Shanghai", 32.0, 260.0, 1.0),
    AdAccount("1768310000000202", "32", "品牌直播间", "CNY", "Asia/Shanghai", 26.0, 180.0, 0.5),
)
COMPANY = "品牌（上海）电子商务有限公司"

# 19-digit ids like Ocean Engine's (project and promotion ids start 7…, beyond 2^53 but inside int64):
# prefix + the advertiser's two-digit code + the delivery's own numbering add up to 19 digits at every level.
ID_PREFIXES = ("7301100000000", "73012000000", "730130000")

SETTLED_HOURS = 6
_PPM = 1_000_000  # shares of a day in millionths, so partial days are exact integer arithmetic
_DAY_AND_SETTLING = (24 + SETTLED_HOURS) * 3600

# Project names as a Chinese brand's media team writes them; the delivery's templates are English.
PROJECT_NAMES = {
    "Evergreen Prospecting": "常投-拉新",
    "Evergreen Retargeting": "常投-再营销",
    "618 Retargeting": "618-再营销",
    "Double11 Prospecting": "双11-拉新",
}

DIMENSIONS = ("stat_time_day", "cdp_project_id", "cdp_project_name", "cdp_promotion_id", "cdp_promotion_name")
# Additive metrics, then the ratios Ocean Engine derives from them (percentages for the rates).
METRICS = (
    "stat_cost", "show_cnt", "click_cnt", "convert_cnt", "active_pay_amount",
    "ctr", "cpm_platform", "cpc_platform", "conversion_cost", "conversion_rate",
)  # fmt: skip


def beijing_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def settled_share(day: date, as_of: datetime) -> int:
    """Millionths of ``day``'s final delivery the report holds at ``as_of`` (``_PPM`` once it is settled)."""
    elapsed = int((as_of - datetime.combine(day, time(0), tzinfo=SHANGHAI)).total_seconds())
    return max(0, min(_PPM, elapsed * _PPM // _DAY_AND_SETTLING))


def settled_at(day: date) -> datetime:
    """The moment ``day``'s figures stop moving (UTC)."""
    return as_utc(datetime.combine(day + timedelta(days=1), time(SETTLED_HOURS), tzinfo=SHANGHAI))


def _ratio(numerator: Decimal, denominator: int | Decimal, scale: int = 1) -> str:
    if not denominator:
        return "0.00"
    return str((numerator * scale / Decimal(denominator)).quantize(CENT))


def metric_values(cost: Decimal, shows: int, clicks: int, converts: int, pay_amount: Decimal) -> dict[str, str]:
    """Every metric as the report writes it (strings), from the additive figures of a row or of a total."""
    return {
        "stat_cost": money_str(cost),
        "show_cnt": str(shows),
        "click_cnt": str(clicks),
        "convert_cnt": str(converts),
        "active_pay_amount": money_str(pay_amount),
        "ctr": _ratio(Decimal(clicks), shows, 100),
        "cpm_platform": _ratio(cost, shows, 1000),
        "cpc_platform": _ratio(cost, clicks),
        "conversion_cost": _ratio(cost, converts),
        "conversion_rate": _ratio(Decimal(converts), clicks, 100),
    }


@dataclass(frozen=True, slots=True)
class ReportDay:
    """One promotion's figures on one Beijing day as the report holds them at ``as_of``."""

    entry: AdDay
    cost: Decimal
    shows: int
    clicks: int
    converts: int
    pay_amount: Decimal

    @property
    def key(self) -> tuple[str, str]:
        return self.entry.key

    @property
    def metrics(self) -> dict[str, str]:
        return metric_values(self.cost, self.shows, self.clicks, self.converts, self.pay_amount)


def project_name(name: str) -> str:
    for english, chinese in PROJECT_NAMES.items():
        if name.startswith(english):
            return chinese + name[len(english) :]
    return name


class OceanEngineWorld(AdDelivery):
    """Both advertisers of one seed and scale."""

    def __init__(self, seed: int, scale: float) -> None:
        super().__init__("ocean_engine", seed, scale, ADVERTISERS, ID_PREFIXES)

    def report_days(self, advertiser_id: str, since: date, until: date, as_of: datetime) -> list[ReportDay]:
        """Promotion-days of ``[since, until]`` the report holds at ``as_of``, by (day, promotion id).

        A promotion without impressions or cost that day is absent, as in the real report.
        """
        found: list[ReportDay] = []
        day, last = max(since, WORLD_START), min(until, beijing_day(as_of))
        while day <= last:
            share = settled_share(day, as_of)
            lag_days = (beijing_day(as_of) - day).days
            for entry in self.delivery(advertiser_id, day) if share else ():
                reported = _reported(entry, share, lag_days)
                if reported.shows or reported.cost:
                    found.append(reported)
            day += timedelta(days=1)
        return found

    def render(self, reported: ReportDay) -> dict[str, Any]:
        """The report row: every dimension and metric, values as strings (ids too: they pass 2^53)."""
        ad, campaign = reported.entry.ad, reported.entry.ad.campaign
        audience = ad.adset.name.rpartition(" | ")[2]
        return {
            "dimensions": {
                "stat_time_day": reported.entry.day.isoformat(),
                "cdp_project_id": campaign.id,
                "cdp_project_name": project_name(campaign.name),
                "cdp_promotion_id": ad.id,
                "cdp_promotion_name": f"{ad.name} · {audience}",
            },
            "metrics": reported.metrics,
        }

    def rows(self, advertiser_id: str, since: date, until: date, as_of: date | datetime) -> list[dict[str, Any]]:
        """Every report row (all dimensions and metrics) for ``[since, until]`` at ``as_of``."""
        return [self.render(r) for r in self.report_days(advertiser_id, since, until, as_utc(as_of))]


def _reported(entry: AdDay, share: int, lag_days: int) -> ReportDay:
    """The part of ``entry`` counted ``share`` millionths into its day, conversions as restated ``lag_days`` later."""
    if share == _PPM:
        cost, shows, clicks, purchases, value = (
            entry.spend, entry.impressions, entry.clicks, entry.purchases, entry.purchase_value,
        )  # fmt: skip
    else:
        cost = (entry.spend * share / _PPM).quantize(CENT, rounding=ROUND_DOWN)
        shows, clicks, purchases = (n * share // _PPM for n in (entry.impressions, entry.clicks, entry.purchases))
        value = (entry.purchase_value * share / _PPM).quantize(CENT, rounding=ROUND_DOWN)
    converts, pay_amount = reported_purchases(purchases, value, lag_days)
    return ReportDay(entry, cost, shows, clicks, converts, pay_amount)


def build(world: Any) -> OceanEngineWorld:
    """This source's part of the ``sandbox.world.World``."""
    return OceanEngineWorld(world.seed, world.scale)
