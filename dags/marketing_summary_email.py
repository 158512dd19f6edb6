"""
### marketing_summary_email

The daily brief for marketers: KPI tiles (spend, GMV, net sales, MER, platform ROAS, orders, AOV, new
customers, CPA) with their change against the previous day (and last year where the data reaches), top and
bottom campaigns by platform ROAS, and charts, as HTML with a plain-text alternative.

* Runs when `marketing_daily` publishes the `marketing_serving_marts` asset, and at 09:00 Asia/Shanghai as
  a fallback: if yesterday (in the configured time zone) is not published by then, the alert recipients get
  one short "data delayed" message naming the last published day, and the brief follows with the data.
* Reads only the serving file, read-only; never the build warehouse.
* Sent once per day: every send is recorded in `var/email/sent.json`; a rerun of a sent day sends nothing
  unless triggered with `{"force": true}`.
* Configuration (brand, language, currency, time zone, recipients, sections): the Airflow Variable
  `marketing_email_config`, or a JSON file named by `MW_EMAIL_CONFIG`. Delivery: connection `smtp_default`.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task
from airflow.timetables.assets import AssetOrTimeSchedule
from airflow.timetables.trigger import CronTriggerTimetable

from warehouse.assets import SERVING_MARTS

# When yesterday counts as late: if it is not published by this hour in this zone, the data team is told.
# DAG files must not read configuration at parse time, so the hour is a constant here.
LATE_HOUR = 9
TIMEZONE = "Asia/Shanghai"

default_args = {
    "owner": "marketing-analytics",
    "retries": 3,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}


@dag(
    dag_id="marketing_summary_email",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable(f"0 {LATE_HOUR} * * *", timezone=TIMEZONE),
        assets=SERVING_MARTS,
    ),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    params={"force": Param(False, type="boolean", description="send again even if this day was already sent")},
    tags=["marketing", "email", "daily"],
    doc_md=__doc__,
)
def marketing_summary_email():
    @task
    def daily_brief(params=None, dag_run=None):
        from warehouse.summary_email.brief import run_summary_task

        return run_summary_task("daily", params, dag_run)

    daily_brief()


marketing_summary_email()
