"""Loading the Official Account's records into raw: typed by path under ``detail``, every (article, day) kept
across loads, so an article the account deletes keeps the figures it had; loading twice changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from tests.landing_helpers import raw_rows
from tests.sources.wechat_oa.helpers import ARTICLES, SOURCE, article_record, land
from warehouse.load import load_manifests

D = date.fromisoformat


def typed(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select msgid, ref_date::varchar, stat_date::varchar, read_user, like_user, collection_user, _run_id "
            "from raw.wechat_oa__article_daily_totals order by all"
        ).fetchall()
    finally:
        con.close()


def test_a_later_load_replaces_the_days_it_brings_and_keeps_a_deleted_article_s_figures(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    first = land(tmp_path / "l", ARTICLES, D("2026-11-01"), D("2026-11-03"), "r1", [
        article_record("100_1", "2026-11-01", "2026-11-01", 500),
        article_record("100_1", "2026-11-01", "2026-11-02", 800),
        article_record("101_1", "2026-11-02", "2026-11-02", 300),
    ])  # fmt: skip
    load_manifests(warehouse, [first])
    # The next day: article 101_1 was deleted (no longer listed); 100_1 restated its second day and added a third.
    second = land(tmp_path / "l", ARTICLES, D("2026-11-01"), D("2026-11-04"), "r2", [
        article_record("100_1", "2026-11-01", "2026-11-01", 500),
        article_record("100_1", "2026-11-01", "2026-11-02", 810),
        article_record("100_1", "2026-11-01", "2026-11-03", 900),
    ])  # fmt: skip
    load_manifests(warehouse, [second])
    assert typed(warehouse) == [
        ("100_1", "2026-11-01", "2026-11-01", 500, 20, 11, "r2"),
        ("100_1", "2026-11-01", "2026-11-02", 810, 20, 11, "r2"),
        ("100_1", "2026-11-01", "2026-11-03", 900, 20, 11, "r2"),
        ("101_1", "2026-11-02", "2026-11-02", 300, 20, 11, "r1"),
    ]


def test_loading_the_same_landing_twice_leaves_raw_identical(tmp_path: Path) -> None:
    rows = [article_record("100_1", "2026-11-01", "2026-11-01"), article_record("100_1", "2026-11-01", "2026-11-02")]
    manifest = land(tmp_path / "l", ARTICLES, D("2026-11-01"), D("2026-11-03"), "r1", rows)
    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [manifest])
    once = raw_rows(warehouse, SOURCE, ARTICLES)
    load_manifests(warehouse, [manifest])
    assert raw_rows(warehouse, SOURCE, ARTICLES) == once and len(once) == 2
