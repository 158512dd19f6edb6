"""Loading Douyin landings into raw: typed columns by path, the snapshot day set by the load, one snapshot per day
kept beside the others, the raw suites' rules across snapshots and days, idempotence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from expectations.runner import ValidationFailed
from tests.landing_helpers import raw_rows
from tests.sources.douyin.helpers import FANS, OPEN_ID, SNAPSHOTS, SOURCE, fans_row, item, land
from warehouse import pipeline, settings
from warehouse.load import load_manifests

D = date.fromisoformat


def rows(warehouse: Path, query: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_items_are_typed_by_path_and_dated_by_the_windows_last_day(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    landed = land(tmp_path / "l", SNAPSHOTS, D("2026-11-15"), D("2026-11-22"), "r1", [item("@a+/=", plays=1234)])
    load_manifests(warehouse, [landed])
    assert rows(
        warehouse,
        "select account, snapshot_date, item_id, create_time, media_type, is_top, play_count, digg_count, "
        "comment_count, share_count, forward_count, download_count from raw.douyin__video_snapshots",
    ) == [(OPEN_ID, D("2026-11-21"), "@a+/=", 1794000000, 4, False, 1234, 900, 80, 60, 15, 12)]


def test_each_day_keeps_its_own_snapshot_and_a_reload_of_a_day_replaces_only_it(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    first = land(tmp_path / "l", SNAPSHOTS, D("2026-11-20"), D("2026-11-21"), "r1", [item("@a", plays=100)])
    second = land(tmp_path / "l", SNAPSHOTS, D("2026-11-18"), D("2026-11-22"), "r2",
                  [item("@a", plays=150), item("@b", plays=10)])  # fmt: skip
    again = land(tmp_path / "l", SNAPSHOTS, D("2026-11-21"), D("2026-11-22"), "r3", [item("@a", plays=160)])
    load_manifests(warehouse, [first, second])
    load_manifests(warehouse, [again])
    query = "select snapshot_date, item_id, play_count from raw.douyin__video_snapshots order by all"
    assert rows(warehouse, query) == [(D("2026-11-20"), "@a", 100), (D("2026-11-21"), "@a", 160)]
    once = raw_rows(warehouse, SOURCE, SNAPSHOTS)
    load_manifests(warehouse, [again])
    assert raw_rows(warehouse, SOURCE, SNAPSHOTS) == once


def test_a_purge_of_a_fifth_passes_and_a_drop_of_more_than_thirty_percent_fails_naming_the_counter(
    tmp_path: Path, var_dir: Path
) -> None:
    day = [land(tmp_path / "l", SNAPSHOTS, D("2026-11-20"), D("2026-11-21"), "r1",
                [item("@a", plays=10_000, likes=500), item("@b", plays=50)])]  # fmt: skip
    pipeline.load_and_validate_raw([str(p) for p in day])
    purged = land(tmp_path / "l", SNAPSHOTS, D("2026-11-21"), D("2026-11-22"), "r2",
                  [item("@a", plays=8_000, likes=400), item("@b", plays=10)])  # fmt: skip
    pipeline.load_and_validate_raw([str(purged)])  # -20%, and a small counter's noise, pass
    dropped = land(tmp_path / "l", SNAPSHOTS, D("2026-11-22"), D("2026-11-23"), "r3",
                   [item("@a", plays=5_000, likes=390), item("@b", plays=10)])  # fmt: skip
    with pytest.raises(ValidationFailed) as info:
        pipeline.load_and_validate_raw([str(dropped)])
    message = str(info.value)
    assert "source=douyin stream=video_snapshots" in message
    assert "column=play_count_kept_share, min_value=0.7" in message and "e.g. 0.625" in message
    assert "digg_count_kept_share" not in message
    query = "select max(snapshot_date) from raw.douyin__video_snapshots"
    assert rows(settings.warehouse_path(), query) == [(D("2026-11-21"),)]  # rolled back


def test_fans_rows_replace_their_window_and_followers_may_not_fall_below_what_unfollows_allow(
    tmp_path: Path, var_dir: Path
) -> None:
    three = [fans_row("2026-11-01", 1000, 10), fans_row("2026-11-02", 1005, 8), fans_row("2026-11-03", 1003, 1)]
    week = land(tmp_path / "l", FANS, D("2026-11-01"), D("2026-11-04"), "r1", three)
    pipeline.load_and_validate_raw([str(week)])
    restated = land(tmp_path / "l", FANS, D("2026-11-03"), D("2026-11-05"), "r2",
                    [fans_row("2026-11-03", 1006, 2), fans_row("2026-11-04", 1010, 4)])  # fmt: skip
    pipeline.load_and_validate_raw([str(restated)])
    query = "select date, total_fans, new_fans from raw.douyin__fans_daily order by date"
    assert [r[1] for r in rows(settings.warehouse_path(), query)] == [1000, 1005, 1006, 1010]
    # 1010 + 3 new would allow at most 1013 the next day: 1020 means negative unfollows.
    impossible = land(tmp_path / "l", FANS, D("2026-11-05"), D("2026-11-06"), "r3", [fans_row("2026-11-05", 1020, 3)])
    with pytest.raises(
        ValidationFailed,
        match=r"column=implied_unfollows, min_value=0.*date=2026-11-05: 1 of 1 rows unexpected, e.g. -7",
    ):
        pipeline.load_and_validate_raw([str(impossible)])
