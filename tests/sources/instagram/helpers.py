"""Instagram constants and helpers shared by the tests in this folder (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.landing_helpers import land_records

SOURCE = "instagram"
MEDIA = "media_insights"
FOLLOWERS = "follower_count"
ACCOUNT = "account"
IG_USER = "17841405822304914"  # the brand's business account
PAGE_SIZE = 5  # the `connections` fixture's media page size: a month of posts spans several pages
# What the extractor asks for, spelled out here so a change to the client shows up as a test failure.
EXTRACTOR_FIELDS = "id,timestamp,media_type,media_product_type,permalink,caption,like_count,comments_count"
EXTRACTOR_METRICS = "reach,views,likes,comments,shares,saved"


def media_record(media_id: str = "17900104800923825", views: int | None = 9353, **fields: Any) -> dict[str, Any]:
    """A media_insights record as the extractor lands it, for hand-made landings."""
    record: dict[str, Any] = {
        "id": media_id,
        "timestamp": "2026-10-30T04:13:00+0000",
        "media_type": "VIDEO",
        "media_product_type": "REELS",
        "permalink": "https://www.instagram.com/reel/AbCdEfGhIjK/",
        "caption": "开箱｜今天聊聊这件事\n\n#开箱 #用户故事",
        "like_count": 486,
        "comments_count": 31,
        "insights": {"reach": 6100, "views": views, "likes": 486, "comments": 31, "shares": 57, "saved": 118},
        **fields,
    }
    return record


def follower_record(day: str = "2026-11-01", value: int = 44, end_time: str = "2026-11-02T07:00:00+0000") -> dict:
    return {"name": "follower_count", "period": "day", "value": value, "end_time": end_time, "day": day}


def account_record(followers: int = 80954, media_count: int = 810) -> dict:
    return {"id": IG_USER, "followers_count": followers, "media_count": media_count}


def land(root: Path, stream: str, start: date, end: date, run_id: str, records: list[dict]) -> Path:
    return land_records(root, SOURCE, stream, IG_USER, start, end, run_id, records)
