"""Pipeline benchmarks: prints figures, asserts nothing.

1. The main job's pipeline run at the default sandbox size: a 90-day initial load through Airflow.
2. A daily incremental run (one day plus each source's lookback) at 10x the default size, through
   Airflow, on a warehouse that already holds the 90-day initial load.
Both are also run as plain function calls without Airflow, step by step, in a fresh Python process (it pays
the same imports a task process does): the baseline that shows what Airflow adds, and where the time goes
(extraction rows/s, load with raw validation, dbt build, publish).

    python -m bench.pipeline_run                 # both scenarios
    python -m bench.pipeline_run --scale 1 --only initial
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.memory import PeakMemory
from devenv.airflow_env import airflow_environment, connection_variables, dags_test, ensure_metadata_db

AS_OF = date(2026, 11, 23)


def _peak_self_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def direct_run(logical_date: date, initial_days: int) -> dict:
    """The DAG's steps as plain calls, timed one by one (the baseline)."""
    from warehouse import pipeline

    interval_start, interval_end = logical_date - timedelta(days=1), logical_date
    run_id = f"bench__{logical_date}__{time.time_ns()}"
    times: dict[str, float] = {}
    started = time.perf_counter()
    jobs = pipeline.plan_every_stream(
        interval_start=interval_start, interval_end=interval_end, run_id=run_id, initial_load_days=initial_days
    )
    t = time.perf_counter()
    manifests = [pipeline.run_extraction_job(job) for job in jobs]
    times["extract"] = time.perf_counter() - t
    rows = sum(json.loads(Path(m).read_text())["row_count"] for m in manifests)
    t = time.perf_counter()
    pipeline.load_and_validate_raw(manifests)
    times["load_and_validate_raw"] = time.perf_counter() - t
    t = time.perf_counter()
    build = pipeline.build_marts()
    times["dbt_build"] = time.perf_counter() - t
    t = time.perf_counter()
    pipeline.validate_built_marts(run_id=run_id, interval_start=interval_start, interval_end=interval_end)
    times["validate_marts"] = time.perf_counter() - t
    t = time.perf_counter()
    pipeline.publish_to_serving(run_id=run_id, interval_start=interval_start, interval_end=interval_end)
    times["publish"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - started
    return {"rows": rows, "times": times, "dbt_nodes": build["nodes"]}


def fresh_direct_run(logical_date: date, initial_days: int) -> dict:
    """``direct_run`` in a new interpreter (the environment's connections and var folder inherited); its
    ``total`` is the child's whole wall time, interpreter start and imports included, and ``peak_mib`` the
    largest peak RSS of the child or the processes it started (dbt)."""
    code = (
        "import json, sys; from datetime import date; from bench.pipeline_run import direct_run; "
        f"print('RESULT ' + json.dumps(direct_run(date.fromisoformat('{logical_date}'), {initial_days})))"
    )
    started = time.perf_counter()
    with PeakMemory() as memory:
        child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    total = time.perf_counter() - started
    (line,) = [line for line in child.stdout.splitlines() if line.startswith("RESULT ")]
    result = json.loads(line.removeprefix("RESULT "))
    result["times"]["in_process"] = result["times"]["total"]
    result["times"]["total"] = total
    result["peak_mib"] = memory.largest_mib
    return result


def scenario(name: str, scale: float, initial_days: int, warm_days: int) -> None:
    from sandbox import Sandbox

    print(
        f"\n== {name}: scale={scale:g}, "
        + (
            f"initial load {initial_days} days"
            if initial_days
            else f"daily run (1 day + lookback) after a {warm_days}-day initial load"
        )
    )
    for runner in ("direct", "airflow"):
        var = Path(tempfile.mkdtemp(prefix=f"mw-bench-{runner}-"))
        os.environ["MW_VAR_DIR"] = str(var)
        logical_date = AS_OF
        try:
            with Sandbox(seed=42, scale=scale, as_of=AS_OF + timedelta(days=1)) as sb:
                env = airflow_environment(sb.connections())
                os.environ.update(connection_variables(sb.connections()))
                if warm_days:
                    sb.set_as_of(AS_OF)
                    warm = direct_run(AS_OF, warm_days)
                    print(f"  [{runner}] warm-up initial load: {warm['rows']:,} rows in {warm['times']['total']:.1f} s")
                    sb.set_as_of(AS_OF + timedelta(days=1))
                    logical_date = AS_OF + timedelta(days=1)
                else:
                    sb.set_as_of(AS_OF)
                if runner == "direct":
                    result = fresh_direct_run(logical_date, initial_days)
                    times = result["times"]
                    print(
                        f"  [direct ] rows={result['rows']:,}  total in a fresh process={times['total']:.1f} s "
                        f"(steps {times['in_process']:.1f} s)  "
                        f"extract={times['extract']:.1f} s ({result['rows'] / times['extract']:,.0f} rows/s)  "
                        f"load+validate_raw={times['load_and_validate_raw']:.1f} s  "
                        f"dbt_build={times['dbt_build']:.1f} s  validate_marts={times['validate_marts']:.1f} s  "
                        f"publish={times['publish']:.2f} s  "
                        f"peak RSS of its largest process={result['peak_mib']:.0f} MiB "
                        f"(this one, holding the sandbox world: {_peak_self_mib():.0f} MiB)"
                    )
                    baseline = times["total"]
                else:
                    ensure_metadata_db(env)
                    started = time.perf_counter()
                    with PeakMemory() as memory:
                        run = dags_test(
                            env,
                            logical_date.isoformat(),
                            {"initial_load_days": initial_days},
                            var / "airflow" / "bench.log",
                        )
                    seconds = time.perf_counter() - started
                    status = "ok" if run.returncode == 0 else f"FAILED (see {var}/airflow/bench.log)"
                    print(
                        f"  [airflow] dags test {status}: {seconds:.1f} s  "
                        f"(ratio to direct baseline {seconds / baseline:.2f}x)  "
                        f"peak RSS of its largest process={memory.largest_mib:.0f} MiB"
                    )
        finally:
            if runner == "direct" or os.environ.get("MW_BENCH_KEEP") is None:
                shutil.rmtree(var, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["initial", "daily"])
    args = parser.parse_args()
    if args.only in (None, "initial"):
        scenario("main job", scale=1, initial_days=90, warm_days=0)
    if args.only in (None, "daily"):
        scenario("daily incremental at 10x", scale=10, initial_days=0, warm_days=90)


if __name__ == "__main__":
    main()
