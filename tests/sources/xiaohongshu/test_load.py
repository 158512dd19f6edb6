"""Loading Xiaohongshu landings into raw (numbers sent as strings typed exactly, the report's window replaced, one
snapshot per day, a counter left out kept null, the raw suites' rules), and the two staging models dbt builds on an
extraction from the sandbox, against the world's truth."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from expectations.runner import ValidationFailed
from extractors.run import extract_partition
from extractors.streams import Window
from sandbox.xiaohongshu import truth
from sandbox.xiaohongshu.world import ACCOUNT
from tests.conftest import reset_sandbox
from tests.helpers import FAST_RETRY, set_connections
from tests.landing_helpers import raw_rows
from tests.sources.xiaohongshu.helpers import (
    ADVERTISER,
    COLLABORATIONS,
    LAST_DAY,
    NOTE,
    NOTES,
    NOW,
    REPORT,
    SOURCE,
    collaboration,
    land,
    note,
    row,
)
from warehouse import pipeline, settings
from warehouse.dbt_build import run_dbt_build
from warehouse.load import load_manifests

D = date.fromisoformat
OTHER = "6af1a2805c0d7e9b41f2a3c5"

POST_SNAPSHOT_COLUMNS = [
    "platform", "account_id", "post_id", "snapshot_date", "published_at", "account_timezone", "post_format", "title",
    "topic_tags", "views", "likes", "comments", "shares", "saves", "_window_start", "_window_end", "_loaded_at",
    "impressions", "fee", "fee_on_day", "currency", "advertiser_id", "_run_id", "_extracted_at",
]  # fmt: skip
COLLABORATION_SNAPSHOT_COLUMNS = [
    "platform", "collaboration_id", "creator_id", "creator_name", "creator_tier", "fee", "currency", "post_id",
    "title", "published_at", "account_timezone", "snapshot_date", "views", "impressions", "likes", "comments",
    "shares", "saves", "_window_start", "_window_end", "_loaded_at", "_run_id", "_extracted_at",
]  # fmt: skip


def rows(warehouse: Path, query: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(query).fetchall()
    finally:
        con.close()


# -- raw --------------------------------------------------------------------------------------------------------


def test_report_rows_are_typed_by_path_with_strings_kept_exactly(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    as_text = row(OTHER, click="150", impression="1200", fee="3.50", like="9")
    landed = land(tmp_path / "l", REPORT, D("2026-11-01"), D("2026-11-02"), "r1", [row(), as_text])
    load_manifests(warehouse, [landed])
    assert rows(
        warehouse,
        "select account, stat_date, note_id, fee, impressions, clicks, likes, comments, collects, shares "
        "from raw.xiaohongshu__note_report_daily order by note_id",
    ) == [
        (ADVERTISER, D("2026-11-01"), NOTE, Decimal("12.5000"), 1200, 150, 9, 1, 6, 1),
        (ADVERTISER, D("2026-11-01"), OTHER, Decimal("3.5000"), 1200, 150, 9, 1, 6, 1),
    ]


def test_a_report_load_replaces_its_window_and_a_reload_changes_nothing(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    week = land(tmp_path / "l", REPORT, D("2026-11-01"), D("2026-11-04"), "r1",
                [row(day="2026-11-01"), row(day="2026-11-02"), row(day="2026-11-03")])  # fmt: skip
    restated = land(tmp_path / "l", REPORT, D("2026-11-03"), D("2026-11-05"), "r2",
                    [row(day="2026-11-03", click=160), row(day="2026-11-04", click=20, impression=300)])  # fmt: skip
    load_manifests(warehouse, [week])
    load_manifests(warehouse, [restated])
    query = "select stat_date, clicks from raw.xiaohongshu__note_report_daily order by stat_date"
    assert rows(warehouse, query) == [(D("2026-11-01"), 150), (D("2026-11-02"), 150), (D("2026-11-03"), 160),
                                      (D("2026-11-04"), 20)]  # fmt: skip
    once = raw_rows(warehouse, SOURCE, REPORT)
    load_manifests(warehouse, [restated])
    assert raw_rows(warehouse, SOURCE, REPORT) == once


def test_note_lists_are_dated_by_the_windows_last_day_one_snapshot_per_day(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    first = land(tmp_path / "l", NOTES, D("2026-11-01"), D("2026-11-03"), "r1", [note(), note(OTHER, title="旧")])
    second = land(tmp_path / "l", NOTES, D("2026-11-02"), D("2026-11-04"), "r2",
                  [note(OTHER, title="新", create_time="1793462400000")])  # fmt: skip
    load_manifests(warehouse, [first, second])
    assert rows(
        warehouse,
        "select snapshot_date, note_id, title, note_content_type, create_time, author_id, note_desc like '%[话题]#%' "
        "from raw.xiaohongshu__note_list order by snapshot_date, note_id",
    ) == [
        (D("2026-11-02"), NOTE, "成分党：三分钟看懂", 1, 1793462400000, ACCOUNT.id, True),
        (D("2026-11-02"), OTHER, "旧", 1, 1793462400000, ACCOUNT.id, True),
        (D("2026-11-03"), OTHER, "新", 1, 1793462400000, ACCOUNT.id, True),
    ]


def test_a_collaboration_counter_left_out_stays_null_and_the_price_exact(tmp_path: Path, var_dir: Path) -> None:
    without = collaboration("2026110200123457")
    del without["imp_num"]
    landed = land(tmp_path / "l", COLLABORATIONS, D("2026-11-20"), D("2026-11-22"), "r1",
                  [collaboration(), without])  # fmt: skip
    pipeline.load_and_validate_raw([str(landed)])
    assert rows(
        settings.warehouse_path(),
        "select snapshot_date, order_id, kol_price, total_platform_price, imp_num, read_num, kol_fan_num "
        "from raw.xiaohongshu__collaboration_snapshots order by order_id",
    ) == [
        (D("2026-11-21"), "2026110100123456", Decimal("1279.5000"), Decimal("127.9500"), 30000, 4000, 23000),
        (D("2026-11-21"), "2026110200123457", Decimal("1279.5000"), Decimal("127.9500"), None, 4000, 23000),
    ]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (collaboration(kol_price="1279.505"), "column=kol_price_below_cents, max_value=0"),
        (collaboration(note_publish_time="2026-11-01T20:31:05+08:00"), "column=note_publish_time, regex"),
        (collaboration(read_num=-1), "column=read_num, min_value=0"),
        (collaboration(kol_id="小鹿"), "column=kol_id, regex"),
    ],
)
def test_the_collaboration_suite_refuses_what_staging_could_not_read_right(
    tmp_path: Path, var_dir: Path, record: dict[str, Any], expected: str
) -> None:
    landed = land(tmp_path / "l", COLLABORATIONS, D("2026-11-20"), D("2026-11-22"), "r1", [record])
    with pytest.raises(ValidationFailed, match="source=xiaohongshu stream=collaboration_snapshots") as info:
        pipeline.load_and_validate_raw([str(landed)])
    assert expected in str(info.value)


def test_a_collaborations_reads_may_not_fall_by_more_than_thirty_percent(tmp_path: Path, var_dir: Path) -> None:
    day = land(tmp_path / "l", COLLABORATIONS, D("2026-11-20"), D("2026-11-21"), "r1", [collaboration()])
    pipeline.load_and_validate_raw([str(day)])
    dropped = land(tmp_path / "l", COLLABORATIONS, D("2026-11-21"), D("2026-11-22"), "r2",
                   [collaboration(read_num=2000)])  # fmt: skip
    with pytest.raises(ValidationFailed, match=r"column=read_num_kept_share, min_value=0.7.*e.g. 0.5"):
        pipeline.load_and_validate_raw([str(dropped)])


def test_a_note_list_created_after_its_snapshot_day_is_refused(tmp_path: Path, var_dir: Path) -> None:
    later = note(created_ms=1794000000000)  # 2026-11-07 04:00 Beijing, after the window's end
    landed = land(tmp_path / "l", NOTES, D("2026-11-01"), D("2026-11-03"), "r1", [later])
    with pytest.raises(ValidationFailed, match="column=published_at"):
        pipeline.load_and_validate_raw([str(landed)])


# -- staging, built by dbt on an extraction from the sandbox --------------------------------------------------------

WINDOW = Window(D("2026-10-24"), D("2026-11-23"))  # the end-to-end run's 30 days, cut to the 21st at NOW


@pytest.fixture(scope="module")
def staged(running_sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The three streams extracted for WINDOW with the session's connection, loaded, and the staging models of
    Xiaohongshu built by dbt (with their tests), once for the module."""
    folder = tmp_path_factory.mktemp("xhs_staging")
    sb = running_sandbox
    reset_sandbox(sb)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("MW_VAR_DIR", str(folder / "var"))
        monkeypatch.setenv("MW_TOKEN_DIR", str(folder / "tokens"))
        set_connections(monkeypatch, sb)
        manifests = [
            str(
                extract_partition(
                    SOURCE, stream, ADVERTISER, WINDOW, "r1", folder / "landing", retry=FAST_RETRY, complete_as_of=NOW
                )
            )  # fmt: skip
            for stream in (REPORT, NOTES, COLLABORATIONS)
        ]
        pipeline.load_and_validate_raw(manifests)
        warehouse = settings.warehouse_path()
        assert os.path.exists(warehouse)
        run_dbt_build(warehouse, select="path:models/staging/xiaohongshu", unit_tests=False,
                      artifacts_dir=folder / "dbt")  # fmt: skip
        yield warehouse
    reset_sandbox(sb)


def columns(warehouse: Path, model: str) -> list[str]:
    return [name for (name,) in rows(warehouse, f"select column_name from (describe staging.{model})")]


def test_the_staging_models_carry_exactly_the_common_columns_then_their_own(staged: Path) -> None:
    assert columns(staged, "stg_xiaohongshu__post_snapshots") == POST_SNAPSHOT_COLUMNS
    assert columns(staged, "stg_xiaohongshu__collaboration_snapshots") == COLLABORATION_SNAPSHOT_COLUMNS


def test_post_snapshots_are_the_notes_lifetime_figures_at_each_days_end(staged: Path, xhs: Any) -> None:
    got = rows(
        staged,
        "select post_id, snapshot_date, published_at, views, likes, comments, shares, saves, impressions, fee "
        "from staging.stg_xiaohongshu__post_snapshots",
    )
    by_key = {(post_id, day): rest for post_id, day, *rest in got}
    last = truth.snapshot_figures(xhs, WINDOW.start, LAST_DAY, NOW)
    assert len(last) == 25 and {post_id for post_id, _ in by_key} == set(last)
    for post_id, expected in last.items():
        assert by_key[(post_id, LAST_DAY)] == [expected.published_at, expected.views, expected.likes,
                                               expected.comments, expected.shares, expected.saves,
                                               expected.impressions, expected.fee]  # fmt: skip
    # Every day from the note's publish day on is there, with the figures at that day's end.
    posts = {post.id: post for post in truth.notes_published(xhs, WINDOW.start, LAST_DAY)}
    for (post_id, day), (_, views, likes, *_, impressions, fee) in by_key.items():
        at = truth.note_truth(xhs, posts[post_id], truth.day_end(day))
        assert (views, likes, impressions, fee) == (at.views, at.likes, at.impressions, at.fee)
    days = sum((LAST_DAY - truth.publish_day(posts[p])).days + 1 for p in last)
    assert len(got) == days
    assert any(fee > 0 for *_, fee in got)


def test_post_snapshots_name_the_brands_account_and_read_format_and_topics(staged: Path, xhs: Any) -> None:
    got = rows(
        staged,
        "select distinct account_id, advertiser_id, account_timezone, currency from "
        "staging.stg_xiaohongshu__post_snapshots",
    )
    assert got == [(ACCOUNT.id, ADVERTISER, "Asia/Shanghai", "CNY")]
    described = rows(
        staged,
        "select distinct post_id, post_format, title, topic_tags from staging.stg_xiaohongshu__post_snapshots",
    )
    posts = {post.id: post for post in truth.notes_published(xhs, WINDOW.start, LAST_DAY)}
    assert {r[0]: r[1:] for r in described} == {
        post_id: (posts[post_id].format, posts[post_id].title, ",".join(posts[post_id].topics))
        for post_id, *_ in described
    }


def test_collaboration_snapshots_are_the_young_collaborations_with_their_fee_and_figures(
    staged: Path, xhs: Any
) -> None:
    got = rows(
        staged,
        "select collaboration_id, creator_id, creator_name, creator_tier, fee, currency, post_id, title, published_at, "
        "snapshot_date, views, impressions, likes, comments, shares, saves "
        "from staging.stg_xiaohongshu__collaboration_snapshots",
    )
    expected = truth.collaboration_snapshot(xhs, LAST_DAY)
    assert len(got) == len(expected) >= 9
    for c_id, creator, name, tier, fee, currency, post_id, title, published, day, *figures in got:
        want = expected[c_id]
        assert (creator, name, tier, fee, currency, post_id, title, published, day) == (
            want.creator_id, want.creator_name, want.tier, want.fee, "CNY", want.post_id, want.title,
            want.published_at, LAST_DAY,
        )  # fmt: skip
        assert figures == [want.views, want.impressions, want.likes, want.comments, want.shares, want.saves]
