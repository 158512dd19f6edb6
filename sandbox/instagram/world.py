"""The simulated Instagram business account: the shared organic world (``sandbox.content``) rendered as Graph API
nodes: IG Media (the media edge), media insights (lifetime) and the account's ``follower_count`` per day.

- **Formats.** Posts are images, carousels, videos and reels; Graph says which with ``media_type`` (IMAGE,
  CAROUSEL_ALBUM, VIDEO) and ``media_product_type`` (FEED, or REELS for a reel, whose media_type is VIDEO).
- **Captions.** The post's title, a blank line, then its topics as hashtags (``#护肤 #教程``).
- **Insights.** ``views`` (the metric that replaced impressions and plays in v22), ``reach`` (a post-own share of
  the views), ``likes``, ``comments``, ``shares``, ``saved``, ``total_interactions``: all lifetime. A media with
  fewer than ``MIN_VIEWERS_FOR_INSIGHTS`` views (a post minutes old) has no insights: Graph answers
  ``(#10) Not enough viewers for the media to show insights``.
- **Followers.** ``follower_count`` with ``period=day`` is the day's *new* followers (unfollows are not in the
  API). A day's value is out ``FOLLOWER_LAG`` after the day ended in America/Los_Angeles (Instagram's day
  buckets), and today is never served. ``followers_count`` on the user node is live: the count at the start of
  today plus the share of today's follows and unfollows that happened by then.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sandbox import rng
from sandbox.content import WORLD_START, ContentWorld, Engagement, Post, SocialAccount, end_of_day

TIMEZONE = "America/Los_Angeles"
ACCOUNTS = (
    SocialAccount(
        id="17841405822304914",
        name="brand.official",
        timezone=TIMEZONE,
        followers_at_start=50_000,  # about 80k by late 2026
        posts_per_day=0.8,
        median_views=6_000,
        half_life_days=2.0,
        formats=(("image", 0.3, 0.8), ("carousel", 0.25, 1.0), ("video", 0.1, 1.0), ("reel", 0.35, 1.6)),
        engagement=Engagement(likes=0.045, comments=0.003, shares=0.006, saves=0.011),
        follows_per_day=45.0,
        churn=0.0004,
    ),
)
# The post's format → (media_type, media_product_type, permalink path).
MEDIA_TYPES = {
    "image": ("IMAGE", "FEED", "p"),
    "carousel": ("CAROUSEL_ALBUM", "FEED", "p"),
    "video": ("VIDEO", "FEED", "p"),
    "reel": ("VIDEO", "REELS", "reel"),
}
MEDIA_FIELDS = ("id", "timestamp", "media_type", "media_product_type", "permalink", "caption", "like_count",
                "comments_count", "username", "shortcode", "is_comment_enabled")  # fmt: skip
INSIGHT_METRICS = ("reach", "views", "likes", "comments", "shares", "saved", "total_interactions")
METRIC_TITLES = {
    "reach": "Accounts reached",
    "views": "Views",
    "likes": "Likes",
    "comments": "Comments",
    "shares": "Shares",
    "saved": "Saved",
    "total_interactions": "Interactions",
}
MIN_VIEWERS_FOR_INSIGHTS = 100
NOT_ENOUGH_VIEWERS_SUBCODE = 2108006  # the subcode Graph sends with "(#10) Not enough viewers"
FOLLOWER_LAG = timedelta(hours=6)
_SHORTCODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def media_id(account: SocialAccount, day: date, n: int) -> str:
    """17 digits like Instagram's media ids (17895…), unique per (day, n)."""
    return f"179{(day - WORLD_START).days:06d}{n:02d}{rng.seed_of('instagram-media', day, n) % 1_000_000:06d}"


def graph_time(moment: datetime) -> str:
    """Graph's timestamp form: UTC with a ``+0000`` offset, whole seconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def local_midnight(day: date, timezone: str = TIMEZONE) -> datetime:
    """The instant ``day`` starts on the account's clock, in UTC."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


class InstagramWorld(ContentWorld):
    def __init__(self, seed: int, scale: float) -> None:
        super().__init__("instagram", seed, scale, ACCOUNTS, media_id)

    # -- media ---------------------------------------------------------------------------------------

    def media(self, account_id: str, moment: datetime) -> list[Post]:
        """Every media the account has at ``moment``, newest first (the media edge's order)."""
        return self.visible_posts(account_id, moment)

    def post(self, media_id: str) -> Post | None:
        """The post with this media id (deleted ones included), or None."""
        if len(media_id) != 17 or not media_id.startswith("179") or not media_id.isdigit():
            return None
        days = int(media_id[3:9])
        day = WORLD_START + timedelta(days=days)
        for account in self.accounts:
            for post in self.posts_on(account.id, day):
                if post.id == media_id:
                    return post
        return None

    def shortcode(self, post: Post) -> str:
        value = rng.seed_of(self.seed, "instagram-shortcode", post.id)
        return "".join(_SHORTCODE[(value >> (6 * i)) % 64] for i in range(11))

    def caption(self, post: Post) -> str:
        return f"{post.title}\n\n" + " ".join(f"#{tag}" for tag in post.topics)

    def media_node(self, post: Post, moment: datetime) -> dict[str, Any]:
        """Every field of the IG Media node at ``moment``; the server returns those asked for."""
        media_type, product, path = MEDIA_TYPES[post.format]
        figures = post.figures_at(moment)
        return {
            "id": post.id,
            "timestamp": graph_time(post.published_at),
            "media_type": media_type,
            "media_product_type": product,
            "permalink": f"https://www.instagram.com/{path}/{self.shortcode(post)}/",
            "caption": self.caption(post),
            "like_count": figures.likes,
            "comments_count": figures.comments,
            "username": post.account.name,
            "shortcode": self.shortcode(post),
            "is_comment_enabled": True,
        }

    def insights(self, post: Post, moment: datetime) -> dict[str, int] | None:
        """The media's lifetime insights by metric at ``moment``; None when it has too few viewers for any."""
        figures = post.figures_at(moment)
        if figures.views < MIN_VIEWERS_FOR_INSIGHTS:
            return None
        reach_share = 0.55 + 0.35 * rng.unit(self.seed, "instagram-reach", post.id)
        return {
            "reach": math.floor(figures.views * reach_share),
            "views": figures.views,
            "likes": figures.likes,
            "comments": figures.comments,
            "shares": figures.shares,
            "saved": figures.saves,
            "total_interactions": figures.likes + figures.comments + figures.shares + figures.saves,
        }

    # -- the account ---------------------------------------------------------------------------------

    def followers_count(self, account_id: str, moment: datetime) -> int:
        """The live follower count: today's start plus the share of today's follows and unfollows so far."""
        account = self.account(account_id)
        today = self.local_today(account_id, moment)
        entry = self.follower_day(account_id, today)
        start = local_midnight(today, account.timezone)
        share = (moment - start).total_seconds() / (end_of_day(today, account.timezone) - start).total_seconds()
        return entry.followers_start + math.floor(entry.follows * share) - math.floor(entry.unfollows * share)

    def media_count(self, account_id: str, moment: datetime) -> int:
        return len(self.media(account_id, moment))

    def follower_count_days(self, account_id: str, since: datetime, until: datetime, moment: datetime) -> list[date]:
        """The days whose ``follower_count`` is served for ``(since, until]`` at ``moment``: days whose period
        ends (local midnight) inside the range and whose value is out by ``moment`` (today never is)."""
        account = self.account(account_id)
        zone = ZoneInfo(account.timezone)
        day = max(WORLD_START, since.astimezone(zone).date() - timedelta(days=1))
        found: list[date] = []
        while True:
            ends = end_of_day(day, account.timezone)
            if ends > until:
                return found
            if ends > since and ends + FOLLOWER_LAG <= moment:
                found.append(day)
            day += timedelta(days=1)

    def follower_count_value(self, account_id: str, day: date) -> dict[str, Any]:
        """One ``values`` entry of ``follower_count``: the day's new followers, dated by the end of its period."""
        account = self.account(account_id)
        return {
            "value": self.follower_day(account_id, day).follows,
            "end_time": graph_time(end_of_day(day, account.timezone)),
        }


def build(world: Any) -> InstagramWorld:
    """This source's part of the ``sandbox.world.World``."""
    return InstagramWorld(world.seed, world.scale)
