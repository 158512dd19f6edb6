"""The daily pipeline's steps as plain functions: plan → extract → load and validate raw → dbt build →
validate marts → publish.

The Airflow DAG only wires these together; tests and benchmarks call them directly. Each step takes and
returns small, JSON-friendly values (paths, counts, dates), which is what Airflow's XCom should carry.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from warehouse import settings

log = logging.getLogger(__name__)

# How far before the data interval's end a run reaches by itself to fill days it finds never loaded.
DEFAULT_MAX_REACH_BACK_DAYS = 90


def plan_extractions(
    source: str,
    stream: str,
    *,
    interval_start: date,
    interval_end: date,
    run_id: str,
    initial_load_days: int = 0,
    max_reach_back_days: int = DEFAULT_MAX_REACH_BACK_DAYS,
    fill_start: date | None = None,
    complete_as_of: datetime | None = None,
) -> list[dict[str, Any]]:
    """One extraction job per account of the source, on the source's window for this data interval.

    The window is the data interval widened by the source's lookback (platforms restate late), or the
    last ``initial_load_days`` days for a first load, whichever reaches further back; then back to the
    first day the coverage ledger misses since the account's first load (after an outage), and back to
    ``fill_start`` when an operator fills a range. Missing days further back than ``max_reach_back_days``
    before the interval's end fail the plan, naming them: a run never publishes with a hole it did not
    try to fill. A snapshot stream is the exception: a day it missed cannot be fetched afterwards, so its
    holes are logged and left, never reached back for. ``complete_as_of`` (the interval's end by default) is
    the instant each extraction cuts its window at, on the account's clock.
    """
    from extractors.catalog import LoadStrategy, get_source
    from extractors.run import list_accounts
    from extractors.streams import Window, extraction_window
    from warehouse.coverage import CoverageGap, coverage_before, describe_days

    if fill_start is not None and fill_start >= interval_end:
        raise ValueError(f"fill range start {fill_start} is not before the data interval's end {interval_end}")
    declared = get_source(source)
    lookback = declared.lookback_days
    # A snapshot tells the state at extraction time: a day it missed cannot be fetched later, so its holes are
    # reported and left (content_post_daily shows the growth of such a gap over more than one day).
    is_snapshot = declared.stream(stream).strategy is LoadStrategy.SNAPSHOT
    window = extraction_window(interval_start, interval_end, lookback, initial_load_days or None)
    if fill_start is not None:
        window = Window(min(window.start, fill_start), window.end)
    reach_limit = interval_end - timedelta(days=max_reach_back_days)
    as_of = complete_as_of or datetime.combine(interval_end, time(0), tzinfo=UTC)
    jobs, gaps, earliest_gap = [], [], window.start
    accounts = list_accounts(source)
    coverage = coverage_before(settings.warehouse_path(), source, stream, accounts, window.start)
    for account in accounts:
        start = window.start
        missing = coverage[account].missing
        if is_snapshot:
            if missing:
                log.warning(
                    "source=%s stream=%s account=%s: no snapshot was taken on %s; a snapshot cannot be taken "
                    "afterwards, so growth over those days is reported as one span",
                    source,
                    stream,
                    account,
                    describe_days(missing),
                )
            missing = ()
        unreachable = [day for day in missing if day < reach_limit]
        if unreachable:
            gaps.append(
                f"source={source} stream={stream} account={account} rule=coverage_within_reach: "
                f"{len(unreachable)} day(s) were never loaded and lie more than {max_reach_back_days} days "
                f"before {interval_end}: {describe_days(unreachable)}"
            )
            earliest_gap = min(earliest_gap, unreachable[0])
        elif missing:
            log.warning(
                "source=%s stream=%s account=%s: reaching back over days never loaded: %s",
                source,
                stream,
                account,
                describe_days(missing),
            )
            start = missing[0]
        jobs.append(
            {
                "source": source,
                "stream": stream,
                "account": account,
                "window_start": start.isoformat(),
                "window_end": window.end.isoformat(),
                "run_id": run_id,
                "complete_as_of": as_of.isoformat(),
            }
        )
    if gaps:
        raise CoverageGap(gaps, earliest_gap)
    return jobs


def plan_every_stream(*, interval_start: date, interval_end: date, run_id: str, **options: Any) -> list[dict[str, Any]]:
    """``plan_extractions`` for every declared stream: the DAG run's one plan task.

    One task rather than one per stream: plans read the build warehouse, so they hold the writer pool, and
    under a real executor every task is a process start (~4.5 s here) spent in that queue. The coverage
    gaps of every stream are reported together, so one fill range covers them all.
    """
    from extractors.catalog import streams
    from warehouse.coverage import CoverageGap

    jobs: list[dict[str, Any]] = []
    gaps: list[CoverageGap] = []
    for source, stream in streams():
        try:
            jobs += plan_extractions(
                source.name,
                stream.name,
                interval_start=interval_start,
                interval_end=interval_end,
                run_id=run_id,
                **options,
            )
        except CoverageGap as gap:
            gaps.append(gap)
    if gaps:
        raise CoverageGap([line for gap in gaps for line in gap.gaps], min(gap.earliest for gap in gaps))
    return jobs


def run_extraction_job(job: dict[str, Any]) -> str:
    """Extract one (source, stream, account, window) to the landing zone; returns the manifest path."""
    from extractors.run import extract_partition
    from extractors.streams import Window

    window = Window(date.fromisoformat(job["window_start"]), date.fromisoformat(job["window_end"]))
    as_of = job.get("complete_as_of")
    manifest = extract_partition(
        job["source"],
        job["stream"],
        job["account"],
        window,
        job["run_id"],
        settings.landing_root(),
        complete_as_of=datetime.fromisoformat(as_of) if as_of else None,
    )
    return str(manifest)


def load_and_validate_raw(manifests: list[str]) -> dict[str, Any]:
    """Load every landed extraction of the run into raw and validate it, in one transaction.

    The raw suites run on the loaded rows before commit: a failed rule leaves raw exactly as it was, so
    no later step (or later run) ever builds on data that failed its checks.
    """
    from warehouse.load import load_manifests

    checked: dict[str, int] = {}
    loaded = load_manifests(
        settings.warehouse_path(),
        [Path(m) for m in manifests],
        audit=lambda con, parts: checked.update(_validate_raw(con, _by_stream(parts))),
    )
    streams = _by_stream(loaded)
    for name, rows in checked.items():
        streams[name]["rows_validated"] = rows
    return {"run_ids": sorted({part.run_id for part in loaded}), "streams": streams}


def _by_stream(loaded: list[Any]) -> dict[str, dict[str, Any]]:
    """Rows, landed runs and the widest window per (source, stream) of the load."""
    streams: dict[str, dict[str, Any]] = {}
    for part in loaded:
        entry = streams.setdefault(
            f"{part.source}.{part.stream}",
            {"run_ids": [], "rows": 0, "window_start": part.window_start, "window_end": part.window_end},
        )
        if part.run_id not in entry["run_ids"]:
            entry["run_ids"].append(part.run_id)
        entry["rows"] += part.rows
        entry["window_start"] = min(entry["window_start"], part.window_start)
        entry["window_end"] = max(entry["window_end"], part.window_end)
    for entry in streams.values():
        entry["window_start"] = entry["window_start"].isoformat()
        entry["window_end"] = entry["window_end"].isoformat()
    return streams


def _validate_raw(con: Any, streams: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Apply the raw suite of each loaded stream to the rows of every run it loaded, on the stream's window."""
    from expectations.runner import ValidationFailed, load_suites, validate

    suites = {f"{s.source}.{s.stream}": s for s in load_suites(settings.SUITES_DIR / "raw")}
    checked: dict[str, int] = {}
    for name, stream in streams.items():
        if name not in suites:
            # Unvalidated data must not pass the gate, and retrying cannot create a suite.
            raise ValidationFailed(f"no raw suite for {name} in {settings.SUITES_DIR / 'raw'}")
        (outcome,) = validate(
            con,
            [suites[name]],
            run_ids=stream["run_ids"],
            window_start=date.fromisoformat(stream["window_start"]),
            window_end=date.fromisoformat(stream["window_end"]),
        )
        checked[name] = outcome.rows
    return checked


def build_marts() -> dict[str, Any]:
    """dbt build: staging → intermediate → marts, with every data test (unit tests run in `make test`)."""
    from warehouse.dbt_build import run_dbt_build

    result = run_dbt_build(settings.warehouse_path(), unit_tests=False)
    for warning in result.warnings:
        log.warning("dbt: %s", warning)
    return {
        "seconds": round(result.seconds, 1),
        "nodes": result.node_counts,
        "warnings": len(result.warnings),
        "build_id": result.build_id,
    }


def validate_built_marts(*, run_id: str, interval_start: date, interval_end: date) -> dict[str, int]:
    """Apply the mart suites to the freshly built marts, before anything is published.

    First the marts must all be from the latest build, which built every model and passed (the check publish
    repeats): a build killed half-way leaves old and new marts whose rules may each pass.
    """
    from expectations.runner import ValidationFailed, load_suites, validate
    from warehouse.dbt_build import BuildIncomplete, check_build_complete
    from warehouse.load import connect

    con = connect(settings.warehouse_path())
    try:
        try:
            check_build_complete(con)
        except BuildIncomplete as error:
            raise ValidationFailed(str(error)) from error
        outcomes = validate(
            con,
            load_suites(settings.SUITES_DIR / "marts"),
            run_ids=[run_id],
            window_start=interval_start,
            window_end=interval_end,
        )
    finally:
        con.close()
    return {o.suite.name: o.rows for o in outcomes}


def publish_to_serving(*, run_id: str, interval_start: date, interval_end: date) -> dict[str, Any]:
    from warehouse.publish import publish_marts

    publication = publish_marts(
        settings.warehouse_path(),
        settings.serving_path(),
        run_id=run_id,
        data_interval_start=interval_start,
        data_interval_end=interval_end,
    )
    return {
        "serving_path": str(publication.serving_path),
        "tables": publication.tables,
        "build_id": publication.build_id,
    }
