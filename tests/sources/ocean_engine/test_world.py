"""The simulated Ocean Engine advertisers: deterministic, with their own 19-digit ids and Beijing days, CNY
budgets beside Meta's, conversions restating for four weeks and the running day still moving."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sandbox.ocean_engine import truth
from sandbox.ocean_engine.world import OceanEngineWorld
from sandbox.world import World

AS_OF = date(2026, 11, 23)
REPO = Path(__file__).resolve().parents[3]
ADVERTISER = "1768310000000202"
DIGEST_SCRIPT = """
import hashlib, json
from datetime import date
from sandbox.world import World
ocean = World(seed=42).part("ocean_engine")
rows = ocean.rows("1768310000000202", date(2026, 11, 1), date(2026, 11, 7), date(2026, 11, 23))
print(hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest())
"""


def week(ocean: OceanEngineWorld, advertiser: str = ADVERTISER, as_of: date | datetime = AS_OF) -> list[dict]:
    return ocean.rows(advertiser, date(2026, 11, 1), date(2026, 11, 7), as_of)


def test_same_seed_gives_the_same_world_in_two_instances_and_in_another_process() -> None:
    rows = week(World(seed=42).part("ocean_engine"))
    assert rows == week(World(seed=42).part("ocean_engine"))
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    child = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    here = hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    assert child.stdout.strip() == here
    assert week(World(seed=7).part("ocean_engine")) != rows


def test_pinned_values_for_seed_42(ocean: OceanEngineWorld) -> None:
    spend = truth.spend_by_advertiser_day(ocean, date(2026, 10, 25), date(2026, 11, 22), AS_OF)
    assert len(spend) == 2 * 29
    assert spend[("1768310000000101", date(2026, 11, 11))] == Decimal("20347.19")  # 双11
    assert spend[(ADVERTISER, date(2026, 11, 20))] == Decimal("1189.02")


def test_structure_scale_and_ids(ocean: OceanEngineWorld) -> None:
    assert [(a.id, a.currency, a.timezone) for a in ocean.accounts] == [
        ("1768310000000101", "CNY", "Asia/Shanghai"),
        ("1768310000000202", "CNY", "Asia/Shanghai"),
    ]
    for advertiser in ocean.accounts:
        assert len(ocean.campaigns(advertiser.id)) == 4 and len(ocean.ads(advertiser.id)) == 48
    assert len(World(seed=42, scale=2.0).part("ocean_engine").campaigns(ADVERTISER)) == 8
    meta = World(seed=42).part("meta")
    meta_ids = {ad.id for a in meta.accounts for ad in meta.ads(a.id)} | {
        c.id for a in meta.accounts for c in meta.campaigns(a.id)
    }
    ids = {ad.id for a in ocean.accounts for ad in ocean.ads(a.id)} | {
        c.id for a in ocean.accounts for c in ocean.campaigns(a.id)
    }
    assert not ids & meta_ids
    assert all(len(i) == 19 and 2**53 < int(i) < 2**63 for i in ids)


def test_rows_are_consistent_and_names_are_the_team_s_own(ocean: OceanEngineWorld) -> None:
    rows = week(ocean)
    assert rows and all(set(r) == {"dimensions", "metrics"} for r in rows)
    for row in rows:
        m = row["metrics"]
        assert Decimal(m["stat_cost"]) > 0 and int(m["click_cnt"]) <= int(m["show_cnt"])
        assert int(m["convert_cnt"]) >= 0 and Decimal(m["active_pay_amount"]) >= 0
    assert {r["dimensions"]["cdp_project_name"] for r in rows} <= {
        "常投-拉新",
        "常投-再营销",
        "618-再营销",
        "双11-拉新",
    }
    keys = [(r["dimensions"]["stat_time_day"], r["dimensions"]["cdp_promotion_id"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_budgets_are_plausible_beside_meta_s_cn_account(ocean: OceanEngineWorld) -> None:
    since, until = date(2026, 11, 16), date(2026, 11, 22)
    meta = World(seed=42).part("meta")
    meta_cn = sum(Decimal(r["spend"]) for r in meta.insights("act_1001", since, until, AS_OF))
    ours = truth.spend_by_advertiser_day(ocean, since, until, AS_OF)
    flagship = sum(v for (a, _), v in ours.items() if a == "1768310000000101")
    assert Decimal("0.5") < flagship / meta_cn < Decimal("2")


def test_conversions_restate_and_settle_after_28_days(ocean: OceanEngineWorld) -> None:
    day = date(2026, 10, 20)

    def totals(as_of: date) -> tuple[int, Decimal, Decimal]:
        rows = ocean.rows(ADVERTISER, day, day, as_of)
        return (
            sum(int(r["metrics"]["convert_cnt"]) for r in rows),
            sum(Decimal(r["metrics"]["active_pay_amount"]) for r in rows),
            sum(Decimal(r["metrics"]["stat_cost"]) for r in rows),
        )

    next_day, week_on, settled, later = (totals(day + timedelta(days=n)) for n in (2, 8, 29, 60))
    assert next_day[0] < week_on[0] < settled[0] == later[0]
    assert next_day[1] < settled[1] == later[1]
    assert next_day[2] == settled[2]  # cost does not restate


def test_the_running_beijing_day_shows_and_grows_and_tomorrow_does_not(ocean: OceanEngineWorld) -> None:
    day = date(2026, 11, 23)
    at_8, at_20 = (
        ocean.rows(ADVERTISER, day, day + timedelta(days=1), datetime(2026, 11, 23, h, tzinfo=UTC)) for h in (0, 12)
    )
    assert at_8 and {r["dimensions"]["stat_time_day"] for r in at_8 + at_20} == {"2026-11-23"}
    cost = [sum(Decimal(r["metrics"]["stat_cost"]) for r in rows) for rows in (at_8, at_20)]
    assert 0 < cost[0] < cost[1]
