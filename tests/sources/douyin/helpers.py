"""Douyin constants and helpers shared by the tests in this folder (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from extractors.streams import Window
from tests.helpers import AS_OF
from tests.landing_helpers import land_records
from tests.sources.douyin.api import OPEN_ID, SOURCE

SNAPSHOTS = "video_snapshots"
FANS = "fans_daily"
COUNT = 7  # the `connections` fixture's page size (extra.count), so a snapshot spans several pages
NOW = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)  # the session's now: 08:00 on the 23rd in Beijing
__all__ = ["OPEN_ID", "SOURCE"]


def snapshot_truth(sb: Any, window: Window, as_of: Any = NOW, max_age_days: int = 30) -> list[dict[str, Any]]:
    """The items a snapshot for ``window``'s last day holds at ``as_of``, as the list renders them."""
    from sandbox.douyin import truth

    return truth.snapshot_items(sb.world.part(SOURCE), OPEN_ID, window.last_day, as_of, max_age_days)


def fans_truth(sb: Any, window: Window) -> list[dict[str, Any]]:
    from sandbox.douyin import truth

    return truth.fans_rows(sb.world.part(SOURCE), OPEN_ID, window.start, window.last_day)


def item(
    item_id: str, plays: int = 20_000, likes: int = 900, comments: int = 80, shares: int = 60, **fields: Any
) -> dict:
    """A video-list item as the API returns it, for hand-made landings."""
    return {
        "item_id": item_id,
        "title": "成分党：三分钟看懂 #成分党 #护肤",
        "create_time": 1794000000,  # 2026-11-06 20:00 Beijing
        "cover": "https://p3-sign.douyinpic.com/obj/tos-cn-p-0015/0",
        "share_url": "https://www.iesdouyin.com/share/video/7311730348154293328/",
        "is_top": False,
        "is_reviewed": True,
        "video_status": 1,
        "media_type": 4,
        "statistics": {
            "play_count": plays,
            "digg_count": likes,
            "comment_count": comments,
            "share_count": shares,
            "forward_count": 15,
            "download_count": 12,
        },
        **fields,
    }


def fans_row(day: str, total: int, new: int) -> dict[str, Any]:
    return {"date": day, "total_fans": total, "new_fans": new}


def land(root: Path, stream: str, start: date, end: date, run_id: str, records: list[dict]) -> Path:
    return land_records(root, SOURCE, stream, OPEN_ID, start, end, run_id, records)
