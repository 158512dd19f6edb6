"""Ocean Engine's days are Beijing days, complete at 06:00 Beijing the next morning: a run before then leaves the
still-moving day out, a run after lands its settled figures, and each run re-reads 28 days of lookback."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractors.run import extract_partition
from extractors.streams import Window
from sandbox.ocean_engine import truth
from sandbox.ocean_engine.world import settled_at
from tests.helpers import FAST_RETRY, read_landed
from tests.sources.ocean_engine.helpers import ADVERTISERS, SOURCE, STREAM, ocean_truth
from warehouse import pipeline

WINDOW = Window(date(2026, 11, 15), date(2026, 11, 23))
BEFORE_SIX = datetime(2026, 11, 22, 21, 59, tzinfo=UTC)  # 05:59 on 11-23 in Beijing
AT_SIX = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)


def run(landing_root: Path, as_of: datetime, run_id: str) -> Any:
    path = extract_partition(
        SOURCE, STREAM, ADVERTISERS[0], WINDOW, run_id, landing_root, retry=FAST_RETRY, complete_as_of=as_of
    )
    return read_landed(path)


def test_the_sandbox_settles_a_day_when_the_source_calls_it_complete() -> None:
    assert settled_at(date(2026, 11, 22)) == AT_SIX


def test_a_day_is_landed_only_once_it_settled_at_six_in_beijing(connections: Any, landing_root: Path) -> None:
    connections.set_as_of(BEFORE_SIX)
    early = run(landing_root, BEFORE_SIX, "early")
    assert (early.manifest["window_start"], early.manifest["window_end"]) == ("2026-11-15", "2026-11-22")
    assert early.records == ocean_truth(
        connections, ADVERTISERS[0], Window(WINDOW.start, date(2026, 11, 22)), BEFORE_SIX
    )

    connections.set_as_of(AT_SIX)
    settled = run(landing_root, AT_SIX, "settled")
    assert settled.manifest["window_end"] == "2026-11-23"
    day = date(2026, 11, 22)
    ocean = connections.world.part(SOURCE)
    landed = [r for r in settled.records if r["dimensions"]["stat_time_day"] == day.isoformat()]
    cost = sum((Decimal(r["metrics"]["stat_cost"]) for r in landed), Decimal("0.00"))
    final = truth.spend_by_advertiser_day(ocean, day, day, date(2026, 12, 30))[(ADVERTISERS[0], day)]
    assert cost == final  # the settled figure: as final as it gets
    # A minute earlier the day was still short of it: the reason it was left out then.
    assert truth.spend_by_advertiser_day(ocean, day, day, BEFORE_SIX)[(ADVERTISERS[0], day)] < final


def test_each_run_re_reads_28_days_cut_on_beijing_time(connections: Any) -> None:
    jobs = pipeline.plan_extractions(
        SOURCE, STREAM, interval_start=date(2026, 11, 22), interval_end=date(2026, 11, 23), run_id="plan"
    )
    assert {(job["account"], job["window_start"], job["window_end"]) for job in jobs} == {
        (advertiser, "2026-10-25", "2026-11-23") for advertiser in ADVERTISERS
    }
