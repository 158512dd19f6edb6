"""The simulated Meta ad accounts: deterministic, shaped like the brand's year, and internally consistent."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from sandbox.ad_delivery import purchase_fraction
from sandbox.meta import truth
from sandbox.meta.world import MetaWorld
from sandbox.world import World

AS_OF = date(2026, 11, 23)
REPO = Path(__file__).resolve().parents[3]
DIGEST_SCRIPT = """
import hashlib, json
from datetime import date
from sandbox.world import World
rows = World(seed=42).part("meta").insights("act_2002", date(2026, 11, 1), date(2026, 11, 7), date(2026, 11, 23))
print(hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest())
"""


def _purchases(rows: list[dict]) -> tuple[int, Decimal]:
    count = sum(int(a["value"]) for r in rows for a in r.get("actions", []) if a["action_type"] == "purchase")
    value = sum((Decimal(a["value"]) for r in rows for a in r.get("action_values", [])), Decimal("0.00"))
    return count, value


def test_same_seed_gives_the_same_world_in_two_instances() -> None:
    first, second = World(seed=42).part("meta"), World(seed=42).part("meta")
    for account in ("act_1001", "act_2002"):
        assert first.insights(account, date(2026, 11, 1), date(2026, 11, 7), AS_OF) == second.insights(
            account, date(2026, 11, 1), date(2026, 11, 7), AS_OF
        )


def test_same_seed_gives_the_same_world_in_another_process() -> None:
    # A different hash seed in the child proves no value depends on Python's salted hash().
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    child = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    rows = World(seed=42).part("meta").insights("act_2002", date(2026, 11, 1), date(2026, 11, 7), AS_OF)
    here = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    assert child.stdout.strip() == here


def test_another_seed_gives_another_world() -> None:
    day = date(2026, 11, 1)
    assert World(seed=42).part("meta").insights("act_1001", day, day, AS_OF) != World(seed=7).part("meta").insights(
        "act_1001", day, day, AS_OF
    )


def test_pinned_values_for_seed_42(meta: MetaWorld) -> None:
    """A few exact numbers, so an accidental change to the world shows up here first."""
    spend = truth.spend_by_account_day(meta, date(2026, 11, 1), date(2026, 11, 1), AS_OF)
    assert spend == {("act_1001", date(2026, 11, 1)): Decimal("9524.16"),
                     ("act_2002", date(2026, 11, 1)): Decimal("1966.78")}  # fmt: skip


def test_structure_and_scale() -> None:
    small, large = World(seed=42, scale=1).part("meta"), World(seed=42, scale=10).part("meta")
    for account in ("act_1001", "act_2002"):
        assert len(small.campaigns(account)) == 4
        assert len(small.ads(account)) == 4 * 3 * 4
        assert len(large.campaigns(account)) == 40
        assert len(large.ads(account)) == 480
    small_ids = [ad.id for a in ("act_1001", "act_2002") for ad in small.ads(a)]
    large_ids = [ad.id for a in ("act_1001", "act_2002") for ad in large.ads(a)]
    assert all(i.isdigit() for i in large_ids)
    assert len(set(small_ids)) == 96 and len(set(large_ids)) == 960
    assert set(small_ids) <= set(large_ids)  # scaling up adds campaigns, it does not reshuffle the first
    names = {c.name for c in small.campaigns("act_1001")}
    assert {"Double11 Prospecting", "618 Retargeting"} <= names
    assert small.account("act_1001").currency == "CNY"
    assert small.account("2002").timezone == "America/Los_Angeles"
    assert [account.id for account in small.accounts] == ["act_1001", "act_2002"]


def test_meta_rows_are_consistent(meta: MetaWorld) -> None:
    rows = meta.insights("act_1001", date(2026, 10, 1), date(2026, 11, 22), AS_OF)
    assert rows
    for row in rows:
        assert int(row["inline_link_clicks"]) <= int(row["clicks"]) <= int(row["impressions"])
        assert Decimal(row["spend"]) > 0 and Decimal(row["spend"]).as_tuple().exponent == -2
        assert row["date_start"] == row["date_stop"]
        assert row["account_id"] == "1001" and row["account_currency"] == "CNY"
    keys = [(r["date_start"], r["ad_id"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_not_every_ad_delivers_every_day(meta: MetaWorld) -> None:
    november = meta.insights("act_1001", date(2026, 11, 1), date(2026, 11, 22), AS_OF)
    june = meta.insights("act_1001", date(2026, 6, 1), date(2026, 6, 18), AS_OF)
    per_day: dict[str, int] = {}
    for row in november:
        per_day[row["date_start"]] = per_day.get(row["date_start"], 0) + 1
    assert max(per_day.values()) < 48  # pauses and flights keep some ads dark
    assert not any(r["campaign_name"] == "618 Retargeting" for r in november)
    assert any(r["campaign_name"] == "618 Retargeting" for r in june)
    assert not any(r["campaign_name"] == "Double11 Prospecting" for r in june)


def test_promotions_lift_spend(meta: MetaWorld) -> None:
    spend = truth.spend_by_account_day(meta, date(2026, 10, 15), date(2026, 11, 11), AS_OF)
    assert spend[("act_1001", date(2026, 11, 11))] > 2 * spend[("act_1001", date(2026, 10, 15))]


def test_purchases_restate_and_settle_after_28_days(meta: MetaWorld) -> None:
    fractions = [purchase_fraction(lag) for lag in range(1, 40)]
    assert fractions == sorted(fractions) and fractions[0] < 0.7 and fractions[27:] == [1.0] * 12
    day = date(2026, 11, 1)
    reported = {a: meta.insights("act_1001", day, day, a) for a in
                (date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 29), date(2027, 1, 31))}  # fmt: skip
    purchases = [_purchases(rows) for rows in reported.values()]
    assert purchases[0][0] < purchases[1][0] < purchases[2][0] == purchases[3][0]
    assert purchases[0][1] < purchases[1][1] < purchases[2][1] == purchases[3][1]
    spends = {tuple(r["spend"] for r in rows) for rows in reported.values()}
    assert len(spends) == 1  # spend never restates


def test_only_days_before_as_of_exist(meta: MetaWorld) -> None:
    rows = meta.insights("act_2002", date(2026, 11, 20), date(2026, 11, 30), AS_OF)
    assert {r["date_start"] for r in rows} == {"2026-11-20", "2026-11-21", "2026-11-22"}
