"""Ocean Engine's ground truth equals what the report serves over HTTP, summed the way the marts will sum it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sandbox import Sandbox
from sandbox.ocean_engine import truth
from sandbox.ocean_engine.world import OceanEngineWorld
from tests.helpers import AS_OF
from tests.sources.ocean_engine.api import access_token, fetch_report
from tests.sources.ocean_engine.helpers import ADVERTISERS


def test_spend_truth_equals_the_sum_of_api_rows(sb: Sandbox, ocean: OceanEngineWorld) -> None:
    since, until = date(2026, 10, 25), date(2026, 11, 22)  # 29 days: one request each
    summed: dict[tuple[str, date], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for advertiser in ADVERTISERS:
        rows, _ = fetch_report(sb, access_token(sb), since, until, advertiser=advertiser, page_size=1000)
        for row in rows:
            summed[(advertiser, date.fromisoformat(row["dimensions"]["stat_time_day"]))] += Decimal(
                row["metrics"]["stat_cost"]
            )
    assert dict(summed) == truth.spend_by_advertiser_day(ocean, since, until, AS_OF)
    assert len(summed) == 2 * 29
