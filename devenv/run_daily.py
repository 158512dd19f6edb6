"""`make run`: the daily pipeline on the embedded default (DuckDB + the offline sandbox), through Airflow.

Starts the sandbox servers in this process, runs `marketing_daily` with `airflow dags test` for an initial
load, and prints what it built.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime

from devenv.airflow_env import airflow_environment, dags_test, ensure_metadata_db
from devenv.summary import describe_serving
from warehouse import settings


def main(argv: list[str] | None = None) -> int:
    today = datetime.now(UTC).date()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=90, help="initial load: how many days back (default 90)")
    parser.add_argument(
        "--logical-date",
        type=date.fromisoformat,
        default=today,
        help="DAG logical date; the run loads the day before it (default: today, UTC)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)

    from sandbox import Sandbox

    # The sandbox's "now" is the end of the data interval: the run sees what the platforms know by then.
    with Sandbox(seed=args.seed, scale=args.scale, as_of=args.logical_date) as sb:
        env = airflow_environment(sb.connections())
        print("preparing Airflow metadata database (first run only) ...", flush=True)
        ensure_metadata_db(env)
        log_path = settings.airflow_home() / "last_run.log"
        print(f"running marketing_daily for {args.logical_date} with a {args.days}-day initial load ...", flush=True)
        started = time.monotonic()
        result = dags_test(env, args.logical_date.isoformat(), {"initial_load_days": args.days}, log_path)
        seconds = time.monotonic() - started
    if result.returncode != 0:
        print(f"\nthe DAG run FAILED after {seconds:.1f} s; the serving file was left as it was.", file=sys.stderr)
        print(f"full log: {log_path}\n--- last lines ---", file=sys.stderr)
        print("\n".join((result.stdout + result.stderr).splitlines()[-40:]), file=sys.stderr)
        return 1
    print(f"DAG run succeeded in {seconds:.1f} s (log: {log_path})\n")
    print(describe_serving(settings.serving_path()))
    from warehouse.summary_email.brief import preview_config, print_previews

    print()
    print_previews(preview_config())
    return 0


if __name__ == "__main__":
    sys.exit(main())
