"""What a run built, read from the serving file the way a BI tool reads it (read-only)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse import settings


def describe_serving(serving: Path) -> str:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        lines = [f"serving DuckDB file (open read-only in BI tools): {serving}", "", "marts:"]
        for schema, name in con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name = 'marts' order by 2"
        ).fetchall():
            (rows,) = con.execute(f'select count(*) from {schema}."{name}"').fetchone()  # type: ignore[misc]
            lines.append(f"  {schema}.{name:<28} {rows:>10,} rows")
        lines += ["", f"headline totals (reporting currency {reporting_currency()}):", *_headlines(con)]
        run_id, interval_start, interval_end = con.execute(
            "select run_id, data_interval_start, data_interval_end from _pipeline.publication"
        ).fetchone()  # type: ignore[misc]
        lines += ["", f"published by run {run_id} for data interval [{interval_start}, {interval_end})"]
        return "\n".join(lines)
    finally:
        con.close()


def reporting_currency() -> str:
    """The dbt var every mart converts money into, so the summary never disagrees with the marts."""
    import yaml

    project = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return str(project["vars"]["reporting_currency"])


def _headlines(con: duckdb.DuckDBPyConnection) -> list[str]:
    # One period for both marts (days each holds completely), so MER divides like by like.
    first_day, last_day = con.execute(
        "select greatest(a.first, s.first), least(a.last, s.last) from "
        "(select min(date_day) as first, max(date_day) as last from marts.ad_performance_daily) as a, "
        "(select min(order_date) as first, max(order_date) as last from marts.sales_daily) as s"
    ).fetchone()  # type: ignore[misc]
    period = {"first": first_day, "last": last_day}
    spend, impressions, clicks, value = con.execute(
        "select sum(spend), sum(impressions), sum(clicks), sum(platform_conversion_value) "
        "from marts.ad_performance_daily where date_day between $first and $last",
        period,
    ).fetchone()  # type: ignore[misc]
    orders, gmv, net_sales = con.execute(
        "select sum(orders), sum(gmv), sum(net_sales) from marts.sales_daily where order_date between $first and $last",
        period,
    ).fetchone()  # type: ignore[misc]
    return [
        f"  days                   {first_day} .. {last_day}",
        f"  spend                  {spend:>16,.2f}",
        f"  impressions            {impressions:>16,}",
        f"  clicks                 {clicks:>16,}",
        f"  CTR                    {clicks / impressions:>16.2%}" if impressions else "  CTR  n/a",
        f"  platform ROAS          {value / spend:>16.2f}  (platform-reported conversion value / spend)"
        if spend
        else "  platform ROAS  n/a",
        f"  orders                 {orders:>16,}",
        f"  GMV                    {gmv:>16,.2f}",
        f"  net sales              {net_sales:>16,.2f}",
        f"  AOV                    {gmv / orders:>16,.2f}" if orders else "  AOV  n/a",
        f"  MER (blended ROAS)     {net_sales / spend:>16.2f}  (first-party net sales / total spend)"
        if spend
        else "  MER  n/a",
    ]
