"""The Douyin sandbox over HTTP: the legacy envelope, the access-token header and open_id, cursor paging with
pinned posts first, count limits, the fans data's T+1 days, and OAuth that never extends the refresh token."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sandbox import Sandbox
from sandbox.douyin import truth
from sandbox.douyin.server import ACCESS_TTL, REFRESH_TTL
from tests.sources.douyin.api import (
    OPEN_ID,
    SOURCE,
    VIDEO_LIST_PATH,
    access_token,
    authorize,
    fans,
    fetch_list,
    get,
    refresh,
    video_list,
)
from tests.sources.douyin.helpers import NOW


def test_the_list_pages_by_cursor_through_every_visible_post_once_pinned_first(sb: Sandbox) -> None:
    items, pages = fetch_list(sb, count=20)
    douyin = sb.world.part(SOURCE)
    listed = douyin.listed(OPEN_ID, NOW)
    assert [item["item_id"] for item in items] == [post.id for post in listed]
    assert pages == -(-len(listed) // 20) and len(listed) > 1000
    assert items[:3] == [douyin.render_item(post, NOW) for post in listed[:3]]
    assert [item["is_top"] for item in items[:3]] == [True, True, False]


def test_the_envelope_is_legacy_with_the_code_in_data_and_extra(sb: Sandbox) -> None:
    body = video_list(sb, count=3)
    assert set(body) == {"data", "extra"}
    assert body["data"]["error_code"] == 0 and body["data"]["description"] == ""
    assert set(body["data"]) == {"error_code", "description", "list", "cursor", "has_more"}
    assert body["extra"]["error_code"] == 0 and body["extra"]["logid"]
    assert body["extra"]["now"] == int(NOW.timestamp() * 1000)  # the world's clock
    assert len(body["data"]["list"]) == 3 and body["data"]["has_more"] is True


def test_count_is_one_to_twenty_and_errors_come_in_an_http_200(sb: Sandbox) -> None:
    for count in (0, 21, "ten"):
        body = video_list(sb, count=count)
        assert body["data"]["error_code"] == 2100005 and "count must be an integer 1..20" in body["data"]["description"]
        assert body["extra"]["error_code"] == 2100005
    assert len(video_list(sb, count=20)["data"]["list"]) == 20
    default = get(sb.url(SOURCE), VIDEO_LIST_PATH, {"open_id": OPEN_ID}, access_token(sb)).json()
    assert len(default["data"]["list"]) == 10


def test_the_token_goes_in_the_access_token_header_and_covers_its_own_open_id_only(sb: Sandbox) -> None:
    params = {"open_id": OPEN_ID, "count": 1}
    as_query = get(sb.url(SOURCE), VIDEO_LIST_PATH, {**params, "access_token": access_token(sb)}, None)
    assert as_query.status_code == 200 and as_query.json()["data"]["error_code"] == 2190002
    wrong = get(sb.url(SOURCE), VIDEO_LIST_PATH, params, "act.not-a-token")
    assert wrong.json()["data"]["error_code"] == 2190002
    other = video_list(sb, open_id="_000SomebodyElse")
    assert other["data"]["error_code"] == 2100007
    assert video_list(sb, open_id="")["data"]["error_code"] == 2100005


def test_fans_data_is_t_plus_one_from_ten_in_the_morning_beijing(sb: Sandbox) -> None:
    douyin = sb.world.part(SOURCE)
    rows = fans(sb, 7)["data"]["result_list"]
    # 08:00 on the 23rd in Beijing: the 22nd is not out yet, so the last 7 days end on the 21st.
    assert rows == truth.fans_rows(douyin, OPEN_ID, date(2026, 11, 15), date(2026, 11, 21))
    sb.set_as_of(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # 10:00 Beijing
    assert fans(sb, 15)["data"]["result_list"] == truth.fans_rows(
        douyin, OPEN_ID, date(2026, 11, 8), date(2026, 11, 22)
    )
    assert len(fans(sb, 30)["data"]["result_list"]) == 30
    for bad in (1, 31, "week"):
        assert fans(sb, bad)["data"]["error_code"] == 2100005


def test_an_access_token_lives_fifteen_days_and_a_refresh_never_extends_the_refresh_token(sb: Sandbox) -> None:
    pair = authorize(sb.url(SOURCE))
    assert (pair["expires_in"], pair["refresh_expires_in"], pair["open_id"]) == (ACCESS_TTL, REFRESH_TTL, OPEN_ID)
    sb.set_as_of(NOW + timedelta(days=15, seconds=1))
    expired = video_list(sb, token=pair["access_token"], count=1)
    assert expired["data"]["error_code"] == 2190008
    answer = refresh(sb.url(SOURCE), pair["refresh_token"])
    data = answer["data"]
    assert data["error_code"] == 0 and data["access_token"] != pair["access_token"]
    assert data["refresh_token"] == pair["refresh_token"]  # the same refresh token,
    assert data["refresh_expires_in"] == REFRESH_TTL - 15 * 86400 - 1  # with what is left of its 30 days
    assert video_list(sb, token=data["access_token"], count=1)["data"]["error_code"] == 0
    sb.set_as_of(NOW + timedelta(days=30, seconds=1))
    dead = refresh(sb.url(SOURCE), pair["refresh_token"])
    assert dead["data"]["error_code"] == 10010 and "authorize again" in dead["data"]["description"]
    assert refresh(sb.url(SOURCE), "rt-never-issued")["data"]["error_code"] == 10010


def test_deleted_posts_are_gone_from_the_list(sb: Sandbox) -> None:
    douyin = sb.world.part(SOURCE)
    posts = douyin.content.posts_between(OPEN_ID, date(2026, 10, 1), date(2026, 11, 21))
    deleted = [p for p in posts if p.deleted_at is not None and p.deleted_at < NOW]
    later = [p for p in posts if p.deleted_at is not None and p.deleted_at >= NOW]
    items, _ = fetch_list(sb)
    ids = {item["item_id"] for item in items}
    assert deleted and not ids & {p.id for p in deleted}
    assert {p.id for p in later} <= ids
