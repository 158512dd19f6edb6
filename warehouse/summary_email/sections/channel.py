"""Paid media from ``marts.ad_performance_daily``: spend, platform ROAS, CPA, MER, campaigns by ROAS.

ROAS here is platform-reported conversion value / spend (the platforms' claim, double-counted across
platforms); MER is first-party net sales (``marts.sales_daily``) / total spend. All ratios of sums.
"""

from __future__ import annotations

from typing import Any

from warehouse.summary_email import charts
from warehouse.summary_email.config import EmailConfig
from warehouse.summary_email.formatting import change, clean, ratio
from warehouse.summary_email.i18n import text
from warehouse.summary_email.model import Chart, Column, Period, Section, Table, Tile
from warehouse.summary_email.sections import first_day, table_exists, trend_values

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
    },
}


def ad_totals(con: Any, period: Period) -> dict[str, Any] | None:
    """Sums over the period, ratios recomputed from them; None when the mart holds none of its days."""
    row = con.execute(
        f"select count(*), sum(spend), sum(platform_conversions), sum(platform_conversion_value) from marts.{MART} "
        "where date_day between $start and $end",
        {"start": period.start, "end": period.end},
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
        "mer": ratio(net_sales, spend),
        "cpa": ratio(spend, conversions),
    }


def campaigns_by_roas(con: Any, period: Period) -> list[tuple[str, str, float, float]]:
    """(campaign, platform, spend, platform ROAS) of every campaign that spent, best ROAS first."""
    rows = con.execute(
        f"select arg_max(campaign_name, date_day), platform, sum(spend), sum(platform_conversion_value) "
        f"from marts.{MART} where date_day between $start and $end group by platform, campaign_id "
        "having sum(spend) > 0",
        {"start": period.start, "end": period.end},
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
    current = ad_totals(con, period) if table_exists(con, MART) else None
    if current is None:
        section.empty_note = text(config.language, "no_data", area=words["area"], period=period.label())
        return section
    earliest = first_day(con, MART, "date_day")
    previous_period, last_year_period = period.previous(), period.last_year()
    previous = ad_totals(con, previous_period) if earliest <= previous_period.start else None
    last_year = ad_totals(con, last_year_period) if earliest <= last_year_period.start else None
    tiles = [("spend", "money"), ("mer", "multiple"), ("roas", "multiple")]
    if (clean(current["conversions"]) or 0) > 0:  # CPA only where the platforms report conversions
        tiles.append(("cpa", "money"))
    for key, kind in tiles:
        value = current[key]
        section.tiles.append(
            Tile(
                key=key,
                label=words[key],
                value=clean(value),
                kind=kind,
                vs_previous=change(value, previous[key]) if previous else None,
                vs_last_year=change(value, last_year[key]) if last_year else None,
            )
        )

    ranked = campaigns_by_roas(con, period)
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
    return section
