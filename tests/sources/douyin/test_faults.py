"""The Douyin sandbox's own faults: the platform's error bodies (in HTTP 200, legacy envelope) and what it spoils."""

from __future__ import annotations

from sandbox import Sandbox
from sandbox.douyin.server import DRIFT_FANS, DRIFT_ITEM, DRIFT_STATISTICS
from tests.sources.douyin.api import SOURCE, call, fans, video_list


def test_throttling_busy_quota_and_expired_tokens_are_codes_in_an_http_200(sb: Sandbox) -> None:
    for fault, code, words in [
        ("rate_limit", 28003018, "too many requests"),
        ("system_busy", 2100004, "system busy"),
        ("daily_quota", 28003017, "daily quota"),
        ("token_expired", 10008, "access token expired"),
    ]:
        sb.inject(SOURCE, fault)
        response = call(sb)
        assert response.status_code == 200
        body = response.json()
        assert (
            body["data"]["error_code"] == code == body["extra"]["error_code"] and words in body["data"]["description"]
        )
        assert "list" not in body["data"]
        assert call(sb).json()["data"]["error_code"] == 0  # one request each


def test_server_error_is_a_500_carrying_the_busy_code(sb: Sandbox) -> None:
    sb.inject(SOURCE, "server_error")
    response = call(sb)
    assert response.status_code == 500 and response.json()["data"]["error_code"] == 2100004


def test_data_faults_spoil_the_first_item_of_a_list_page(sb: Sandbox) -> None:
    clean = video_list(sb, count=5)["data"]["list"]
    for fault in ("negative_count", "fractional_count", "missing_counter", "schema_drift"):
        sb.inject(SOURCE, fault)
        spoiled = video_list(sb, count=5)["data"]["list"]
        first, rest = spoiled[0]["statistics"], spoiled[1:]
        plays = clean[0]["statistics"]["play_count"]
        if fault == "negative_count":
            assert first["play_count"] == -plays - 1 and rest == clean[1:]
        elif fault == "fractional_count":
            assert first["play_count"] == plays + 0.5 and rest == clean[1:]
        elif fault == "missing_counter":
            assert "digg_count" not in first and rest == clean[1:]
        else:
            assert spoiled == [
                {**old, **DRIFT_ITEM, "statistics": {**old["statistics"], **DRIFT_STATISTICS}} for old in clean
            ]


def test_data_faults_spoil_every_row_of_the_fans_answer(sb: Sandbox) -> None:
    clean = fans(sb, 7)["data"]["result_list"]
    sb.inject(SOURCE, "negative_count")
    assert [row["new_fans"] for row in fans(sb, 7)["data"]["result_list"]] == [-r["new_fans"] - 1 for r in clean]
    sb.inject(SOURCE, "missing_counter")
    assert all("total_fans" not in row for row in fans(sb, 7)["data"]["result_list"])
    sb.inject(SOURCE, "schema_drift")
    assert fans(sb, 7)["data"]["result_list"] == [{**row, **DRIFT_FANS} for row in clean]


def test_empty_page_is_a_paging_lie_only_where_more_follows(sb: Sandbox) -> None:
    sb.inject(SOURCE, "empty_page")
    lie = video_list(sb, count=5)["data"]
    assert lie["list"] == [] and lie["has_more"] is True and lie["cursor"]
