"""The Bilibili sandbox's own faults: the platform's error bodies (codes in HTTP 200) and the answers it spoils."""

from __future__ import annotations

from typing import Any

from sandbox import Sandbox
from sandbox.bilibili.server import DRIFT_ITEM, DRIFT_STAT
from tests.sources.bilibili.api import ARC_STAT_PATH, USER_STAT_PATH, VIEWLIST_PATH, call, get_json
from tests.sources.bilibili.helpers import ACCOUNT, SOURCE


def test_throttling_busy_expired_and_unauthorized_are_codes_in_an_http_200(sb: Sandbox) -> None:
    for fault, code, words in [
        ("rate_limit", 127009, "上限"),
        ("system_busy", 127201, "繁忙"),
        ("token_expired", 127001, "已过期"),
        ("no_scope", 127011, "未授权"),
    ]:
        sb.inject(SOURCE, fault)
        response = call(sb)
        assert response.status_code == 200
        body = response.json()
        assert body["code"] == code and words in body["message"] and "data" not in body
        assert call(sb).json()["code"] == 0  # one request each


def test_server_error_is_minus_500_in_an_http_500(sb: Sandbox) -> None:
    sb.inject(SOURCE, "server_error")
    response = call(sb)
    assert response.status_code == 500 and response.json()["code"] == -500


def test_empty_page_is_a_paging_lie_on_a_page_with_more_behind_it(sb: Sandbox, bilibili: Any) -> None:
    total = len(bilibili.archives(ACCOUNT, sb.as_of))
    sb.inject(SOURCE, "empty_page")
    body = get_json(sb, VIEWLIST_PATH, {"pn": 1, "ps": 5})
    assert body["data"]["list"] == [] and body["data"]["page"]["total"] == total > 5
    last = -(-total // 5)
    sb.inject(SOURCE, "empty_page")  # the last page has nothing behind it: served whole
    assert len(get_json(sb, VIEWLIST_PATH, {"pn": last, "ps": 5})["data"]["list"]) == total - (last - 1) * 5


def test_counter_faults_spoil_the_next_counter_answer_wherever_they_were_armed(sb: Sandbox, bilibili: Any) -> None:
    post = bilibili.archives(ACCOUNT, sb.as_of)[0]
    clean = get_json(sb, ARC_STAT_PATH, {"resource_id": post.id})["data"]
    sb.inject(SOURCE, "negative_count")
    assert get_json(sb, VIEWLIST_PATH, {"ps": 2})["data"]["list"]  # the list has no counter: the fault waits
    assert get_json(sb, ARC_STAT_PATH, {"resource_id": post.id})["data"] == {**clean, "view": -clean["view"] - 1}
    assert get_json(sb, ARC_STAT_PATH, {"resource_id": post.id})["data"] == clean
    sb.inject(SOURCE, "missing_counter")
    assert "favorite" not in get_json(sb, ARC_STAT_PATH, {"resource_id": post.id})["data"]
    sb.inject(SOURCE, "missing_counter")
    assert "follower" not in get_json(sb, USER_STAT_PATH)["data"]
    sb.inject(SOURCE, "negative_count")
    assert get_json(sb, USER_STAT_PATH)["data"]["follower"] < 0
    sb.inject(SOURCE, "negative_count")
    sb.clear_faults(SOURCE)  # a waiting fault is a queued one: clearing drops it
    assert get_json(sb, ARC_STAT_PATH, {"resource_id": post.id})["data"] == clean


def test_schema_drift_adds_fields_clients_must_keep(sb: Sandbox, bilibili: Any) -> None:
    post = bilibili.archives(ACCOUNT, sb.as_of)[0]
    sb.inject(SOURCE, "schema_drift")
    items = get_json(sb, VIEWLIST_PATH, {"ps": 2})["data"]["list"]
    assert all(DRIFT_ITEM.items() <= item.items() for item in items)
    sb.inject(SOURCE, "schema_drift")
    assert DRIFT_STAT.items() <= get_json(sb, ARC_STAT_PATH, {"resource_id": post.id})["data"].items()
