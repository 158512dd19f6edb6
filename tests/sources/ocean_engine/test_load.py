"""Ocean Engine extracted, loaded and validated: typed columns (ids the exact strings), the advertiser's settings
recorded, a load replayed changes nothing, and a later lookback replaces the restated days and nothing else."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from extractors.run import extract_partition
from extractors.streams import Window
from sandbox.ocean_engine.server import REFRESH_PATH
from tests.helpers import FAST_RETRY
from tests.sources.ocean_engine.helpers import ADVERTISERS, SOURCE, STREAM, ocean_truth
from warehouse import pipeline, settings

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 8))


def extract(window: Window, run_id: str) -> str:
    path = extract_partition(SOURCE, STREAM, ADVERTISERS[0], window, run_id, settings.landing_root(), retry=FAST_RETRY)
    return str(path)


def raw(sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_load_types_the_columns_keeps_ids_as_strings_records_the_settings_and_replays_unchanged(
    connections: Any, var_dir: Path
) -> None:
    manifest = extract(WINDOW, "run-1")
    pipeline.load_and_validate_raw([manifest])
    truth = ocean_truth(connections, ADVERTISERS[0], WINDOW)
    loaded = raw(
        "select cdp_promotion_id, stat_time_day::varchar, stat_cost, show_cnt, typeof(cdp_promotion_id), "
        "typeof(stat_cost), typeof(show_cnt) from raw.ocean_engine__ad_report_daily order by 2, 1"
    )
    assert [(r[0], r[1], r[2], r[3]) for r in loaded] == [
        (
            row["dimensions"]["cdp_promotion_id"],
            row["dimensions"]["stat_time_day"],
            Decimal(row["metrics"]["stat_cost"]),
            int(row["metrics"]["show_cnt"]),
        )
        for row in truth
    ]
    assert {r[4:] for r in loaded} == {("VARCHAR", "DECIMAL(18,4)", "BIGINT")}
    assert raw(
        "select source, account, timezone, currency from raw.account_settings where source = 'ocean_engine'"
    ) == [(SOURCE, ADVERTISERS[0], "Asia/Shanghai", "CNY")]

    query = "select * exclude (_loaded_at) from raw.ocean_engine__ad_report_daily order by all"
    before = raw(query)
    pipeline.load_and_validate_raw([manifest])  # the same landing again
    assert raw(query) == before


def test_a_later_lookback_replaces_the_restated_days_and_nothing_else(connections: Any, var_dir: Path) -> None:
    pipeline.load_and_validate_raw([extract(WINDOW, "run-1")])
    first = dict(raw("select stat_time_day, sum(convert_cnt) from raw.ocean_engine__ad_report_daily group by 1"))

    later = date(2026, 12, 10)  # conversions kept arriving for the days of the window
    connections.set_as_of(later)
    lookback = Window(date(2026, 11, 4), date(2026, 11, 8))
    pipeline.load_and_validate_raw([extract(lookback, "run-2")])
    after = dict(raw("select stat_time_day, sum(convert_cnt) from raw.ocean_engine__ad_report_daily group by 1"))

    def converts(rows: list[dict[str, Any]]) -> dict[date, int]:
        found: dict[date, int] = {}
        for row in rows:
            day = date.fromisoformat(row["dimensions"]["stat_time_day"])
            found[day] = found.get(day, 0) + int(row["metrics"]["convert_cnt"])
        return found

    restated = converts(ocean_truth(connections, ADVERTISERS[0], lookback, later))
    kept = {day: count for day, count in first.items() if day < lookback.start}
    assert after == {**kept, **restated}
    assert any(after[day] > first[day] for day in restated)  # the restatement did arrive
    runs = dict(raw("select stat_time_day, any_value(_run_id) from raw.ocean_engine__ad_report_daily group by 1"))
    assert {runs[day] for day in kept} == {"run-1"} and {runs[day] for day in restated} == {"run-2"}
    # The access token of the morning of 11-23 had expired by 12-10: the extraction refreshed it on the way.
    assert any(target.startswith(REFRESH_PATH) for _, target, _ in connections.requests(SOURCE))
