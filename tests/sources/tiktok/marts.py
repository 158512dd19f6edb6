"""TikTok's share of the marts week (tests/dbt/week.py): a week of the ad report for both advertisers (Los
Angeles and Shanghai days, USD), as the second load left it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sandbox.tiktok import truth
from tests.dbt import raw_fixtures as raw
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL
from tests.sources.tiktok.helpers import EXTRACTOR_METRICS, SOURCE, STREAM
from warehouse.raw_tables import raw_table_for


def land_week(con: Any, world: Any) -> None:
    tiktok = world.part(SOURCE)
    table = raw_table_for(SOURCE, STREAM)
    window = (SINCE, UNTIL + timedelta(days=1))
    for advertiser in tiktok.accounts:
        for record in truth.report_rows(tiktok, advertiser.id, SINCE, UNTIL, SECOND_LOAD, EXTRACTOR_METRICS):
            raw.insert_raw(con, table, advertiser.id, record, "run-2", SECOND_LOAD, window)
        raw.cover(con, SOURCE, STREAM, advertiser.id, window, "run-2")
        raw.set_account_settings(con, SOURCE, advertiser.id, advertiser.timezone, advertiser.currency)
