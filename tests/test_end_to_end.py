"""The whole daily pipeline through Airflow (`airflow dags test`), against the sandbox over real HTTP,
into real DuckDB files: the published marts equal every source's ground truth, a rerun changes nothing,
and a run whose data breaks a rule fails and leaves the serving file byte for byte as it was.

One Airflow metadata database and the session's sandbox serve the module; the tests run in order. What is
compared with each source's truth, and how its data is spoiled, lives beside the source's other tests, in
``tests/sources/<source>/e2e.py``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from devenv.airflow_env import airflow_environment, dags_test, ensure_metadata_db
from extractors.catalog import streams
from tests.conftest import reset_sandbox
from tests.sources import source_module
from warehouse.raw_tables import raw_tables

AS_OF = date(2026, 11, 23)  # the sandbox's "now"; the run loads the 30 days before it
LOGICAL_DATE = AS_OF.isoformat()  # data interval [2026-11-22, 2026-11-23)
INITIAL_DAYS = 30
WINDOW_START = AS_OF - timedelta(days=INITIAL_DAYS)


@pytest.fixture(scope="module")
def e2e(running_sandbox, tmp_path_factory):
    var = tmp_path_factory.mktemp("e2e") / "var"
    previous = os.environ.get("MW_VAR_DIR")
    os.environ["MW_VAR_DIR"] = str(var)
    sb = running_sandbox
    reset_sandbox(sb)
    assert sb.as_of == datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)
    try:
        env = airflow_environment(sb.connections())
        ensure_metadata_db(env)
        yield {"sandbox": sb, "env": env, "var": var}
    finally:
        reset_sandbox(sb)
        if previous is None:
            os.environ.pop("MW_VAR_DIR", None)
        else:
            os.environ["MW_VAR_DIR"] = previous


def run_dag(e2e, name: str):
    log = e2e["var"] / "logs" / f"{name}.log"
    result = dags_test(e2e["env"], LOGICAL_DATE, {"initial_load_days": INITIAL_DAYS}, log)
    return result, log.read_text()


def serving(e2e) -> Path:
    return e2e["var"] / "warehouse" / "serving.duckdb"


def hooks(e2e, attribute: str) -> dict:
    """``attribute`` of each sandboxed source's tests/sources/<source>/e2e.py, by source name."""
    found = {}
    for name in e2e["sandbox"].names:
        module = source_module(name, "e2e")
        if module is not None and hasattr(module, attribute):
            found[name] = getattr(module, attribute)
    return found


def mart_snapshot(path: Path) -> dict[str, list]:
    """Every published mart's rows, every column."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        query = "select table_name from duckdb_tables() where schema_name = 'marts'"
        names = sorted(row[0] for row in con.execute(query).fetchall())
        return {name: con.execute(f"select * from marts.{name} order by all").fetchall() for name in names}
    finally:
        con.close()


def test_first_run_publishes_marts_equal_to_ground_truth(e2e):
    result, log = run_dag(e2e, "first")
    assert result.returncode == 0, log[-5000:]
    sb = e2e["sandbox"]
    checks = hooks(e2e, "check_published")
    assert checks, "no source says how to compare its published marts with its truth"
    as_of = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)
    con = duckdb.connect(str(serving(e2e)), read_only=True)
    try:
        for check in checks.values():
            check(con, sb.world, window_start=WINDOW_START, as_of=as_of, initial_days=INITIAL_DAYS)
    finally:
        con.close()


def test_the_one_plan_fans_out_one_extract_per_stream_and_account_labelled_by_what_it_read(e2e):
    landed = [json.loads(path.read_text()) for path in (e2e["var"] / "landing").rglob("manifest.json")]
    assert {(m["source"], m["stream"]) for m in landed} == {(s.name, t.name) for s, t in streams()}
    metadata = sqlite3.connect(Path(e2e["env"]["AIRFLOW_HOME"]) / "airflow.db")
    try:
        labels = metadata.execute(
            "select rendered_map_index from task_instance where dag_id = 'marketing_daily' and task_id = 'extract'"
        ).fetchall()
    finally:
        metadata.close()
    assert sorted(label for (label,) in labels) == sorted(f"{m['source']}.{m['stream']} {m['account']}" for m in landed)


CONVERTED = Decimal("0.0001")  # to_reporting_currency keeps 4 decimals of each converted row


def expected_ad_totals(e2e) -> dict[tuple[str, str, date], tuple[Decimal, Decimal, int, int]]:
    """(native spend, spend in the reporting currency, impressions, clicks) per (platform, account, day) of
    every ad platform's truth, each ad-day converted at the rate its day has in the FX source's truth."""
    as_of = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)
    world = e2e["sandbox"].world
    (fx_rates,) = hooks(e2e, "fx_rates").values()
    rates = fx_rates(world, window_start=WINDOW_START, as_of=as_of)
    totals: dict[tuple[str, str, date], tuple[Decimal, Decimal, int, int]] = {}
    for platform, delivered in hooks(e2e, "delivered").items():
        for row in delivered(world, window_start=WINDOW_START, as_of=as_of, initial_days=INITIAL_DAYS):
            key = (platform, row.account_id, row.day)
            native, converted, impressions, clicks = totals.get(key, (Decimal(0), Decimal(0), 0, 0))
            in_reporting = (row.spend * rates[(row.day, row.currency)]).quantize(CONVERTED, rounding=ROUND_HALF_UP)
            totals[key] = (native + row.spend, converted + in_reporting, impressions + row.impressions,
                           clicks + row.clicks)  # fmt: skip
    return totals


def test_every_ad_platforms_spend_clicks_and_impressions_equal_truth_in_both_currencies(e2e):
    expected = expected_ad_totals(e2e)
    platforms = {platform for platform, _, _ in expected}
    assert len(platforms) >= 4
    # USD accounts are among them, so conversion is exercised: at ECB rates, and at the seed's on days before
    # the ECB window (Google's longer lookback) or past the carry-forward limit.
    assert any(native != converted for native, converted, _, _ in expected.values())
    con = duckdb.connect(str(serving(e2e)), read_only=True)
    try:
        for mart in ("ad_performance_daily", "ad_spend_daily"):
            got = {
                (platform, account, day): (native, spend, impressions, clicks)
                for platform, account, day, native, spend, impressions, clicks in con.execute(
                    "select platform, account_id, date_day, sum(spend_native), sum(spend), sum(impressions), "
                    f"sum(clicks) from marts.{mart} group by all"
                ).fetchall()
            }
            assert got == expected, mart
        # The channel mart groups platforms into channels: its spend per day is every platform's together.
        by_day: dict[date, Decimal] = {}
        for (_, _, day), (_, converted, _, _) in expected.items():
            by_day[day] = by_day.get(day, Decimal(0)) + converted
        channel = con.execute("select date_day, sum(spend) from marts.channel_performance_daily group by all")
        assert dict(channel.fetchall()) == by_day
    finally:
        con.close()


def test_running_the_same_day_again_leaves_identical_marts(e2e):
    before = mart_snapshot(serving(e2e))
    assert before and all(before.values())
    result, log = run_dag(e2e, "second")
    assert result.returncode == 0, log[-5000:]
    assert mart_snapshot(serving(e2e)) == before


def raw_snapshot(e2e):
    con = duckdb.connect(str(e2e["var"] / "warehouse" / "warehouse.duckdb"), read_only=True)
    try:
        return {
            table.name: con.execute(
                f"select * exclude (record), record::varchar from {table.name} order by all"
            ).fetchall()
            for table in raw_tables()
        }
    finally:
        con.close()


def test_a_failing_rule_fails_the_run_names_the_rule_and_leaves_serving_byte_identical(e2e):
    path = serving(e2e)
    before = path.read_bytes()
    raw_before = raw_snapshot(e2e)
    assert all(raw_before.values())  # every stream holds rows that a bad load could disturb
    spoilers = hooks(e2e, "spoil")
    assert spoilers, "no source says how to spoil its data"
    source, spoil = next(iter(spoilers.items()))
    expected_in_log = spoil(e2e["sandbox"])
    result, log = run_dag(e2e, f"bad_data_{source}")
    assert result.returncode != 0
    for fragment in expected_in_log:
        assert fragment in log
    assert path.read_bytes() == before
    assert raw_snapshot(e2e) == raw_before  # the failed load was rolled back: raw keeps no bad rows
