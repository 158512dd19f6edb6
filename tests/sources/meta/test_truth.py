"""Meta's ground truth equals what the insights API serves, summed the way the marts will sum it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sandbox import Sandbox
from sandbox.meta import truth
from sandbox.meta.world import MetaWorld
from tests.sources.meta.api import fetch_meta

AS_OF = date(2026, 11, 23)


def test_meta_spend_truth_equals_the_sum_of_api_rows(sb: Sandbox, meta: MetaWorld) -> None:
    since, until = date(2026, 10, 25), date(2026, 11, 22)
    summed: dict[tuple[str, date], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for account in ("act_1001", "act_2002"):
        rows, _ = fetch_meta(sb, account, since, until, limit=500, fields="spend")
        for row in rows:
            summed[(account, date.fromisoformat(row["date_start"]))] += Decimal(row["spend"])
    expected = truth.spend_by_account_day(meta, since, until, AS_OF)
    assert dict(summed) == expected
    assert len(expected) == 2 * 29
    assert expected[("act_1001", date(2026, 11, 11))] == Decimal("15662.48")
