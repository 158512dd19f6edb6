"""Ocean Engine constants and helpers shared by the tests in this folder (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from extractors.streams import Window
from tests.helpers import AS_OF
from tests.landing_helpers import land_records

SOURCE = "ocean_engine"
STREAM = "ad_report_daily"
ADVERTISERS = ["1768310000000101", "1768310000000202"]
PAGE_SIZE = 50  # the `connections` fixture's page size
EXTRACTOR_DIMENSIONS = ("stat_time_day", "cdp_project_id", "cdp_project_name", "cdp_promotion_id", "cdp_promotion_name")
EXTRACTOR_METRICS = ("stat_cost", "show_cnt", "click_cnt", "convert_cnt", "active_pay_amount")


def report_row(promotion: str, day: str, cost: str, shows: int = 1000, clicks: int = 50, **metrics: str) -> dict:
    """A report row as the API returns it (every value a string), for hand-made landings."""
    return {
        "dimensions": {
            "stat_time_day": day,
            "cdp_project_id": "7301100000000310000",
            "cdp_project_name": "常投-拉新",
            "cdp_promotion_id": promotion,
            "cdp_promotion_name": "UGC Video A v1 · Broad 18-45",
        },
        "metrics": {
            "stat_cost": cost,
            "show_cnt": str(shows),
            "click_cnt": str(clicks),
            "convert_cnt": "2",
            "active_pay_amount": "520.00",
            **metrics,
        },
    }


def land_report(root: Path, account: str, start: date, end: date, run_id: str, rows: list[dict]) -> Path:
    from extractors.catalog import AccountSettings

    settings = AccountSettings("Asia/Shanghai", "CNY")
    return land_records(root, SOURCE, STREAM, account, start, end, run_id, rows, settings=settings)


def ocean_truth(sb: Any, account: str, window: Window, as_of: Any = AS_OF) -> list[dict[str, Any]]:
    """The report rows the world holds for ``window`` (the report's bounds are inclusive: start..last day),
    with the dimensions and metrics the extractor asks for."""
    from sandbox.ocean_engine import truth

    ocean = sb.world.part(SOURCE)
    return truth.report_rows(
        ocean, account, window.start, window.last_day, as_of, EXTRACTOR_DIMENSIONS, EXTRACTOR_METRICS
    )


def keys(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(row["dimensions"]["cdp_promotion_id"], row["dimensions"]["stat_time_day"]) for row in rows]
