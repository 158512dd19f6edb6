"""Organic content from the content marts: net follower growth (粉丝净增), post views, engagement rate, posts gone
viral (爆款), posts published, and the period's top and viral posts.

- Net follower growth sums ``marts.social_account_daily``; views and engagements are what the posts gained in the
  period (``marts.content_post_daily`` without baselines), so a platform with no audience figures (Xiaohongshu)
  still counts in them. Engagement rate = engagements / views of those sums (the design's definition).
- An account short of follower figures on a day of the period (a platform that gives none, or a day not over yet
  in the account's time zone) is named under the section.
- A change is shown only where every account of the period has figures on every day of the other period, so a
  platform whose history starts later never reads as growth.
- A post went viral in the period when its ``became_viral`` snapshot falls in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from warehouse.summary_email import charts
from warehouse.summary_email.config import EmailConfig
from warehouse.summary_email.formatting import clean, ratio
from warehouse.summary_email.i18n import text
from warehouse.summary_email.model import Chart, Column, Period, Section, Table
from warehouse.summary_email.sections import compared_tile, table_exists, trend_values

ACCOUNTS = "social_account_daily"
POST_DAYS = "content_post_daily"
POSTS = "content_posts"
TITLE_LENGTH = 24  # characters of a post's title a table shows, so a phone's 375 px hold the table
LABELS = {
    "en": {
        "title": "Content",
        "area": "content",
        "net_follower_growth": "Net follower growth",
        "views": "Post views",
        "engagement_rate": "Engagement rate",
        "viral_posts": "Posts gone viral",
        "posts_published": "Posts published",
        "top": "Top posts by views gained",
        "viral": "Posts gone viral (views reached the viral threshold)",
        "post": "Post",
        "platform": "Platform",
        "published": "Published",
        "views_gained": "Views",
        "views_to_date": "Views to date",
        "trend_daily": "Net follower growth, last {count} days",
        "trend_weekly": "Net follower growth per week, last {count} weeks",
        "note": "Engagement rate = (likes + comments + shares + saves) / views, both as gained in the period.",
        "incomplete": "Follower figures missing for some days, counted only where known: {accounts}.",
        "days": "{account} ({known} of {days} days)",
        "separator": ", ",
        "no_posts": "No post gained views in {period}.",
    },
    "zh-CN": {
        "title": "内容",
        "area": "内容",
        "net_follower_growth": "粉丝净增",
        "views": "作品阅读/播放",
        "engagement_rate": "互动率",
        "viral_posts": "新增爆款",
        "posts_published": "发布作品数",
        "top": "阅读/播放增长最多的作品",
        "viral": "新增爆款（阅读/播放达到爆款门槛）",
        "post": "作品",
        "platform": "平台",
        "published": "发布日期",
        "views_gained": "阅读/播放",
        "views_to_date": "累计阅读/播放",
        "trend_daily": "近 {count} 天粉丝净增",
        "trend_weekly": "近 {count} 周每周粉丝净增",
        "note": "互动率 =（点赞 + 评论 + 分享 + 收藏）/ 阅读或播放，均为本期新增。",
        "incomplete": "部分日期缺少粉丝数据，仅按已有数据计入：{accounts}。",
        "days": "{account}（{days} 天中有 {known} 天）",
        "separator": "、",
        "no_posts": "{period} 没有作品新增阅读/播放。",
    },
}


@dataclass(frozen=True)
class AccountDays:
    """One account's figures over a period: on how many days it has any, on how many its follower growth is known,
    and its sums."""

    days: int
    follower_days: int
    net_follower_growth: float | None
    views: float | None
    engagements: float | None
    viral_posts: int
    posts_published: int


def account_days(con: Any, period: Period) -> dict[str, AccountDays]:
    """Per account ("platform account_id") with any figure in the period: its days and sums.

    An account's day is a row of social_account_daily (its audience) or posts of it gaining on that day in
    content_post_daily (a platform without audience figures, such as Xiaohongshu, has only these).
    """
    rows = con.execute(
        f"""
        with audience as (
            select platform, account_id, date_day, net_follower_growth
            from marts.{ACCOUNTS} where date_day between $start and $end
        ),
        post_days as (
            select platform, account_id, snapshot_date as date_day,
                   sum(views_gained) as views, sum(engagements_gained) as engagements,
                   count(*) filter (where became_viral) as viral_posts
            from marts.{POST_DAYS}
            where snapshot_date between $start and $end and not is_baseline
            group by platform, account_id, snapshot_date
        ),
        published as (
            select platform, account_id, count(*) as posts_published
            from marts.{POSTS} where published_date_local between $start and $end
            group by platform, account_id
        ),
        per_account as (
            select platform, account_id, count(*) as days, count(net_follower_growth) as follower_days,
                   sum(net_follower_growth) as net_follower_growth, sum(views) as views,
                   sum(engagements) as engagements, coalesce(sum(viral_posts), 0) as viral_posts
            from audience full join post_days using (platform, account_id, date_day)
            group by platform, account_id
        )
        select per_account.platform || ' ' || per_account.account_id, days, follower_days, net_follower_growth,
               views, engagements, viral_posts, coalesce(published.posts_published, 0)
        from per_account left join published using (platform, account_id)
        """,
        {"start": period.start, "end": period.end},
    ).fetchall()
    return {
        str(account): AccountDays(
            days, known, clean(growth), clean(views), clean(engagements), int(viral), int(published)
        )
        for account, days, known, growth, views, engagements, viral, published in rows
    }


def _sum(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def content_totals(days: dict[str, AccountDays], accounts: list[str]) -> dict[str, Any]:
    """The tiles' figures over ``accounts`` (one absent from ``days`` counts as nothing), ratios from the sums."""
    chosen = [days[a] for a in accounts if a in days]
    views = _sum([d.views for d in chosen])
    return {
        "net_follower_growth": _sum([d.net_follower_growth for d in chosen]),
        "views": views,
        "engagement_rate": ratio(_sum([d.engagements for d in chosen]), views),
        "viral_posts": sum(d.viral_posts for d in chosen),
        "posts_published": sum(d.posts_published for d in chosen),
    }


def compared(con: Any, period: Period, current: dict[str, AccountDays]) -> dict[str, Any] | None:
    """Another period's figures over the current period's accounts, when each has figures on every day of it
    (follower figures too, where it has them now); else None."""
    days = account_days(con, period)
    for account, now in current.items():
        then = days.get(account)
        if then is None or then.days < period.days or (now.follower_days and then.follower_days < period.days):
            return None
    return content_totals(days, sorted(current))


def top_posts(con: Any, period: Period, limit: int) -> list[tuple[Any, ...]]:
    """(title, platform, views gained, engagement rate of the gains) of the posts that gained most views."""
    rows = con.execute(
        f"""
        select coalesce(posts.title, daily.post_id), daily.platform, sum(daily.views_gained) as views,
               sum(daily.engagements_gained) as engagements
        from marts.{POST_DAYS} as daily
        left join marts.{POSTS} as posts on posts.platform = daily.platform and posts.post_id = daily.post_id
        where daily.snapshot_date between $start and $end and not daily.is_baseline
        group by daily.platform, daily.post_id, posts.title
        having sum(daily.views_gained) > 0
        order by views desc, daily.platform, daily.post_id
        limit $limit
        """,
        {"start": period.start, "end": period.end, "limit": limit},
    ).fetchall()
    return [(_short(title), platform, views, ratio(engagements, views)) for title, platform, views, engagements in rows]


def viral_posts(con: Any, period: Period, limit: int) -> list[tuple[Any, ...]]:
    """(title, platform, local publish day, lifetime views) of the posts that went viral in the period."""
    rows = con.execute(
        f"""
        select coalesce(posts.title, daily.post_id), daily.platform, posts.published_date_local,
               coalesce(posts.views, daily.views) as views
        from marts.{POST_DAYS} as daily
        left join marts.{POSTS} as posts on posts.platform = daily.platform and posts.post_id = daily.post_id
        where daily.became_viral and daily.snapshot_date between $start and $end
        order by views desc, daily.platform, daily.post_id
        limit $limit
        """,
        {"start": period.start, "end": period.end, "limit": limit},
    ).fetchall()
    return [
        (_short(title), platform, None if published is None else published.isoformat(), views)
        for title, platform, published, views in rows
    ]


def follower_gaps(con: Any, period: Period, current: dict[str, AccountDays]) -> list[tuple[str, int]]:
    """(account, days with follower growth) of each account short of a day in the period, including one seen in
    the week before but not in the period at all (its day not over yet in its time zone, or gone quiet)."""
    recent = account_days(con, Period(period.start - timedelta(days=7), period.end))
    gaps = []
    for account in sorted(set(recent) | set(current)):
        known = current[account].follower_days if account in current else 0
        if known < period.days:
            gaps.append((account, known))
    return gaps


def _short(title: Any) -> str:
    title = " ".join(str(title).split())
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"


def build(con: Any, period: Period, config: EmailConfig) -> Section:
    words = LABELS[config.language]
    section = Section(key="content", title=words["title"])
    if not (table_exists(con, ACCOUNTS) and table_exists(con, POST_DAYS) and table_exists(con, POSTS)):
        current_days = {}
    else:
        current_days = account_days(con, period)
    if not current_days:
        section.empty_note = text(config.language, "no_data", area=words["area"], period=period.label())
        return section
    current = content_totals(current_days, sorted(current_days))
    previous = compared(con, period.previous(), current_days)
    last_year = compared(con, period.last_year(), current_days)
    for key, kind in (
        ("net_follower_growth", "count"),
        ("views", "count"),
        ("engagement_rate", "percent"),
        ("viral_posts", "count"),
        ("posts_published", "count"),
    ):
        section.tiles.append(compared_tile(key, words[key], kind, current, previous, last_year))

    top = top_posts(con, period, config.top_posts)
    if top:
        columns = (
            Column(words["post"], "text"),
            Column(words["platform"], "text"),
            Column(words["views_gained"], "count"),
            Column(words["engagement_rate"], "percent"),
        )
        section.tables.append(Table(words["top"], columns, tuple(top)))
    else:
        section.notes.append(words["no_posts"].format(period=period.label()))
    viral = viral_posts(con, period, config.top_posts)
    if viral:
        columns = (
            Column(words["post"], "text"),
            Column(words["platform"], "text"),
            Column(words["published"], "text"),
            Column(words["views_to_date"], "count"),
        )
        section.tables.append(Table(words["viral"], columns, tuple(viral)))

    buckets = period.trend()
    section.charts.append(
        Chart(
            cid="content-net-follower-growth",
            title=words[f"trend_{period.kind}"].format(count=len(buckets)),
            png=charts.trend_bars(buckets, trend_values(con, ACCOUNTS, "date_day", "net_follower_growth", buckets)),
        )
    )
    section.notes.append(words["note"])
    gaps = follower_gaps(con, period, current_days)
    if gaps:
        missing = words["separator"].join(
            words["days"].format(account=account, known=known, days=period.days) for account, known in gaps
        )
        section.notes.append(words["incomplete"].format(accounts=missing))
    return section
