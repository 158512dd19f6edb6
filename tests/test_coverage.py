"""An outage longer than the lookback loses nothing: the coverage ledger shows the days no run loaded, the next
run reaches back over them (up to max_reach_back_days; past that it fails naming the dates, and a fill range
loads them), and the marts built afterwards equal the ground truth for every day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors.catalog import streams
from tests.helpers import set_connections
from tests.sources.meta.e2e import check_published as check_meta
from tests.sources.shopify.e2e import check_published as check_shopify
from warehouse import pipeline, settings
from warehouse.coverage import CoverageGap, describe_days

BEFORE_OUTAGE = date(2026, 10, 1)  # the last run before the outage: data interval [09-30, 10-01)
AFTER_OUTAGE = date(2026, 11, 20)  # the first run after it, 50 days later


# Meta's two accounts (Shanghai and Los Angeles) and the shop show the ledger at work; further sources would
# only repeat it.
SOURCES = ("meta", "shopify")


def plan(day: date, **options: Any) -> list[dict[str, Any]]:
    """What the run of ``day`` plans for SOURCES, in catalog order."""
    return [
        job
        for source, stream in streams()
        if source.name in SOURCES
        for job in pipeline.plan_extractions(
            source.name,
            stream.name,
            interval_start=day - timedelta(days=1),
            interval_end=day,
            run_id=f"run-{day}",
            **options,
        )
    ]


def extract_and_load(jobs: list[dict[str, Any]]) -> None:
    pipeline.load_and_validate_raw([pipeline.run_extraction_job(job) for job in jobs])


def starts(jobs: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    return {(job["source"], job["account"]): job["window_start"] for job in jobs}


@pytest.fixture
def after_outage(sb: Any, var_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """One run on 2026-10-01 (each source's plain lookback window), then the clock 50 days on."""
    set_connections(monkeypatch, sb)
    sb.set_as_of(BEFORE_OUTAGE)
    first = plan(BEFORE_OUTAGE)
    assert starts(first) == {
        ("meta", "act_1001"): "2026-09-02",  # 28 days of lookback before the interval
        ("meta", "act_2002"): "2026-09-02",
        ("shopify", "sandbox-shop"): "2026-09-27",  # 3 days
    }
    extract_and_load(first)
    sb.set_as_of(AFTER_OUTAGE)
    return sb


def test_the_run_after_an_outage_reaches_back_and_the_marts_equal_the_truth(after_outage: Any) -> None:
    jobs = plan(AFTER_OUTAGE)
    # Plain lookback windows would start 2026-10-22 (Meta) and 2026-11-16 (Shopify). The Los Angeles account's
    # last run ended a day earlier: 09-30 was still running there at 10-01 00:00 UTC.
    assert starts(jobs) == {
        ("meta", "act_1001"): "2026-10-01",
        ("meta", "act_2002"): "2026-09-30",
        ("shopify", "sandbox-shop"): "2026-10-01",
    }
    extract_and_load(jobs)
    pipeline.build_marts()

    con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
    try:
        missing = con.execute(
            """
            with spans as (
                select source, stream, account, min(day) as first_day, max(day) as last_day
                from _pipeline.coverage group by all
            ),
            every_day as (
                select source, stream, account, unnest(generate_series(first_day, last_day, interval 1 day))::date
                    as day
                from spans
            )
            select source, account, count(*) from (
                select * from every_day except select source, stream, account, day from _pipeline.coverage
            ) group by all
            """
        ).fetchall()
        as_of = datetime.combine(AFTER_OUTAGE, datetime.min.time(), tzinfo=UTC)
        # Every day from the first run's window to the last complete one, as the world has it.
        check_meta(con, after_outage.world, window_start=date(2026, 9, 2), as_of=as_of, initial_days=79)
        # Shop-local (UTC+8) days 09-28 .. 11-19: 53 complete days, every one in sales_daily.
        check_shopify(con, after_outage.world, window_start=date(2026, 9, 27), as_of=as_of, initial_days=54)
    finally:
        con.close()
    assert missing == []


def test_a_gap_past_the_reach_back_fails_naming_the_dates_and_a_fill_range_loads_it(after_outage: Any) -> None:
    with pytest.raises(CoverageGap) as gap:
        # The DAG's plan: every stream's gaps in one message (sources never loaded have none).
        pipeline.plan_every_stream(
            interval_start=AFTER_OUTAGE - timedelta(days=1),
            interval_end=AFTER_OUTAGE,
            run_id="run",
            max_reach_back_days=30,
        )
    # Days before 11-20 - 30 days are out of reach: 10-01 .. 10-20 for the Shanghai account and the shop, and
    # 09-30 too for the Los Angeles account, whose last run ended a day earlier. One fill range covers all.
    assert str(gap.value) == (
        "source=meta stream=ads_insights account=act_1001 rule=coverage_within_reach: 20 day(s) were never "
        "loaded and lie more than 30 days before 2026-11-20: 2026-10-01..2026-10-20\n"
        "source=meta stream=ads_insights account=act_2002 rule=coverage_within_reach: 21 day(s) were never "
        "loaded and lie more than 30 days before 2026-11-20: 2026-09-30..2026-10-20\n"
        "source=shopify stream=orders account=sandbox-shop rule=coverage_within_reach: 20 day(s) were never "
        "loaded and lie more than 30 days before 2026-11-20: 2026-10-01..2026-10-20\n"
        'trigger the DAG with {"fill_start": "2026-09-30"} to load them, or raise max_reach_back_days'
    )
    jobs = plan(AFTER_OUTAGE, max_reach_back_days=30, fill_start=date(2026, 9, 30))
    assert set(starts(jobs).values()) == {"2026-09-30"}
    extract_and_load(jobs)
    # Filled: the same plan without a fill range now passes and keeps to the plain windows.
    assert starts(plan(AFTER_OUTAGE, max_reach_back_days=30)) == {
        ("meta", "act_1001"): "2026-10-22",
        ("meta", "act_2002"): "2026-10-22",
        ("shopify", "sandbox-shop"): "2026-11-16",
    }


def test_a_fill_range_must_start_before_the_interval_ends(after_outage: Any) -> None:
    with pytest.raises(ValueError, match="fill range start 2026-11-20 is not before the data interval's end"):
        plan(AFTER_OUTAGE, fill_start=AFTER_OUTAGE)


def test_missing_days_read_as_ranges() -> None:
    days = [date(2026, 10, d) for d in (1, 2, 3, 5, 9, 10)]
    assert describe_days(days) == "2026-10-01..2026-10-03, 2026-10-05, 2026-10-09..2026-10-10"
