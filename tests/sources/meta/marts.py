"""Meta's share of the marts week (tests/dbt/week.py): a week of insights, both accounts (CNY and USD), as the
second load left them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sandbox.meta import truth
from tests.dbt import raw_fixtures as raw
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL


def land_week(con: Any, world: Any) -> None:
    meta = world.part("meta")
    for account in meta.accounts:
        for record in truth.insight_rows(meta, account.id, SINCE, UNTIL, SECOND_LOAD):
            raw.insert_meta(
                con,
                account.id,
                record,
                run_id="run-2",
                loaded_at=SECOND_LOAD,
                window=(SINCE, UNTIL + timedelta(days=1)),
            )
        raw.cover(con, "meta", "ads_insights", account.id, (SINCE, UNTIL + timedelta(days=1)), "run-2")
        raw.set_account_settings(con, "meta", account.id, account.timezone, account.currency)
