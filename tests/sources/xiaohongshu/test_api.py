"""The Xiaohongshu sandbox over HTTP: the two envelopes, POST JSON paging, numbers as strings, the 30-day span, T+1
days, one authorization per platform, and OAuth whose refresh rotates the refresh token."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sandbox import Sandbox
from sandbox.xiaohongshu import truth
from sandbox.xiaohongshu.server import ACCESS_TTL, REFRESH_TTL, REPORT_PATH
from tests.sources.xiaohongshu.api import (
    ADVERTISER,
    BRAND,
    SOURCE,
    answer,
    authorize,
    collaborations,
    fetch_report,
    note_list,
    post,
    refresh,
    report,
    tokens,
)
from tests.sources.xiaohongshu.helpers import LAST_DAY, NOW

D = date.fromisoformat


def test_the_report_pages_by_page_number_through_every_row_once(sb: Sandbox) -> None:
    rows, pages = fetch_report(sb, D("2026-11-01"), D("2026-11-07"), page_size=50)
    assert rows == truth.report_rows(sb.world.part(SOURCE), D("2026-11-01"), D("2026-11-07"))
    assert len(rows) == 220 and pages == 5
    assert len({(r["note_id"], r["time"]) for r in rows}) == len(rows)


def test_the_business_envelope_says_success_and_numbers_come_as_numbers_or_strings(sb: Sandbox) -> None:
    body = report(sb, D("2026-11-01"), D("2026-11-07"), page_size=100)
    assert set(body) == {"success", "code", "msg", "data", "request_id"}
    assert body["success"] is True and body["code"] == 0 and len(body["request_id"]) == 32
    rows = body["data"]["data_list"]
    assert int(body["data"]["total_count"]) == 220 and len(rows) == 100
    as_text = [r for r in rows if isinstance(r["click"], str)]
    as_numbers = [r for r in rows if isinstance(r["click"], int)]
    assert as_text and as_numbers
    assert all(isinstance(r["fee"], str) and r["fee"].count(".") == 1 and len(r["fee"].split(".")[1]) == 2
               for r in as_text)  # fmt: skip
    assert all(isinstance(r["fee"], float) for r in as_numbers)


def test_errors_come_in_an_http_200_with_success_false_and_a_code(sb: Sandbox) -> None:
    too_big = report(sb, D("2026-11-01"), D("2026-11-07"), page_size=1001)
    assert (too_big["success"], too_big["code"]) == (False, 40001) and "page_size 1..1000" in too_big["msg"]
    assert len(report(sb, D("2026-11-01"), D("2026-11-07"), page_size=1000)["data"]["data_list"]) == 220
    span = report(sb, D("2026-10-01"), D("2026-10-31"))
    assert (span["success"], span["code"]) == (False, 40008) and "31 days" in span["msg"]
    assert report(sb, D("2026-10-02"), D("2026-10-31"))["success"] is True  # 30 days is the most
    other = report(sb, D("2026-11-01"), D("2026-11-07"), advertiser_id=1234567890)
    assert (other["success"], other["code"]) == (False, 40002)
    bad_day = report(sb, D("2026-11-01"), D("2026-11-07"), start_date="2026/11/01")
    assert bad_day["code"] == 40001 and "yyyy-MM-dd" in bad_day["msg"]


def test_the_gateway_refuses_a_missing_or_unknown_token_without_a_success_flag(sb: Sandbox) -> None:
    body = {"advertiser_id": int(ADVERTISER), "start_date": "2026-11-01", "end_date": "2026-11-01", "time_unit": "DAY"}
    for token in (None, "not-a-token"):
        refused = answer(post(sb.url(SOURCE), REPORT_PATH, body, token))
        assert set(refused) == {"errorCode", "errorMsg", "request_id"} and refused["errorCode"] == 401


def test_each_platforms_token_opens_only_its_own_apis(sb: Sandbox) -> None:
    jg, pgy = tokens(sb)["jg"], tokens(sb)["pgy"]
    assert report(sb, D("2026-11-01"), D("2026-11-01"), token=pgy)["code"] == 40007
    assert collaborations(sb, D("2026-11-01"), D("2026-11-21"), token=jg)["code"] == 40007
    assert note_list(sb, D("2026-11-01"), D("2026-11-21"), token=pgy)["code"] == 40007
    assert collaborations(sb, D("2026-11-01"), D("2026-11-21"))["success"] is True


def test_days_are_t_plus_one_from_nine_beijing_and_an_empty_answer_leaves_data_list_out(sb: Sandbox) -> None:
    at_eight = report(sb, D("2026-11-21"), D("2026-11-22"))["data"]
    assert {r["time"] for r in at_eight["data_list"]} == {"2026-11-21"}
    nothing = report(sb, D("2026-11-22"), D("2026-11-22"))["data"]
    assert nothing == {"total_count": 0}  # no data_list at all
    sb.set_as_of(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # 09:00 Beijing
    assert {r["time"] for r in report(sb, D("2026-11-22"), D("2026-11-22"))["data"]["data_list"]} == {"2026-11-22"}


def test_the_note_list_lists_the_brands_live_notes_of_the_creation_days_newest_first(sb: Sandbox) -> None:
    xhs = sb.world.part(SOURCE)
    body = note_list(sb, D("2026-09-01"), LAST_DAY, page_size=30)
    data = body["data"]
    expected = truth.note_items(xhs, D("2026-09-01"), LAST_DAY, NOW)
    assert body["success"] is True and data["total"] == len(expected) > 30
    assert data["notes"] == expected[:30]
    second = note_list(sb, D("2026-09-01"), LAST_DAY, page=2, page_size=30)["data"]["notes"]
    assert data["notes"] + second == expected
    stamps = [int(n["create_time"]) for n in expected]
    assert stamps == sorted(stamps, reverse=True) and all(n["author_id"] == BRAND for n in expected)
    assert all("[话题]#" in n["desc"] for n in expected)
    deleted = [p for p in truth.notes_published(xhs, D("2025-01-01"), LAST_DAY) if p.deleted_at and p.deleted_at < NOW]
    listed = note_list(sb, D("2025-01-01"), LAST_DAY, page_size=100)["data"]
    assert listed["total"] > 400 and not {p.id for p in deleted} & {n["note_id"] for n in listed["notes"]}


def test_pugongying_lists_collaborations_by_publish_day_with_figures_as_of_the_last_day_out(sb: Sandbox) -> None:
    xhs = sb.world.part(SOURCE)
    body = collaborations(sb, D("2026-10-23"), LAST_DAY, page_size=5)
    data = body["data"]
    expected = truth.collaboration_rows(xhs, D("2026-10-23"), LAST_DAY, LAST_DAY)
    assert (data["total"], data["page_num"], data["page_size"], data["total_page"]) == (
        len(expected),
        1,
        5,
        -(-len(expected) // 5),
    )
    assert data["datas"] == expected[:5] and data["total"] >= 9
    assert {row["date_key"] for row in expected} == {"20261121"}
    first = expected[0]
    assert first["note_publish_time"][10] == " " and len(first["note_publish_time"]) == 19
    figures = truth.collaboration_figures(xhs, D("2026-10-23"), LAST_DAY, truth.day_end(LAST_DAY))
    assert int(first["read_num"]) == figures[first["order_id"]].views
    assert collaborations(sb, D("2026-10-01"), D("2026-10-31"))["code"] == 40008
    assert collaborations(sb, D("2026-11-01"), LAST_DAY, user_id="5f0000000000000000000000")["code"] == 40002


def test_an_access_token_expires_and_a_refresh_rotates_the_refresh_token(sb: Sandbox) -> None:
    pair = authorize(sb.url(SOURCE), "jg")
    assert (pair["access_token_expires_in"], pair["refresh_token_expires_in"], pair["platform_type"]) == (
        ACCESS_TTL,
        REFRESH_TTL,
        1,
    )
    assert pair["approval_advertisers"] == [{"advertiser_id": int(ADVERTISER), "advertiser_name": "品牌旗舰店"}]
    sb.set_as_of(NOW + timedelta(seconds=ACCESS_TTL + 1))
    expired = report(sb, D("2026-11-01"), D("2026-11-01"), token=pair["access_token"])
    assert (expired["success"], expired["code"]) == (False, 40004)
    renewed = refresh(sb.url(SOURCE), pair["refresh_token"])
    data = renewed["data"]
    assert renewed["success"] is True and data["refresh_token"] != pair["refresh_token"]
    assert data["access_token_expires_in"] == ACCESS_TTL and data["platform_type"] == 1 and data["user_id"] == BRAND
    assert report(sb, D("2026-11-01"), D("2026-11-01"), token=data["access_token"])["success"] is True
    dead = refresh(sb.url(SOURCE), pair["refresh_token"])  # the used one is dead
    assert (dead["success"], dead["code"]) == (False, 40005)
    wrong = refresh(sb.url(SOURCE), data["refresh_token"], secret="not-the-secret")
    assert (wrong["success"], wrong["code"]) == (False, 40006)
    pgy = authorize(sb.url(SOURCE), "pgy")
    again = refresh(sb.url(SOURCE), pgy["refresh_token"])["data"]
    assert again["platform_type"] == 2 and again["approval_advertisers"] == []
    assert collaborations(sb, D("2026-11-01"), LAST_DAY, token=again["access_token"])["success"] is True
