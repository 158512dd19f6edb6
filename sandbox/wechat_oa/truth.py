"""Ground truth for the WeChat Official Account, from the world and never through HTTP: what each article's
figures and the account's followers are, so a paging or window-splitting bug shows up as a mismatch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sandbox.content import Post
from sandbox.formats import as_utc
from sandbox.wechat_oa.world import WeChatOAWorld


def listed_articles(wechat: WeChatOAWorld, appid: str, since: date, until: date, as_of: date | datetime) -> list[Post]:
    """Articles of mass-message days ``[since, until]`` still listed at ``as_of``."""
    moment = as_utc(as_of)
    found: list[Post] = []
    day = since
    while day <= until:
        found.extend(wechat.articles(appid, day, moment))
        day += timedelta(days=1)
    return found


def article_detail_rows(
    wechat: WeChatOAWorld, appid: str, since: date, until: date, as_of: date | datetime
) -> dict[tuple[str, date], dict[str, Any]]:
    """Every (msgid, stat_date) figure served at ``as_of`` for articles of ``[since, until]``."""
    moment = as_utc(as_of)
    return {
        (post.id, day): wechat.detail(post, day)
        for post in listed_articles(wechat, appid, since, until, moment)
        for day in wechat.detail_days(post, moment)
    }


def followers_by_day(wechat: WeChatOAWorld, appid: str, since: date, until: date) -> dict[date, tuple[int, int, int]]:
    """(followers at the day's end, follows, unfollows) per day of ``[since, until]``."""
    found = {}
    day = since
    while day <= until:
        entry = wechat.follower_day(appid, day)
        found[day] = (entry.followers_end, entry.follows, entry.unfollows)
        day += timedelta(days=1)
    return found


def raw_history(wechat: WeChatOAWorld, since: date, until: date) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(stream, account, record) of everything daily runs over ``[since, until]`` would have left in raw: each
    article's figures up to 30 days after publish, or up to the last run before the account deleted it, and
    every day's follower summary and total. For benchmarks that need years of history without years of runs."""
    end = as_utc(datetime.combine(until + timedelta(days=1), datetime.min.time())) + timedelta(hours=1)
    for account in wechat.accounts:
        for post in wechat.posts_between(account.id, since, until):
            seen_until = min(end, post.deleted_at) if post.deleted_at is not None else end
            article = wechat.article_row(post, seen_until)
            fields = {key: value for key, value in article.items() if key != "detail_list"}
            for detail in article["detail_list"]:
                yield "article_daily_totals", account.id, {**fields, "detail": detail}
        day = since
        while day <= until:
            for row in wechat.user_summary(account.id, day):
                yield "user_summary", account.id, row
            yield "user_cumulate", account.id, wechat.user_cumulate(account.id, day)
            day += timedelta(days=1)
