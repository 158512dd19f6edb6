"""The simulated Douyin account: the figures it was built with, its ids, its pinned posts, its fans."""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median
from typing import Any

from sandbox.douyin import truth
from sandbox.douyin.world import ACCOUNT, DouyinWorld, title_of
from tests.sources.douyin.helpers import NOW


def test_the_account_posts_about_one_and_a_half_times_a_day_with_a_median_near_twenty_thousand(douyin: Any) -> None:
    posts = douyin.content.posts_between(ACCOUNT.id, date(2026, 1, 1), date(2026, 11, 21))
    per_day = len(posts) / (date(2026, 11, 21) - date(2026, 1, 1)).days
    assert 1.3 < per_day < 1.7
    assert 15_000 < median(post.potential for post in posts) < 25_000
    viral = [post for post in posts if post.potential >= 100_000]
    assert 0.03 < len(viral) / len(posts) < 0.2  # some posts pass the viral threshold
    assert {post.format for post in posts} == {"video", "image"}


def test_followers_are_near_two_hundred_thousand_and_add_up_day_by_day(douyin: Any) -> None:
    days = truth.followers_by_day(douyin, ACCOUNT.id, date(2026, 11, 1), date(2026, 11, 21))
    assert 180_000 < days[date(2026, 11, 21)][0] < 230_000
    for day, (followers, follows, unfollows) in days.items():
        if day > date(2026, 11, 1):
            assert followers == days[day - timedelta(days=1)][0] + follows - unfollows
        assert follows > 0 and unfollows > 0
    rows = truth.fans_rows(douyin, ACCOUNT.id, date(2026, 11, 20), date(2026, 11, 21))
    assert rows == [
        {"date": "2026-11-20", "total_fans": days[date(2026, 11, 20)][0], "new_fans": days[date(2026, 11, 20)][1]},
        {"date": "2026-11-21", "total_fans": days[date(2026, 11, 21)][0], "new_fans": days[date(2026, 11, 21)][1]},
    ]


def test_item_ids_are_encrypted_text_that_needs_url_encoding(douyin: Any) -> None:
    posts = douyin.content.posts_between(ACCOUNT.id, date(2026, 10, 1), date(2026, 11, 21))
    ids = [post.id for post in posts]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("@") and len(i) == 89 and i.endswith("==") for i in ids)
    assert any("+" in i for i in ids) and any("/" in i for i in ids)


def test_pinned_posts_lead_the_list_one_old_one_young(douyin: Any) -> None:
    listed = douyin.listed(ACCOUNT.id, NOW)
    pinned = douyin.pinned(ACCOUNT.id)
    assert [post.id for post in listed[:2]] == [post.id for post in pinned]
    assert [post.local_published_at.date() for post in pinned] == [date(2026, 11, 11), date(2026, 6, 18)]
    rest = listed[2:]
    assert [p.published_at for p in rest] == sorted((p.published_at for p in rest), reverse=True)
    assert not {p.id for p in pinned} & {p.id for p in rest}
    items = [douyin.render_item(post, NOW) for post in listed[:3]]
    assert [item["is_top"] for item in items] == [True, True, False]


def test_an_item_carries_the_posts_figures_tags_in_its_title_and_no_save_counter(douyin: Any) -> None:
    post = douyin.listed(ACCOUNT.id, NOW)[5]
    item = douyin.render_item(post, NOW)
    figures = post.figures_at(NOW)
    assert item["create_time"] == int(post.published_at.timestamp())
    assert item["title"] == title_of(post) and item["title"].count("#") == len(post.topics) >= 1
    assert item["statistics"]["play_count"] == figures.views
    assert (item["statistics"]["digg_count"], item["statistics"]["comment_count"]) == (figures.likes, figures.comments)
    assert item["statistics"]["share_count"] == figures.shares
    assert not any("collect" in key or "save" in key for key in item["statistics"])


def test_deleted_posts_leave_the_list_and_the_world_is_the_same_in_another_instance(douyin: Any) -> None:
    posts = douyin.content.posts_between(ACCOUNT.id, date(2024, 1, 1), date(2026, 11, 21))
    deleted = [p for p in posts if p.deleted_at is not None and p.deleted_at < NOW]
    assert deleted
    listed = {post.id for post in douyin.listed(ACCOUNT.id, NOW)}
    assert not listed & {p.id for p in deleted}
    again = DouyinWorld(douyin.seed, douyin.scale)
    assert [p.id for p in again.listed(ACCOUNT.id, NOW)][:50] == [p.id for p in douyin.listed(ACCOUNT.id, NOW)][:50]
