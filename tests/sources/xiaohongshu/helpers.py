"""Xiaohongshu constants and helpers shared by the tests in this folder (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from extractors.streams import Window
from tests.helpers import AS_OF
from tests.landing_helpers import land_records
from tests.sources.xiaohongshu.api import ADVERTISER, BRAND, SOURCE

REPORT = "note_report_daily"
NOTES = "note_list"
COLLABORATIONS = "collaboration_snapshots"
PAGE_SIZE = 40  # the `connections` fixture's page size (extra.page_size), so a week of the report spans pages
NOW = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)  # the session's now: 08:00 on the 23rd in Beijing
LAST_DAY = date(2026, 11, 21)  # the last Beijing day out at NOW (T+1 at 09:00: the 22nd is not)
NOTE = "6af1a2805c0d7e9b41f2a3c4"  # a note id of the right shape, for hand-made records
KOL = "5f9d3e21000000000101c0de"
__all__ = ["ADVERTISER", "BRAND", "SOURCE"]


def report_truth(sb: Any, window: Window) -> list[dict[str, Any]]:
    """The report's rows for ``window``'s days, as the API renders them."""
    from sandbox.xiaohongshu import truth

    return truth.report_rows(sb.world.part(SOURCE), window.start, window.last_day)


def row(note_id: str = NOTE, day: str = "2026-11-01", **fields: Any) -> dict[str, Any]:
    """A report row as the API returns it (numbers as JSON numbers), for hand-made landings."""
    return {
        "time": day,
        "note_id": note_id,
        "fee": "12.50",
        "impression": 1200,
        "click": 150,
        "ctr": "12.50%",
        "like": 9,
        "comment": 1,
        "collect": 6,
        "share": 1,
        "interaction": 17,
        **fields,
    }


def note(note_id: str = NOTE, created_ms: int = 1793462400000, **fields: Any) -> dict[str, Any]:
    """A note-list item (created 2026-11-01 00:00 Beijing by default)."""
    return {
        "note_id": note_id,
        "title": "成分党：三分钟看懂",
        "desc": "成分党：三分钟看懂，认真分享给姐妹们～ #成分党[话题]# #护肤[话题]#",
        "note_content_type": 1,
        "create_time": created_ms,
        "author": "品牌官方薯",
        "author_id": BRAND,
        "status": 0,
        "note_type": 1,
        **fields,
    }


def collaboration(order_id: str = "2026110100123456", **fields: Any) -> dict[str, Any]:
    """A 蒲公英 row as the API returns it."""
    return {
        "date_key": "20261121",
        "brand_user_id": BRAND,
        "kol_nick_name": "小鹿爱护肤",
        "kol_id": KOL,
        "kol_fan_num": 23000,
        "note_title": "好物推荐实测",
        "note_type": 1,
        "note_publish_time": "2026-11-01 20:31:05",
        "note_id": NOTE,
        "order_id": order_id,
        "kol_price": "1279.50",
        "total_platform_price": 127.95,
        "imp_num": 30000,
        "read_num": 4000,
        "like_num": 250,
        "fav_num": 140,
        "cmt_num": 30,
        "share_num": 20,
        "engage_num": 440,
        **fields,
    }


def land(root: Path, stream: str, start: date, end: date, run_id: str, records: list[dict]) -> Path:
    return land_records(root, SOURCE, stream, ADVERTISER, start, end, run_id, records)
