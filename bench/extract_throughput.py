"""Extraction throughput against the sandbox: a 90-day initial load of every declared stream at scale 1.

Prints rows, requests, seconds and rows/s per partition. Run: ``python -m bench.extract_throughput``.
The figures include the sandbox's own cost of simulating each page (same process, other thread), so
they are a floor for the extractor, not a platform benchmark.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date
from pathlib import Path

from devenv.airflow_env import connection_variables
from extractors.catalog import streams
from extractors.landing import read_manifest
from extractors.run import extract_partition, list_accounts
from extractors.streams import extraction_window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()

    from sandbox import Sandbox

    as_of = date(2026, 11, 23)
    with Sandbox(seed=42, scale=args.scale, as_of=as_of) as sb, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(connection_variables(sb.connections()))
        total_rows, total_seconds = 0, 0.0
        print(f"{'partition':<42} {'window':<26} {'rows':>7} {'requests':>8} {'seconds':>8} {'rows/s':>8}")
        for source, stream in streams():
            window = extraction_window(date(2026, 11, 22), as_of, source.lookback_days, initial_load_days=args.days)
            for account in list_accounts(source.name):
                sb.reset_requests(source.name)
                started = time.perf_counter()
                manifest = extract_partition(source.name, stream.name, account, window, "bench", Path(tmp))
                seconds = time.perf_counter() - started
                rows = read_manifest(manifest)["row_count"]
                total_rows += rows
                total_seconds += seconds
                print(
                    f"{source.name + '/' + stream.name + ' ' + account:<42} {str(window):<26} {rows:>7} "
                    f"{len(sb.requests(source.name)):>8} {seconds:>8.2f} {rows / seconds:>8.0f}"
                )
        rate = total_rows / total_seconds
        print(f"{'total':<42} {'':<26} {total_rows:>7} {'':>8} {total_seconds:>8.2f} {rate:>8.0f}")


if __name__ == "__main__":
    main()
