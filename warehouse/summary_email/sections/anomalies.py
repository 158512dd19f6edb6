"""Delivery anomalies from ``marts.campaign_delivery_anomalies``: each campaign-day of the period the rules
flagged, with its reasons, its spend and the campaign's own baseline (median of its trailing weeks).

The reasons come from the mart in English; each is translated here, an unknown one is shown as the mart says
it. Several days of one campaign are listed one by one, the largest spend first.
"""

from __future__ import annotations

from typing import Any

from warehouse.summary_email.config import EmailConfig
from warehouse.summary_email.i18n import text
from warehouse.summary_email.model import Column, Period, Section, Table
from warehouse.summary_email.sections import table_exists

MART = "campaign_delivery_anomalies"
MAX_ROWS = 10
LABELS = {
    "en": {
        "title": "Delivery anomalies",
        "area": "delivery anomaly",
        "table": "Campaign-days flagged",
        "campaign": "Campaign",
        "platform": "Platform",
        "day": "Day",
        "reasons": "Reason",
        "spend": "Spend",
        "baseline": "Usual spend",
        "none": "No campaign was flagged for {period}.",
        "more": "{count} more flagged campaign-days are in the mart campaign_delivery_anomalies.",
        "note": "Usual spend = the campaign's median daily spend over its trailing weeks.",
    },
    "zh-CN": {
        "title": "投放异常",
        "area": "投放异常",
        "table": "被标记的广告系列",
        "campaign": "广告系列",
        "platform": "平台",
        "day": "日期",
        "reasons": "原因",
        "spend": "花费",
        "baseline": "日常花费",
        "none": "{period} 没有广告系列被标记为异常。",
        "more": "另有 {count} 条异常记录，见数据表 campaign_delivery_anomalies。",
        "note": "日常花费 = 该广告系列近几周日花费的中位数。",
    },
}
# The mart's reasons (campaign_delivery_anomalies.anomaly_reasons, comma-separated) in each language.
REASONS = {
    "zh-CN": {
        "spend spike": "花费激增",
        "spend collapse": "花费骤降",
        "zero delivery": "零投放",
        "CTR collapse": "点击率骤降",
        "conversions stopped while clicks continue": "有点击无转化（疑似转化追踪中断）",
    },
}


def reasons_in(language: str, reasons: str) -> str:
    words = REASONS.get(language, {})
    separator = "、" if language == "zh-CN" else ", "
    return separator.join(words.get(reason, reason) for reason in reasons.split(", "))


def flagged(con: Any, period: Period) -> list[tuple[Any, ...]]:
    return con.execute(
        f"""
        select campaign_name, platform, date_day, anomaly_reasons, spend, spend_baseline
        from marts.{MART}
        where is_anomaly and date_day between $start and $end
        order by spend desc nulls last, spend_baseline desc nulls last, date_day, platform, campaign_name
        """,
        {"start": period.start, "end": period.end},
    ).fetchall()


def build(con: Any, period: Period, config: EmailConfig) -> Section:
    words = LABELS[config.language]
    section = Section(key="anomalies", title=words["title"])
    if not table_exists(con, MART):
        section.empty_note = text(config.language, "no_data", area=words["area"], period=period.label())
        return section
    rows = flagged(con, period)
    if not rows:
        section.notes = [words["none"].format(period=period.label())]
        return section
    columns = (
        Column(words["campaign"], "text"),
        Column(words["platform"], "text"),
        Column(words["day"], "text"),
        Column(words["reasons"], "text"),
        Column(words["spend"], "money"),
        Column(words["baseline"], "money"),
    )
    shown = tuple(
        (name, platform, day.isoformat(), reasons_in(config.language, reasons), spend, baseline)
        for name, platform, day, reasons, spend, baseline in rows[:MAX_ROWS]
    )
    section.tables.append(Table(words["table"], columns, shown))
    section.notes = [words["note"]]
    if len(rows) > MAX_ROWS:
        section.notes.append(words["more"].format(count=len(rows) - MAX_ROWS))
    return section
