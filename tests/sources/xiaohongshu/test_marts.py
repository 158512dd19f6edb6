"""The content marts against Xiaohongshu's ground truth for one week (tests/dbt/week.py): each brand note's lifetime
figures, each creator collaboration's fee, figures and the shop orders its link brought."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sandbox.shopify.links import CREATOR_MEDIUM
from sandbox.shopify.truth import orders_by_link
from sandbox.xiaohongshu import truth
from sandbox.xiaohongshu.world import XiaohongshuWorld
from tests.dbt.helpers import rows
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL
from tests.sources.shopify.marts import week_orders
from tests.sources.xiaohongshu.helpers import BRAND, SOURCE
from tests.sources.xiaohongshu.marts import FIRST_SNAPSHOT


def test_each_brand_note_s_lifetime_figures_are_its_report_days_added_up(
    xhs: XiaohongshuWorld, marts_week: Path
) -> None:
    expected = truth.snapshot_figures(xhs, SINCE, UNTIL, SECOND_LOAD)
    got = {r["post_id"]: r for r in rows(marts_week, f"select * from marts.content_posts where platform = '{SOURCE}'")}
    assert set(got) == set(expected) and len(got) >= 5
    for post_id, note in expected.items():
        row = got[post_id]
        assert (row["views"], row["likes"], row["comments"], row["shares"], row["saves"]) == (
            note.views, note.likes, note.comments, note.shares, note.saves,
        )  # fmt: skip
        assert row["engagements"] == note.likes + note.comments + note.shares + note.saves
        assert row["account_id"] == BRAND and row["published_at"] == note.published_at
        assert row["last_snapshot_date"] == UNTIL


def _collaborations(xhs: XiaohongshuWorld) -> dict[str, tuple[Any, Any]]:
    """Every collaboration the week's two 蒲公英 snapshots held, with its latest snapshot day and figures."""
    latest: dict[str, tuple[Any, Any]] = {}
    for day in (FIRST_SNAPSHOT, UNTIL):
        latest.update({key: (day, c) for key, c in truth.collaboration_snapshot(xhs, day).items()})
    return latest


def test_each_collaboration_s_fee_and_figures_are_its_latest_snapshot_s(
    xhs: XiaohongshuWorld, marts_week: Path
) -> None:
    expected = _collaborations(xhs)
    got = {r["collaboration_id"]: r for r in rows(marts_week, "select * from marts.creator_collaborations")}
    assert set(got) == set(expected)
    assert {day for day, _ in expected.values()} == {FIRST_SNAPSHOT, UNTIL}  # both snapshots are read
    for key, (day, c) in expected.items():
        row = got[key]
        assert (row["creator_id"], row["creator_name"], row["creator_tier"]) == (c.creator_id, c.creator_name, c.tier)
        assert row["fee_native"] == c.fee and row["fee"] == c.fee and row["currency"] == "CNY"  # reporting is CNY
        assert (row["reach"], row["views"], row["likes"], row["comments"], row["shares"], row["saves"]) == (
            c.impressions, c.views, c.likes, c.comments, c.shares, c.saves,
        )  # fmt: skip
        engagements = c.likes + c.comments + c.shares + c.saves
        assert row["engagements"] == engagements and row["last_snapshot_date"] == day
        assert row["cpe"] == (float(c.fee) / engagements if engagements else None)
        assert row["post_id"] == c.post_id and row["published_at"] == c.published_at


def test_a_collaboration_is_credited_the_orders_whose_link_carried_its_id(world: Any, marts_week: Path) -> None:
    linked = orders_by_link(week_orders(world.part("shopify")))
    got = rows(marts_week, "select collaboration_id, fee, orders, gmv, roas from marts.creator_collaborations")
    credited = 0
    for row in got:
        orders, gmv = linked.get((CREATOR_MEDIUM, row["collaboration_id"]), (0, Decimal("0.00")))
        assert (row["orders"], row["gmv"]) == (orders, gmv), row["collaboration_id"]
        assert row["roas"] == float(gmv) / float(row["fee"])
        credited += orders
    assert credited >= 5
    # Orders through a creator's note are the collaboration's, never a brand post's.
    (row,) = rows(marts_week, f"select count(*) as n from marts.content_to_commerce where platform = '{SOURCE}' "
                              "and link_target = 'collaboration'")  # fmt: skip
    assert row["n"] == 0


def test_orders_whose_link_named_a_brand_note_are_that_note_s(world: Any, marts_week: Path) -> None:
    linked = orders_by_link(week_orders(world.part("shopify")))
    query = f"select * from marts.content_posts where platform = '{SOURCE}'"
    notes = {r["post_id"]: r for r in rows(marts_week, query)}
    expected = {
        content: figures
        for (medium, content), figures in linked.items()
        if medium != CREATOR_MEDIUM and (content in notes or content == BRAND)
    }
    got = {
        r["target_id"]: r
        for r in rows(marts_week, f"select * from marts.content_to_commerce where platform = '{SOURCE}'")
    }
    assert set(got) == set(expected) and BRAND in got
    for target, (orders, gmv) in expected.items():
        row = got[target]
        assert (row["orders"], row["gmv"]) == (orders, gmv)
        if target == BRAND:
            assert row["link_target"] == "account" and row["post_views"] is None
        else:
            assert row["link_target"] == "post" and row["post_views"] == notes[target]["views"]
            assert row["orders_per_10k_views"] == orders * 10_000 / notes[target]["views"]
