"""The Official Account's share of the marts week (tests/dbt/week.py): the articles of the week's mass-message days
with their figures up to the second load, and the week's follower summary and totals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sandbox.wechat_oa import truth
from tests.dbt import raw_fixtures as raw
from tests.dbt.week import SECOND_LOAD, SINCE, UNTIL
from tests.sources.wechat_oa.helpers import APPID, ARTICLES, CUMULATE, SOURCE, SUMMARY
from warehouse.raw_tables import raw_table_for


def land_week(con: Any, world: Any) -> None:
    wechat = world.part(SOURCE)
    window = (SINCE, UNTIL + timedelta(days=1))
    table = raw_table_for(SOURCE, ARTICLES)
    for post in truth.listed_articles(wechat, APPID, SINCE, UNTIL, SECOND_LOAD):
        article = wechat.article_row(post, SECOND_LOAD)
        fields = {key: value for key, value in article.items() if key != "detail_list"}
        for detail in article["detail_list"]:
            raw.insert_raw(con, table, APPID, {**fields, "detail": detail}, "run-2", SECOND_LOAD, window)
    day = SINCE
    while day <= UNTIL:
        for row in wechat.user_summary(APPID, day):
            raw.insert_raw(con, raw_table_for(SOURCE, SUMMARY), APPID, row, "run-2", SECOND_LOAD, window)
        raw.insert_raw(con, raw_table_for(SOURCE, CUMULATE), APPID, wechat.user_cumulate(APPID, day), "run-2",
                       SECOND_LOAD, window)  # fmt: skip
        day += timedelta(days=1)
    for stream in (ARTICLES, SUMMARY, CUMULATE):
        raw.cover(con, SOURCE, stream, APPID, window, "run-2")
