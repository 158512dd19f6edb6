"""Loading Instagram landings into raw: typed columns by path, one snapshot per day, lifetime counters that may fall
a little (a purge) but not by more than 30%, follower days replaced by window, idempotence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from expectations.runner import ValidationFailed
from tests.landing_helpers import raw_rows
from tests.sources.instagram.helpers import (
    ACCOUNT,
    FOLLOWERS,
    IG_USER,
    MEDIA,
    SOURCE,
    account_record,
    follower_record,
    land,
    media_record,
)
from warehouse import pipeline, settings
from warehouse.load import load_manifests

D = date.fromisoformat


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_media_records_are_typed_by_their_paths_and_dated_by_the_snapshot(tmp_path: Path) -> None:
    no_insights = media_record("17900104800000001", insights=None,
                               insights_error={"message": "(#10) Not enough viewers", "code": 10})  # fmt: skip
    del no_insights["caption"]
    records = [media_record(), no_insights]
    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [land(tmp_path / "l", MEDIA, D("2026-10-24"), D("2026-11-22"), "r1", records)])
    assert query(
        warehouse,
        "select account, snapshot_date, media_id, published_at, media_type, media_product_type, caption, like_count, "
        "comments_count, views, reach, shares, saved, insights_error from raw.instagram__media_insights order by 3",
    ) == [
        (IG_USER, D("2026-11-21"), "17900104800000001", datetime(2026, 10, 30, 4, 13, tzinfo=UTC), "VIDEO", "REELS",
         None, 486, 31, None, None, None, None, "(#10) Not enough viewers"),
        (IG_USER, D("2026-11-21"), "17900104800923825", datetime(2026, 10, 30, 4, 13, tzinfo=UTC), "VIDEO", "REELS",
         "开箱｜今天聊聊这件事\n\n#开箱 #用户故事", 486, 31, 9353, 6100, 57, 118, None),
    ]  # fmt: skip


def test_each_day_keeps_its_own_snapshot_and_a_later_one_of_the_same_day_replaces_it(tmp_path: Path) -> None:
    warehouse, landing = tmp_path / "w.duckdb", tmp_path / "l"
    load_manifests(
        warehouse, [land(landing, MEDIA, D("2026-11-20"), D("2026-11-21"), "r1", [media_record(views=9000)])]
    )
    load_manifests(
        warehouse, [land(landing, MEDIA, D("2026-11-21"), D("2026-11-22"), "r2", [media_record(views=9300)])]
    )
    load_manifests(
        warehouse, [land(landing, MEDIA, D("2026-11-21"), D("2026-11-22"), "r3", [media_record(views=9353)])]
    )
    assert query(warehouse, "select snapshot_date, views, _run_id from raw.instagram__media_insights order by 1") == [
        (D("2026-11-20"), 9000, "r1"),
        (D("2026-11-21"), 9353, "r3"),
    ]


@pytest.mark.parametrize(("views", "fails"), [(9353 * 8 // 10, False), (9353 * 6 // 10, True)])
def test_a_lifetime_counter_may_fall_by_a_purge_but_not_by_more_than_30_percent(
    tmp_path: Path, var_dir: Path, views: int, fails: bool
) -> None:
    first = land(settings.landing_root(), MEDIA, D("2026-11-20"), D("2026-11-21"), "r1", [media_record(views=9353)])
    pipeline.load_and_validate_raw([str(first)])
    later = land(settings.landing_root(), MEDIA, D("2026-11-21"), D("2026-11-22"), "r2", [media_record(views=views)])
    if not fails:
        pipeline.load_and_validate_raw([str(later)])  # 20% purged: flagged downstream, not refused
        return
    with pytest.raises(ValidationFailed) as refused:
        pipeline.load_and_validate_raw([str(later)])
    message = str(refused.value)
    assert "source=instagram stream=media_insights" in message
    assert (
        "rule=expect_column_values_to_be_between(column=largest_drop_since_previous_snapshot, max_value=0.3" in message
    )
    assert f"partition=account={IG_USER}/snapshot_date=2026-11-21" in message
    assert query(settings.warehouse_path(), "select _run_id from raw.instagram__media_insights") == [("r1",)]


def test_insights_missing_one_metric_while_carrying_the_others_is_refused(tmp_path: Path, var_dir: Path) -> None:
    record = media_record()
    del record["insights"]["views"]
    manifest = land(settings.landing_root(), MEDIA, D("2026-11-20"), D("2026-11-21"), "r1", [record])
    with pytest.raises(ValidationFailed, match=r"rule=expect_column_values_to_be_in_set\(column=insights_incomplete"):
        pipeline.load_and_validate_raw([str(manifest)])


def test_follower_days_are_replaced_by_window_and_the_account_snapshot_by_day(tmp_path: Path, var_dir: Path) -> None:
    root = settings.landing_root()
    days = [follower_record(f"2026-11-0{d}", 40 + d, f"2026-11-0{d + 1}T08:00:00+0000") for d in (2, 3, 4)]
    pipeline.load_and_validate_raw([
        str(land(root, FOLLOWERS, D("2026-11-02"), D("2026-11-05"), "r1", days)),
        str(land(root, ACCOUNT, D("2026-11-02"), D("2026-11-05"), "r1", [account_record(80100)])),
    ])  # fmt: skip
    restated = [follower_record("2026-11-04", 50, "2026-11-05T08:00:00+0000")]
    pipeline.load_and_validate_raw([
        str(land(root, FOLLOWERS, D("2026-11-04"), D("2026-11-05"), "r2", restated)),
        str(land(root, ACCOUNT, D("2026-11-04"), D("2026-11-06"), "r2", [account_record(80160)])),
    ])  # fmt: skip
    warehouse = settings.warehouse_path()
    held = "select day, end_time, new_followers, _run_id from raw.instagram__follower_count order by 1"
    assert query(warehouse, held) == [
        (D("2026-11-02"), datetime(2026, 11, 3, 8, tzinfo=UTC), 42, "r1"),
        (D("2026-11-03"), datetime(2026, 11, 4, 8, tzinfo=UTC), 43, "r1"),
        (D("2026-11-04"), datetime(2026, 11, 5, 8, tzinfo=UTC), 50, "r2"),
    ]  # fmt: skip
    assert query(warehouse, "select snapshot_date, followers_count from raw.instagram__account order by 1") == [
        (D("2026-11-04"), 80100),
        (D("2026-11-05"), 80160),
    ]


@pytest.mark.parametrize(
    ("record", "rule"),
    [
        (follower_record("2026-11-02", 40, "2026-11-02T08:00:00+0000"), "column=day_is_the_one_end_time_closes"),
        (follower_record("2026-11-02", -3, "2026-11-03T08:00:00+0000"), "column=new_followers, min_value=0"),
    ],
)
def test_a_follower_day_that_does_not_hold_is_refused(tmp_path: Path, var_dir: Path, record: dict, rule: str) -> None:
    manifest = land(settings.landing_root(), FOLLOWERS, D("2026-11-02"), D("2026-11-03"), "r1", [record])
    with pytest.raises(ValidationFailed, match=rule):
        pipeline.load_and_validate_raw([str(manifest)])


def test_loading_the_same_landing_twice_leaves_raw_identical(tmp_path: Path) -> None:
    manifest = land(tmp_path / "l", MEDIA, D("2026-11-01"), D("2026-11-08"), "r1", [media_record(), media_record("1")])
    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [manifest])
    once = raw_rows(warehouse, SOURCE, MEDIA)
    load_manifests(warehouse, [manifest])
    assert raw_rows(warehouse, SOURCE, MEDIA) == once and len(once) == 2
