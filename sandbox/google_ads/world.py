"""The simulated Google Ads customers: the shared ad delivery (``sandbox.ad_delivery``) rendered as GAQL
``GoogleAdsRow``s of ``FROM ad_group_ad`` segmented by ``segments.date``.

A row is rendered whole (every field the sandbox knows, in the API's lowerCamelCase nesting, int64 values as
JSON strings and doubles as JSON numbers); the server keeps only what a query selects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sandbox.ad_delivery import AdAccount, AdDay, AdDelivery, reported_purchases
from sandbox.formats import as_utc

# Google is a small channel for a brand selling in China (search inside the mainland is Baidu's): the CNY
# customer (Hong Kong and cross-border brand search) spends about a quarter of what Meta's CNY account does.
# In the US search is a main channel: the USD customer spends about half of Meta's USD account. Search
# impressions cost more per thousand than feed ads (CPMs above Meta's); the brand's order values are the same.
ACCOUNTS = (
    AdAccount("6021847395", "6021847395", "Brand HK/CN Search", "CNY", "Asia/Shanghai", 120.0, 320.0, 0.25),
    AdAccount("7305518264", "7305518264", "Brand US Search", "USD", "America/Los_Angeles", 28.0, 58.0, 0.8 / 7),
)
# The manager (MCC) account both customers are linked under; calls go through it (login-customer-id).
MANAGER_ID = "4093716258"

# Google ids are int64: campaign "2…" (15 digits), ad group "1…" (17), ad "7…" (19, still below 2^63).
ID_PREFIXES = ("2", "1", "7")


class GoogleAdsWorld(AdDelivery):
    """Both Google Ads customers of one seed and scale."""

    def __init__(self, seed: int, scale: float) -> None:
        super().__init__("google_ads", seed, scale, ACCOUNTS, ID_PREFIXES)

    def rows(self, customer_id: str, since: date, until: date, as_of: date | datetime) -> list[dict[str, Any]]:
        """Every ``ad_group_ad`` row for ``[since, until]`` as the API reports it at ``as_of``, by (date, ad id)."""
        moment = as_utc(as_of)
        return [self.render(entry, moment) for entry in self.entries(customer_id, since, until, moment)]

    def render(self, entry: AdDay, as_of: datetime) -> dict[str, Any]:
        """The full GoogleAdsRow of one ad-day as reported at ``as_of`` (conversions still arriving)."""
        ad, ad_group, campaign = entry.ad, entry.ad.adset, entry.ad.campaign
        customer = campaign.account
        conversions, value = reported_purchases(entry.purchases, entry.purchase_value, (as_of.date() - entry.day).days)
        prefix = f"customers/{customer.id}"
        ad_fields: dict[str, Any] = {"resourceName": f"{prefix}/ads/{ad.id}", "id": ad.id}
        name = ad_name(entry)
        if name is not None:
            ad_fields["name"] = name
        return {
            "customer": customer_fields(customer),
            "campaign": {"resourceName": f"{prefix}/campaigns/{campaign.id}", "id": campaign.id, "name": campaign.name},
            "adGroup": {"resourceName": f"{prefix}/adGroups/{ad_group.id}", "id": ad_group.id, "name": ad_group.name},
            "adGroupAd": {"resourceName": f"{prefix}/adGroupAds/{ad_group.id}~{ad.id}", "ad": ad_fields},
            "metrics": {
                # Billing is in cents, so micros are whole multiples of 10,000.
                "costMicros": str(int(entry.spend * 1_000_000)),
                "impressions": str(entry.impressions),
                # Google has one click figure: the ad's link clicks (the shared delivery's other clicks are
                # Meta's likes and profile taps, which search ads do not have).
                "clicks": str(entry.inline_link_clicks),
                "conversions": float(conversions),
                "conversionsValue": float(value),
            },
            "segments": {"date": entry.day.isoformat()},
        }


def customer_fields(customer: AdAccount) -> dict[str, Any]:
    """The ``customer`` resource as a row carries it."""
    return {
        "resourceName": f"customers/{customer.id}",
        "id": customer.id,
        "currencyCode": customer.currency,
        "timeZone": customer.timezone,
    }


def ad_name(entry: AdDay) -> str | None:
    """Prospecting campaigns run responsive search ads, which have no name; retargeting runs named display ads."""
    return entry.ad.name if entry.ad.campaign.kind == "retargeting" else None


def build(world: Any) -> GoogleAdsWorld:
    """This source's part of the ``sandbox.world.World``."""
    return GoogleAdsWorld(world.seed, world.scale)
