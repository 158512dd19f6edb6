"""The content marts over years of organic history: the first build of `+path:models/marts/content` (every organic
platform's staging, the unions and the four content marts, with their dbt tests) on raw holding `--years` of
posts, daily snapshots and account days at `--scale`, against the same build on `--baseline-days` of history in
the same run. Prints figures only.

Raw is written straight from each organic source's ground truth (``sandbox/<source>/truth.py:raw_history``: what
daily runs over those years would have left in raw, snapshot streams one snapshot per day), typed by the loader's
own column expressions, so no years of daily runs are needed:

    python -m bench.content_marts                    # 3 years at 10x against 90 days
    python -m bench.content_marts --scale 1 --years 1
"""

from __future__ import annotations

import argparse
import importlib
import json
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from bench.memory import PeakMemory

UNTIL = date(2026, 11, 22)
CONTENT_MARTS = "+path:models/marts/content"


def history_sources() -> list[str]:
    """Declared sources whose sandbox truth can write their raw history."""
    from extractors.catalog import sources

    found = []
    for source in sources():
        try:
            truth = importlib.import_module(f"sandbox.{source.name}.truth")
        except ModuleNotFoundError:
            continue
        if hasattr(truth, "raw_history"):
            found.append(source.name)
    return found


def write_raw(warehouse: Path, scale: float, since: date, until: date, folder: Path) -> dict[str, int]:
    """Every organic source's history in raw (rows per raw table), as the loader would type it."""
    from extractors.catalog import LoadStrategy
    from sandbox.world import World
    from tests.dbt import raw_fixtures as raw
    from warehouse.coverage import record_coverage
    from warehouse.raw_tables import raw_table_for

    world = World(seed=42, scale=scale)
    con = duckdb.connect(str(warehouse))
    counts: dict[str, int] = {}
    try:
        con.execute("set TimeZone = 'UTC'")
        raw.create_raw_tables(con)
        for name in history_sources():
            truth = importlib.import_module(f"sandbox.{name}.truth")
            files: dict[str, Any] = {}
            accounts: dict[str, set[str]] = defaultdict(set)
            for stream, account, record in truth.raw_history(world.part(name), since, until):
                table = raw_table_for(name, stream)
                if table.strategy is LoadStrategy.SNAPSHOT and table.stream.partition_column not in record:
                    raise ValueError(
                        f"{name}.{stream}: a snapshot record must say its day in {table.stream.partition_column}"
                    )
                if stream not in files:
                    files[stream] = (folder / f"{name}__{stream}.jsonl").open("w", encoding="utf-8")
                files[stream].write(json.dumps({"account": account, "record": record}, ensure_ascii=False) + "\n")
                accounts[stream].add(account)
            for stream, handle in files.items():
                handle.close()
                table = raw_table_for(name, stream)
                con.execute(
                    f"""
                    insert into {table.name} by name
                    select account, {table.typed_select}, record, 'bench-history' as _run_id,
                        cast($since as date) as _window_start, cast($end as date) as _window_end,
                        current_timestamp as _extracted_at, current_timestamp as _loaded_at
                    from (select json->>'account' as account, json->'record' as record
                          from read_ndjson_objects($file))
                    """,
                    {"since": since, "end": until + timedelta(days=1), "file": str(folder / f"{name}__{stream}.jsonl")},
                )
                for account in accounts[stream]:
                    record_coverage(con, source=name, stream=stream, account=account, first=since,
                                    end=until + timedelta(days=1), run_id="bench-history")  # fmt: skip
                (counts[table.name],) = con.execute(f"select count(*) from {table.name}").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    return counts


def build(scale: float, days: int, var: Path) -> dict[str, Any]:
    from warehouse.dbt_build import run_dbt_build

    since = UNTIL - timedelta(days=days - 1)
    folder = var / f"history_{days}"
    folder.mkdir(parents=True)
    warehouse = folder / "warehouse.duckdb"
    started = time.perf_counter()
    counts = write_raw(warehouse, scale, since, UNTIL, folder)
    written = time.perf_counter() - started
    run_dbt_build(warehouse, select="resource_type:seed", unit_tests=False, artifacts_dir=folder / "dbt_seed")
    with PeakMemory() as memory:
        started = time.perf_counter()
        result = run_dbt_build(warehouse, select=CONTENT_MARTS, unit_tests=False, artifacts_dir=folder / "dbt")
        seconds = time.perf_counter() - started
    # dbt's own run (after parsing the project): what grows with the data.
    run_results = json.loads(result.run_results_path.read_text())
    nodes = sorted(((n["execution_time"], n["unique_id"].split(".")[-1]) for n in run_results["results"]), reverse=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = {
            name: con.execute(f"select count(*) from marts.{name}").fetchone()[0]  # type: ignore[index]
            for name in (
                "content_posts",
                "content_post_daily",
                "social_account_daily",
                "content_posting_time",
                "creator_collaborations",
                "content_to_commerce",
            )
        }
    finally:
        con.close()
    return {"days": days, "raw": counts, "marts": marts, "write_s": written, "build_s": seconds,
            "dbt_run_s": run_results["elapsed_time"], "slowest": nodes[:3], "peak_mib": memory.largest_mib}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--years", type=float, default=3.0)
    parser.add_argument("--baseline-days", type=int, default=90)
    args = parser.parse_args()
    print(f"organic sources with history: {', '.join(history_sources())}")
    with tempfile.TemporaryDirectory(prefix="bench_content_") as tmp:
        results = [build(args.scale, days, Path(tmp)) for days in (args.baseline_days, round(365 * args.years))]
    for result in results:
        rows = sum(result["raw"].values())
        slowest = ", ".join(f"{name} {seconds:.1f} s" for seconds, name in result["slowest"])
        print(
            f"{result['days']:>5} days at {args.scale:g}x: {rows:,} raw rows ({result['write_s']:.1f} s to write), "
            f"content marts build {result['build_s']:.1f} s ({rows / result['build_s']:,.0f} raw rows/s; dbt's run "
            f"after parsing {result['dbt_run_s']:.1f} s, slowest {slowest}), "
            f"peak RSS of dbt {result['peak_mib']:,.0f} MiB; marts {result['marts']}"
        )
        for table, count in sorted(result["raw"].items()):
            print(f"      {table}: {count:,}")
    base, long = results
    print(
        f"ratio to the {base['days']}-day build: {long['build_s'] / base['build_s']:.2f}x whole, "
        f"{long['dbt_run_s'] / base['dbt_run_s']:.2f}x dbt's run"
    )


if __name__ == "__main__":
    main()
