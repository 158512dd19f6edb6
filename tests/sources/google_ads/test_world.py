"""The simulated Google Ads customers: deterministic, distinct from Meta's, plausible beside them, and shaped
like searchStream rows (int64 strings, doubles, absent rows and names)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from extractors.pii import scrub_pii
from sandbox.ad_delivery import RESTATEMENT_DAYS
from sandbox.google_ads import truth
from sandbox.google_ads.world import GoogleAdsWorld
from sandbox.world import World
from tests.sources.google_ads.helpers import CN, US

AS_OF = date(2026, 11, 23)
WEEK = (date(2026, 11, 1), date(2026, 11, 7))
REPO = Path(__file__).resolve().parents[3]
DIGEST_SCRIPT = """
import hashlib, json
from datetime import date
from sandbox.world import World
rows = World(seed=42).part("google_ads").rows("7305518264", date(2026, 11, 1), date(2026, 11, 7), date(2026, 11, 23))
print(hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest())
"""


def test_same_seed_gives_the_same_world_here_and_in_another_process() -> None:
    first, second = World(seed=42).part("google_ads"), World(seed=42).part("google_ads")
    assert first.rows(CN, *WEEK, AS_OF) == second.rows(CN, *WEEK, AS_OF)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # no value may depend on Python's salted hash()
    child = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    here = hashlib.sha256(json.dumps(first.rows(US, *WEEK, AS_OF), sort_keys=True).encode()).hexdigest()
    assert child.stdout.strip() == here
    assert World(seed=7).part("google_ads").rows(CN, *WEEK, AS_OF) != first.rows(CN, *WEEK, AS_OF)


def test_customers_have_their_own_zones_currencies_and_ids(google: GoogleAdsWorld, world: World) -> None:
    assert [(a.id, a.currency, a.timezone) for a in google.accounts] == [
        (CN, "CNY", "Asia/Shanghai"),
        (US, "USD", "America/Los_Angeles"),
    ]
    google_ids = {ad.id for account in google.accounts for ad in google.ads(account.id)}
    meta = world.part("meta")
    meta_ids = {ad.id for account in meta.accounts for ad in meta.ads(account.id)}
    assert google_ids and not google_ids & meta_ids
    # Google ids are int64: every one fits, as the row's JSON strings say.
    assert max(int(ad_id) for ad_id in google_ids) < 2**63
    campaigns = {campaign.id for account in google.accounts for campaign in google.campaigns(account.id)}
    assert all(c.startswith("2") and len(c) == 15 for c in campaigns)


def test_rows_are_shaped_like_search_stream_rows(google: GoogleAdsWorld) -> None:
    rows = google.rows(CN, *WEEK, AS_OF)
    assert len(rows) > 100
    for row in rows:
        metrics = row["metrics"]
        assert all(isinstance(metrics[k], str) for k in ("costMicros", "impressions", "clicks"))  # int64
        assert all(isinstance(metrics[k], float) for k in ("conversions", "conversionsValue"))  # doubles
        assert int(metrics["costMicros"]) > 0  # an ad-day without activity is absent, not a row of zeros
        assert int(metrics["costMicros"]) % 10_000 == 0  # billed in cents
        assert int(metrics["clicks"]) <= int(metrics["impressions"])
        ad_group_ad = row["adGroupAd"]
        assert (
            ad_group_ad["resourceName"] == f"customers/{CN}/adGroupAds/{row['adGroup']['id']}~{ad_group_ad['ad']['id']}"
        )
        assert row["customer"] == {
            "resourceName": f"customers/{CN}", "id": CN, "currencyCode": "CNY", "timeZone": "Asia/Shanghai",
        }  # fmt: skip
    named = [row for row in rows if "name" in row["adGroupAd"]["ad"]]
    assert 0 < len(named) < len(rows)  # responsive search ads have no name: the field is absent
    assert [row["segments"]["date"] for row in rows] == sorted(row["segments"]["date"] for row in rows)


def test_no_id_or_name_looks_like_a_phone_to_the_pii_scan(google: GoogleAdsWorld) -> None:
    """Records land through scrub_pii: an id the scan took for a phone number would be replaced by a hash."""
    secret = b"x" * 32
    rows = google.rows(CN, *WEEK, AS_OF) + google.rows(US, *WEEK, AS_OF)
    assert [scrub_pii(row, secret=secret) for row in rows] == rows


def test_spend_is_plausible_beside_meta(google: GoogleAdsWorld, world: World) -> None:
    def daily(spend: dict[tuple[str, date], Decimal], account: str) -> Decimal:
        return sum((v for (a, _), v in spend.items() if a == account), Decimal(0)) / 7

    ours = truth.spend_by_account_day(google, *WEEK, AS_OF)
    from sandbox.meta import truth as meta_truth

    theirs = meta_truth.spend_by_account_day(world.part("meta"), *WEEK, AS_OF)
    # A small channel in China (a quarter of Meta's CNY spend), a main one in the US (about half of Meta's).
    assert Decimal("0.15") < daily(ours, CN) / daily(theirs, "act_1001") < Decimal("0.4")
    assert Decimal("0.3") < daily(ours, US) / daily(theirs, "act_2002") < Decimal("0.7")


def test_conversions_are_restated_for_four_weeks_and_cost_never_is(google: GoogleAdsWorld) -> None:
    since, until = date(2026, 10, 14), date(2026, 10, 20)

    def totals(as_of: date) -> tuple[Decimal, Decimal]:
        reported = truth.conversions_by_account_day(google, since, until, as_of).values()
        return sum((c for c, _ in reported), Decimal(0)), sum((v for _, v in reported), Decimal(0))

    early, final = totals(date(2026, 10, 21)), totals(until + timedelta(days=RESTATEMENT_DAYS))
    assert early[0] < final[0] and early[1] < final[1]  # still arriving the day after
    assert totals(until + timedelta(days=RESTATEMENT_DAYS + 10)) == final  # final after four weeks
    costs = [truth.spend_by_account_day(google, since, until, as_of) for as_of in (date(2026, 10, 21), AS_OF)]
    assert costs[0] == costs[1]
