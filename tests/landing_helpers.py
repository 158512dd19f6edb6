"""Land hand-made records the way an extractor would, for tests of the stages after extraction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from extractors.landing import LandingTarget, land
from extractors.streams import Stream, Window

STREAMS = {
    "ads_insights": Stream("ads_insights", ("ad_id", "date_start"), "date_start", "date_start"),
    "orders": Stream("orders", ("id",), "updated_at", "updated_at"),
}


def land_records(
    root: Path,
    source: str,
    stream: str,
    account: str,
    start: date,
    end: date,
    run_id: str,
    records: list[dict[str, Any]],
) -> Path:
    target = LandingTarget(root, source, STREAMS[stream], account, Window(start, end), run_id)
    return land(target, records, datetime(2026, 11, 23, 6, 0, tzinfo=UTC))


def meta_row(ad_id: str, day: str, spend: str, impressions: int = 1000, clicks: int = 50, **extra: Any) -> dict:
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
