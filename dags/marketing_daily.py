"""
### marketing_daily

Pulls yesterday (plus each source's lookback for late restatements) from every ad platform and shop,
loads it into the warehouse's `raw` schema, validating it before the load commits (Great Expectations
suites in `expectations/suites/raw`), builds the dbt marts, validates them, and only then swaps them into
the serving DuckDB file that BI tools read.

* **plan** makes one extraction job per source, stream and account, on each source's window.
* **extract** runs them in parallel, one mapped task instance per job (labelled `source.stream account`);
  it writes only landing files.
* **plan**, and **load_raw → dbt_build → validate_marts → publish**, hold the `duckdb_writer` pool (one
  slot), because DuckDB allows a single writer. `load_raw` loads and validates in one transaction, so raw
  never keeps rows that failed a rule.
* A failed check fails the run with the source, stream, partition and rule in the task log, and leaves
  the serving file untouched. Reruns of a day replace what that day loaded: they change nothing.
* First load: trigger with conf `{"initial_load_days": 90}`.
* Days never loaded (an outage longer than the lookback) are found in the coverage ledger and re-fetched, up
  to `max_reach_back_days` back; older gaps fail the plan naming the dates: fill them with
  `{"fill_start": "2026-06-01"}`.
* Each account's window ends at its last day complete in its own time zone at the interval's end.
* Failures no retry can fix (a rule, a bad value, a config error, a coverage gap) fail at once.
* Emits the `marketing_serving_marts` asset when published.

Sources, streams and connections come from the catalog (`extractors/<source>/source.py`): a new stream is
planned and extracted with no change here. See the README's "Operating the DAG".
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task
from airflow.timetables.interval import CronDataIntervalTimetable

from warehouse.assets import SERVING_MARTS
from warehouse.failures import run_step

WRITER_POOL = "duckdb_writer"
# Each mapped extract is labelled by what it reads, e.g. "meta.ads_insights act_1001" in the grid and logs.
EXTRACT_LABEL = "{% set job = task.op_kwargs['job'] %}{{ job['source'] }}.{{ job['stream'] }} {{ job['account'] }}"

default_args = {
    "owner": "data-engineering",
    "retries": 2,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=20),
}


@dag(
    dag_id="marketing_daily",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    params={
        "initial_load_days": Param(0, type="integer", minimum=0, description="load this many days back"),
        "fill_start": Param(
            None,
            type=["null", "string"],
            format="date",
            description="also load every day from this date (YYYY-MM-DD) to the interval's end: fills a gap",
        ),
        "max_reach_back_days": Param(
            90,
            type="integer",
            minimum=1,
            description="days never loaded are filled automatically up to this far back; older ones fail the run",
        ),
    },
    tags=["marketing", "warehouse", "daily"],
    doc_md=__doc__,
)
def marketing_daily():
    # The plan reads the coverage ledger in the build warehouse, so it queues with its writers. One task
    # plans every stream: each task under a real executor is a process start spent in that queue.
    @task(pool=WRITER_POOL)
    def plan(data_interval_start=None, data_interval_end=None, params=None, run_id=None):
        from datetime import date

        from warehouse.pipeline import plan_every_stream

        return run_step(
            plan_every_stream,
            interval_start=data_interval_start.date(),
            interval_end=data_interval_end.date(),
            run_id=run_id,
            initial_load_days=int(params["initial_load_days"]),
            max_reach_back_days=int(params["max_reach_back_days"]),
            fill_start=date.fromisoformat(params["fill_start"]) if params["fill_start"] else None,
            complete_as_of=data_interval_end,
        )

    @task(map_index_template=EXTRACT_LABEL)
    def extract(job: dict):
        from warehouse.pipeline import run_extraction_job

        return run_step(run_extraction_job, job)

    @task(pool=WRITER_POOL)
    def load_raw(manifests: list):
        """Load and validate raw in one transaction: a failed rule leaves raw as it was."""
        from warehouse.pipeline import load_and_validate_raw

        return run_step(load_and_validate_raw, list(manifests))

    @task(pool=WRITER_POOL)
    def dbt_build(load_summary: dict):
        from warehouse.pipeline import build_marts

        return run_step(build_marts)

    @task(pool=WRITER_POOL)
    def validate_marts(build: dict, data_interval_start=None, data_interval_end=None, run_id=None):
        from warehouse.pipeline import validate_built_marts

        return run_step(
            validate_built_marts,
            run_id=run_id,
            interval_start=data_interval_start.date(),
            interval_end=data_interval_end.date(),
        )

    @task(pool=WRITER_POOL, outlets=[SERVING_MARTS])
    def publish(marts_checked: dict, data_interval_start=None, data_interval_end=None, run_id=None):
        from warehouse.pipeline import publish_to_serving

        return run_step(
            publish_to_serving,
            run_id=run_id,
            interval_start=data_interval_start.date(),
            interval_end=data_interval_end.date(),
        )

    publish(validate_marts(dbt_build(load_raw(extract.expand(job=plan())))))


marketing_daily()
