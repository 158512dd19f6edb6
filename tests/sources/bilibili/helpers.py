"""Bilibili constants and helpers shared by the tests in this folder (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from extractors.catalog import AccountSettings
from tests.helpers import AS_OF
from tests.landing_helpers import land_records

SOURCE = "bilibili"
ARCHIVES = "archive_snapshots"
USER_STAT = "user_stat_snapshots"
ACCOUNT = "9b1f3c0e6a2d4f58b7e1c9a0d3f6e2b4"  # the brand's openid
PAGE_SIZE = 5  # the `connections` fixture's page size: one snapshot spans several pages
SETTINGS = AccountSettings("Asia/Shanghai")
SNAPSHOT_DAY = date(2026, 11, 22)  # the last day complete at AS_OF (00:00 UTC = 08:00 Beijing)


def archive_record(
    resource_id: str = "BV1aB2cD3eF4", ptime: int = 1_793_500_000, view: Any = 12_000, **stat: Any
) -> dict[str, Any]:
    """An archive as the extractor lands it (viewlist item + data/arc/stat under ``stat``), for hand-made landings."""
    return {
        "resource_id": resource_id,
        "title": "成分党｜三分钟看懂",
        "cover": "http://i0.hdslb.com/bfs/archive/0f.jpg",
        "tid": 157,
        "no_reprint": 1,
        "desc": "",
        "tag": "成分党,教程",
        "copyright": 1,
        "video_info": {"cid": 1400000001, "filename": "n0", "duration": 300, "iframe_url": "", "share_url": ""},
        "addit_info": {"state": 0, "state_desc": "开放浏览", "reject_reason": ""},
        "ctime": ptime - 900,
        "ptime": ptime,
        "stat": {
            "title": "成分党｜三分钟看懂",
            "ptime": ptime,
            "view": view,
            "danmaku": 60,
            "reply": 48,
            "favorite": 144,
            "coin": 96,
            "share": 36,
            "like": 540,
            **stat,
        },
    }


def user_stat_record(follower: Any = 60_000, following: Any = 37, arc_passed_total: Any = 700) -> dict[str, Any]:
    return {"following": following, "follower": follower, "arc_passed_total": arc_passed_total}


def land(root: Path, stream: str, start: date, end: date, run_id: str, rows: list[dict[str, Any]]) -> Path:
    return land_records(root, SOURCE, stream, ACCOUNT, start, end, run_id, rows, settings=SETTINGS)


def pages_read(sb: Any, snapshot_day: date = SNAPSHOT_DAY, as_of: Any = AS_OF, max_age: int = 30) -> int:
    """How many list pages of PAGE_SIZE the extractor reads: up to the first one reaching past the age cut-off."""
    from sandbox.bilibili import truth

    bilibili = sb.world.part(SOURCE)
    archives = bilibili.archives(ACCOUNT, truth.as_of_moment(as_of))
    young = truth.snapshot_posts(bilibili, ACCOUNT, snapshot_day, as_of, max_age)
    newer = [post for post in archives if post.published_at >= young[-1].published_at] if young else []
    return len(newer) // PAGE_SIZE + 1


def archive_truth(sb: Any, snapshot_day: date = SNAPSHOT_DAY, as_of: Any = AS_OF, max_age: int = 30) -> list[dict]:
    """The records a snapshot for ``snapshot_day`` taken at ``as_of`` lands, from the world (no HTTP)."""
    from sandbox.bilibili import truth

    return truth.archive_snapshots(sb.world.part(SOURCE), ACCOUNT, snapshot_day, as_of, max_age)
