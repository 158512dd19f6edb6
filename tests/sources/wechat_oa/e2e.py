"""What the end-to-end run (tests/test_end_to_end.py) checks of the Official Account: every article of the load's
mass-message days with its lifetime figures, and the account's followers per day, in the published content marts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sandbox.wechat_oa import truth
from tests.sources.wechat_oa.helpers import APPID, SOURCE


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    wechat = world.part(SOURCE)
    last_day = wechat.last_served_day(as_of)
    posts = truth.listed_articles(wechat, APPID, window_start, last_day, as_of)
    expected = {}
    for post in posts:
        detail = wechat.detail(post, wechat.detail_days(post, as_of)[-1])
        expected[post.id] = (detail["read_user"], detail["like_user"], detail["comment_count"], detail["share_user"],
                             detail["collection_user"])  # fmt: skip
    got = {
        post_id: tuple(figures)
        for post_id, *figures in con.execute(
            "select post_id, views, likes, comments, shares, saves from marts.content_posts "
            "where platform = 'wechat_oa'"
        ).fetchall()
    }
    assert got == expected and len(got) >= initial_days // 2
    followers = truth.followers_by_day(wechat, APPID, window_start, last_day)
    got_followers = {
        day: (end, follows, unfollows)
        for day, end, follows, unfollows in con.execute(
            "select date_day, followers, follows, unfollows from marts.social_account_daily "
            "where platform = 'wechat_oa'"
        ).fetchall()
    }
    assert got_followers == followers and max(followers) == as_of.date() - timedelta(days=1)
