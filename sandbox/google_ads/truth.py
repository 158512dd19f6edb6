"""Ground truth for Google Ads: what searchStream would report, computed from the world, never through HTTP.

Tests reconcile landings and marts against these numbers; because they bypass the server, a batching, retry
or token bug in the extractor shows up as a mismatch instead of being reproduced on both sides.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sandbox.formats import as_utc
from sandbox.google_ads.world import GoogleAdsWorld


def spend_by_account_day(
    google: GoogleAdsWorld, since: date, until: date, as_of: date | datetime
) -> dict[tuple[str, date], Decimal]:
    """Cost in the customer's currency per (customer id, local day), for the days with delivery."""
    moment = as_utc(as_of)
    totals: dict[tuple[str, date], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for account in google.accounts:
        for entry in google.entries(account.id, since, until, moment):
            totals[(account.id, entry.day)] += entry.spend
    return dict(totals)


def conversions_by_account_day(
    google: GoogleAdsWorld, since: date, until: date, as_of: date | datetime
) -> dict[tuple[str, date], tuple[Decimal, Decimal]]:
    """(conversions, conversion value) per (customer id, local day) as reported at ``as_of``."""
    totals: dict[tuple[str, date], tuple[Decimal, Decimal]] = {}
    for account in google.accounts:
        for row in google.rows(account.id, since, until, as_of):
            key = (account.id, date.fromisoformat(row["segments"]["date"]))
            count, value = totals.get(key, (Decimal(0), Decimal(0)))
            metrics = row["metrics"]
            totals[key] = (
                count + Decimal(str(metrics["conversions"])),
                value + Decimal(str(metrics["conversionsValue"])),
            )
    return totals


def ad_group_ad_rows(
    google: GoogleAdsWorld, customer_id: str, since: date, until: date, as_of: date | datetime
) -> list[dict[str, Any]]:
    """Every full GoogleAdsRow for ``[since, until]`` as reported at ``as_of``, by (date, ad id)."""
    return google.rows(customer_id, since, until, as_of)
