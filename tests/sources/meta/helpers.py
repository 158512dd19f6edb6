"""Meta constants and helpers shared by the tests in this folder (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from extractors.streams import Window
from tests.helpers import AS_OF
from tests.landing_helpers import land_records

ACCOUNTS = ["act_1001", "act_2002"]
PAGE_SIZE = 50  # the `connections` fixture's page size


def meta_row(ad_id: str, day: str, spend: str, impressions: int = 1000, clicks: int = 50, **extra: Any) -> dict:
    """An insights record as the API returns it (every value a string), for hand-made landings."""
    return {
        "account_id": "1001",
        "account_currency": "CNY",
        "campaign_id": "c1",
        "adset_id": "s1",
        "ad_id": ad_id,
        "date_start": day,
        "date_stop": day,
        "spend": spend,
        "impressions": str(impressions),
        "clicks": str(clicks),
        "inline_link_clicks": str(clicks),
        **extra,
    }


def land_insights(root: Path, account: str, start: date, end: date, run_id: str, rows: list[dict]) -> Path:
    return land_records(root, "meta", "ads_insights", account, start, end, run_id, rows)


def meta_truth(sb: Any, account: str, window: Window) -> list[dict[str, Any]]:
    """Insights rows the world holds for ``window`` (Meta's bounds are inclusive: start..last day)."""
    from sandbox.meta import truth

    return truth.insight_rows(sb.world.part("meta"), account, window.start, window.last_day, AS_OF)
