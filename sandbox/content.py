"""Simulated organic content shared by every social platform's sandbox: accounts, the posts they publish, how
each post's lifetime figures grow, and each account's followers day by day.

Each platform's ``world.py`` builds one ``ContentWorld`` with its own accounts, formats and id scheme and renders
it in its API's shape; the dynamics live once, here:

- **Posts.** An account publishes a Poisson number of posts per local day (``posts_per_day`` × scale), at hours
  drawn from ``PUBLISH_HOURS``. A post's *potential* (its lifetime views once it stops growing) is the account's
  median times a heavy-tailed draw, times what its format, topic, hour and weekday are worth, so the best hours
  and topics are really better and a few posts go viral.
- **Growth.** Views at age ``t`` days are ``round(potential × (1 − exp(−t / half_life × ln 2)))``: most come in
  the first days and the tail keeps adding for weeks. Likes, comments, shares and saves are fixed shares of the
  views at any moment, so every counter grows with views.
- **Quirks real platforms have.** A few posts have invalid views purged at some age (the counter goes *down*
  once, ``Post.purge``) and a few are deleted by the account (``Post.deleted_at``: gone from every list after).
- **Followers.** Each day brings Poisson follows (more on busy promotion days) and binomial unfollows out of the
  followers at the day's start; the count at a day's end is the start count plus follows minus unfollows, so
  net follower growth is exact by construction.

Everything is a pure function of (seed, platform, account, day): a day is drawn on its own, identically in every
process. ``moment`` arguments are aware datetimes (the world's clock); days are the account's local days.
"""

from __future__ import annotations

import functools
import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sandbox import rng
from sandbox.seasonality import promo_factor

WORLD_START = date(2023, 1, 1)  # three years of posts before the sandbox's usual "now" (late 2026)

# Share of posts published at each local hour (0..23): morning commute, lunch, the evening peak.
PUBLISH_HOURS = (
    0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.4, 1.2, 1.0, 1.1,
    1.6, 1.3, 0.9, 0.8, 0.9, 1.1, 1.5, 2.0, 2.4, 2.3, 1.6, 0.8,
)  # fmt: skip
# What the hour a post goes out at is worth in views: the evening audience is the largest.
HOUR_VIEWS = (
    0.7, 0.6, 0.5, 0.5, 0.5, 0.6, 0.7, 0.85, 0.95, 0.9, 0.9, 1.0,
    1.1, 1.0, 0.9, 0.9, 0.95, 1.0, 1.1, 1.25, 1.35, 1.3, 1.1, 0.85,
)  # fmt: skip
# Monday .. Sunday: weekend feeds are busier.
WEEKDAY_VIEWS = (0.95, 0.95, 0.97, 1.0, 1.02, 1.1, 1.08)

# (tag, what it is worth in views): the brand's recurring topics.
TOPICS = (
    ("护肤", 1.0),  # skincare
    ("成分党", 1.3),  # ingredient deep-dives
    ("开箱", 1.1),  # unboxing
    ("教程", 1.2),  # tutorials
    ("新品", 1.0),  # launches
    ("好物推荐", 1.15),  # recommendations
    ("幕后", 0.8),  # behind the scenes
    ("用户故事", 0.9),  # customer stories
)
TITLE_TEMPLATES = ("{tag}｜今天聊聊这件事", "{tag}：三分钟看懂", "{tag}合集第{n}期", "关于{tag}，你问我答", "{tag}实测")

# Heavy tail of a post's potential around the account's median (lognormal sigma).
POTENTIAL_SIGMA = 1.1
PURGE_SHARE = 0.03  # posts that have invalid views purged once
PURGE_FRACTION = 0.2  # share of the views at that age the purge removes
DELETED_SHARE = 0.02  # posts the account deletes


@dataclass(frozen=True, slots=True)
class ShopLinks:
    """How the shop's visitors from a platform's channel arrived, declared as ``SHOP_LINKS`` in the platform's
    ``sandbox/<source>/world.py`` (``sandbox.shopify.links`` finds it there): the share of them who came from a
    recent post, and from a creator's collaboration note (the part must then offer ``collaborations_between``);
    the rest came from the account's own page."""

    channel: str  # the shop's channel for these visitors (utm_source → channel_mapping)
    post_share: float
    creator_share: float = 0.0


@dataclass(frozen=True, slots=True)
class Engagement:
    """Interactions per view: each counter is ``floor(views × rate × the post's own factor)``."""

    likes: float
    comments: float
    shares: float
    saves: float


@dataclass(frozen=True, slots=True)
class SocialAccount:
    id: str  # as the API names the account (a WeChat original id, a Douyin open_id, an Instagram user id)
    name: str
    timezone: str  # where its days end
    followers_at_start: int  # at WORLD_START
    posts_per_day: float  # at scale 1
    median_views: float  # the typical post's lifetime views
    half_life_days: float  # half the lifetime views arrive within this many days
    formats: tuple[tuple[str, float, float], ...]  # (format, share of posts, what it is worth in views)
    engagement: Engagement
    follows_per_day: float  # new followers on an ordinary day
    churn: float  # share of the followers who unfollow on a day


@dataclass(frozen=True, slots=True)
class Purge:
    at_age_days: float
    fraction: float


@dataclass(frozen=True, slots=True)
class PostFigures:
    """A post's lifetime counters at one moment."""

    views: int
    likes: int
    comments: int
    shares: int
    saves: int


@dataclass(frozen=True, slots=True)
class Post:
    account: SocialAccount
    id: str
    number: int  # the post's place in the account's history, for titles
    published_at: datetime  # UTC
    format: str
    topics: tuple[str, ...]
    title: str
    potential: float  # lifetime views once growth stops
    engagement_factor: float
    purge: Purge | None
    deleted_at: datetime | None

    @property
    def local_published_at(self) -> datetime:
        return self.published_at.astimezone(ZoneInfo(self.account.timezone))

    def age_days(self, moment: datetime) -> float:
        return (moment - self.published_at).total_seconds() / 86400.0

    def exists_at(self, moment: datetime) -> bool:
        """Published by ``moment`` and not deleted by then."""
        return self.published_at <= moment and (self.deleted_at is None or moment < self.deleted_at)

    def views_at(self, moment: datetime) -> int:
        age = self.age_days(moment)
        if age <= 0:
            return 0
        views = round(self.potential * (1.0 - math.exp(-age * math.log(2) / self.account.half_life_days)))
        if self.purge is not None and age >= self.purge.at_age_days:
            purged_age = self.purge.at_age_days * math.log(2) / self.account.half_life_days
            views -= round(self.potential * (1.0 - math.exp(-purged_age)) * self.purge.fraction)
        return max(0, views)

    def figures_at(self, moment: datetime) -> PostFigures:
        views = self.views_at(moment)
        rates, factor = self.account.engagement, self.engagement_factor
        return PostFigures(
            views=views,
            likes=math.floor(views * rates.likes * factor),
            comments=math.floor(views * rates.comments * factor),
            shares=math.floor(views * rates.shares * factor),
            saves=math.floor(views * rates.saves * factor),
        )


@dataclass(frozen=True, slots=True)
class FollowerDay:
    """One local day of an account's audience."""

    day: date
    followers_start: int
    follows: int
    unfollows: int

    @property
    def followers_end(self) -> int:
        return self.followers_start + self.follows - self.unfollows


def end_of_day(day: date, timezone: str) -> datetime:
    """The instant a local day ends (its next midnight), in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


class ContentWorld:
    """One platform's organic accounts of one seed and scale: their posts and followers.

    ``post_id(account, day, n)`` gives the platform's id of the account's ``n``-th post of ``day``.
    """

    def __init__(
        self,
        platform: str,
        seed: int,
        scale: float,
        accounts: tuple[SocialAccount, ...],
        post_id: Callable[[SocialAccount, date, int], str],
    ) -> None:
        self.platform = platform
        self.seed = seed
        self.scale = scale
        self.accounts = accounts
        self._post_id = post_id
        self._by_id = {account.id: account for account in accounts}
        # Per-instance caches, so two worlds never share entries.
        self.posts_on: Callable[[str, date], tuple[Post, ...]] = functools.lru_cache(maxsize=4096)(self._posts_on)
        # A list endpoint pages through the same moment's posts, and a per-post endpoint looks one up in them:
        # listing years of posts again for every call made the sandbox, not the client, the slow side.
        self._visible: Callable[[str, datetime, int | None], tuple[Post, ...]] = functools.lru_cache(maxsize=64)(
            self._visible_posts
        )
        self._followers: dict[str, list[FollowerDay]] = {}
        self._followers_lock = threading.Lock()  # the servers answer on many threads

    def account(self, account_id: str) -> SocialAccount:
        try:
            return self._by_id[account_id]
        except KeyError:
            raise KeyError(f"no {self.platform} account {account_id!r}") from None

    def local_today(self, account_id: str, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.account(account_id).timezone)).date()

    # -- posts -------------------------------------------------------------------------------------------

    def posts_between(self, account_id: str, since: date, until: date) -> list[Post]:
        """Every post published on local days ``[since, until]``, deleted ones included, oldest first."""
        found: list[Post] = []
        day = max(since, WORLD_START)
        while day <= until:
            found.extend(self.posts_on(account_id, day))
            day += timedelta(days=1)
        return found

    def visible_posts(self, account_id: str, moment: datetime, max_age_days: int | None = None) -> list[Post]:
        """Posts that exist at ``moment`` (published, not deleted), newest first, optionally only the young."""
        return list(self._visible(account_id, moment, max_age_days))

    def _visible_posts(self, account_id: str, moment: datetime, max_age_days: int | None) -> tuple[Post, ...]:
        today = self.local_today(account_id, moment)
        since = WORLD_START if max_age_days is None else today - timedelta(days=max_age_days)
        posts = [p for p in self.posts_between(account_id, since, today) if p.exists_at(moment)]
        return tuple(sorted(posts, key=lambda p: (p.published_at, p.id), reverse=True))

    def _posts_on(self, account_id: str, day: date) -> tuple[Post, ...]:
        account = self.account(account_id)
        draw = rng.stream(self.seed, self.platform, "posts", account.id, day.isoformat())
        count = rng.poisson(draw, account.posts_per_day * self.scale)
        if count == 0:
            return ()
        zone = ZoneInfo(account.timezone)
        number_base = (day - WORLD_START).days * 1000
        posts = []
        for n in range(count):
            hour = draw.choices(range(24), weights=PUBLISH_HOURS)[0]
            minute = draw.randrange(60)
            published = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
            fmt, fmt_value = _pick_format(draw, account.formats)
            tags = draw.sample(TOPICS, k=1 + (draw.random() < 0.4))
            topic_value = max(value for _, value in tags)
            potential = (
                account.median_views
                * rng.lognormal_noise(draw, POTENTIAL_SIGMA)
                * fmt_value
                * topic_value
                * HOUR_VIEWS[hour]
                * WEEKDAY_VIEWS[day.weekday()]
                * promo_factor(day) ** 0.3
            )
            purge = None
            if draw.random() < PURGE_SHARE:
                purge = Purge(at_age_days=draw.uniform(5.0, 15.0), fraction=PURGE_FRACTION)
            deleted_at = None
            if draw.random() < DELETED_SHARE:
                deleted_at = published + timedelta(days=draw.uniform(1.0, 20.0))
            template = draw.choice(TITLE_TEMPLATES)
            posts.append(
                Post(
                    account=account,
                    id=self._post_id(account, day, n),
                    number=number_base + n,
                    published_at=published,
                    format=fmt,
                    topics=tuple(tag for tag, _ in tags),
                    title=template.format(tag=tags[0][0], n=(day - WORLD_START).days % 97 + 1),
                    potential=potential,
                    engagement_factor=rng.lognormal_noise(draw, 0.25),
                    purge=purge,
                    deleted_at=deleted_at,
                )
            )
        return tuple(sorted(posts, key=lambda p: (p.published_at, p.id)))

    # -- followers ---------------------------------------------------------------------------------------

    def follower_day(self, account_id: str, day: date) -> FollowerDay:
        """The account's audience on a local day (from WORLD_START on)."""
        if day < WORLD_START:
            raise ValueError(f"the world starts on {WORLD_START}; no followers on {day}")
        with self._followers_lock:
            return self._follower_history(account_id, day)[(day - WORLD_START).days]

    def _follower_history(self, account_id: str, through: date) -> list[FollowerDay]:
        account = self.account(account_id)
        history = self._followers.setdefault(account_id, [])
        followers = history[-1].followers_end if history else account.followers_at_start
        day = WORLD_START + timedelta(days=len(history))
        while day <= through:
            draw = rng.stream(self.seed, self.platform, "followers", account.id, day.isoformat())
            mean = account.follows_per_day * self.scale * WEEKDAY_VIEWS[day.weekday()] * promo_factor(day) ** 0.5
            follows = rng.poisson(draw, mean * rng.lognormal_noise(draw, 0.2))
            unfollows = rng.binomial(draw, followers, account.churn)
            entry = FollowerDay(day, followers, follows, unfollows)
            history.append(entry)
            followers = entry.followers_end
            day += timedelta(days=1)
        return history


def _pick_format(draw: random.Random, formats: tuple[tuple[str, float, float], ...]) -> tuple[str, float]:
    name, _, value = draw.choices(formats, weights=[share for _, share, _ in formats])[0]
    return name, value
