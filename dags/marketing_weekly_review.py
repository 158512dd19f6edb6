"""
### marketing_weekly_review

The weekly review (数据复盘) for marketers: the previous complete week, Monday..Sunday in the configured
time zone. The same sections as the daily brief (KPI tiles with their change against the week before and
the same week last year where the data reaches, top and bottom campaigns over the week), an 8-week trend
chart of weekly sums per area, and the month's pacing (spend and net sales month to date against the
previous month's same days), as HTML with a plain-text alternative.

* **When**: `WEEKDAY` at `HOUR` in `TIMEZONE`, constants at the top of this file (default Monday 09:00
  Asia/Shanghai); change them there. DAG files are parsed every few seconds and must not read
  configuration, so the schedule is not in `marketing_email_config`.
* If the week's Sunday is not published yet, the alert recipients get one short "data delayed" message
  naming the last published day; a manual rerun sends the review once the data is there.
* Sent once per week: recorded in `var/email/sent.json` as kind `weekly`; a rerun sends nothing unless
  triggered with `{"force": true}`.
* Configuration and delivery: as `marketing_summary_email` (Variable `marketing_email_config` or
  `MW_EMAIL_CONFIG`; connection `smtp_default`).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task
from airflow.timetables.trigger import CronTriggerTimetable

# Where to change the schedule: the weekday (cron name: mon..sun), the hour, and its time zone.
WEEKDAY = "mon"
HOUR = 9
TIMEZONE = "Asia/Shanghai"

default_args = {
    "owner": "marketing-analytics",
    "retries": 3,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}


@dag(
    dag_id="marketing_weekly_review",
    schedule=CronTriggerTimetable(f"0 {HOUR} * * {WEEKDAY}", timezone=TIMEZONE),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    params={"force": Param(False, type="boolean", description="send again even if this week was already sent")},
    tags=["marketing", "email", "weekly"],
    doc_md=__doc__,
)
def marketing_weekly_review():
    @task
    def weekly_review(params=None, dag_run=None):
        from warehouse.summary_email.brief import run_summary_task

        return run_summary_task("weekly", params, dag_run)

    weekly_review()


marketing_weekly_review()
