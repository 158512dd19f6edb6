"""The WeChat sandbox over HTTP: stable_token, errcode answers inside HTTP 200, the datacube's spans and readiness."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import requests

from sandbox.wechat_oa import truth
from tests.sources.wechat_oa.api import SOURCE, datacube, token
from tests.sources.wechat_oa.helpers import APPID


def test_stable_token_hands_back_the_same_token_while_valid_unless_forced(sb: Any) -> None:
    base = sb.url(SOURCE)
    first, again = token(base), token(base)
    assert first["expires_in"] <= 7200 and first["access_token"] == again["access_token"]
    forced = token(base, force_refresh=True)
    assert forced["access_token"] != first["access_token"]
    refused = datacube(base, "getusercumulate", date(2026, 11, 1), date(2026, 11, 1), first["access_token"])
    assert refused.status_code == 200 and refused.json()["errcode"] == 40001


def test_a_wrong_secret_or_appid_is_an_errcode_in_an_http_200(sb: Any) -> None:
    base = sb.url(SOURCE)
    assert token(base, secret="not-the-secret")["errcode"] == 40125
    unknown = requests.post(
        f"{base}/cgi-bin/stable_token",
        json={"grant_type": "client_credential", "appid": "wx0000000000000000", "secret": "x"},
        timeout=10,
    )
    assert unknown.status_code == 200 and unknown.json()["errcode"] == 40013


def test_an_expired_token_gets_42001_and_a_new_one_is_issued(sb: Any, server: Any) -> None:
    base = sb.url(SOURCE)
    old = token(base)["access_token"]
    server.expire_tokens()
    expired = datacube(base, "getusercumulate", date(2026, 11, 1), date(2026, 11, 1), old).json()
    assert expired["errcode"] == 42001 and "rid:" in expired["errmsg"]
    assert token(base)["access_token"] != old


def test_each_endpoint_refuses_a_span_past_its_limit_and_an_end_past_yesterday(sb: Any) -> None:
    base = sb.url(SOURCE)
    access = token(base)["access_token"]
    week = datacube(base, "getusersummary", date(2026, 11, 1), date(2026, 11, 7), access).json()
    assert "errcode" not in week and week["list"]
    eight = datacube(base, "getusersummary", date(2026, 11, 1), date(2026, 11, 8), access).json()
    assert eight["errcode"] == 61501
    two = datacube(base, "getarticletotaldetail", date(2026, 11, 1), date(2026, 11, 2), access).json()
    assert two["errcode"] == 61501
    today = datacube(base, "getusercumulate", date(2026, 11, 23), date(2026, 11, 23), access).json()
    assert today["errcode"] == 61501 and "yesterday" in today["errmsg"]
    bad = requests.post(f"{base}/datacube/getusercumulate", params={"access_token": access},
                        json={"begin_date": "2026/11/01", "end_date": "2026-11-01"}, timeout=10).json()  # fmt: skip
    assert bad["errcode"] == 61500


def test_articles_come_with_thirty_days_of_cumulative_figures_as_the_world_holds_them(sb: Any, wechat: Any) -> None:
    base = sb.url(SOURCE)
    answer = datacube(base, "getarticletotaldetail", date(2026, 10, 5), date(2026, 10, 5), token(base)["access_token"])
    body = answer.json()
    assert body["is_delay"] is False
    expected = truth.article_detail_rows(wechat, APPID, date(2026, 10, 5), date(2026, 10, 5), sb.as_of)
    served = {(row["msgid"], entry["stat_date"]): entry for row in body["list"] for entry in row["detail_list"]}
    assert len(served) == len(expected) == 30 * len(body["list"]) > 0
    assert served == {(msgid, day.isoformat()): entry for (msgid, day), entry in expected.items()}


def test_before_eight_in_beijing_yesterday_is_missing_and_the_answer_says_is_delay(sb: Any) -> None:
    sb.set_as_of(datetime(2026, 11, 22, 23, 30, tzinfo=UTC))  # 07:30 on the 23rd in Beijing
    base = sb.url(SOURCE)
    access = token(base)["access_token"]
    early = datacube(base, "getusercumulate", date(2026, 11, 20), date(2026, 11, 22), access).json()
    assert [row["ref_date"] for row in early["list"]] == ["2026-11-20", "2026-11-21"]
    articles = datacube(base, "getarticletotaldetail", date(2026, 11, 21), date(2026, 11, 21), access).json()
    assert articles["is_delay"] is True
    assert all(row["detail_list"][-1]["stat_date"] == "2026-11-21" for row in articles["list"])


def test_a_deleted_article_is_no_longer_listed(sb: Any, wechat: Any) -> None:
    deleted = next(
        post
        for post in wechat.posts_between(APPID, date(2026, 1, 1), date(2026, 10, 31))
        if post.deleted_at is not None
    )
    day = deleted.local_published_at.date()
    sb.set_as_of(deleted.deleted_at)
    base = sb.url(SOURCE)
    listed = datacube(base, "getarticletotaldetail", day, day, token(base)["access_token"]).json()["list"]
    assert deleted.id not in [row["msgid"] for row in listed]
