"""Delivery anomalies injected into the sandbox's Meta world are flagged by marts.campaign_delivery_anomalies
with the right reason, and nothing else is flagged that day.

A private world (seed 42, scale 2: four always-on campaigns per account) gets one anomaly of each kind on
one day, each on its own campaign; sixty days of its final insights go straight into raw (as a load would
leave them) and the dbt project is built on them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from sandbox.ad_delivery import ANOMALIES, FLAGGED_AS
from sandbox.meta.world import MetaWorld
from tests.dbt import raw_fixtures as raw
from warehouse.dbt_build import run_dbt_build

DAY = datetime(2026, 9, 20, tzinfo=UTC).date()  # no promotion or flight starts or ends near it
SINCE = DAY - timedelta(days=59)
AS_OF = datetime.combine(DAY + timedelta(days=30), datetime.min.time(), tzinfo=UTC)  # conversions final


def purchases_before(meta: MetaWorld, campaign: object, day: date) -> int:
    """The campaign's final purchases over the 28 days before ``day``."""
    since = day - timedelta(days=28)
    return sum(
        entry.purchases
        for account in meta.accounts
        for entry in meta.insight_entries(account.id, since, day - timedelta(days=1), AS_OF)
        if entry.ad.campaign is campaign
    )


def test_each_injected_anomaly_is_flagged_with_its_reason_and_nothing_else_that_day(tmp_path: Path) -> None:
    meta = MetaWorld(seed=42, scale=2)
    always_on = [c for account in meta.accounts for c in meta.campaigns(account.id) if c.season is None]
    # Tracking can only be seen to break on a campaign that usually converts (var anomaly_min_baseline_conversions,
    # 5 a day): it goes to the one converting most in the four weeks before; the others keep their order.
    converting = max(always_on, key=lambda campaign: purchases_before(meta, campaign, DAY))
    others = [campaign for campaign in always_on if campaign is not converting]
    injected = {**dict(zip([k for k in ANOMALIES if k != "tracking_broke"], others, strict=False)),
                "tracking_broke": converting}  # fmt: skip
    assert len(injected) == len(ANOMALIES) == len(FLAGGED_AS)
    for kind, campaign in injected.items():
        meta.inject_anomaly(campaign.id, DAY, kind)

    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    try:
        raw.create_raw_tables(con)
        window = (SINCE, DAY + timedelta(days=1))
        for account in meta.accounts:
            for entry in meta.insight_entries(account.id, SINCE, DAY, AS_OF):
                raw.insert_meta(con, account.id, meta.render(entry, AS_OF), "run-a", AS_OF, window)
            raw.cover(con, "meta", "ads_insights", account.id, window, "run-a")
            raw.set_account_settings(con, "meta", account.id, account.timezone, account.currency)
    finally:
        con.close()
    run_dbt_build(warehouse, artifacts_dir=tmp_path / "dbt", unit_tests=False)

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        flagged = dict(
            con.execute(
                "select campaign_id, anomaly_reasons from marts.campaign_delivery_anomalies "
                "where date_day = $day and is_anomaly",
                {"day": DAY},
            ).fetchall()
        )
        checked = con.execute(
            "select count(*) from marts.campaign_delivery_anomalies where date_day = $day and days_of_history >= 14",
            {"day": DAY},
        ).fetchone()
    finally:
        con.close()
    assert flagged == {campaign.id: FLAGGED_AS[kind] for kind, campaign in injected.items()}
    assert checked is not None and checked[0] >= len(always_on)  # every always-on campaign was judged that day
