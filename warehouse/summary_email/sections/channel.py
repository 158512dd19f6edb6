"""Paid media from ``marts.ad_performance_daily``: spend, platform ROAS, CPA, MER, campaigns by ROAS.

ROAS here is platform-reported conversion value / spend (the platforms' claim, double-counted across
platforms); MER is first-party net sales (``marts.sales_daily``) / total spend. All ratios of sums.

An account whose day ends later than the brief's zone (a Los Angeles account in a Shanghai brief) has not
finished the brief's last day yet when the brief goes out, so the mart has no row for it: the section
compares only accounts that reported that day, in every period, names the others, and leaves MER out
(net sales of the whole day over part of its spend would overstate it).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from warehouse.summary_email import charts
from warehouse.summary_email.config import EmailConfig
from warehouse.summary_email.formatting import clean, ratio
from warehouse.summary_email.i18n import text
from warehouse.summary_email.model import Chart, Column, Period, Section, Table
from warehouse.summary_email.sections import column_exists, compared_tile, first_day, table_exists, trend_values

MART = "ad_performance_daily"
SALES_MART = "sales_daily"
LABELS = {
    "en": {
        "title": "Paid media",
        "area": "ad",
        "spend": "Spend",
        "roas": "Platform ROAS",
        "mer": "MER (net sales / spend)",
        "cpa": "CPA (platform conversions)",
        "top": "Top campaigns by platform ROAS",
        "bottom": "Bottom campaigns by platform ROAS",
        "campaign": "Campaign",
        "platform": "Platform",
        "trend_daily": "Spend, last {count} days",
        "trend_weekly": "Spend per week, last {count} weeks",
        "note": "Platform ROAS = platform-reported conversion value / spend; platforms double-count each other.",
        "pending": (
            "Not complete yet for {day} in the account's own time zone, left out of the tiles and tables: {accounts}."
        ),
    },
    "zh-CN": {
        "title": "付费投放",
        "area": "广告",
        "spend": "花费",
        "roas": "平台 ROAS",
        "mer": "MER（净销售额 / 花费）",
        "cpa": "CPA（平台转化）",
        "top": "平台 ROAS 最高的广告系列",
        "bottom": "平台 ROAS 最低的广告系列",
        "campaign": "广告系列",
        "platform": "平台",
        "trend_daily": "近 {count} 天花费",
        "trend_weekly": "近 {count} 周每周花费",
        "note": "平台 ROAS = 平台回传的转化价值 / 花费；各平台之间存在重复归因。",
        "pending": "以下账户按其所在时区 {day} 尚未结束，指标卡和表格均未计入：{accounts}。",
    },
}


# The accounts a query leaves out, as "platform account_id" strings (see pending_accounts).
EXCLUDED = "not list_contains($excluded, platform || ' ' || account_id)"


def pending_accounts(con: Any, period: Period) -> list[str]:
    """Accounts whose clock had not finished the period's last day when the serving file was published.

    Their day is not in the marts yet (the extractor takes only finished days), so comparing them would
    show a fall that is only a time zone. Needs the mart's ``account_timezone``; without it, none.
    """
    if not column_exists(con, MART, "account_timezone") or not table_exists(con, "publication", "_pipeline"):
        return []
    (published_at,) = con.execute("select published_at from _pipeline.publication").fetchone()
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=UTC)
    rows = con.execute(
        f"select distinct platform || ' ' || account_id, account_timezone from marts.{MART} "
        "where date_day between $since and $last and account_timezone is not null order by 1",
        {"since": period.start - timedelta(days=7), "last": period.end},
    ).fetchall()
    day_after = period.end + timedelta(days=1)
    return [
        str(account)
        for account, zone in rows
        if datetime.combine(day_after, time(), tzinfo=ZoneInfo(zone)) > published_at
    ]


def ad_totals(con: Any, period: Period, excluded: list[str] | None = None) -> dict[str, Any] | None:
    """Sums over the period, ratios recomputed from them; None when the mart holds none of its days."""
    row = con.execute(
        f"select count(*), sum(spend), sum(platform_conversions), sum(platform_conversion_value) from marts.{MART} "
        f"where date_day between $start and $end and {EXCLUDED}",
        {"start": period.start, "end": period.end, "excluded": excluded or []},
    ).fetchone()
    if not row or row[0] == 0:
        return None
    _rows, spend, conversions, value = row
    net_sales = None
    if table_exists(con, SALES_MART):
        (net_sales,) = con.execute(
            f"select sum(net_sales) from marts.{SALES_MART} where order_date between $start and $end",
            {"start": period.start, "end": period.end},
        ).fetchone()
    return {
        "spend": spend,
        "conversions": conversions,
        "roas": ratio(value, spend),
        "mer": None if excluded else ratio(net_sales, spend),
        "cpa": ratio(spend, conversions),
    }


def campaigns_by_roas(
    con: Any, period: Period, excluded: list[str] | None = None
) -> list[tuple[str, str, float, float]]:
    """(campaign, platform, spend, platform ROAS) of every campaign that spent, best ROAS first."""
    rows = con.execute(
        f"select arg_max(campaign_name, date_day), platform, sum(spend), sum(platform_conversion_value) "
        f"from marts.{MART} where date_day between $start and $end and {EXCLUDED} group by platform, campaign_id "
        "having sum(spend) > 0",
        {"start": period.start, "end": period.end, "excluded": excluded or []},
    ).fetchall()
    ranked = [
        (str(name), str(platform), float(spend), float(value or 0) / float(spend))
        for name, platform, spend, value in rows
    ]
    ranked.sort(key=lambda r: (-r[3], -r[2], r[0]))
    return ranked


def build(con: Any, period: Period, config: EmailConfig) -> Section:
    words = LABELS[config.language]
    section = Section(key="channel", title=words["title"])
    exists = table_exists(con, MART)
    pending = pending_accounts(con, period) if exists else []
    current = ad_totals(con, period, pending) if exists else None
    if current is None:
        section.empty_note = text(config.language, "no_data", area=words["area"], period=period.label())
        return section
    earliest = first_day(con, MART, "date_day")
    previous_period, last_year_period = period.previous(), period.last_year()
    previous = ad_totals(con, previous_period, pending) if earliest <= previous_period.start else None
    last_year = ad_totals(con, last_year_period, pending) if earliest <= last_year_period.start else None
    tiles = [("spend", "money"), ("mer", "multiple"), ("roas", "multiple")]
    if (clean(current["conversions"]) or 0) > 0:  # CPA only where the platforms report conversions
        tiles.append(("cpa", "money"))
    for key, kind in tiles:
        section.tiles.append(compared_tile(key, words[key], kind, current, previous, last_year))

    ranked = campaigns_by_roas(con, period, pending)
    top = ranked[: config.top_campaigns]
    bottom = [r for r in reversed(ranked) if r not in top][: config.top_campaigns]
    columns = (
        Column(words["campaign"], "text"),
        Column(words["platform"], "text"),
        Column(words["spend"], "money"),
        Column(words["roas"], "multiple"),
    )
    if top:
        section.tables.append(Table(words["top"], columns, tuple(top)))
    if bottom:
        section.tables.append(Table(words["bottom"], columns, tuple(bottom)))

    buckets = period.trend()
    values = trend_values(con, MART, "date_day", "spend", buckets)
    section.charts.append(
        Chart(
            cid="channel-spend",
            title=words[f"trend_{period.kind}"].format(count=len(buckets)),
            png=charts.trend_bars(buckets, values),
        )
    )
    section.notes = [words["note"]]
    if pending:
        day = period.end.isoformat()
        section.notes.append(words["pending"].format(day=day, accounts=", ".join(pending)))
    return section
