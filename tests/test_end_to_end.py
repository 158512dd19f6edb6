"""The whole daily pipeline through Airflow (`airflow dags test`), against the sandbox over real HTTP,
into real DuckDB files: the published marts equal the sandbox's ground truth, a rerun changes nothing,
and a run whose data breaks a rule fails and leaves the serving file byte for byte as it was.

One Airflow metadata database and one sandbox serve the module; the tests run in order.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from sandbox import Sandbox, truth
from warehouse.airflow_env import airflow_environment, dags_test, ensure_metadata_db

AS_OF = date(2026, 11, 23)  # the sandbox's "now"; the run loads the 30 days before it
LOGICAL_DATE = AS_OF.isoformat()  # data interval [2026-11-22, 2026-11-23)
INITIAL_DAYS = 30
WINDOW_START = AS_OF - timedelta(days=INITIAL_DAYS)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    var = tmp_path_factory.mktemp("e2e") / "var"
    previous = os.environ.get("MW_VAR_DIR")
    os.environ["MW_VAR_DIR"] = str(var)
    try:
        with Sandbox(seed=42, scale=1.0, as_of=AS_OF) as sb:
            env = airflow_environment(sb.meta_url, sb.shopify_url)
            ensure_metadata_db(env)
            yield {"sandbox": sb, "env": env, "var": var}
    finally:
        if previous is None:
            os.environ.pop("MW_VAR_DIR", None)
        else:
            os.environ["MW_VAR_DIR"] = previous


def run_dag(world, name: str):
    log = world["var"] / "logs" / f"{name}.log"
    result = dags_test(world["env"], LOGICAL_DATE, {"initial_load_days": INITIAL_DAYS}, log)
    return result, log.read_text()


def serving(world) -> Path:
    return world["var"] / "warehouse" / "serving.duckdb"


def mart_snapshot(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
        ]
        return {n: con.execute(f"select * from marts.{n} order by all").fetchall() for n in sorted(names)}
    finally:
        con.close()


def test_first_run_publishes_marts_equal_to_ground_truth(world):
    result, log = run_dag(world, "first")
    assert result.returncode == 0, log[-5000:]
    sb = world["sandbox"]
    con = duckdb.connect(str(serving(world)), read_only=True)

    as_of = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)
    expected_spend = truth.meta_spend_by_account_day(sb.world, WINDOW_START, AS_OF - timedelta(days=1), as_of)
    got_spend = {
        (account, day): amount
        for account, day, amount in con.execute(
            "select account_id, date_day, sum(spend_native) from marts.ad_performance_daily group by all"
        ).fetchall()
    }
    assert len(expected_spend) >= 2 * INITIAL_DAYS - 2
    assert got_spend == expected_spend

    # Shop-local (UTC+8) days wholly inside the loaded window: the first local day began 8 hours before
    # it, and local day AS_OF was still running at its end. sales_daily holds exactly those days.
    first_day, last_day = WINDOW_START + timedelta(days=1), AS_OF - timedelta(days=1)
    expected_orders = truth.orders_by_day(sb.world, first_day, last_day, as_of)
    got_orders = {
        day: (orders, gmv)
        for day, orders, gmv in con.execute(
            "select order_date, orders, gmv from marts.sales_daily where order_date between $a and $b",
            {"a": first_day, "b": last_day},
        ).fetchall()
    }
    assert sum(n for n, _ in expected_orders.values()) > 1000
    (days_published,) = con.execute("select count(*) from marts.sales_daily").fetchone()
    assert days_published == INITIAL_DAYS - 1
    assert got_orders == {d: (n, Decimal(g)) for d, (n, g) in expected_orders.items()}


def test_running_the_same_day_again_leaves_identical_marts(world):
    before = mart_snapshot(serving(world))
    result, log = run_dag(world, "second")
    assert result.returncode == 0, log[-5000:]
    assert mart_snapshot(serving(world)) == before


def raw_snapshot(world):
    con = duckdb.connect(str(world["var"] / "warehouse" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select account, date_start, record::varchar, _run_id from raw.meta__ads_insights order by all"
        ).fetchall()
    finally:
        con.close()


def test_a_failing_rule_fails_the_run_names_the_rule_and_leaves_serving_byte_identical(world):
    path = serving(world)
    before = path.read_bytes()
    raw_before = raw_snapshot(world)
    world["sandbox"].inject("meta", "negative_spend", times=1)
    result, log = run_dag(world, "bad_data")
    assert result.returncode != 0
    assert "rule=expect_column_values_to_be_between(column=spend, min_value=0" in log
    assert "source=meta stream=ads_insights" in log and "partition=account=act_" in log
    assert path.read_bytes() == before
    assert raw_snapshot(world) == raw_before  # the failed load was rolled back: raw keeps no bad rows
