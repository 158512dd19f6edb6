"""Pacing for the month (weekly review): spend and net sales from the 1st to the period's last day,
against the previous month's same days (1st..same day of month, clamped to that month's length).

Not a mart area in ``sections/`` (it reads two of them and is not chosen by config): the weekly review
appends it after the configured sections.
"""

from __future__ import annotations

from typing import Any

from warehouse.summary_email.config import EmailConfig
from warehouse.summary_email.formatting import change, clean
from warehouse.summary_email.model import Period, Section, Tile
from warehouse.summary_email.sections import first_day, table_exists

# (tile key, mart, day column, summed column)
METRICS = (
    ("spend", "ad_performance_daily", "date_day", "spend"),
    ("net_sales", "sales_daily", "order_date", "net_sales"),
)
LABELS = {
    "en": {
        "title": "Pacing for the month",
        "spend": "Spend, month to date",
        "net_sales": "Net sales, month to date",
        "compare": "vs same days last month",
        "note": "{current} against {before}.",
        "empty": "No spend or sales data for {current}.",
    },
    "zh-CN": {
        "title": "本月进度",
        "spend": "本月累计花费",
        "net_sales": "本月累计净销售额",
        "compare": "较上月同期",
        "note": "{current} 对比 {before}。",
        "empty": "{current} 暂无花费或销售数据。",
    },
}


def _sum(con: Any, mart: str, column: str, value: str, period: Period) -> float | None:
    row = con.execute(
        f"select count(*), sum({value}) from marts.{mart} where {column} between $start and $end",
        {"start": period.start, "end": period.end},
    ).fetchone()
    return clean(row[1]) if row and row[0] else None


def build(con: Any, period: Period, config: EmailConfig) -> Section:
    words = LABELS[config.language]
    current, before = period.month_to_date()
    section = Section(key="pacing", title=words["title"], compare_label=words["compare"])
    for key, mart, column, value in METRICS:
        if not table_exists(con, mart):
            continue
        now = _sum(con, mart, column, value, current)
        if now is None:
            continue
        earliest = first_day(con, mart, column)
        previous = _sum(con, mart, column, value, before) if earliest <= before.start else None
        section.tiles.append(Tile(key, words[key], now, "money", vs_previous=change(now, previous)))
    if not section.tiles:
        section.empty_note = words["empty"].format(current=current.label())
        return section
    section.notes = [words["note"].format(current=current.label(), before=before.label())]
    return section
