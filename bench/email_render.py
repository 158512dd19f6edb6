"""How long composing and rendering a weekly review takes, with every chart (8-week trends) and pacing.

Builds a synthetic serving file (400 days of sales, 20 campaigns a day) in a temporary directory, then
times ``compose`` (queries, charts, HTML with CSS inlined, text part) of the week before the last day.
Prints seconds; asserts nothing.

    python -m bench.email_render --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

LAST_DAY = date(2026, 11, 22)  # a Sunday
DAYS = 400
CAMPAIGNS = 20


def build_serving(path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(path))
    params = {"last": LAST_DAY, "days": DAYS, "campaigns": CAMPAIGNS}
    con.execute("create schema marts")
    con.execute(
        "create table marts.sales_daily as select d::date as order_date, 100 + (i % 37) as orders, "
        "90 + (i % 37) as customers, 30 + (i % 11) as new_customers, 60 + (i % 26) as returning_customers, "
        "(20000 + (i % 53) * 100)::decimal(18,4) as gmv, 500::decimal(18,4) as discounts, "
        "300::decimal(18,4) as refunds, (19000 + (i % 53) * 100)::decimal(18,4) as net_sales, "
        "(20000 + (i % 53) * 100) / (100 + (i % 37))::double as aov "
        "from (select $last - (i::int) as d, i from range($days) t(i))",
        {"last": LAST_DAY, "days": DAYS},
    )
    con.execute(
        "create table marts.ad_performance_daily as select $last - (i::int) as date_day, 'meta' as platform, "
        "'act_1' as account_id, 'c' || c as campaign_id, 'Campaign ' || c as campaign_name, 'a' || c as ad_id, "
        "(100 + c * 10 + i % 7)::decimal(18,4) as spend, (c % 5)::decimal(18,4) as platform_conversions, "
        "((100 + c * 10) * (1 + c % 4))::decimal(18,4) as platform_conversion_value "
        "from range($days) t(i), range($campaigns) k(c)",
        params,
    )
    con.execute("create schema _pipeline")
    con.execute(
        "create table _pipeline.publication as select 'run_bench' as run_id, now() as published_at, "
        "$last as data_interval_start, $last + 1 as data_interval_end, 'build_bench' as build_id",
        {"last": LAST_DAY},
    )
    con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--language", default="zh-CN", choices=("zh-CN", "en"))
    args = parser.parse_args()

    from warehouse.summary_email.brief import compose
    from warehouse.summary_email.config import parse_config
    from warehouse.summary_email.model import Period

    config = parse_config(
        {
            "brand": "Bench Brand",
            "language": args.language,
            "timezone": "Asia/Shanghai",
            "sender": "brief@bench.test",
            "recipients": ["team@bench.test"],
        }
    )
    period = Period.week(LAST_DAY - timedelta(days=1))
    with tempfile.TemporaryDirectory() as directory:
        serving = Path(directory) / "serving.duckdb"
        build_serving(serving)
        compose(serving, period, config, kind="weekly")  # warm-up: imports, font cache
        samples = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            _publication, rendered = compose(serving, period, config, kind="weekly")
            samples.append(time.perf_counter() - started)
            assert rendered is not None
    print(f"weekly review {period.label()}: {len(rendered.charts)} charts, {len(rendered.html):,} bytes of HTML")
    print(f"render seconds: median {statistics.median(samples):.3f}, min {min(samples):.3f}, max {max(samples):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
