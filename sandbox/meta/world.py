"""The simulated Meta ad accounts: the shared ad delivery (``sandbox.ad_delivery``) rendered as Graph API
insights rows (level=ad, time_increment=1), with Meta's action lists.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sandbox.ad_delivery import AdAccount, AdDay, AdDelivery, reported_purchases
from sandbox.formats import as_utc, money_str

ACCOUNTS = (
    AdAccount("act_1001", "1001", "Brand CN", "CNY", "Asia/Shanghai", 42.0, 320.0, 1.0),
    AdAccount("act_2002", "2002", "Brand Global", "USD", "America/Los_Angeles", 11.0, 58.0, 1 / 7),
)

# Meta's ids are long digit strings; these prefixes keep campaign, ad set and ad ids apart.
ID_PREFIXES = ("120210", "120220", "120230")


class MetaWorld(AdDelivery):
    """Both Meta ad accounts of one seed and scale."""

    def __init__(self, seed: int, scale: float) -> None:
        super().__init__("meta", seed, scale, ACCOUNTS, ID_PREFIXES)

    def insight_entries(self, account_id: str, since: date, until: date, as_of: datetime) -> list[AdDay]:
        """Final delivery rows for ``[since, until]`` that exist at ``as_of``, sorted by (date, ad id)."""
        return self.entries(account_id, since, until, as_of)

    def insights(self, account_id: str, since: date, until: date, as_of: date | datetime) -> list[dict[str, Any]]:
        """Insights rows (level=ad, time_increment=1, all fields) as the API reports them at ``as_of``."""
        moment = as_utc(as_of)
        return [self.render(e, moment) for e in self.insight_entries(account_id, since, until, moment)]

    def render(self, entry: AdDay, as_of: datetime) -> dict[str, Any]:
        """The insights row for an ad-day as the API reports it at ``as_of``."""
        ad, adset, campaign = entry.ad, entry.ad.adset, entry.ad.campaign
        day = entry.day.isoformat()
        purchases, value = reported_purchases(entry.purchases, entry.purchase_value, (as_of.date() - entry.day).days)
        row: dict[str, Any] = {
            "account_id": campaign.account.number,
            "account_currency": campaign.account.currency,
            "campaign_id": campaign.id,
            "campaign_name": campaign.name,
            "adset_id": adset.id,
            "adset_name": adset.name,
            "ad_id": ad.id,
            "ad_name": ad.name,
            "date_start": day,
            "date_stop": day,
            "spend": money_str(entry.spend),
            "impressions": str(entry.impressions),
            "clicks": str(entry.clicks),
            "inline_link_clicks": str(entry.inline_link_clicks),
        }
        # Meta leaves out empty action lists rather than sending []. One purchase is reported under several
        # names (the pixel's, the web one, and omni_purchase across web, app and offline), as Meta does.
        actions = []
        if entry.inline_link_clicks:
            actions.append({"action_type": "link_click", "value": str(entry.inline_link_clicks)})
        actions += [{"action_type": name, "value": str(purchases)} for name in PURCHASE_NAMES if purchases]
        if actions:
            row["actions"] = actions
        if purchases:
            row["action_values"] = [{"action_type": name, "value": money_str(value)} for name in PURCHASE_NAMES]
        return row


def build(world: Any) -> MetaWorld:
    """This source's part of the ``sandbox.world.World``."""
    return MetaWorld(world.seed, world.scale)


PURCHASE_NAMES = ("offsite_conversion.fb_pixel_purchase", "purchase", "omni_purchase")

INSIGHT_FIELDS = (
    "account_id", "account_currency", "campaign_id", "campaign_name", "adset_id", "adset_name",
    "ad_id", "ad_name", "date_start", "date_stop", "spend", "impressions", "clicks",
    "inline_link_clicks", "actions", "action_values",
)  # fmt: skip
