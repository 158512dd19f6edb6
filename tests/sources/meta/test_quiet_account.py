"""One account answering empty must not delete its window: days it had delivery for and now has none fail the
load naming the account and the days, and raw keeps them; an account declared paused or ended on its
connection may answer empty, and then its window is cleared as the platform says."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors.catalog import get_source
from extractors.landing import LandingTarget, land, read_manifest
from extractors.run import extract_partition
from extractors.streams import Window
from tests.helpers import FAST_RETRY, set_connections
from tests.landing_helpers import DEFAULT_SETTINGS
from tests.sources.meta.helpers import land_insights, meta_row
from warehouse.load import LoadError, load_manifests

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 4))


def raw(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select account, date_start::varchar, ad_id from raw.meta__ads_insights order by all"
        ).fetchall()
    finally:
        con.close()


def first_load(tmp_path: Path) -> Path:
    warehouse = tmp_path / "w.duckdb"
    rows = [meta_row("a1", f"2026-11-0{day}", "1.00") for day in (1, 2, 3)]
    load_manifests(
        warehouse,
        [
            land_insights(tmp_path / "l", "act_1001", WINDOW.start, WINDOW.end, "r1", rows),
            land_insights(
                tmp_path / "l", "act_2002", WINDOW.start, WINDOW.end, "r1", [meta_row("b1", "2026-11-02", "2.00")]
            ),
        ],
    )
    return warehouse


def test_an_account_answering_empty_fails_naming_it_and_its_days_and_raw_keeps_them(tmp_path: Path) -> None:
    warehouse = first_load(tmp_path)
    before = raw(warehouse)
    other = land_insights(
        tmp_path / "l", "act_2002", WINDOW.start, WINDOW.end, "r2", [meta_row("b1", "2026-11-02", "2.50")]
    )
    # act_1001 now answers nothing for days 2 and 3 it had delivery on (day 1 still comes back).
    quiet = land_insights(
        tmp_path / "l", "act_1001", WINDOW.start, WINDOW.end, "r2", [meta_row("a1", "2026-11-01", "1.00")]
    )
    with pytest.raises(LoadError) as refused:
        load_manifests(warehouse, [other, quiet])
    assert str(refused.value) == (
        "source=meta stream=ads_insights account=act_1001 window=[2026-11-01, 2026-11-04) rule=account_not_quiet: "
        "the account had rows on 2 day(s) of the window and now returned none for them: 2026-11-02, 2026-11-03; "
        "if it is paused or ended, list it in extra.paused_accounts of its connection"
    )
    assert raw(warehouse) == before


def test_an_account_declared_paused_may_answer_empty(tmp_path: Path) -> None:
    warehouse = first_load(tmp_path)
    stream = get_source("meta").stream("ads_insights")
    target = LandingTarget(
        tmp_path / "l", "meta", stream, "act_1001", WINDOW, "r2", account_paused=True, account_settings=DEFAULT_SETTINGS
    )
    load_manifests(warehouse, [land(target, [], datetime(2026, 11, 4, tzinfo=UTC))])
    assert raw(warehouse) == [("act_2002", "2026-11-02", "b1")]


def test_the_connection_s_paused_accounts_reach_the_manifest(
    sb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    set_connections(monkeypatch, sb, extra={"meta": {"paused_accounts": ["act_2002"]}})
    window = Window(date(2026, 11, 20), date(2026, 11, 21))
    flags = {
        account: read_manifest(
            extract_partition("meta", "ads_insights", account, window, "r1", tmp_path, retry=FAST_RETRY)
        )["account_paused"]
        for account in ("act_1001", "act_2002")
    }
    assert flags == {"act_1001": False, "act_2002": True}
