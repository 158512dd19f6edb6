"""`dbt build` against its floor: a hand-written DuckDB script producing the same marts. Prints figures only.

Daily (the default): for each (scale, history) it loads `history` days through the pipeline's own steps
(extract from the sandbox, load and validate raw, dbt build), then lands and loads the next daily run (one day
plus each source's lookback) and times, on identical copies of that warehouse:

* `dbt build` as the daily pipeline runs it (seeds unchanged, so skipped; no unit tests; the project parsed
  partially from the saved manifest), median of `--repeat` runs;
* the floor: `bench/dbt_floor.sql`, one hand-written DuckDB script producing the same marts from the same
  raw tables, with no tests; its marts are checked equal to dbt's, row for row.

Channel (`--channel`): the first build of the channel marts (`+path:models/marts/channel`: every ad platform,
FX, the plan, pacing, anomalies, MER with its sales) over `history` days of raw, against the same floor.

    python -m bench.dbt_floor                                     # default size and 10x, 90 days of history
    python -m bench.dbt_floor --scales 10 --history 90 365        # does the daily build grow with history?
    python -m bench.dbt_floor --channel --scales 10 --history 365 # a year of channel marts at 10x
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from devenv.airflow_env import connection_variables

AS_OF = date(2026, 11, 23)
FLOOR_SQL = Path(__file__).with_name("dbt_floor.sql")
MARTS = ("ad_performance_daily", "ad_spend_daily", "channel_performance_daily", "orders", "sales_daily")
CHANNEL_MARTS = "+path:models/marts/channel"


def land_and_load(logical_date: date, initial_days: int) -> int:
    """Extract every stream for the run of ``logical_date`` and load it; returns the rows landed."""
    import json

    from warehouse import pipeline

    run_id = f"bench__{logical_date}__{time.time_ns()}"
    jobs = pipeline.plan_every_stream(
        interval_start=logical_date - timedelta(days=1),
        interval_end=logical_date,
        run_id=run_id,
        initial_load_days=initial_days,
    )
    manifests = [pipeline.run_extraction_job(job) for job in jobs]
    pipeline.load_and_validate_raw(manifests)
    return sum(json.loads(Path(m).read_text())["row_count"] for m in manifests)


def timed_dbt_build(warehouse: Path, artifacts: Path, select: str | None = None) -> float:
    from warehouse.dbt_build import run_dbt_build

    started = time.perf_counter()
    run_dbt_build(warehouse, select=select, unit_tests=False, artifacts_dir=artifacts)
    return time.perf_counter() - started


def timed_floor(warehouse: Path) -> float:
    script = FLOOR_SQL.read_text()
    started = time.perf_counter()
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(script)
    finally:
        con.close()
    return time.perf_counter() - started


def marts_equal_floor(warehouse: Path, marts: tuple[str, ...] = MARTS) -> bool:
    """The floor's columns of every mart (marts add bookkeeping such as _loaded_at) hold the same rows."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for mart in marts:
            columns = ", ".join(
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns where table_schema = 'floor' "
                    "and table_name = $t order by ordinal_position",
                    {"t": mart},
                ).fetchall()
            )
            for a, b in ((f"marts.{mart}", f"floor.{mart}"), (f"floor.{mart}", f"marts.{mart}")):
                (different,) = con.execute(
                    f"select count(*) from (select {columns} from {a} except all select {columns} from {b})"
                ).fetchone()  # type: ignore[misc]
                if different:
                    print(f"    {a} has {different} rows that {b} does not")
                    return False
        return True
    finally:
        con.close()


def time_against_floor(
    base: Path, var: Path, repeat: int, select: str | None = None
) -> tuple[list[float], list[float], Path]:
    """dbt build and the floor, each on its own copy of ``base``, ``repeat`` times; the first dbt copy (with
    the floor's marts beside dbt's) is returned for checking."""
    dbt_times, floor_times = [], []
    for attempt in range(repeat):
        copy = var / f"dbt_{attempt}.duckdb"
        shutil.copy(base, copy)
        # dbt's own target folder is kept between builds, as the pipeline keeps var/dbt (partial parsing).
        dbt_times.append(timed_dbt_build(copy, var / "dbt", select))
        floor_copy = var / f"floor_{attempt}.duckdb"
        shutil.copy(base, floor_copy)
        floor_times.append(timed_floor(floor_copy))
    checked = var / "dbt_0.duckdb"
    timed_floor(checked)
    return dbt_times, floor_times, checked


def scenario(scale: float, history: int, repeat: int) -> None:
    from sandbox import Sandbox
    from warehouse import settings

    var = Path(tempfile.mkdtemp(prefix="mw-bench-floor-"))
    os.environ["MW_VAR_DIR"] = str(var)
    try:
        with Sandbox(seed=42, scale=scale, as_of=AS_OF) as sb:
            os.environ.update(connection_variables(sb.connections()))
            started = time.perf_counter()
            history_rows = land_and_load(AS_OF, history)
            timed_dbt_build(settings.warehouse_path(), var / "dbt")
            print(f"\n== scale {scale:g}, {history} days of history: {history_rows:,} rows loaded and built in "
                  f"{time.perf_counter() - started:.0f} s")  # fmt: skip
            sb.set_as_of(AS_OF + timedelta(days=1))
            daily_rows = land_and_load(AS_OF + timedelta(days=1), 0)
        base = var / "before_daily_build.duckdb"
        shutil.copy(settings.warehouse_path(), base)
        dbt_times, floor_times, checked = time_against_floor(base, var, repeat)
        same = marts_equal_floor(checked)
        dbt_s, floor_s = statistics.median(dbt_times), statistics.median(floor_times)
        print(
            f"  daily run: {daily_rows:,} rows landed; dbt build median {dbt_s:.1f} s "
            f"({', '.join(f'{t:.1f}' for t in dbt_times)}); floor median {floor_s:.2f} s "
            f"({', '.join(f'{t:.2f}' for t in floor_times)}); ratio dbt/floor {dbt_s / floor_s:.1f}x; "
            f"marts equal to the floor's: {'yes' if same else 'NO'}"
        )
    finally:
        shutil.rmtree(var, ignore_errors=True)


def channel_scenario(scale: float, history: int, repeat: int) -> None:
    from sandbox import Sandbox
    from warehouse import settings
    from warehouse.dbt_build import run_dbt_build

    var = Path(tempfile.mkdtemp(prefix="mw-bench-channel-"))
    os.environ["MW_VAR_DIR"] = str(var)
    try:
        with Sandbox(seed=42, scale=scale, as_of=AS_OF) as sb:
            os.environ.update(connection_variables(sb.connections()))
            started = time.perf_counter()
            rows = land_and_load(AS_OF, history)
        print(f"\n== channel marts, scale {scale:g}, {history} days: {rows:,} rows landed and loaded in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        base = var / "raw_only.duckdb"
        shutil.copy(settings.warehouse_path(), base)
        # The floor reads the seeds as tables, as dbt's models do; they are loaded once, outside both timings.
        run_dbt_build(base, select="resource_type:seed", unit_tests=False, artifacts_dir=var / "dbt_seed")
        dbt_times, floor_times, checked = time_against_floor(base, var, repeat, CHANNEL_MARTS)
        same = marts_equal_floor(checked, ("ad_performance_daily", "ad_spend_daily", "channel_performance_daily"))
        con = duckdb.connect(str(checked), read_only=True)
        try:
            (ad_rows,) = con.execute("select count(*) from marts.ad_performance_daily").fetchone()  # type: ignore[misc]
        finally:
            con.close()
        dbt_s, floor_s = statistics.median(dbt_times), statistics.median(floor_times)
        print(
            f"  {ad_rows:,} ad-day rows; dbt build of the channel marts median {dbt_s:.1f} s "
            f"({', '.join(f'{t:.1f}' for t in dbt_times)}; {ad_rows / dbt_s:,.0f} ad rows/s); floor median "
            f"{floor_s:.2f} s ({', '.join(f'{t:.2f}' for t in floor_times)}); ratio dbt/floor "
            f"{dbt_s / floor_s:.1f}x; marts equal to the floor's: {'yes' if same else 'NO'}"
        )
    finally:
        shutil.rmtree(var, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--history", type=int, nargs="+", default=[90])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--channel", action="store_true", help="time the first build of the channel marts")
    args = parser.parse_args()
    for scale in args.scales:
        for history in args.history:
            (channel_scenario if args.channel else scenario)(scale, history, args.repeat)


if __name__ == "__main__":
    main()
