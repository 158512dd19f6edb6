"""The simulated TikTok advertisers: deterministic, their own accounts and ids, spend plausible beside Meta's."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sandbox.formats import as_utc
from sandbox.meta import truth as meta_truth
from sandbox.tiktok import truth
from sandbox.tiktok.world import TikTokWorld
from sandbox.world import World
from tests.sources.tiktok.helpers import CROSS_BORDER, US

AS_OF = date(2026, 11, 23)
WEEK = (date(2026, 11, 1), date(2026, 11, 7))
REPO = Path(__file__).resolve().parents[3]
DIGEST_SCRIPT = """
import hashlib, json
from datetime import date
from sandbox.world import World
tiktok = World(seed=42).part("tiktok")
rows = tiktok.rows("7301940000000000022", date(2026, 11, 1), date(2026, 11, 7), date(2026, 11, 23))
print(hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest())
"""


def test_same_seed_same_world_in_another_process_and_another_seed_another() -> None:
    # A different hash seed in the child proves no value depends on Python's salted hash().
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    child = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    rows = World(seed=42).part("tiktok").rows(CROSS_BORDER, *WEEK, AS_OF)
    assert child.stdout.strip() == hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    assert World(seed=7).part("tiktok").rows(CROSS_BORDER, *WEEK, AS_OF) != rows


def test_its_own_advertisers_zones_currencies_and_ids(tiktok: TikTokWorld, world: World) -> None:
    assert [(a.id, a.timezone, a.currency) for a in tiktok.accounts] == [
        (US, "America/Los_Angeles", "USD"),
        (CROSS_BORDER, "Asia/Shanghai", "USD"),
    ]
    meta_ads = {ad.id for account in world.part("meta").accounts for ad in world.part("meta").ads(account.id)}
    for advertiser in (US, CROSS_BORDER):
        for ad in tiktok.ads(advertiser):
            assert len(ad.id) == len(ad.adset.id) == len(ad.campaign.id) == 19, ad
            assert (ad.campaign.id[:4], ad.adset.id[:4], ad.id[:4]) == ("1781", "1782", "1783")
            assert ad.id not in meta_ads


def test_spend_is_plausible_beside_metas_usd_account(tiktok: TikTokWorld, world: World) -> None:
    spend = truth.spend_by_advertiser_day(tiktok, *WEEK, AS_OF)
    meta = meta_truth.spend_by_account_day(world.part("meta"), *WEEK, AS_OF)
    meta_usd = sum(amount for (account, _), amount in meta.items() if account == "act_2002")
    for advertiser in (US, CROSS_BORDER):
        weekly = sum(amount for (account, _), amount in spend.items() if account == advertiser)
        assert Decimal("0.3") * meta_usd < weekly < Decimal("1.2") * meta_usd, (advertiser, weekly, meta_usd)
    assert {day for _, day in spend} == {WEEK[0] + timedelta(days=n) for n in range(7)}


def test_clicks_are_destination_clicks_and_purchases_complete_payments(tiktok: TikTokWorld) -> None:
    for row, reported in zip(tiktok.rows(US, *WEEK, AS_OF), tiktok.report_days(US, *WEEK, as_utc(AS_OF)), strict=True):
        metrics, entry = row["metrics"], reported.entry
        assert metrics["clicks"] == str(entry.inline_link_clicks)
        assert metrics["conversion"] == metrics["complete_payment"] == str(reported.purchases)
        assert Decimal(metrics["total_complete_payment_rate"]) == reported.purchase_value
        assert int(metrics["clicks"]) <= int(metrics["impressions"])
