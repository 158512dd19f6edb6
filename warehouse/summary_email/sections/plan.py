"""Delivery against the media plan (排期 and 目标达成度) from ``marts.media_plan_pacing``: per channel line of
the plan, the month to date as of the period's last day.

Pacing is spend to date / the linear expected spend to date (1 = on plan); the projection keeps the pace to
date for the rest of the month; ROAS and CPA achievement are against the plan's targets (CPA achievement
above 100% means a CPA better than target). A channel line of the plan covers all of the channel's spend.
"""

from __future__ import annotations

from typing import Any

from warehouse.summary_email.config import EmailConfig
from warehouse.summary_email.formatting import clean, ratio
from warehouse.summary_email.model import Column, Period, Section, Table
from warehouse.summary_email.sections import table_exists

MART = "media_plan_pacing"
LABELS = {
    "en": {
        "title": "Media plan",
        "table": "Month to date against the plan, as of {day}",
        "targets": "Targets achieved, month to date",
        "channel": "Channel",
        "budget": "Budget",
        "spend_to_date": "Spend to date",
        "pacing": "Pacing",
        "projected": "Projected month spend",
        "roas_achievement": "ROAS vs target",
        "cpa_achievement": "CPA vs target",
        "total": "All planned channels",
        "note": (
            "Pacing = spend to date / the plan's spend to date on a straight line over the month "
            "(100% = on plan). CPA vs target above 100% = cheaper than planned."
        ),
        "empty": "No media plan line covers {month}.",
    },
    "zh-CN": {
        "title": "媒介排期",
        "table": "本月截至 {day} 对比排期",
        "targets": "本月目标达成",
        "channel": "渠道",
        "budget": "预算",
        "spend_to_date": "累计花费",
        "pacing": "进度",
        "projected": "预计全月花费",
        "roas_achievement": "ROAS 达成",
        "cpa_achievement": "CPA 达成",
        "total": "全部排期渠道",
        "note": "进度 = 累计花费 / 按月均匀分配的应花费用（100% 为符合排期）。CPA 达成高于 100% 表示成本低于目标。",
        "empty": "{month} 没有排期。",
    },
}


def plan_lines(con: Any, period: Period) -> list[tuple[Any, ...]]:
    """Each channel line's latest row of the period's month up to its last day, by channel."""
    return con.execute(
        f"""
        select channel, budget, expected_spend_to_date, spend_to_date, projected_month_spend, roas_achievement,
            cpa_achievement, date_day
        from marts.{MART}
        where campaign_id is null and month = date_trunc('month', cast($end as date)) and date_day <= $end
        qualify row_number() over (partition by channel order by date_day desc) = 1
        order by budget desc, channel
        """,
        {"end": period.end},
    ).fetchall()


def build(con: Any, period: Period, config: EmailConfig) -> Section:
    words = LABELS[config.language]
    section = Section(key="plan", title=words["title"])
    lines = plan_lines(con, period) if table_exists(con, MART) else []
    if not lines:
        section.empty_note = words["empty"].format(month=period.end.strftime("%Y-%m"))
        return section
    rows = [
        (channel, clean(budget), clean(spend), ratio(spend, expected), clean(projected))
        for channel, budget, expected, spend, projected, *_ in lines
    ]
    budget, expected, spend, projected = (
        sum(float(line[i] or 0) for line in lines) for i in (1, 2, 3, 4)
    )  # fmt: skip
    rows.append((words["total"], budget, spend, ratio(spend, expected), projected))
    columns = (
        Column(words["channel"], "text"),
        Column(words["budget"], "money"),
        Column(words["spend_to_date"], "money"),
        Column(words["pacing"], "percent"),
        Column(words["projected"], "money"),
    )
    day = max(line[7] for line in lines)
    section.tables.append(Table(words["table"].format(day=day.isoformat()), columns, tuple(rows)))
    # A second, narrow table: seven columns do not fit a phone's 375 px.
    targets = tuple((channel, clean(roas), clean(cpa)) for channel, *_, roas, cpa, _ in lines if roas or cpa)
    if targets:
        target_columns = (
            Column(words["channel"], "text"),
            Column(words["roas_achievement"], "percent"),
            Column(words["cpa_achievement"], "percent"),
        )
        section.tables.append(Table(words["targets"], target_columns, targets))
    section.notes = [words["note"]]
    return section
