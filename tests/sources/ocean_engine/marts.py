"""Ocean Engine's share of the marts week (tests/dbt/week.py): a week of the custom report, both advertisers, as
the second load left them, with the advertisers' settings (Beijing, CNY) the rows themselves do not carry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from extractors.ocean_engine.client import DIMENSIONS, METRICS
from sandbox.ocean_engine import truth
from tests.dbt import raw_fixtures as raw
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL
from warehouse.raw_tables import raw_table_for


def land_week(con: Any, world: Any) -> None:
    ocean = world.part("ocean_engine")
    table = raw_table_for("ocean_engine", "ad_report_daily")
    window = (SINCE, UNTIL + timedelta(days=1))
    for advertiser in ocean.accounts:
        for record in truth.report_rows(ocean, advertiser.id, SINCE, UNTIL, SECOND_LOAD, DIMENSIONS, METRICS):
            raw.insert_raw(con, table, advertiser.id, record, run_id="run-2", loaded_at=SECOND_LOAD, window=window)
        raw.cover(con, "ocean_engine", "ad_report_daily", advertiser.id, window, "run-2")
        raw.set_account_settings(con, "ocean_engine", advertiser.id, advertiser.timezone, advertiser.currency)
