"""Sales from ``marts.sales_daily``: GMV, net sales, orders, AOV (GMV / orders), new customers."""

from __future__ import annotations

from typing import Any

from warehouse.summary_email import charts
from warehouse.summary_email.config import EmailConfig
from warehouse.summary_email.formatting import ratio
from warehouse.summary_email.i18n import text
from warehouse.summary_email.model import Chart, Period, Section
from warehouse.summary_email.sections import compared_tile, first_day, table_exists, trend_values

MART = "sales_daily"
LABELS = {
    "en": {
        "title": "Sales",
        "area": "sales",
        "gmv": "GMV",
        "net_sales": "Net sales",
        "orders": "Orders",
        "aov": "AOV",
        "new_customers": "New customers",
        "trend_daily": "Net sales, last {count} days",
        "trend_weekly": "Net sales per week, last {count} weeks",
    },
    "zh-CN": {
        "title": "销售",
        "area": "销售",
        "gmv": "GMV",
        "net_sales": "净销售额",
        "orders": "订单数",
        "aov": "客单价",
        "new_customers": "新客数",
        "trend_daily": "近 {count} 天净销售额",
        "trend_weekly": "近 {count} 周每周净销售额",
    },
}


def sales_totals(con: Any, period: Period) -> dict[str, Any] | None:
    """Sums over the period's days, or None when the mart holds none of them."""
    row = con.execute(
        f"select count(*), sum(orders), sum(gmv), sum(net_sales), sum(new_customers) from marts.{MART} "
        "where order_date between $start and $end",
        {"start": period.start, "end": period.end},
    ).fetchone()
    if not row or row[0] == 0:
        return None
    days, orders, gmv, net_sales, new_customers = row
    return {
        "days": days,
        "orders": orders,
        "gmv": gmv,
        "net_sales": net_sales,
        "new_customers": new_customers,
        "aov": ratio(gmv, orders),  # a ratio of sums, never the mean of daily AOVs
    }


def build(con: Any, period: Period, config: EmailConfig) -> Section:
    words = LABELS[config.language]
    section = Section(key="commerce", title=words["title"])
    current = sales_totals(con, period) if table_exists(con, MART) else None
    if current is None:
        section.empty_note = text(config.language, "no_data", area=words["area"], period=period.label())
        return section
    earliest = first_day(con, MART, "order_date")
    previous_period, last_year_period = period.previous(), period.last_year()
    previous = sales_totals(con, previous_period) if earliest <= previous_period.start else None
    last_year = sales_totals(con, last_year_period) if earliest <= last_year_period.start else None
    for key, kind in (("gmv", "money"), ("net_sales", "money"), ("orders", "count"), ("aov", "money")):
        section.tiles.append(compared_tile(key, words[key], kind, current, previous, last_year))
    section.tiles.append(compared_tile("new_customers", words["new_customers"], "count", current, previous, last_year))

    buckets = period.trend()
    values = trend_values(con, MART, "order_date", "net_sales", buckets)
    section.charts.append(
        Chart(
            cid="commerce-net-sales",
            title=words[f"trend_{period.kind}"].format(count=len(buckets)),
            png=charts.trend_bars(buckets, values),
        )
    )
    return section
