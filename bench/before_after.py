"""`make run` and the next day's daily run, through Airflow, for this checkout and a baseline checkout,
interleaved in one run so both see the same machine. Prints figures only.

Each round, for each checkout (its own venv and its own `make run` module): the 90-day initial load at the
default size, then the daily run of the next day (one day plus each source's lookback) on that warehouse.
The DAG run time is what the run prints ("DAG run succeeded in N s"); the wall time adds Airflow's start-up.

    python -m bench.before_after --baseline ../baseline --rounds 2 [--scale 10]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 23)
DAG_SECONDS = re.compile(r"DAG run succeeded in ([0-9.]+) s")


def run_module(checkout: Path) -> str:
    """The checkout's `make run` entry point (it moved from warehouse/ to devenv/)."""
    return "devenv.run_daily" if (checkout / "devenv" / "run_daily.py").exists() else "warehouse.run_daily"


def timed_run(checkout: Path, var: Path, logical_date: date, days: int, scale: float) -> tuple[float, float]:
    command = [str(checkout / ".venv" / "bin" / "python"), "-m", run_module(checkout)]
    command += ["--logical-date", logical_date.isoformat(), "--days", str(days), "--scale", f"{scale:g}"]
    env = {"MW_VAR_DIR": str(var), "PATH": "/usr/bin:/bin", "HOME": str(var)}
    started = time.perf_counter()
    out = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    match = DAG_SECONDS.search(out.stdout)
    if out.returncode != 0 or match is None:
        raise RuntimeError(f"{checkout}: run failed:\n{(out.stdout + out.stderr)[-3000:]}")
    return float(match.group(1)), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="the sandbox's size (10 = ten times the data)")
    args = parser.parse_args()
    checkouts = {"baseline": args.baseline.resolve(), "current": REPO}
    figures: dict[str, dict[str, list[float]]] = {label: {"initial": [], "daily": []} for label in checkouts}
    for round_number in range(args.rounds):
        for label, checkout in checkouts.items():
            var = Path(tempfile.mkdtemp(prefix=f"mw-before-after-{label}-"))
            try:
                initial, initial_wall = timed_run(checkout, var, AS_OF, 90, args.scale)
                daily, daily_wall = timed_run(checkout, var, AS_OF + timedelta(days=1), 0, args.scale)
            finally:
                shutil.rmtree(var, ignore_errors=True)
            figures[label]["initial"].append(initial)
            figures[label]["daily"].append(daily)
            print(
                f"round {round_number + 1} {label:<8}: make run DAG {initial:.1f} s (wall {initial_wall:.1f} s), "
                f"daily run DAG {daily:.1f} s (wall {daily_wall:.1f} s)",
                flush=True,
            )
    for kind in ("initial", "daily"):
        before, after = (statistics.median(figures[label][kind]) for label in ("baseline", "current"))
        name = "make run (90-day initial load)" if kind == "initial" else "daily run (1 day + lookback)"
        print(
            f"scale {args.scale:g} {name:<32} baseline {before:.1f} s, current {after:.1f} s, "
            f"ratio {after / before:.2f}x"
        )


if __name__ == "__main__":
    main()
