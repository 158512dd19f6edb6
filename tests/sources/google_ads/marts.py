"""Google Ads' share of the marts week (tests/dbt/week.py): a week of ad-days, both customers (CNY and USD), as
the second load left them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sandbox.google_ads import truth
from tests.dbt import raw_fixtures as raw
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL
from warehouse.raw_tables import raw_table_for


def land_week(con: Any, world: Any) -> None:
    google = world.part("google_ads")
    table = raw_table_for("google_ads", "ad_group_ad_daily")
    window = (SINCE, UNTIL + timedelta(days=1))
    for account in google.accounts:
        for record in truth.ad_group_ad_rows(google, account.id, SINCE, UNTIL, SECOND_LOAD):
            raw.insert_raw(con, table, account.id, record, run_id="run-2", loaded_at=SECOND_LOAD, window=window)
        raw.cover(con, "google_ads", "ad_group_ad_daily", account.id, window, "run-2")
        raw.set_account_settings(con, "google_ads", account.id, account.timezone, account.currency)
