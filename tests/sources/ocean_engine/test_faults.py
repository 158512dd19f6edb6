"""Ocean Engine's injected faults: each is the platform's code in an HTTP 200 (the gateway's 500 aside), for
exactly as many requests as asked."""

from __future__ import annotations

from sandbox import Sandbox
from tests.sources.ocean_engine.api import call
from tests.sources.ocean_engine.helpers import SOURCE


def codes(sb: Sandbox, times: int) -> list[tuple[int, int]]:
    return [(r.status_code, r.json()["code"]) for r in (call(sb) for _ in range(times))]


def test_each_fault_answers_its_code_once_per_arming(sb: Sandbox) -> None:
    for fault in ("rate_limit", "system_error", "token_expired", "daily_quota", "server_error"):
        sb.inject(SOURCE, fault)
    assert codes(sb, 6) == [(200, 40100), (200, 50000), (200, 40102), (200, 61002), (500, 50000), (200, 0)]
    assert [status for _, _, status in sb.requests(SOURCE)] == [200, 200, 200, 200, 500, 200]


def test_messages_say_what_happened(sb: Sandbox) -> None:
    sb.inject(SOURCE, "daily_quota")
    body = call(sb).json()
    assert "daily request quota is used up" in body["message"] and body["data"] == {} and body["request_id"]


def test_schema_drift_adds_unknown_fields_to_every_row(sb: Sandbox) -> None:
    sb.inject(SOURCE, "schema_drift")
    rows = call(sb).json()["data"]["rows"]
    assert rows and all(r["dimensions"]["cdp_project_status"] == "PROJECT_STATUS_ENABLE" for r in rows)
    assert all(r["metrics"]["attribution_convert_cnt"] == "0" for r in rows)
    assert "cdp_project_status" not in call(sb).json()["data"]["rows"][0]["dimensions"]


def test_data_faults_spoil_the_first_row_only(sb: Sandbox) -> None:
    clean = call(sb).json()["data"]["rows"]
    sb.inject(SOURCE, "negative_cost")
    sb.inject(SOURCE, "missing_cost")
    sb.inject(SOURCE, "fractional_count")
    negative, missing, fractional = (call(sb).json()["data"]["rows"] for _ in range(3))
    assert negative[0]["metrics"]["stat_cost"] == "-" + clean[0]["metrics"]["stat_cost"] and negative[1:] == clean[1:]
    assert "stat_cost" not in missing[0]["metrics"] and missing[1:] == clean[1:]
    assert fractional[0]["metrics"]["show_cnt"] == clean[0]["metrics"]["show_cnt"] + ".5"


def test_an_empty_page_with_more_pages_is_a_paging_lie(sb: Sandbox) -> None:
    sb.inject(SOURCE, "empty_page")
    data = call(sb).json()["data"]
    assert data["rows"] == [] and data["page_info"]["page"] < data["page_info"]["total_page"]
