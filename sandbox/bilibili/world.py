"""The simulated Bilibili brand account: the shared organic content (``sandbox.content``) rendered the way the
Open Platform's creator endpoints show it: ``/arcopen/fn/archive/viewlist`` items, ``/arcopen/fn/data/arc/stat``
counters and ``/arcopen/fn/data/user/stat`` totals.

- **Account.** One brand UP主 account, named by its ``openid`` (the Open Platform never shows the global UID, only
  an id per app), on Beijing time: about 0.7 videos a day at scale 1, a median of about 15,000 plays and about
  60,000 followers by late 2026. Bilibili's long tail keeps a video growing longer than Douyin's (half-life 4 days).
- **Videos.** Every archive (稿件) is a video; ids are BV ids (``BV1`` and nine base-58 characters), which the Open
  Platform calls ``resource_id``. Tags (``tag``) are one comma-separated string, as the archive form takes them.
- **Counters.** ``view`` (播放), ``like`` (点赞), ``reply`` (评论), ``share`` (分享), ``favorite`` (收藏, the
  world's saves), ``coin`` (投币) and ``danmaku`` (弹幕). Coins and danmaku are Bilibili's own, drawn here as shares
  of the plays times the post's engagement factor, so they grow with the plays too.
- **Followers.** ``user/stat`` tells the follower total *now*; no endpoint gives a day's follows or unfollows, or
  past days' totals. The total at a moment inside a day moves linearly from the day's start count towards its end
  count (``followers_at``), so a snapshot taken a few hours after midnight is close to, not equal to, the day's end.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.content import ContentWorld, Engagement, Post, SocialAccount

PLATFORM = "bilibili"
TIMEZONE = "Asia/Shanghai"
ACCOUNT = SocialAccount(
    # An openid as the Open Platform hands them out: 32 lower-case hex characters.
    id="9b1f3c0e6a2d4f58b7e1c9a0d3f6e2b4",
    name="品牌官方",
    timezone=TIMEZONE,
    followers_at_start=37_000,
    posts_per_day=0.7,
    median_views=15_000.0,
    half_life_days=4.0,
    formats=(("video", 1.0, 1.0),),
    engagement=Engagement(likes=0.045, comments=0.004, shares=0.003, saves=0.012),
    follows_per_day=48.0,
    churn=0.0006,
)
ACCOUNTS = (ACCOUNT,)
# Coins (投币) and danmaku (弹幕) per play, before the post's own engagement factor.
COIN_RATE = 0.008
DANMAKU_RATE = 0.005
# Accounts the brand follows (关注数): a fixed handful of partner accounts.
FOLLOWING = 37
# 分区: 时尚 → 美妆护肤 (a brand's skincare videos).
TID = 157
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def bv_id(account: SocialAccount, day: date, n: int) -> str:
    """A BV id for the account's ``n``-th video of ``day``: ``BV1`` and nine base-58 characters."""
    number = int.from_bytes(hashlib.sha256(f"{PLATFORM}|{account.id}|{day.isoformat()}|{n}".encode()).digest()[:8])
    chars = []
    for _ in range(9):
        number, digit = divmod(number, 58)
        chars.append(BASE58[digit])
    return "BV1" + "".join(chars)


def _digest(post: Post, salt: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{post.id}|{salt}".encode()).digest()[:6])


class BilibiliWorld(ContentWorld):
    """The brand's Bilibili account of one seed and scale."""

    def __init__(self, seed: int, scale: float) -> None:
        super().__init__(PLATFORM, seed, scale, ACCOUNTS, bv_id)

    # -- what the endpoints hold at a moment ---------------------------------------------------------------

    def archives(self, account_id: str, moment: datetime) -> list[Post]:
        """Every archive the account has published and not deleted at ``moment``, newest first (the list's order)."""
        return self.visible_posts(account_id, moment)

    def archive(self, account_id: str, resource_id: str, moment: datetime) -> Post | None:
        """The archive with ``resource_id`` if it exists at ``moment``."""
        for post in self.archives(account_id, moment):
            if post.id == resource_id:
                return post
        return None

    def followers_at(self, account_id: str, moment: datetime) -> int:
        """The follower total ``user/stat`` shows at ``moment``: part-way from the local day's start to its end."""
        zone = ZoneInfo(self.account(account_id).timezone)
        local = moment.astimezone(zone)
        day = self.follower_day(account_id, local.date())
        midnight = datetime.combine(local.date(), time(0), tzinfo=zone)
        share = (local - midnight).total_seconds() / 86400.0
        return day.followers_start + math.floor(day.follows * share) - math.floor(day.unfollows * share)

    # -- rendering -------------------------------------------------------------------------------------------

    def list_item(self, post: Post) -> dict[str, Any]:
        """The archive as ``viewlist`` lists it (and ``archive/view`` shows it)."""
        ptime = int(post.published_at.timestamp())
        uploaded = ptime - 600 - _digest(post, "ctime") % 7200  # submitted, then reviewed, before it went out
        cid = 1_400_000_000 + _digest(post, "cid") % 100_000_000
        return {
            "resource_id": post.id,
            "title": post.title,
            "cover": f"http://i0.hdslb.com/bfs/archive/{hashlib.sha1(post.id.encode()).hexdigest()}.jpg",
            "tid": TID,
            "no_reprint": 1,
            "desc": f"{post.title}。更多内容请关注{post.account.name}",
            "tag": ",".join(post.topics),
            "copyright": 1,
            "video_info": {
                "cid": cid,
                "filename": f"n{hashlib.md5(post.id.encode()).hexdigest()[:24]}",
                "duration": 45 + _digest(post, "duration") % 540,
                "iframe_url": f"https://player.bilibili.com/player.html?bvid={post.id}&cid={cid}",
                "share_url": f"https://www.bilibili.com/video/{post.id}",
            },
            "addit_info": {"state": 0, "state_desc": "开放浏览", "reject_reason": ""},
            "ctime": uploaded,
            "ptime": ptime,
        }

    def stat(self, post: Post, moment: datetime) -> dict[str, Any]:
        """The archive's lifetime counters at ``moment``, as ``data/arc/stat`` answers them."""
        figures = post.figures_at(moment)
        return {
            "title": post.title,
            "ptime": int(post.published_at.timestamp()),
            "view": figures.views,
            "danmaku": math.floor(figures.views * DANMAKU_RATE * post.engagement_factor),
            "reply": figures.comments,
            "favorite": figures.saves,
            "coin": math.floor(figures.views * COIN_RATE * post.engagement_factor),
            "share": figures.shares,
            "like": figures.likes,
        }

    def user_stat(self, account_id: str, moment: datetime) -> dict[str, Any]:
        """The account's totals at ``moment``, as ``data/user/stat`` answers them."""
        return {
            "following": FOLLOWING,
            "follower": self.followers_at(account_id, moment),
            "arc_passed_total": len(self.archives(account_id, moment)),
        }


def snapshot_end(day: date) -> datetime:
    """The instant a Beijing day ends, in UTC: posts published before it belong to that day's snapshot."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(TIMEZONE)).astimezone(UTC)


def build(world: Any) -> BilibiliWorld:
    return BilibiliWorld(world.seed, world.scale)
