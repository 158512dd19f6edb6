"""The simulated Official Account and the shared organic world under it: deterministic, growing, with its quirks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sandbox.content import WORLD_START
from sandbox.wechat_oa.world import ACCOUNTS, WeChatOAWorld
from tests.sources.wechat_oa.helpers import APPID

AS_OF = datetime(2026, 11, 23, tzinfo=UTC)


def test_two_worlds_of_one_seed_agree_and_another_seed_differs() -> None:
    first, second, other = WeChatOAWorld(42, 1.0), WeChatOAWorld(42, 1.0), WeChatOAWorld(7, 1.0)
    day = date(2026, 11, 1)
    posts = [(p.id, p.published_at, round(p.potential, 6)) for p in first.posts_between(APPID, day, day + timedelta(9))]
    assert posts == [
        (p.id, p.published_at, round(p.potential, 6)) for p in second.posts_between(APPID, day, day + timedelta(9))
    ]
    assert posts != [
        (p.id, p.published_at, round(p.potential, 6)) for p in other.posts_between(APPID, day, day + timedelta(9))
    ]
    assert first.follower_day(APPID, day) == second.follower_day(APPID, day)


def test_views_grow_with_age_except_for_a_purge_and_every_counter_follows_views(wechat: Any) -> None:
    posts = wechat.posts_between(APPID, date(2025, 1, 1), date(2025, 12, 31))
    purged = [post for post in posts if post.purge is not None]
    assert purged and len(purged) < len(posts) / 10
    for post in posts[:200]:
        if post.purge is not None:
            continue
        series = [post.figures_at(post.published_at + timedelta(days=d)) for d in range(0, 40, 3)]
        assert [f.views for f in series] == sorted(f.views for f in series)
        assert all(f.likes <= f.views and f.shares <= f.views for f in series)
    post = purged[0]
    before = post.views_at(post.published_at + timedelta(days=post.purge.at_age_days - 0.01))
    after = post.views_at(post.published_at + timedelta(days=post.purge.at_age_days))
    assert after < before


def test_a_deleted_post_stops_existing_and_a_few_posts_are_viral(wechat: Any) -> None:
    posts = wechat.posts_between(APPID, WORLD_START, date(2026, 11, 21))
    deleted = [post for post in posts if post.deleted_at is not None]
    assert deleted
    assert not deleted[0].exists_at(deleted[0].deleted_at) and deleted[0].exists_at(deleted[0].published_at)
    viral = [post for post in posts if post.views_at(AS_OF) >= 100_000]
    assert 0 < len(viral) < len(posts) / 10


def test_followers_at_a_day_end_are_the_start_plus_follows_minus_unfollows(wechat: Any) -> None:
    previous = wechat.follower_day(APPID, date(2026, 10, 31))
    for offset in range(1, 30):
        day = wechat.follower_day(APPID, date(2026, 10, 31) + timedelta(days=offset))
        assert day.followers_start == previous.followers_end
        assert day.followers_end == day.followers_start + day.follows - day.unfollows
        previous = day
    assert wechat.follower_day(APPID, WORLD_START).followers_start == ACCOUNTS[0].followers_at_start


def test_the_article_answer_covers_thirty_days_after_publish_and_yesterday_only_after_eight_in_beijing(
    wechat: Any,
) -> None:
    ref_date = date(2026, 10, 3)
    post = wechat.articles(APPID, ref_date, AS_OF)[0]
    row = wechat.article_row(post, AS_OF)
    stat_dates = [entry["stat_date"] for entry in row["detail_list"]]
    assert stat_dates[0] == "2026-10-03" and stat_dates[-1] == "2026-11-01" and len(stat_dates) == 30
    reads = [entry["read_user"] for entry in row["detail_list"]]
    assert reads == sorted(reads) or post.purge is not None
    # 07:59 Beijing on the 23rd: the 22nd is not out yet; from 08:00 it is.
    assert wechat.last_served_day(datetime(2026, 11, 22, 23, 59, tzinfo=UTC)) == date(2026, 11, 21)
    assert wechat.last_served_day(datetime(2026, 11, 23, 0, 0, tzinfo=UTC)) == date(2026, 11, 22)


def test_the_user_summary_splits_follows_over_sources_and_books_unfollows_under_source_zero(wechat: Any) -> None:
    day = date(2026, 11, 10)
    rows = wechat.user_summary(APPID, day)
    entry = wechat.follower_day(APPID, day)
    assert sum(row["new_user"] for row in rows) == entry.follows
    assert [row["cancel_user"] for row in rows if row["user_source"] == 0] == [entry.unfollows]
    assert sum(row["cancel_user"] for row in rows) == entry.unfollows
    assert wechat.user_cumulate(APPID, day) == {"ref_date": "2026-11-10", "cumulate_user": entry.followers_end}


def test_scale_multiplies_posts_not_accounts() -> None:
    one, ten = WeChatOAWorld(42, 1.0), WeChatOAWorld(42, 10.0)
    since, until = date(2026, 1, 1), date(2026, 3, 31)
    ratio = len(ten.posts_between(APPID, since, until)) / len(one.posts_between(APPID, since, until))
    assert 8 < ratio < 12 and len(ten.accounts) == len(one.accounts) == 1
