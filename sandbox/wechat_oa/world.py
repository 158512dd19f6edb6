"""The simulated WeChat Official Account: the shared organic world (``sandbox.content``) rendered as datacube rows.

Articles: ``getarticletotaldetail`` lists the articles of a mass message day (``ref_date``) with one
``detail_list`` entry per day from publish on (``stat_date``), each the article's cumulative figures up to 24:00
of that day, for at most 30 days after publish. An article the account deleted is no longer listed at all.

Followers: ``getusersummary`` has a day's new followers per source (``user_source``) and the day's unfollows
(``cancel_user``, under source 0); ``getusercumulate`` the total at the day's end.

Readiness: yesterday's figures appear only once it is 08:00 in Beijing; before that the last day served is the
day before yesterday and an article answer says ``is_delay: true``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sandbox.content import WORLD_START, ContentWorld, Engagement, Post, ShopLinks, SocialAccount, end_of_day
from sandbox.formats import SHANGHAI

# appid → the account. One subscription account; its followers grow slowly and mostly from search and articles.
ACCOUNTS = (
    SocialAccount(
        id="wx5b1c0e8a3f2d4c61",
        name="Brand 官方公众号",
        timezone="Asia/Shanghai",
        followers_at_start=120_000,
        posts_per_day=1.0,
        median_views=9_000,
        half_life_days=1.5,
        formats=(("article", 1.0, 1.0),),
        engagement=Engagement(likes=0.018, comments=0.002, shares=0.012, saves=0.009),
        follows_per_day=95.0,
        churn=0.0006,
    ),
)
DETAIL_DAYS = 30  # detail_list covers the publish day and the 29 days after it
READY_HOUR = 8  # Beijing time: yesterday is complete from then on
# The shop's WeChat visitors: three in four from a recent article, the rest from the account's menu.
SHOP_LINKS = ShopLinks(channel="wechat", post_share=0.75)
# A mass message's msgid; an article is "<msgid>_<index>" (its place in the message, from 1).
MSGID_BASE = 2_247_480_000
# getusersummary's user_source codes new followers come from, with their shares: other, search, business card
# shares, QR code scans, article pages.
USER_SOURCES = ((0, 0.15), (1, 0.3), (17, 0.1), (30, 0.2), (57, 0.25))


def article_id(account: SocialAccount, day: date, n: int) -> str:
    return f"{MSGID_BASE + (day - WORLD_START).days}_{n + 1}"


class WeChatOAWorld(ContentWorld):
    def __init__(self, seed: int, scale: float) -> None:
        super().__init__("wechat_oa", seed, scale, ACCOUNTS, article_id)

    def last_served_day(self, as_of: datetime) -> date:
        """The last day whose figures are out at ``as_of``: yesterday from 08:00 Beijing, else the day before."""
        local = as_of.astimezone(SHANGHAI)
        return local.date() - timedelta(days=1 if local.hour >= READY_HOUR else 2)

    def is_delayed(self, as_of: datetime) -> bool:
        return as_of.astimezone(SHANGHAI).hour < READY_HOUR

    def articles(self, appid: str, ref_date: date, as_of: datetime) -> list[Post]:
        """The articles of ``ref_date`` still listed at ``as_of`` (published by then, not deleted)."""
        return [post for post in self.posts_on(appid, ref_date) if post.exists_at(as_of)]

    def detail_days(self, post: Post, as_of: datetime) -> list[date]:
        ref_date = post.local_published_at.date()
        last = min(ref_date + timedelta(days=DETAIL_DAYS - 1), self.last_served_day(as_of))
        return [ref_date + timedelta(days=i) for i in range((last - ref_date).days + 1)]

    def detail(self, post: Post, stat_date: date) -> dict[str, Any]:
        """The article's cumulative figures up to 24:00 of ``stat_date``, as ``detail_list`` writes them."""
        figures = post.figures_at(end_of_day(stat_date, post.account.timezone))
        return {
            "stat_date": stat_date.isoformat(),
            "read_user": figures.views,
            "read_count": figures.views + figures.views // 7,  # some read twice
            "share_user": figures.shares,
            "share_count": figures.shares + figures.shares // 4,
            "like_user": figures.likes,
            "zaikan_user": figures.likes * 2 // 5,
            "comment_count": figures.comments,
            "collection_user": figures.saves,
        }

    def article_row(self, post: Post, as_of: datetime) -> dict[str, Any]:
        return {
            "ref_date": post.local_published_at.date().isoformat(),
            "msgid": post.id,
            "title": post.title,
            "publish_type": 0,  # a mass message (群发)
            "publish_time": int(post.published_at.timestamp()),
            "topic_tags": list(post.topics),
            "detail_list": [self.detail(post, day) for day in self.detail_days(post, as_of)],
        }

    def user_summary(self, appid: str, day: date) -> list[dict[str, Any]]:
        """The day's rows by user_source: new followers split over the sources, unfollows under source 0."""
        entry = self.follower_day(appid, day)
        remaining, rows = entry.follows, []
        for index, (source, share) in enumerate(USER_SOURCES):
            new = remaining if index == len(USER_SOURCES) - 1 else min(remaining, round(entry.follows * share))
            remaining -= new
            cancel = entry.unfollows if source == 0 else 0
            if source == 0 or new:
                rows.append(
                    {"ref_date": day.isoformat(), "user_source": source, "new_user": new, "cancel_user": cancel}
                )
        return rows

    def user_cumulate(self, appid: str, day: date) -> dict[str, Any]:
        return {"ref_date": day.isoformat(), "cumulate_user": self.follower_day(appid, day).followers_end}


def build(world: Any) -> WeChatOAWorld:
    """This source's part of the ``sandbox.world.World``."""
    return WeChatOAWorld(world.seed, world.scale)
