"""The simulated Xiaohongshu brand: its own notes (the shared organic content of ``sandbox.content``) as 聚光 shows
them (the note list and the daily note report), and the creator collaborations it buys on 蒲公英.

- **Advertiser and account.** One 聚光 advertiser (``ADVERTISER_ID``, the extraction's partition) whose brand account
  on Xiaohongshu (``ACCOUNT``, a user id of 24 hex characters) publishes about 0.8 notes a day at scale 1, mostly
  image notes (图文) and some videos, with a median of about 3,000 reads. Beijing time.
- **Notes.** Ids are Xiaohongshu's: 24 hex characters whose first 8 are unix seconds in hex (here the Beijing day's
  start plus the note's place that day). Topic tags ride in the body (``desc``) as ``#tag[话题]#``. Counted reads are
  never taken back in this world (``NoteWorld`` drops the shared dynamics' purges), so every counter only grows and
  the report's daily figures are never negative.
- **The daily report.** One row per note and Beijing day with any activity: the differences of the note's lifetime
  curves (``Post.figures_at``) between the ends of consecutive days, so a note's rows add up to its lifetime figures.
  Reads (阅读) are the report's ``click``, saves (收藏) its ``collect``. ``impression`` is the organic exposures (a
  fixed multiple of the reads, per note) plus the paid ones of a boost; ``fee`` is the day's boost spend (薯条 / 聚光
  heating, ``BOOST_SHARE`` of the notes, for a few days after publish) in yuan, ``0.00`` on a day without one. A note
  deleted during a day has no row from that day on (its earlier rows stay).
- **Collaborations (蒲公英).** About ``COLLABORATIONS_PER_WEEK`` a week at scale 1 (scale multiplies), each with a
  creator from a fixed pool of ``CREATORS`` (``KOL_COUNT`` KOLs with at least ``KOL_FOLLOWERS`` followers, the rest
  KOCs), a fee by tier (``KOC_FEE``, ``KOL_FEE`` yuan), an order id, and the creator's note: a ``Post`` on the
  creator's own account with its own lifetime curve (``Post.figures_at``), impressions a fixed multiple of its reads.

Everything is a pure function of (seed, scale, the day or moment asked about), drawn from ``sandbox.rng`` streams.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sandbox import rng
from sandbox.content import (
    PUBLISH_HOURS,
    TITLE_TEMPLATES,
    TOPICS,
    WORLD_START,
    ContentWorld,
    Engagement,
    Post,
    ShopLinks,
    SocialAccount,
    end_of_day,
)
from sandbox.formats import as_utc, money_str

PLATFORM = "xiaohongshu"
TIMEZONE = "Asia/Shanghai"
ZONE = ZoneInfo(TIMEZONE)
# Data is T+1: a Beijing day's report and 蒲公英 figures are out at 09:00 Beijing time the next day.
READY_HOUR = 9
# The shop's Xiaohongshu visitors: 45% from a creator's 蒲公英 note, 35% from a brand note, the rest the account.
SHOP_LINKS = ShopLinks(channel="xiaohongshu", post_share=0.35, creator_share=0.45)

ADVERTISER_ID = "6281937450"
ADVERTISER_NAME = "品牌旗舰店"
ACCOUNT = SocialAccount(
    id="5f2b8c41000000000101a7e3",
    name="品牌官方薯",
    timezone=TIMEZONE,
    followers_at_start=9_000,
    posts_per_day=0.8,
    median_views=3_000.0,
    half_life_days=4.0,  # notes are found through search for weeks
    formats=(("image", 0.75, 1.0), ("video", 0.25, 1.2)),
    engagement=Engagement(likes=0.05, comments=0.006, shares=0.004, saves=0.03),  # saves run high on Xiaohongshu
    follows_per_day=25.0,
    churn=0.0004,
)
ACCOUNTS = (ACCOUNT,)
# note_content_type in the note list, note_type in 蒲公英's rows.
FORMAT_TYPES = {"image": 1, "video": 2}

# Boosts (薯条 / 聚光 heating): a share of the notes, for 1..5 days from their publish day (or the next).
BOOST_SHARE = 0.3
BOOST_DAILY_FEE_CENTS = (3_000, 80_000)  # ¥30.00 .. ¥800.00 a day
BOOST_CPM = (25.0, 60.0)  # yuan per thousand paid impressions
# Organic exposures per read, per note.
IMPRESSIONS_PER_READ = (6.0, 14.0)
# Once what is left of a note's reads is below this, its daily figures never move again.
_SETTLED_READS = 1e-6
# No note of this world is still active this many days after publish.
_LONGEST_ACTIVE_DAYS = 200

CREATORS = 40
KOL_COUNT = 8
KOL_FOLLOWERS = 100_000
KOL_FOLLOWER_RANGE = (100_000, 1_200_000)
KOC_FOLLOWER_RANGE = (3_000, 95_000)
KOL_PICK_WEIGHT = 0.5  # a brand books KOCs far more often than KOLs
COLLABORATIONS_PER_WEEK = 3.0
KOC_FEE = (500, 3_000)
KOL_FEE = (8_000, 60_000)
SERVICE_FEE_RATE = Decimal("0.10")  # 蒲公英's service fee on the creator's price
# A creator note's reads: its creator's followers × this, times a draw; its impressions per read.
READS_PER_FOLLOWER = 0.15
COLLAB_IMPRESSIONS_PER_READ = (5.0, 10.0)
CREATOR_FORMATS = (("image", 0.7, 1.0), ("video", 0.3, 1.15))
CREATOR_ENGAGEMENT = Engagement(likes=0.06, comments=0.008, shares=0.005, saves=0.035)

# Numbers come as JSON strings on this share of rows ("12", "3.50"), as the API's tolerant SDKs expect.
STRING_NUMBER_SHARE = 0.3

_NICK_HEADS = ("小鹿", "橙子", "阿柒", "桃桃", "芋圆", "大梨", "七七", "糖糖", "阿紫", "木木",
               "鹿鹿", "一只", "柚子", "栗子", "Momo", "Luna")  # fmt: skip
_NICK_TAILS = ("爱护肤", "的日常", "成分研究所", "不熬夜", "酱", "的化妆台", "测评君", "在上海")


def note_id(account: SocialAccount, day: date, n: int) -> str:
    """A note id of ``account``'s ``n``-th note of ``day``: the day's start (Beijing) plus ``n`` as 8 hex digits, then
    16 more from a hash (Xiaohongshu's ids start with their creation's unix seconds)."""
    start = int(datetime.combine(day, time(0), tzinfo=ZONE).timestamp())
    digest = hashlib.blake2b(f"{PLATFORM}|{account.id}|{day.isoformat()}|{n}".encode(), digest_size=8).hexdigest()
    return f"{start + n:08x}{digest}"


def day_end(day: date) -> datetime:
    """The instant a Beijing day ends, in UTC."""
    return end_of_day(day, TIMEZONE)


def last_ready_day(as_of: datetime) -> date:
    """The latest Beijing day whose data is out at ``as_of`` (T+1, from ``READY_HOUR`` the next morning)."""
    local = as_utc(as_of).astimezone(ZONE)
    day = local.date() - timedelta(days=1)
    return day if local.time() >= time(READY_HOUR) else day - timedelta(days=1)


def local_date(moment: datetime) -> date:
    return moment.astimezone(ZONE).date()


class NoteWorld(ContentWorld):
    """The brand's notes: the shared content dynamics, without purges (Xiaohongshu's counters only grow here)."""

    def _posts_on(self, account_id: str, day: date) -> tuple[Post, ...]:
        return tuple(
            replace(post, purge=None) if post.purge is not None else post for post in super()._posts_on(account_id, day)
        )


@dataclass(frozen=True, slots=True)
class Boost:
    """A note's paid heating: its days, and each day's spend (yuan) and paid impressions."""

    days: tuple[date, ...]
    fees: tuple[Decimal, ...]
    impressions: tuple[int, ...]

    def fee_on(self, day: date) -> Decimal:
        return self.fees[self.days.index(day)] if day in self.days else Decimal("0.00")

    def impressions_on(self, day: date) -> int:
        return self.impressions[self.days.index(day)] if day in self.days else 0


@dataclass(frozen=True, slots=True)
class NoteFigures:
    """A brand note's lifetime figures at one moment: reads, engagement, exposures and boost spend so far."""

    views: int
    likes: int
    comments: int
    shares: int
    saves: int
    impressions: int
    fee: Decimal


@dataclass(frozen=True, slots=True)
class NoteDay:
    """One row of the daily note report: what a note gained during one Beijing day."""

    day: date
    note_id: str
    fee: Decimal
    impressions: int
    reads: int
    likes: int
    comments: int
    saves: int
    shares: int


@dataclass(frozen=True, slots=True)
class Creator:
    """A creator of the pool: their Xiaohongshu account (id, nickname, how their notes grow) and followers."""

    account: SocialAccount
    followers: int
    tier: str  # "KOL" | "KOC"

    @property
    def id(self) -> str:
        return self.account.id

    @property
    def name(self) -> str:
        return self.account.name


@dataclass(frozen=True, slots=True)
class Collaboration:
    """One 蒲公英 order: a creator paid to publish a note about the brand."""

    id: str  # the order id: digits, URL-safe (it rides in utm_content)
    creator_id: str
    creator_name: str
    tier: str  # "KOL" | "KOC"
    fee: Decimal  # the creator's price in yuan, 2 decimals
    note: Post
    published_at: datetime  # aware (UTC)
    followers: int  # the creator's followers (the tier's ground)
    service_fee: Decimal  # 蒲公英's fee on top, yuan


@dataclass(frozen=True, slots=True)
class CollaborationFigures:
    """A collaboration note's lifetime figures at one moment."""

    views: int
    impressions: int
    likes: int
    comments: int
    shares: int
    saves: int


def _cents(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _creator_pool(seed: int) -> tuple[Creator, ...]:
    draw = rng.stream(seed, PLATFORM, "creators")
    names = draw.sample([head + tail for head in _NICK_HEADS for tail in _NICK_TAILS], k=CREATORS)
    creators = []
    for index in range(CREATORS):
        kol = index < KOL_COUNT
        low, high = KOL_FOLLOWER_RANGE if kol else KOC_FOLLOWER_RANGE
        followers = round(math.exp(draw.uniform(math.log(low), math.log(high))))
        registered = 0x5A000000 + draw.randrange(0x0A000000)  # accounts opened 2017..2022
        digest = hashlib.blake2b(f"{PLATFORM}|creator|{seed}|{index}".encode(), digest_size=8).hexdigest()
        account = SocialAccount(
            id=f"{registered:08x}{digest}",
            name=names[index],
            timezone=TIMEZONE,
            followers_at_start=followers,
            posts_per_day=0.0,  # only the brand's collaboration notes of each creator are simulated
            median_views=followers * READS_PER_FOLLOWER,
            half_life_days=4.0,
            formats=CREATOR_FORMATS,
            engagement=CREATOR_ENGAGEMENT,
            follows_per_day=0.0,
            churn=0.0,
        )
        creators.append(Creator(account, followers, "KOL" if followers >= KOL_FOLLOWERS else "KOC"))
    return tuple(creators)


def _fee(draw: random.Random, creator: Creator) -> Decimal:
    """The creator's price: up with their followers within the tier's range, rounded as creators quote it."""
    kol = creator.tier == "KOL"
    (low, high), (fmin, fmax) = (KOL_FOLLOWER_RANGE, KOL_FEE) if kol else (KOC_FOLLOWER_RANGE, KOC_FEE)
    share = min(1.0, max(0.0, math.log(creator.followers / low) / math.log(high / low)))
    raw = (fmin + (fmax - fmin) * share) * draw.uniform(0.85, 1.15)
    step = 100 if kol else 10
    fee = Decimal(round(raw / step) * step)
    if not kol and draw.random() < 0.2:
        fee -= Decimal("0.50")  # "¥1,279.50"
    return min(Decimal(fmax), max(Decimal(fmin), fee)).quantize(Decimal("0.01"))


class XiaohongshuWorld:
    """The brand's Xiaohongshu presence of one seed and scale: notes, their report, and its creator collaborations."""

    def __init__(self, seed: int, scale: float) -> None:
        self.seed = seed
        self.scale = scale
        self.account = ACCOUNT
        self.accounts = ACCOUNTS
        self.advertiser_id = ADVERTISER_ID
        self.content: ContentWorld = NoteWorld(PLATFORM, seed, scale, ACCOUNTS, note_id)
        self.creators = _creator_pool(seed)
        # Per-instance caches, so two worlds never share entries (a day is drawn the same on any thread).
        self.report_day: Callable[[date], tuple[NoteDay, ...]] = functools.lru_cache(maxsize=4096)(self._report_day)
        self.collaborations_on: Callable[[date], tuple[Collaboration, ...]] = functools.lru_cache(maxsize=8192)(
            self._collaborations_on
        )
        self._boosts: Callable[[Post], Boost | None] = functools.lru_cache(maxsize=16384)(self._boost)

    # -- the brand's notes -----------------------------------------------------------------------------------

    def boost(self, post: Post) -> Boost | None:
        """The note's paid heating, if it had one."""
        return self._boosts(post)

    def _boost(self, post: Post) -> Boost | None:
        draw = rng.stream(self.seed, PLATFORM, "boost", post.id)
        if draw.random() >= BOOST_SHARE:
            return None
        first = local_date(post.published_at) + timedelta(days=draw.choice((0, 0, 1)))
        days = tuple(first + timedelta(days=i) for i in range(draw.randint(1, 5)))
        fees = tuple(Decimal(draw.randint(*BOOST_DAILY_FEE_CENTS)) / 100 for _ in days)
        cpm = draw.uniform(*BOOST_CPM)
        return Boost(days, fees, tuple(int(fee / Decimal(str(cpm)) * 1000) for fee in fees))

    def impressions_per_read(self, post: Post) -> float:
        low, high = IMPRESSIONS_PER_READ
        return low + (high - low) * rng.unit(self.seed, PLATFORM, "impressions", post.id)

    def note_figures(self, post: Post, moment: datetime) -> NoteFigures:
        """The note's lifetime figures at ``moment``: boost spend and paid impressions count by whole days over."""
        figures = post.figures_at(moment)
        organic = math.floor(figures.views * self.impressions_per_read(post))
        boost = self.boost(post)
        fee, paid = Decimal("0.00"), 0
        if boost is not None:
            over = [day for day in boost.days if day_end(day) <= moment]
            fee = sum((boost.fee_on(day) for day in over), Decimal("0.00"))
            paid = sum(boost.impressions_on(day) for day in over)
        return NoteFigures(
            figures.views, figures.likes, figures.comments, figures.shares, figures.saves, organic + paid, fee
        )

    def note_day(self, post: Post, day: date) -> NoteDay | None:
        """The note's report row for Beijing ``day``: what it gained during it; None when nothing moved or the
        note was not there at the day's end (not yet published, or deleted)."""
        end = day_end(day)
        if not post.exists_at(end):
            return None
        before = self.note_figures(post, day_end(day - timedelta(days=1)))
        after = self.note_figures(post, end)
        row = NoteDay(
            day=day,
            note_id=post.id,
            fee=after.fee - before.fee,
            impressions=after.impressions - before.impressions,
            reads=after.views - before.views,
            likes=after.likes - before.likes,
            comments=after.comments - before.comments,
            saves=after.saves - before.saves,
            shares=after.shares - before.shares,
        )
        moved = (row.fee, row.impressions, row.reads, row.likes, row.comments, row.saves, row.shares)
        return row if any(moved) else None

    def _still_active(self, post: Post, day: date) -> bool:
        boost = self.boost(post)
        if boost is not None and day in boost.days:
            return True
        age = (day_end(day - timedelta(days=1)) - post.published_at).total_seconds() / 86400.0
        left = post.potential * 2.0 ** (-max(age, 0.0) / post.account.half_life_days)
        return left >= _SETTLED_READS

    def _report_day(self, day: date) -> tuple[NoteDay, ...]:
        if day < WORLD_START:
            return ()
        candidates = self.content.posts_between(ACCOUNT.id, day - timedelta(days=_LONGEST_ACTIVE_DAYS), day)
        rows = [self.note_day(post, day) for post in candidates if self._still_active(post, day)]
        return tuple(sorted((row for row in rows if row is not None), key=lambda row: row.note_id))

    def report_rows(self, since: date, until: date) -> list[NoteDay]:
        """Every report row of Beijing days ``[since, until]``, by day then note id."""
        found: list[NoteDay] = []
        day = max(since, WORLD_START)
        while day <= until:
            found.extend(self.report_day(day))
            day += timedelta(days=1)
        return found

    def notes_listed(self, since: date, until: date, moment: datetime) -> list[Post]:
        """The note list at ``moment`` for notes created on Beijing days ``[since, until]``: those not deleted by
        then, newest first."""
        posts = [post for post in self.content.posts_between(ACCOUNT.id, since, until) if post.exists_at(moment)]
        return sorted(posts, key=lambda post: (post.published_at, post.id), reverse=True)

    def _as_text(self, *key: object) -> bool:
        return rng.unit(self.seed, PLATFORM, "wire", *key) < STRING_NUMBER_SHARE

    def render_report_row(self, row: NoteDay) -> dict[str, Any]:
        """A ``data_list`` row of the offline note report (numbers sometimes as strings, fee in yuan)."""
        text = self._as_text(row.note_id, row.day.isoformat())

        def number(value: int) -> int | str:
            return str(value) if text else value

        interactions = row.likes + row.comments + row.saves + row.shares
        ctr = f"{row.reads / row.impressions * 100:.2f}%" if row.impressions else "0.00%"
        return {
            "time": row.day.isoformat(),
            "note_id": row.note_id,
            "fee": money_str(row.fee) if text else float(row.fee),
            "impression": number(row.impressions),
            "click": number(row.reads),
            "ctr": ctr,
            "like": number(row.likes),
            "comment": number(row.comments),
            "collect": number(row.saves),
            "share": number(row.shares),
            "interaction": number(interactions),
        }

    def render_note(self, post: Post) -> dict[str, Any]:
        """A ``notes`` item of the note list: title, body with its topics, type, creation time in ms, author."""
        body = f"{post.title}，认真分享给姐妹们～ " + " ".join(f"#{tag}[话题]#" for tag in post.topics)
        created = int(post.published_at.timestamp()) * 1000
        return {
            "note_id": post.id,
            "title": post.title,
            "desc": body,
            "note_content_type": FORMAT_TYPES[post.format],
            "create_time": str(created) if self._as_text(post.id, "create_time") else created,
            "author": ACCOUNT.name,
            "author_id": post.account.id,
            "image": f"https://sns-img-qc.xhscdn.com/{hashlib.md5(post.id.encode()).hexdigest()}",
            "status": 0,
            "note_type": 1,
        }

    # -- creator collaborations (蒲公英) ------------------------------------------------------------------------

    def _collaborations_on(self, day: date) -> tuple[Collaboration, ...]:
        if day < WORLD_START:
            return ()
        draw = rng.stream(self.seed, PLATFORM, "collaborations", day.isoformat())
        count = rng.poisson(draw, COLLABORATIONS_PER_WEEK / 7.0 * self.scale)
        weights = [KOL_PICK_WEIGHT if creator.tier == "KOL" else 1.0 for creator in self.creators]
        found = []
        for n in range(count):
            creator = draw.choices(self.creators, weights=weights)[0]
            fee = _fee(draw, creator)
            hour = draw.choices(range(24), weights=PUBLISH_HOURS)[0]
            published = datetime.combine(day, time(hour, draw.randrange(60), draw.randrange(60)), tzinfo=ZONE)
            published = published.astimezone(UTC)
            fmt = "video" if draw.random() < CREATOR_FORMATS[1][1] else "image"
            tags = draw.sample(TOPICS, k=1 + (draw.random() < 0.5))
            potential = (
                creator.account.median_views
                * rng.lognormal_noise(draw, 0.7)
                * (CREATOR_FORMATS[1][2] if fmt == "video" else 1.0)
                * max(value for _, value in tags)
            )
            digest = hashlib.blake2b(f"{PLATFORM}|collab|{self.seed}|{day}|{n}".encode(), digest_size=8)
            note = Post(
                account=creator.account,
                id=f"{int(published.timestamp()):08x}{digest.hexdigest()}",
                number=n,
                published_at=published,
                format=fmt,
                topics=tuple(tag for tag, _ in tags),
                title=draw.choice(TITLE_TEMPLATES).format(tag=tags[0][0], n=draw.randint(1, 30)),
                potential=potential,
                engagement_factor=rng.lognormal_noise(draw, 0.25),
                purge=None,
                deleted_at=None,
            )
            order = f"{day:%Y%m%d}{n:02d}{int(digest.hexdigest()[:8], 16) % 1_000_000:06d}"
            found.append(
                Collaboration(
                    id=order,
                    creator_id=creator.id,
                    creator_name=creator.name,
                    tier=creator.tier,
                    fee=fee,
                    note=note,
                    published_at=published,
                    followers=creator.followers,
                    service_fee=(fee * SERVICE_FEE_RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                )
            )
        return tuple(sorted(found, key=lambda c: (c.published_at, c.id)))

    def collaborations_published(self, since: date, until: date) -> list[Collaboration]:
        """Collaborations whose note went out on Beijing days ``[since, until]``, oldest first."""
        found: list[Collaboration] = []
        day = max(since, WORLD_START)
        while day <= until:
            found.extend(self.collaborations_on(day))
            day += timedelta(days=1)
        return found

    def collaborations_between(self, start: datetime, end: datetime) -> list[Collaboration]:
        """Collaborations whose note went out in ``[start, end)`` (aware moments), oldest first."""
        start, end = as_utc(start), as_utc(end)
        if end <= start:
            return []
        found = self.collaborations_published(local_date(start), local_date(end - timedelta(microseconds=1)))
        return [c for c in found if start <= c.published_at < end]

    def impressions_per_collab_read(self, collaboration: Collaboration) -> float:
        low, high = COLLAB_IMPRESSIONS_PER_READ
        return low + (high - low) * rng.unit(self.seed, PLATFORM, "collab-impressions", collaboration.id)

    def collaboration_figures(self, collaboration: Collaboration, moment: datetime) -> CollaborationFigures:
        """The collaboration note's lifetime figures at ``moment``."""
        figures = collaboration.note.figures_at(moment)
        impressions = math.floor(figures.views * self.impressions_per_collab_read(collaboration))
        return CollaborationFigures(
            figures.views, impressions, figures.likes, figures.comments, figures.shares, figures.saves
        )

    def render_collaboration(self, collaboration: Collaboration, data_day: date) -> dict[str, Any]:
        """A 蒲公英 post-campaign row (``/pgy/note/post/data``) with the note's figures at the end of ``data_day``."""
        figures = self.collaboration_figures(collaboration, day_end(data_day))
        text = self._as_text(collaboration.id, data_day.isoformat())

        def number(value: int) -> int | str:
            return str(value) if text else value

        note = collaboration.note
        engagements = figures.likes + figures.comments + figures.saves + figures.shares
        return {
            "date_key": f"{data_day:%Y%m%d}",
            "brand_user_id": ACCOUNT.id,
            "brand_user_name": ACCOUNT.name,
            "kol_nick_name": collaboration.creator_name,
            "kol_id": collaboration.creator_id,
            "kol_link": f"https://www.xiaohongshu.com/user/profile/{collaboration.creator_id}",
            "kol_fan_num": number(collaboration.followers),
            "note_title": note.title,
            "note_link": f"https://www.xiaohongshu.com/explore/{note.id}",
            "note_type": FORMAT_TYPES[note.format],
            "note_publish_time": note.published_at.astimezone(ZONE).strftime("%Y-%m-%d %H:%M:%S"),
            "note_id": note.id,
            "order_id": collaboration.id,
            "kol_price": money_str(collaboration.fee) if text else float(collaboration.fee),
            "total_platform_price": float(collaboration.service_fee),
            "imp_num": number(figures.impressions),
            "read_num": number(figures.views),
            "like_num": number(figures.likes),
            "fav_num": number(figures.saves),
            "cmt_num": number(figures.comments),
            "share_num": number(figures.shares),
            "engage_num": number(engagements),
        }


def build(world: Any) -> XiaohongshuWorld:
    """This source's part of the ``sandbox.world.World``."""
    return XiaohongshuWorld(world.seed, world.scale)
