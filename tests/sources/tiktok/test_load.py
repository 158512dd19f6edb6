"""Loading TikTok report rows into raw: typed columns by dotted path, partition replace on the text day, idempotence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from tests.landing_helpers import raw_rows
from tests.sources.tiktok.helpers import CROSS_BORDER, SOURCE, STREAM, US, land_report, report_row
from warehouse.load import load_manifests

D = date.fromisoformat


def typed(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select account, ad_id, stat_time_day, campaign_id, adgroup_id, spend, impressions, clicks, conversion, "
            "complete_payment, total_complete_payment_rate from raw.tiktok__ad_report_daily order by all"
        ).fetchall()
    finally:
        con.close()


def test_nested_string_fields_are_typed_by_their_paths(tmp_path: Path) -> None:
    rows = [report_row("1783000001100000000", "2026-11-01 00:00:00", "12.34", impressions=2000, clicks=31)]
    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [land_report(tmp_path / "l", US, D("2026-11-01"), D("2026-11-02"), "r1", rows)])
    assert typed(warehouse) == [
        (US, "1783000001100000000", "2026-11-01 00:00:00", "1781000000011000000", "1782000000011000000",
         Decimal("12.3400"), 2000, 31, 2, 2, Decimal("104.0000")),
    ]  # fmt: skip


def test_a_restated_window_replaces_its_days_and_nothing_else(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    first = land_report(
        tmp_path / "l", US, D("2026-11-01"), D("2026-11-04"), "r1",
        [report_row("a1", f"2026-11-0{d} 00:00:00", "10.00") for d in (1, 2, 3)],
    )  # fmt: skip
    other = land_report(
        tmp_path / "l", CROSS_BORDER, D("2026-11-01"), D("2026-11-04"), "r1",
        [report_row("b1", "2026-11-02 00:00:00", "7.00")],
    )  # fmt: skip
    load_manifests(warehouse, [first, other])
    # The restatement covers days 2..3: on day 3 ad a1 no longer appears, ad a2 does; spend on day 2 moved.
    restated = land_report(
        tmp_path / "l", US, D("2026-11-02"), D("2026-11-04"), "r2",
        [report_row("a1", "2026-11-02 00:00:00", "11.50"), report_row("a2", "2026-11-03 00:00:00", "3.00")],
    )  # fmt: skip
    load_manifests(warehouse, [restated])
    assert [(r[0], r[1], r[2], r[5]) for r in typed(warehouse)] == [
        (US, "a1", "2026-11-01 00:00:00", Decimal("10.0000")),
        (US, "a1", "2026-11-02 00:00:00", Decimal("11.5000")),
        (US, "a2", "2026-11-03 00:00:00", Decimal("3.0000")),
        (CROSS_BORDER, "b1", "2026-11-02 00:00:00", Decimal("7.0000")),
    ]


def test_loading_the_same_landing_twice_leaves_raw_identical(tmp_path: Path) -> None:
    rows = [report_row("a1", "2026-11-01 00:00:00", "10.00"), report_row("a1", "2026-11-02 00:00:00", "12.50")]
    manifest = land_report(tmp_path / "l", US, D("2026-11-01"), D("2026-11-03"), "r1", rows)
    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [manifest])
    once = raw_rows(warehouse, SOURCE, STREAM)
    load_manifests(warehouse, [manifest])
    assert raw_rows(warehouse, SOURCE, STREAM) == once and len(once) == 2
