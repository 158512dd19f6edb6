"""The content marts against the Official Account's ground truth for one week (tests/dbt/week.py): every article's
lifetime figures, the growth between its daily figures, the account's followers and net growth per day."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sandbox.shopify.truth import orders_by_link
from sandbox.wechat_oa import truth
from sandbox.wechat_oa.world import WeChatOAWorld
from tests.dbt.helpers import rows
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL
from tests.sources.shopify.marts import week_orders
from tests.sources.wechat_oa.helpers import APPID
from warehouse.dbt_build import run_dbt_build

LAST_SERVED = date(2026, 11, 22)  # at SECOND_LOAD (08:00 Beijing on the 23rd) the 22nd is out


def test_each_article_s_lifetime_figures_are_its_latest_day_s_and_the_flags_follow_the_definitions(
    wechat: WeChatOAWorld, marts_week: Path
) -> None:
    posts = truth.listed_articles(wechat, APPID, SINCE, UNTIL, SECOND_LOAD)
    expected = {post.id: wechat.detail(post, LAST_SERVED) for post in posts}
    got = {r["post_id"]: r for r in rows(marts_week, "select * from marts.content_posts where platform = 'wechat_oa'")}
    assert set(got) == set(expected) and len(got) >= 4
    for post in posts:
        row, detail = got[post.id], expected[post.id]
        assert (row["views"], row["likes"], row["comments"], row["shares"], row["saves"]) == (
            detail["read_user"], detail["like_user"], detail["comment_count"], detail["share_user"],
            detail["collection_user"],
        )  # fmt: skip
        engagements = detail["like_user"] + detail["comment_count"] + detail["share_user"] + detail["collection_user"]
        assert row["engagements"] == engagements
        assert row["engagement_rate"] == engagements / detail["read_user"]
        assert row["is_viral"] is (detail["read_user"] >= 100_000)
        assert row["published_at"] == post.published_at
        assert row["published_date_local"] == post.local_published_at.date()
        assert row["last_snapshot_date"] == LAST_SERVED and row["is_deleted"] is False
        assert row["days_since_publish"] == (LAST_SERVED - post.local_published_at.date()).days
        assert row["topic_tags"] == ",".join(post.topics) and row["post_format"] == "article"


def test_daily_growth_is_the_difference_of_consecutive_cumulative_figures(
    wechat: WeChatOAWorld, marts_week: Path
) -> None:
    post = truth.listed_articles(wechat, APPID, SINCE, SINCE + timedelta(days=2), SECOND_LOAD)[0]
    series = rows(
        marts_week,
        "select snapshot_date, views, views_gained, views_removed, is_baseline, spans_days "
        f"from marts.content_post_daily where post_id = '{post.id}' order by snapshot_date",
    )
    reads = [wechat.detail(post, row["snapshot_date"])["read_user"] for row in series]
    assert [row["views"] for row in series] == reads
    assert [row["views_gained"] for row in series] == [reads[0]] + [
        b - a for a, b in zip(reads, reads[1:], strict=False)
    ]
    assert {row["is_baseline"] for row in series} == {False} and {row["spans_days"] for row in series} == {1}
    assert series[0]["snapshot_date"] == post.local_published_at.date() and series[-1]["snapshot_date"] == LAST_SERVED


def test_followers_and_net_growth_per_day_equal_the_truth(wechat: WeChatOAWorld, marts_week: Path) -> None:
    expected = truth.followers_by_day(wechat, APPID, SINCE, UNTIL)
    got = {
        r["date_day"]: r
        for r in rows(marts_week, "select * from marts.social_account_daily where platform = 'wechat_oa'")
    }
    assert set(got) == set(expected)
    for day, (followers, follows, unfollows) in expected.items():
        row = got[day]
        assert (row["followers"], row["follows"], row["unfollows"]) == (followers, follows, unfollows)
        assert row["net_follower_growth"] == follows - unfollows and row["unfollows_derived"] is False
    published = {day: 0 for day in expected}
    for post in truth.listed_articles(wechat, APPID, SINCE, UNTIL, SECOND_LOAD):
        published[post.local_published_at.date()] += 1
    assert {day: row["posts_published"] for day, row in got.items()} == published


def test_a_day_s_views_are_what_every_article_gained_that_day(wechat: WeChatOAWorld, marts_week: Path) -> None:
    day = UNTIL
    posts = truth.listed_articles(wechat, APPID, SINCE, UNTIL, SECOND_LOAD)
    gained = 0
    for post in posts:
        published = post.local_published_at.date()
        if published > day:
            continue
        before = wechat.detail(post, day - timedelta(days=1))["read_user"] if published < day else 0
        gained += wechat.detail(post, day)["read_user"] - before
    (row,) = rows(
        marts_week,
        f"select views from marts.social_account_daily where platform = 'wechat_oa' and date_day = '{day}'",
    )
    assert row["views"] == gained > 0


def test_best_posting_hours_count_every_article_once(wechat: WeChatOAWorld, marts_week: Any) -> None:
    posts = truth.listed_articles(wechat, APPID, SINCE, UNTIL, SECOND_LOAD)
    got = rows(marts_week, "select * from marts.content_posting_time where platform = 'wechat_oa'")
    assert sum(r["posts"] for r in got) == len(posts)
    by_slot: dict[tuple[int, int], int] = {}
    for post in posts:
        local = post.local_published_at
        by_slot[(local.isoweekday(), local.hour)] = by_slot.get((local.isoweekday(), local.hour), 0) + 1
    assert {(r["weekday"], r["hour_of_day"]): r["posts"] for r in got} == by_slot


def test_orders_whose_link_named_an_article_or_the_account_are_theirs(
    wechat: WeChatOAWorld, world: Any, marts_week: Path
) -> None:
    articles = {post.id for post in truth.listed_articles(wechat, APPID, SINCE, UNTIL, SECOND_LOAD)}
    linked = orders_by_link(week_orders(world.part("shopify")))
    # An order linked to an article older than the week's is not in the marts: that article is not either.
    expected = {content: figures for (_, content), figures in linked.items() if content in articles | {APPID}}
    got = {
        r["target_id"]: r
        for r in rows(marts_week, "select * from marts.content_to_commerce where platform = 'wechat_oa'")
    }
    assert set(got) == set(expected) and APPID in got and len(got) >= 3
    for target, (orders, gmv) in expected.items():
        row = got[target]
        assert (row["orders"], row["gmv"], row["link_target"]) == (
            orders, gmv, "account" if target == APPID else "post"
        )  # fmt: skip
        assert row["aov"] == float(gmv) / orders


def test_an_article_becomes_viral_on_the_first_day_its_reads_reach_the_threshold(
    wechat: WeChatOAWorld, marts_week: Path, tmp_path: Path
) -> None:
    """The week holds no article of 100,000 reads, so the threshold is set (a dbt var) between the day-one and the
    latest reads of the week's most read article; every article must then be flagged on its first day at or over it."""
    posts = truth.listed_articles(wechat, APPID, SINCE, UNTIL, SECOND_LOAD)
    top = max(posts, key=lambda post: wechat.detail(post, LAST_SERVED)["read_user"])
    first_day_reads = wechat.detail(top, top.local_published_at.date())["read_user"]
    threshold = (first_day_reads + wechat.detail(top, LAST_SERVED)["read_user"]) // 2
    assert threshold > first_day_reads  # it grows past it after its publish day
    expected = set()
    for post in posts:
        day = post.local_published_at.date()
        while day <= LAST_SERVED and wechat.detail(post, day)["read_user"] < threshold:
            day += timedelta(days=1)
        if day <= LAST_SERVED:
            expected.add((post.id, day))

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(marts_week, warehouse)
    run_dbt_build(
        warehouse,
        select="content_post_daily",
        unit_tests=False,
        vars={"content_viral_thresholds": {"wechat_oa": threshold}},
        artifacts_dir=tmp_path / "dbt",
    )
    got = rows(
        warehouse,
        "select post_id, snapshot_date from marts.content_post_daily where platform = 'wechat_oa' and became_viral",
    )
    assert {(r["post_id"], r["snapshot_date"]) for r in got} == expected
    assert (top.id, top.local_published_at.date()) not in expected and any(p == top.id for p, _ in expected)
