"""WeChat Official Account constants and helpers shared by the tests in this folder (fixtures in conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.landing_helpers import land_records

SOURCE = "wechat_oa"
ARTICLES = "article_daily_totals"
SUMMARY = "user_summary"
CUMULATE = "user_cumulate"
APPID = "wx5b1c0e8a3f2d4c61"


def article_record(msgid: str, ref_date: str, stat_date: str, read_user: int = 1200, **detail: Any) -> dict:
    """One landed record as the reader yields it: the article's fields with one detail_list entry as ``detail``."""
    return {
        "ref_date": ref_date,
        "msgid": msgid,
        "title": "成分党｜三分钟看懂",
        "publish_type": 0,
        "publish_time": 1764045000,
        "topic_tags": ["成分党", "护肤"],
        "detail": {
            "stat_date": stat_date,
            "read_user": read_user,
            "read_count": read_user + 100,
            "share_user": 30,
            "share_count": 36,
            "like_user": 20,
            "zaikan_user": 8,
            "comment_count": 3,
            "collection_user": 11,
            **detail,
        },
    }


def land(root: Path, stream: str, start: date, end: date, run_id: str, rows: list[dict]) -> Path:
    return land_records(root, SOURCE, stream, APPID, start, end, run_id, rows)
