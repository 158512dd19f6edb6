"""Late restatement: Meta reports purchases for days after the activity date. A later run's lookback
window must replace exactly the restated days in raw and leave every other day as it was."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest

from extractors.catalog import get_source
from extractors.run import extract_partition
from extractors.streams import Window, extraction_window
from sandbox.meta import truth
from tests.helpers import set_connections
from warehouse.load import load_manifests

FIRST_AS_OF = date(2026, 11, 10)
LATER_AS_OF = date(2026, 11, 15)
ACCOUNT = "act_1001"


@pytest.fixture
def meta_sandbox(sb, monkeypatch):
    """The shared sandbox moved back to FIRST_AS_OF (the `sb` fixture resets it afterwards), one account only."""
    sb.set_as_of(FIRST_AS_OF)
    set_connections(monkeypatch, sb, extra={"meta": {"account_ids": [ACCOUNT]}})
    return sb


def purchases_by_day(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            """
            select date_start, ad_id, sum(cast(a.value->>'value' as integer)), any_value(_run_id)
            from (select date_start, ad_id, _run_id,
                         unnest(coalesce(cast(actions as json[]), [])) as value
                  from raw.meta__ads_insights where account = $account) a
            where a.value->>'action_type' = 'purchase'
            group by all
            """,
            {"account": ACCOUNT},
        ).fetchall()
    finally:
        con.close()
    return {(day, ad): (n, run) for day, ad, n, run in rows}


def test_a_later_lookback_replaces_the_restated_days_and_nothing_else(meta_sandbox, tmp_path):
    warehouse, landing = tmp_path / "w.duckdb", tmp_path / "landing"
    first = Window(FIRST_AS_OF - timedelta(days=40), FIRST_AS_OF)
    load_manifests(warehouse, [extract_partition("meta", "ads_insights", ACCOUNT, first, "run-1", landing)])
    before = purchases_by_day(warehouse)

    meta_sandbox.set_as_of(LATER_AS_OF)
    later = extraction_window(LATER_AS_OF - timedelta(days=1), LATER_AS_OF, get_source("meta").lookback_days)
    assert later == Window(date(2026, 10, 17), date(2026, 11, 15))
    load_manifests(warehouse, [extract_partition("meta", "ads_insights", ACCOUNT, later, "run-2", landing)])
    after = purchases_by_day(warehouse)

    untouched = {k: v for k, v in before.items() if k[0] < later.start}
    assert untouched and {k: v for k, v in after.items() if k[0] < later.start} == untouched
    restated = [k for k in before if later.start <= k[0] and after[k][0] > before[k][0]]
    assert restated, "recent days must gain late-reported purchases"
    assert all(after[k][1] == "run-2" for k in after if k[0] >= later.start)

    # Spend for the whole loaded range equals the truth as of the later date, day by day.
    expected = truth.spend_by_account_day(
        meta_sandbox.world.part("meta"),
        first.start,
        later.last_day,
        datetime.combine(LATER_AS_OF, datetime.min.time(), UTC),
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    got = dict(
        ((ACCOUNT, day), Decimal(total))
        for day, total in con.execute(
            "select date_start, sum(spend)::varchar from raw.meta__ads_insights group by 1"
        ).fetchall()
    )
    assert got == {k: v for k, v in expected.items() if k[0] == ACCOUNT}
