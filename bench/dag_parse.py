"""How long the scheduler's DAG processor takes to parse the DAG file, and what the parse imports.

Each sample is a fresh interpreter that imports Airflow's SDK first (the DAG processor has it loaded
already), then times only ``runpy.run_path`` of the DAG file. ``--baseline`` parses another checkout's DAG
file the same way in the same run, for a before/after ratio. Prints figures, asserts nothing.

    python -m bench.dag_parse --baseline ../baseline
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, runpy, sys, time
import airflow.sdk, pendulum
from airflow.timetables.interval import CronDataIntervalTimetable
before = set(sys.modules)
sys.path.insert(0, {repo!r})
started = time.perf_counter()
runpy.run_path({dag!r})
seconds = time.perf_counter() - started
added = sorted(m for m in set(sys.modules) - before if not m.startswith(("airflow", "_")))
print(json.dumps({{"seconds": seconds, "modules": len(added), "packages": sorted({{m.split(".")[0] for m in added}})}}))
"""


def parse_samples(repo: Path, samples: int) -> list[dict]:
    dag = repo / "dags" / "marketing_daily.py"
    results = []
    for _ in range(samples):
        # The checkout goes first on sys.path so its own packages are the ones the DAG file imports.
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(repo=str(repo), dag=str(dag))],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": str(repo), "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "PATH": "/usr/bin:/bin"},
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def report(label: str, results: list[dict]) -> float:
    median = statistics.median(r["seconds"] for r in results)
    print(
        f"{label:<10} parse median {median * 1000:.1f} ms over {len(results)} runs; "
        f"modules imported by the DAG file: {results[0]['modules']} ({', '.join(results[0]['packages'])})"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="another checkout to parse the same way")
    args = parser.parse_args()
    if not args.baseline:
        report("current", parse_samples(REPO, args.samples))
        return
    # Interleaved, so a busy moment of the machine weighs on both sides alike.
    current_runs, baseline_runs = [], []
    for _ in range(args.samples):
        current_runs += parse_samples(REPO, 1)
        baseline_runs += parse_samples(args.baseline.resolve(), 1)
    current = report("current", current_runs)
    before = report("baseline", baseline_runs)
    print(f"ratio current/baseline: {current / before:.2f}x")


if __name__ == "__main__":
    main()
