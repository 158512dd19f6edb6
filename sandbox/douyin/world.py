"""The simulated Douyin brand account: the shared organic content (``sandbox.content``) rendered the way Douyin's
Open Platform shows it, as ``/video/list/`` items and ``/data/external/user/fans/`` rows.

- **Account.** One brand account (an ``open_id``: Douyin names a user per app, never by a global id), on Beijing
  time, about 1.5 posts a day at scale 1, a median of about 20,000 plays (so some posts pass the 100,000 viral
  threshold) and about 200,000 followers by late 2026.
- **Posts.** Mostly videos (``media_type`` 4), some image posts (图文, ``media_type`` 2). Ids are Douyin's
  encrypted item ids: ``@`` and base64 text with ``+``, ``/`` and ``=`` in it, which must be URL-encoded on their
  own when sent. Topic tags ride in the title as ``#tag``.
- **Counters.** ``statistics`` holds ``play_count`` (visible to the author only), ``digg_count`` (likes),
  ``comment_count``, ``share_count``, ``forward_count`` and ``download_count``. Douyin's API has no save
  (收藏) counter, so the world's saves never reach it.
- **Pinned posts** (置顶) come first in the list whatever their age: the first post on or after each of
  ``PINNED_FROM``, one of them older than 30 days.
- **Fans.** ``total_fans`` at the end of each Beijing day and ``new_fans`` during it; unfollows are not in the
  API (they are the difference).
"""

from __future__ import annotations

import base64
import hashlib
import math
from datetime import date, datetime, timedelta
from typing import Any

from sandbox.content import WORLD_START, ContentWorld, Engagement, FollowerDay, Post, SocialAccount

PLATFORM = "douyin"
TIMEZONE = "Asia/Shanghai"
# Data is T+1: a Beijing day's figures are out at 10:00 Beijing time the next day.
READY_HOUR = 10
ACCOUNT = SocialAccount(
    id="_000QnVdK3p9sXbT2wY7hLmA4cR8eFzU1jG6",
    name="品牌官方旗舰号",
    timezone=TIMEZONE,
    followers_at_start=43_000,  # about 200k by late 2026
    posts_per_day=1.5,
    median_views=20_000.0,
    half_life_days=2.0,
    formats=(("video", 0.85, 1.0), ("image", 0.15, 0.55)),
    engagement=Engagement(likes=0.045, comments=0.004, shares=0.003, saves=0.006),
    follows_per_day=190.0,
    churn=0.0006,
)
ACCOUNTS = (ACCOUNT,)
MEDIA_TYPES = {"video": 4, "image": 2}
# Downloads per play (before the post's own engagement factor) and forwards (转发 to a friend) per share.
DOWNLOAD_RATE = 0.0008
FORWARD_SHARE = 0.25
# Pinned posts: the account's first post on or after each of these Beijing days (one is old, one recent).
PINNED_FROM = (date(2026, 6, 18), date(2026, 11, 11))
# The item fields the list returns, in the API's order.
ITEM_FIELDS = ("item_id", "title", "create_time", "cover", "share_url", "is_top", "is_reviewed", "video_status",
               "media_type", "statistics")  # fmt: skip


def item_id(account: SocialAccount, day: date, n: int) -> str:
    """An encrypted-looking Douyin item id: ``@`` + 88 characters of base64 (``+``, ``/`` and ``==`` included)."""
    digest = hashlib.sha512(f"{PLATFORM}|{account.id}|{day.isoformat()}|{n}".encode()).digest()
    return "@" + base64.b64encode(digest).decode("ascii")


def _short_number(post: Post) -> str:
    # The public numeric video id a share link carries (19 digits, like Douyin's aweme ids).
    return str(7_300_000_000_000_000_000 + int(hashlib.sha256(post.id.encode()).hexdigest()[:14], 16))


def title_of(post: Post) -> str:
    """The title as a Douyin author writes it: the text, then every topic as ``#tag``."""
    return post.title + "".join(f" #{tag}" for tag in post.topics)


class DouyinWorld:
    """The brand's Douyin account of one seed and scale: its posts, pinned posts and fans."""

    def __init__(self, seed: int, scale: float) -> None:
        self.seed = seed
        self.scale = scale
        self.content = ContentWorld(PLATFORM, seed, scale, ACCOUNTS, item_id)
        self.accounts = ACCOUNTS
        self._pinned: dict[str, tuple[Post, ...]] = {}

    def account(self, open_id: str) -> SocialAccount:
        return self.content.account(open_id)

    # -- posts -----------------------------------------------------------------------------------------

    def pinned(self, open_id: str) -> tuple[Post, ...]:
        """The account's pinned posts in the order the list shows them (the latest pin first)."""
        if open_id in self._pinned:
            return self._pinned[open_id]
        found = []
        for start in sorted(PINNED_FROM, reverse=True):
            day = start
            while not self.content.posts_on(open_id, day):
                day += timedelta(days=1)
            found.append(self.content.posts_on(open_id, day)[0])
        self._pinned[open_id] = tuple(found)  # the same answer on any thread: no lock needed
        return self._pinned[open_id]

    def listed(self, open_id: str, moment: datetime) -> list[Post]:
        """``/video/list/``'s order at ``moment``: pinned posts first, then every other visible post, newest first."""
        pinned = [post for post in self.pinned(open_id) if post.exists_at(moment)]
        pinned_ids = {post.id for post in pinned}
        rest = [post for post in self.content.visible_posts(open_id, moment) if post.id not in pinned_ids]
        return pinned + rest

    def render_item(self, post: Post, moment: datetime) -> dict[str, Any]:
        """A ``/video/list/`` item with the post's lifetime counters at ``moment``; ``create_time`` in unix seconds."""
        figures = post.figures_at(moment)
        return {
            "item_id": post.id,
            "title": title_of(post),
            "create_time": int(post.published_at.timestamp()),
            "cover": f"https://p3-sign.douyinpic.com/obj/tos-cn-p-0015/{hashlib.md5(post.id.encode()).hexdigest()}",
            "share_url": f"https://www.iesdouyin.com/share/video/{_short_number(post)}/",
            "is_top": post.id in {pinned.id for pinned in self.pinned(post.account.id)},
            "is_reviewed": True,
            "video_status": 1,  # published and public
            "media_type": MEDIA_TYPES[post.format],
            "statistics": {
                "play_count": figures.views,
                "digg_count": figures.likes,
                "comment_count": figures.comments,
                "share_count": figures.shares,
                "forward_count": math.floor(figures.shares * FORWARD_SHARE),
                "download_count": math.floor(figures.views * DOWNLOAD_RATE * post.engagement_factor),
            },
        }

    # -- fans ------------------------------------------------------------------------------------------

    def follower_day(self, open_id: str, day: date) -> FollowerDay:
        return self.content.follower_day(open_id, day)

    def fans_row(self, open_id: str, day: date) -> dict[str, Any]:
        """One ``result_list`` row: followers at the end of the Beijing day and the day's new followers."""
        entry = self.follower_day(open_id, day)
        return {"date": day.isoformat(), "total_fans": entry.followers_end, "new_fans": entry.follows}

    def fans_rows(self, open_id: str, last: date, days: int) -> list[dict[str, Any]]:
        """The ``days`` Beijing days ending at ``last``, oldest first (none before the world starts)."""
        first = max(WORLD_START, last - timedelta(days=days - 1))
        return [self.fans_row(open_id, first + timedelta(days=i)) for i in range((last - first).days + 1)]


def build(world: Any) -> DouyinWorld:
    """This source's part of the ``sandbox.world.World``."""
    return DouyinWorld(world.seed, world.scale)
