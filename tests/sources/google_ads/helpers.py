"""Google Ads constants and helpers shared by the tests in this folder (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from extractors.streams import Window
from sandbox.google_ads.world import ACCOUNTS
from tests.helpers import AS_OF
from tests.landing_helpers import land_records

CN, US = (account.id for account in ACCOUNTS)  # 6021847395 (CNY, Asia/Shanghai), 7305518264 (USD, Los Angeles)
STREAM = "ad_group_ad_daily"


def google_row(
    ad_id: str,
    day: str,
    cost_micros: str,
    impressions: str = "1000",
    clicks: str = "50",
    *,
    customer: str = CN,
    currency: str = "CNY",
    conversions: float = 2.0,
    value: float = 120.5,
    ad_name: str | None = "Static Offer v1",
) -> dict[str, Any]:
    """A searchStream GoogleAdsRow as the API returns it (int64 as strings, doubles as numbers), for landings."""
    ad: dict[str, Any] = {"resourceName": f"customers/{customer}/ads/{ad_id}", "id": ad_id}
    if ad_name is not None:
        ad["name"] = ad_name
    return {
        "customer": {
            "resourceName": f"customers/{customer}",
            "id": customer,
            "currencyCode": currency,
            "timeZone": "Asia/Shanghai" if currency == "CNY" else "America/Los_Angeles",
        },
        "campaign": {"resourceName": f"customers/{customer}/campaigns/21", "id": "21", "name": "Brand Search"},
        "adGroup": {"resourceName": f"customers/{customer}/adGroups/11", "id": "11", "name": "Brand | Exact"},
        "adGroupAd": {"resourceName": f"customers/{customer}/adGroupAds/11~{ad_id}", "ad": ad},
        "metrics": {
            "costMicros": cost_micros,
            "impressions": impressions,
            "clicks": clicks,
            "conversions": conversions,
            "conversionsValue": value,
        },
        "segments": {"date": day},
    }


def land_rows(root: Path, account: str, start: date, end: date, run_id: str, rows: list[dict], **kw: Any) -> Path:
    return land_records(root, "google_ads", STREAM, account, start, end, run_id, rows, **kw)


def google_truth(sb: Any, account: str, window: Window) -> list[dict[str, Any]]:
    """Full rows the world holds for ``window`` (GAQL's BETWEEN bounds are inclusive: start..last day)."""
    from sandbox.google_ads import truth

    return truth.ad_group_ad_rows(sb.world.part("google_ads"), account, window.start, window.last_day, AS_OF)


def server(sb: Any) -> Any:
    """The session sandbox's Google Ads server object, for its token authority and batch size.

    ``Sandbox`` has no public accessor for one server (its tests go over HTTP); these tests need the token
    authority to count refreshes and revoke tokens, which no HTTP call of the real API can do.
    """
    return sb._server("google_ads")
