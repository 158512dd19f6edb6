"""Loading Bilibili snapshots into raw: counters typed by their nested paths, the snapshot day set by the load,
one day's snapshot replaced and no other, and the raw rules on lifetime counters across snapshots."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from expectations.runner import ValidationFailed
from tests.landing_helpers import raw_rows
from tests.sources.bilibili.helpers import (
    ACCOUNT,
    ARCHIVES,
    SOURCE,
    USER_STAT,
    archive_record,
    land,
    user_stat_record,
)
from warehouse import pipeline, settings
from warehouse.load import load_manifests

D = date.fromisoformat
PTIME = 1_793_450_000  # 2026-10-31 20:33 in Beijing


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_nested_counters_are_typed_by_their_paths_and_the_day_is_the_windows_last(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    record = archive_record("BV1aB2cD3eF4", PTIME, view="12000", like=540)
    load_manifests(warehouse, [land(tmp_path / "l", ARCHIVES, D("2026-10-25"), D("2026-11-02"), "r1", [record])])
    assert query(
        warehouse,
        "select account, snapshot_date, resource_id, tag, ptime, duration, state, view_count, like_count, reply_count, "
        "share_count, favorite_count, coin_count, danmaku_count from raw.bilibili__archive_snapshots",
    ) == [(ACCOUNT, D("2026-11-01"), "BV1aB2cD3eF4", "成分党,教程", PTIME, 300, 0, 12000, 540, 48, 36, 144, 96, 60)]


def test_a_snapshot_replaces_its_own_day_and_no_other(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    day1 = [archive_record("BV1aaaaaaaaa", PTIME, view=100), archive_record("BV1bbbbbbbbb", PTIME - 60, view=50)]
    day2 = [archive_record("BV1aaaaaaaaa", PTIME, view=130)]
    load_manifests(warehouse, [land(tmp_path / "l", ARCHIVES, D("2026-11-01"), D("2026-11-02"), "r1", day1)])
    load_manifests(warehouse, [land(tmp_path / "l", ARCHIVES, D("2026-11-02"), D("2026-11-03"), "r2", day2)])
    # Taken again later that day: the day's snapshot is replaced whole (the deleted video is gone from it).
    again = [archive_record("BV1aaaaaaaaa", PTIME, view=140)]
    load_manifests(warehouse, [land(tmp_path / "l", ARCHIVES, D("2026-11-02"), D("2026-11-03"), "r3", again)])
    held = "select snapshot_date, resource_id, view_count from raw.bilibili__archive_snapshots order by all"
    assert query(warehouse, held) == [
        (D("2026-11-01"), "BV1aaaaaaaaa", 100),
        (D("2026-11-01"), "BV1bbbbbbbbb", 50),
        (D("2026-11-02"), "BV1aaaaaaaaa", 140),
    ]  # fmt: skip


def test_loading_the_same_landing_twice_leaves_raw_identical(tmp_path: Path) -> None:
    manifest = land(tmp_path / "l", USER_STAT, D("2026-11-22"), D("2026-11-23"), "r1", [user_stat_record(61_234)])
    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [manifest])
    once = raw_rows(warehouse, SOURCE, USER_STAT)
    load_manifests(warehouse, [manifest])
    assert raw_rows(warehouse, SOURCE, USER_STAT) == once and len(once) == 1
    typed = (
        "select snapshot_date, follower_count, following_count, arc_passed_total from raw.bilibili__user_stat_snapshots"
    )
    assert query(warehouse, typed) == [(D("2026-11-22"), 61_234, 37, 700)]


def snapshot(root: Path, day: str, run_id: str, view: int, favorite: int = 144) -> str:
    start = D(day)
    end = date.fromordinal(start.toordinal() + 1)
    record = archive_record("BV1aB2cD3eF4", PTIME, view=view, favorite=favorite)
    return str(land(root, ARCHIVES, start, end, run_id, [record]))


def test_a_lifetime_counter_may_shrink_by_a_purge_but_not_by_more_than_thirty_percent(
    tmp_path: Path, var_dir: Path
) -> None:
    root = tmp_path / "l"
    pipeline.load_and_validate_raw([snapshot(root, "2026-11-01", "r1", 10_000)])
    # The platform purged invalid plays (a fifth): flagged downstream, accepted here.
    pipeline.load_and_validate_raw([snapshot(root, "2026-11-02", "r2", 8_000)])
    with pytest.raises(ValidationFailed) as failed:
        pipeline.load_and_validate_raw([snapshot(root, "2026-11-03", "r3", 5_000, favorite=90)])
    message = str(failed.value)
    assert "rule=expect_column_values_to_be_between(column=view_count_kept_share, min_value=0.7)" in message
    assert "column=favorite_count_kept_share" in message
    assert f"partition=account={ACCOUNT}/snapshot_date=2026-11-03" in message
    # The refused snapshot left raw as it was.
    assert query(settings.warehouse_path(), "select max(snapshot_date) from raw.bilibili__archive_snapshots") == [
        (D("2026-11-02"),)
    ]


def test_followers_falling_by_more_than_thirty_percent_fail_the_user_snapshot(tmp_path: Path, var_dir: Path) -> None:
    root = tmp_path / "l"
    first = land(root, USER_STAT, D("2026-11-21"), D("2026-11-22"), "r1", [user_stat_record(60_000)])
    pipeline.load_and_validate_raw([str(first)])
    halved = land(root, USER_STAT, D("2026-11-22"), D("2026-11-23"), "r2", [user_stat_record(30_000)])
    with pytest.raises(ValidationFailed, match="column=follower_count_kept_share, min_value=0.7"):
        pipeline.load_and_validate_raw([str(halved)])
