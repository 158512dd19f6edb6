"""The Xiaohongshu sandbox's own faults: the gateway's and the API's error bodies (in HTTP 200, two shapes), and what
the data faults spoil on each endpoint."""

from __future__ import annotations

from datetime import date

from sandbox import Sandbox
from sandbox.xiaohongshu.server import DRIFT_ROW
from tests.sources.xiaohongshu.api import SOURCE, call, collaborations, note_list, report

D = date.fromisoformat


def test_throttling_busy_and_expired_tokens_are_answered_in_an_http_200(sb: Sandbox) -> None:
    for fault, key, code, words in [
        ("rate_limit", "errorCode", 429, "too many requests"),
        ("system_busy", "code", 50000, "system busy"),
        ("token_expired", "code", 40004, "access token expired"),
    ]:
        sb.inject(SOURCE, fault)
        response = call(sb)
        assert response.status_code == 200
        body = response.json()
        assert body[key] == code and words in (body.get("msg") or body.get("errorMsg"))
        assert body.get("success") in (False, None) and not body.get("data")
        assert "success" not in body or key == "code"  # the gateway's shape has no flag
        assert call(sb).json()["success"] is True  # one request each


def test_server_error_is_the_gateways_500_in_its_own_shape(sb: Sandbox) -> None:
    sb.inject(SOURCE, "server_error")
    response = call(sb)
    assert response.status_code == 500
    assert response.json()["errorCode"] == 500 and "success" not in response.json()


def test_data_faults_spoil_the_first_row_of_a_report_page(sb: Sandbox) -> None:
    clean = report(sb, D("2026-11-01"), D("2026-11-07"), page_size=5)["data"]["data_list"]
    for fault in ("negative_count", "fractional_count", "missing_counter", "schema_drift"):
        sb.inject(SOURCE, fault)
        spoiled = report(sb, D("2026-11-01"), D("2026-11-07"), page_size=5)["data"]["data_list"]
        first, rest = spoiled[0], spoiled[1:]
        clicks = int(clean[0]["click"])
        if fault == "negative_count":
            assert first["click"] == -clicks - 1 and rest == clean[1:]
        elif fault == "fractional_count":
            assert first["click"] == clicks + 0.5 and rest == clean[1:]
        elif fault == "missing_counter":
            assert "like" not in first and rest == clean[1:]
        else:
            assert spoiled == [{**row, **DRIFT_ROW} for row in clean]


def test_data_faults_reach_the_note_list_and_pugongying_too(sb: Sandbox) -> None:
    notes = note_list(sb, D("2026-11-01"), D("2026-11-21"))["data"]["notes"]
    sb.inject(SOURCE, "negative_count")
    assert (
        note_list(sb, D("2026-11-01"), D("2026-11-21"))["data"]["notes"][0]["create_time"]
        == -int(notes[0]["create_time"]) - 1
    )
    sb.inject(SOURCE, "missing_counter")
    assert "title" not in note_list(sb, D("2026-11-01"), D("2026-11-21"))["data"]["notes"][0]
    rows = collaborations(sb, D("2026-11-01"), D("2026-11-21"))["data"]["datas"]
    sb.inject(SOURCE, "missing_counter")
    assert "like_num" not in collaborations(sb, D("2026-11-01"), D("2026-11-21"))["data"]["datas"][0]
    sb.inject(SOURCE, "negative_count")
    spoiled = collaborations(sb, D("2026-11-01"), D("2026-11-21"))["data"]["datas"]
    assert spoiled[0]["read_num"] == -int(rows[0]["read_num"]) - 1 and spoiled[1:] == rows[1:]


def test_empty_page_is_a_paging_lie_only_where_more_follows(sb: Sandbox) -> None:
    sb.inject(SOURCE, "empty_page")
    lie = report(sb, D("2026-11-01"), D("2026-11-07"), page_size=5)["data"]
    assert lie["data_list"] == [] and int(lie["total_count"]) == 220
    sb.inject(SOURCE, "empty_page")
    last = report(sb, D("2026-11-01"), D("2026-11-07"), page_size=5, page_num=44)["data"]
    assert len(last["data_list"]) == 5  # the last page: nothing follows, no lie
