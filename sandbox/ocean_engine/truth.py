"""Ground truth for Ocean Engine: what the custom report would hold, computed from the world, never through HTTP.

Tests reconcile landings and marts against these numbers; because they bypass the server, a paging, window
splitting or token bug in an extractor shows up as a mismatch instead of being reproduced on both sides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sandbox.formats import as_utc
from sandbox.ocean_engine.world import OceanEngineWorld


def report_rows(
    ocean: OceanEngineWorld,
    advertiser_id: str,
    since: date,
    until: date,
    as_of: date | datetime,
    dimensions: Sequence[str] | None = None,
    metrics: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """The report's rows for ``[since, until]`` at ``as_of`` by (day, promotion id), with the dimensions and
    metrics asked for (every one when None), values as the API writes them."""
    rows = ocean.rows(advertiser_id, since, until, as_of)
    return [
        {
            "dimensions": {k: v for k, v in row["dimensions"].items() if dimensions is None or k in dimensions},
            "metrics": {k: v for k, v in row["metrics"].items() if metrics is None or k in metrics},
        }
        for row in rows
    ]


def spend_by_advertiser_day(
    ocean: OceanEngineWorld, since: date, until: date, as_of: date | datetime
) -> dict[tuple[str, date], Decimal]:
    """Cost in yuan per (advertiser id, Beijing day) for the days with activity, as reported at ``as_of``."""
    moment = as_utc(as_of)
    totals: dict[tuple[str, date], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for advertiser in ocean.accounts:
        for reported in ocean.report_days(advertiser.id, since, until, moment):
            totals[(advertiser.id, reported.entry.day)] += reported.cost
    return dict(totals)


def conversions_by_advertiser_day(
    ocean: OceanEngineWorld, since: date, until: date, as_of: date | datetime
) -> dict[tuple[str, date], tuple[int, Decimal]]:
    """(convert_cnt, active_pay_amount) per (advertiser id, Beijing day), as reported at ``as_of``."""
    moment = as_utc(as_of)
    totals: dict[tuple[str, date], tuple[int, Decimal]] = {}
    for advertiser in ocean.accounts:
        for reported in ocean.report_days(advertiser.id, since, until, moment):
            key = (advertiser.id, reported.entry.day)
            count, value = totals.get(key, (0, Decimal("0.00")))
            totals[key] = (count + reported.converts, value + reported.pay_amount)
    return totals
