"""TikTok constants and helpers shared by the tests in this folder (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from extractors.catalog import AccountSettings
from extractors.streams import Window
from tests.helpers import AS_OF
from tests.landing_helpers import land_records

SOURCE = "tiktok"
STREAM = "ad_report_daily"
US = "7301940000000000011"  # America/Los_Angeles, USD
CROSS_BORDER = "7301940000000000022"  # Asia/Shanghai, USD
ADVERTISERS = [US, CROSS_BORDER]
PAGE_SIZE = 50  # the `connections` fixture's page size
# What the extractor asks for, spelled out here so a change to the declaration shows up as a test failure.
EXTRACTOR_DIMENSIONS = ["ad_id", "stat_time_day"]
EXTRACTOR_METRICS = [
    "campaign_id", "campaign_name", "adgroup_id", "adgroup_name", "ad_name", "spend", "impressions", "clicks",
    "conversion", "complete_payment", "total_complete_payment_rate",
]  # fmt: skip
US_SETTINGS = AccountSettings("America/Los_Angeles", "USD")


def report_row(ad_id: str, day: str, spend: str, impressions: int = 1000, clicks: int = 50, **metrics: str) -> dict:
    """A report row as the API returns it (every value a string), for hand-made landings."""
    return {
        "dimensions": {"ad_id": ad_id, "stat_time_day": day},
        "metrics": {
            "campaign_id": "1781000000011000000",
            "campaign_name": "US Evergreen Prospecting",
            "adgroup_id": "1782000000011000000",
            "adgroup_name": "US Evergreen Prospecting | Broad 18-45",
            "ad_name": "UGC Video A v1",
            "spend": spend,
            "impressions": str(impressions),
            "clicks": str(clicks),
            "conversion": "2",
            "complete_payment": "2",
            "total_complete_payment_rate": "104.00",
            **metrics,
        },
    }


def land_report(root: Path, account: str, start: date, end: date, run_id: str, rows: list[dict]) -> Path:
    return land_records(root, SOURCE, STREAM, account, start, end, run_id, rows, settings=US_SETTINGS)


def tiktok_truth(sb: Any, account: str, window: Window, as_of: Any = AS_OF) -> list[dict[str, Any]]:
    """The report rows the world holds for ``window`` (the report's bounds are inclusive: start..last day), with
    the metrics the extractor asks for."""
    from sandbox.tiktok import truth

    return truth.report_rows(sb.world.part(SOURCE), account, window.start, window.last_day, as_of, EXTRACTOR_METRICS)


def keys(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(row["dimensions"]["ad_id"], row["dimensions"]["stat_time_day"]) for row in rows]
