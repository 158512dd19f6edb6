"""The Bilibili sandbox over HTTP: the Open Platform's paths, signed headers, body codes in HTTP 200, paging,
single-use refresh tokens with an absolute expiry, and answers equal to the world's."""

from __future__ import annotations

import time
from typing import Any

from sandbox import Sandbox
from sandbox.bilibili import truth
from sandbox.bilibili.server import APP_SECRET, CLIENT_ID
from sandbox.content import WORLD_START
from tests.sources.bilibili.api import (
    ARC_STAT_PATH,
    INFO_PATH,
    SOURCE,
    USER_STAT_PATH,
    VIEWLIST_PATH,
    authorize,
    get,
    get_json,
    refresh,
    token,
)
from tests.sources.bilibili.helpers import ACCOUNT


def test_the_archive_list_pages_newest_first_with_its_total(sb: Sandbox, bilibili: Any) -> None:
    archives = bilibili.archives(ACCOUNT, sb.as_of)
    first = get_json(sb, VIEWLIST_PATH, {"pn": 1, "ps": 50, "status": "pubed"})
    assert first["code"] == 0 and first["message"] == "0" and first["ttl"] == 1
    assert first["data"]["page"] == {"pn": 1, "ps": 50, "total": len(archives)} and len(archives) > 500
    assert first["data"]["list"] == [bilibili.list_item(post) for post in archives[:50]]
    pages = -(-len(archives) // 50)
    last = get_json(sb, VIEWLIST_PATH, {"pn": pages, "ps": 50})["data"]["list"]
    assert [item["resource_id"] for item in last] == [post.id for post in archives[(pages - 1) * 50 :]]
    assert get_json(sb, VIEWLIST_PATH, {"pn": pages + 1, "ps": 50})["data"]["list"] == []
    ptimes = [item["ptime"] for item in first["data"]["list"]]
    assert ptimes == sorted(ptimes, reverse=True)
    assert get_json(sb, VIEWLIST_PATH, {"status": "not_pubed"})["data"] == {
        "list": [], "page": {"pn": 1, "ps": 20, "total": 0},
    }  # fmt: skip


def test_parameters_out_of_range_are_code_127100_in_an_http_200(sb: Sandbox) -> None:
    for params in ({"ps": 51}, {"pn": 0}, {"ps": "many"}, {"status": "published"}):
        body = get_json(sb, VIEWLIST_PATH, params)
        assert body["code"] == 127100 and "data" not in body, params
    assert get_json(sb, ARC_STAT_PATH)["code"] == 127100


def test_archive_data_is_the_worlds_and_a_deleted_archive_says_so(sb: Sandbox, bilibili: Any) -> None:
    post = bilibili.archives(ACCOUNT, sb.as_of)[3]
    body = get_json(sb, ARC_STAT_PATH, {"resource_id": post.id})
    assert body["data"] == bilibili.stat(post, sb.as_of)
    assert set(body["data"]) == {"title", "ptime", "view", "danmaku", "reply", "favorite", "coin", "share", "like"}
    deleted = next(
        p
        for p in bilibili.posts_between(ACCOUNT, WORLD_START, sb.as_of.date())
        if p.deleted_at and p.deleted_at < sb.as_of
    )
    assert get_json(sb, ARC_STAT_PATH, {"resource_id": deleted.id})["code"] == 127107
    assert get_json(sb, ARC_STAT_PATH, {"resource_id": "BV1xxxxxxxxx"})["code"] == 127124


def test_user_data_and_info_are_the_accounts(sb: Sandbox, bilibili: Any) -> None:
    assert get_json(sb, USER_STAT_PATH)["data"] == truth.user_stat(bilibili, ACCOUNT, sb.as_of)
    assert get_json(sb, USER_STAT_PATH)["data"]["follower"] == bilibili.followers_at(ACCOUNT, sb.as_of) > 50_000
    info = get_json(sb, INFO_PATH)["data"]
    assert info["openid"] == ACCOUNT and set(info) == {"name", "face", "openid"}


def test_every_call_must_be_signed_with_the_app_secret_and_a_fresh_nonce(sb: Sandbox) -> None:
    base, params = sb.url(SOURCE), {"pn": 1, "ps": 1}

    def code(**headers: Any) -> int:
        response = get(base, VIEWLIST_PATH, params, token(sb), headers=headers)
        assert response.status_code == 200
        result: int = response.json()["code"]
        return result

    assert code() == 0
    assert code(Authorization=None) == 127000
    assert code(**{"x-bili-signature-nonce": None}) == 127000
    assert code(**{"x-bili-accesskeyid": "0000000000000000"}) == 127004
    assert code(Authorization="0" * 64) == 127012
    assert code(**{"x-bili-signature-version": "1.0"}) == 127012
    # A header changed after signing, a stale clock, a replayed nonce: each breaks the signature's promise.
    from extractors.bilibili.client import signed_headers

    stale = signed_headers(CLIENT_ID, APP_SECRET, b"", timestamp=time.time() - 3600)
    assert code(**stale) == 127012
    replayed = signed_headers(CLIENT_ID, APP_SECRET, b"", nonce="the-same-nonce-twice")
    assert code(**replayed) == 0 and code(**replayed) == 127012
    wrong_key = signed_headers(CLIENT_ID, "not-the-app-secret", b"")
    assert code(**wrong_key) == 127012


def test_the_token_goes_in_an_access_token_header_and_an_expired_one_is_127001(sb: Sandbox) -> None:
    no_token = get(sb.url(SOURCE), VIEWLIST_PATH, {"pn": 1}).json()
    assert no_token["code"] == 127000 and "access-token" in no_token["message"]
    assert get_json(sb, VIEWLIST_PATH, access_token="not-a-token")["code"] == 127001
    pair = authorize(sb.url(SOURCE))["data"]
    assert get_json(sb, VIEWLIST_PATH, access_token=pair["access_token"])["code"] == 0
    sb.server(SOURCE).tokens.expire_access_tokens([pair["access_token"]])  # type: ignore[attr-defined]
    expired = get_json(sb, VIEWLIST_PATH, access_token=pair["access_token"])
    assert expired["code"] == 127001 and "已过期" in expired["message"]


def test_a_refresh_token_is_single_use_and_expires_in_is_an_expiry_time(sb: Sandbox) -> None:
    pair = authorize(sb.url(SOURCE))["data"]
    assert abs(pair["expires_in"] - (time.time() + 30 * 86400)) < 60
    fresh = refresh(sb, pair["refresh_token"])
    assert fresh["code"] == 0 and fresh["ttl"] == 1
    new = fresh["data"]
    assert new["refresh_token"] != pair["refresh_token"] and new["access_token"] != pair["access_token"]
    assert abs(new["expires_in"] - (time.time() + 30 * 86400)) < 60 and "USER_DATA" in new["scopes"]
    assert refresh(sb, pair["refresh_token"])["code"] == 122007  # used once already
    assert refresh(sb, new["refresh_token"], secret="wrong")["code"] == 122001
    assert get_json(sb, USER_STAT_PATH, access_token=new["access_token"])["code"] == 0
