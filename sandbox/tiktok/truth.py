"""Ground truth for TikTok: what the integrated report would hold, computed from the world, never through HTTP.

Tests reconcile landings and marts against these numbers; because they bypass the server, a paging or window
splitting bug in an extractor shows up as a mismatch instead of being reproduced on both sides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sandbox.formats import as_utc
from sandbox.tiktok.world import ATTRIBUTES, METRICS, TikTokWorld


def report_rows(
    tiktok: TikTokWorld,
    advertiser_id: str,
    since: date,
    until: date,
    as_of: date | datetime,
    metrics: Iterable[str] = (*ATTRIBUTES, *METRICS),
) -> list[dict[str, Any]]:
    """The report's rows for ``[since, until]`` at ``as_of`` by (day, ad id), with the metrics asked for."""
    return tiktok.rows(advertiser_id, since, until, as_of, metrics)


def spend_by_advertiser_day(
    tiktok: TikTokWorld, since: date, until: date, as_of: date | datetime
) -> dict[tuple[str, date], Decimal]:
    """Spend in the advertiser's currency per (advertiser id, local day), for the days with activity."""
    moment = as_utc(as_of)
    totals: dict[tuple[str, date], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for advertiser in tiktok.accounts:
        for reported in tiktok.report_days(advertiser.id, since, until, moment):
            totals[(advertiser.id, reported.entry.day)] += reported.entry.spend
    return dict(totals)


def purchases_by_advertiser_day(
    tiktok: TikTokWorld, since: date, until: date, as_of: date | datetime
) -> dict[tuple[str, date], tuple[int, Decimal]]:
    """(Complete Payment count, value) per (advertiser id, local day) as reported at ``as_of``."""
    moment = as_utc(as_of)
    totals: dict[tuple[str, date], tuple[int, Decimal]] = {}
    for advertiser in tiktok.accounts:
        for reported in tiktok.report_days(advertiser.id, since, until, moment):
            key = (advertiser.id, reported.entry.day)
            count, value = totals.get(key, (0, Decimal("0.00")))
            totals[key] = (count + reported.purchases, value + reported.purchase_value)
    return totals
