"""The promotion in progress against its plan (weekly review), from ``marts.promotion_pacing``: for each
promotion of seeds/promotions.csv whose days meet the week, the promotion to date as of the week's last day
(or the promotion's last day, when it ended inside the week).

Spend pacing is spend to date / the budget on a straight line over the promotion's days; GMV achievement is
GMV to date / the promotion's GMV target; MER is net sales / spend, both to date. Like ``pacing``, not a mart
area of ``sections/``: the weekly review appends it, and only in a week a promotion runs.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from warehouse.summary_email.config import EmailConfig
from warehouse.summary_email.formatting import clean
from warehouse.summary_email.model import Column, Period, Section, Table
from warehouse.summary_email.sections import table_exists

MART = "promotion_pacing"
LABELS = {
    "en": {
        "title": "Promotion in progress",
        "spend_table": "Spend against the promotion's budget, to {day}",
        "sales_table": "Sales against the promotion's target, to {day}",
        "promotion": "Promotion",
        "day": "Day",
        "budget": "Budget",
        "spend_to_date": "Spend to date",
        "pacing": "Pacing",
        "gmv_to_date": "GMV to date",
        "gmv_achievement": "GMV vs target",
        "mer": "MER",
        "note": (
            "Pacing = spend to date / the budget spread evenly over the promotion's days (100% = on plan; "
            "promotions build towards their peak day). MER = net sales / spend, to date."
        ),
        "partial": "{name}: figures from {day}, the first day the warehouse holds, not from the promotion's start.",
    },
    "zh-CN": {
        "title": "大促进度",
        "spend_table": "截至 {day} 花费对比大促预算",
        "sales_table": "截至 {day} 销售对比大促目标",
        "promotion": "大促",
        "day": "天数",
        "budget": "预算",
        "spend_to_date": "累计花费",
        "pacing": "进度",
        "gmv_to_date": "累计 GMV",
        "gmv_achievement": "GMV 达成",
        "mer": "MER",
        "note": (
            "进度 = 累计花费 / 按大促天数均匀分配的预算（100% 为符合计划；大促越临近爆发日花费越高）。"
            "MER = 累计净销售额 / 累计花费。"
        ),
        "partial": "{name}：数据仓库自 {day} 起才有数据，累计数不含大促开始后的更早几天。",
    },
}


class PromotionToDate(NamedTuple):
    promotion_name: str
    day_number: int
    promotion_days: int
    spend_budget: Any
    spend_to_date: Any
    spend_pacing: float | None
    gmv_to_date: Any
    gmv_achievement: float | None
    mer_to_date: float | None
    date_day: date
    complete_from_start: bool
    first_day_with_data: date


def promotions_to_date(con: Any, period: Period) -> list[PromotionToDate]:
    """Each promotion meeting the period: its latest row up to the period's last day, earliest first."""
    rows = con.execute(
        f"""
        select {", ".join(PromotionToDate._fields)}
        from marts.{MART}
        where start_date <= $end and end_date >= $start and date_day <= $end
        qualify row_number() over (partition by promotion_id order by date_day desc) = 1
        order by start_date, promotion_id
        """,
        {"start": period.start, "end": period.end},
    ).fetchall()
    return [PromotionToDate(*row) for row in rows]


def build(con: Any, period: Period, config: EmailConfig) -> Section | None:
    """The section, or None when no promotion runs in the period (the review then says nothing of it)."""
    lines = promotions_to_date(con, period) if table_exists(con, MART) else []
    if not lines:
        return None
    words = LABELS[config.language]
    day = max(line.date_day for line in lines).isoformat()
    section = Section(key="promotion", title=words["title"])
    # Two narrow tables rather than one wide one: a phone shows about five columns.
    spend_columns = (
        Column(words["promotion"], "text"),
        Column(words["day"], "text"),
        Column(words["budget"], "money"),
        Column(words["spend_to_date"], "money"),
        Column(words["pacing"], "percent"),
    )
    spend_rows = tuple(
        (
            line.promotion_name,
            f"{line.day_number}/{line.promotion_days}",
            clean(line.spend_budget),
            clean(line.spend_to_date),
            clean(line.spend_pacing),
        )
        for line in lines
    )
    sales_columns = (
        Column(words["promotion"], "text"),
        Column(words["gmv_to_date"], "money"),
        Column(words["gmv_achievement"], "percent"),
        Column(words["mer"], "multiple"),
    )
    sales_rows = tuple(
        (line.promotion_name, clean(line.gmv_to_date), clean(line.gmv_achievement), clean(line.mer_to_date))
        for line in lines
    )
    section.tables.append(Table(words["spend_table"].format(day=day), spend_columns, spend_rows))
    section.tables.append(Table(words["sales_table"].format(day=day), sales_columns, sales_rows))
    section.notes = [words["note"]]
    section.notes += [
        words["partial"].format(name=line.promotion_name, day=line.first_day_with_data.isoformat())
        for line in lines
        if not line.complete_from_start
    ]
    return section
