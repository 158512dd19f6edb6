"""The HTTP client and error tables: POST bodies, JSON arrays, body codes inside HTTP 200, advertised waits.

Over real HTTP against a routed sandbox server on 127.0.0.1; the pure ``classify`` checks at the end read
responses shaped like each platform in the API reference.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
import requests

from extractors.auth import StaticToken
from extractors.error_table import Action, ErrorTable, duration_seconds
from extractors.errors import (
    ApiError,
    AuthError,
    MalformedResponse,
    RateLimitExhausted,
    RetryBudgetExhausted,
    WindowTooLarge,
)
from extractors.http import Outcome, RetrySettings, dig_all, json_path
from sandbox.http_base import ApiRequest, json_response
from tests.extractors.framework_servers import FAST, RoutedServer, body_form, body_json, client, params

# TikTok / Ocean Engine: always HTTP 200, ``code == 0`` is success.
TIKTOK = ErrorTable(
    code_path="code",
    ok_codes=frozenset({0}),
    message_paths=("message",),
    request_id_paths=("request_id",),
    codes={40100: Action.RATE_LIMITED, 40105: Action.AUTH, 40102: Action.REFRESH, 50000: Action.RETRY,
           40002: Action.TOO_LARGE},
)  # fmt: skip


def sequence(*answers: Any) -> Any:
    """A handler answering with each (status, payload) in turn, then repeating the last one."""
    remaining = list(answers)

    def handler(request: ApiRequest) -> Any:
        status, payload = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return json_response(status, payload)

    return handler


# -- request bodies -------------------------------------------------------------------------------------


def test_post_json_body_is_sent_compact_with_a_json_content_type(server: RoutedServer) -> None:
    seen: list[tuple[str, str | None, bytes]] = []

    def echo(request: ApiRequest) -> Any:
        seen.append((request.method, request.header("Content-Type"), request.body))
        return json_response(200, {"code": 0, "data": {"got": body_json(request), "query": params(request)}})

    server.route("POST", "/report", echo)
    with client(classifier=TIKTOK) as http:
        body, _ = http.request_json(
            "POST",
            f"{server.url}/report",
            params={"advertiser_id": "42"},
            json={"start_date": "2026-11-01", "page": 1, "名": "值"},
        )
    assert body["data"] == {
        "got": {"start_date": "2026-11-01", "page": 1, "名": "值"},
        "query": {"advertiser_id": "42"},
    }
    [(method, content_type, raw)] = seen
    assert method == "POST" and content_type == "application/json"
    assert raw == '{"start_date":"2026-11-01","page":1,"名":"值"}'.encode()


def test_post_form_body(server: RoutedServer) -> None:
    seen: list[str | None] = []

    def echo(request: ApiRequest) -> Any:
        seen.append(request.header("Content-Type"))
        return json_response(200, {"form": body_form(request)})

    server.route("POST", "/router/rest", echo)
    with client() as http:
        body, _ = http.request_json(
            "POST", f"{server.url}/router/rest", data={"method": "taobao.trades.sold.get", "page_no": 2}
        )
    assert body == {"form": {"method": "taobao.trades.sold.get", "page_no": "2"}}
    assert seen == ["application/x-www-form-urlencoded"]


def test_get_and_get_json_keep_working_as_thin_wrappers(server: RoutedServer) -> None:
    server.route("GET", "/items", lambda r: json_response(200, {"data": [params(r)]}))
    with client() as http:
        assert http.get(f"{server.url}/items", {"limit": 5}).json() == {"data": [{"limit": "5"}]}
        body, response = http.get_json(f"{server.url}/items", {"limit": 6}, envelope=("data",))
        assert body == {"data": [{"limit": "6"}]} and response.status_code == 200
        with pytest.raises(MalformedResponse, match=r"missing envelope key\(s\) \['paging'\]"):
            http.get_json(f"{server.url}/items", envelope=("paging",))
    assert server.statuses() == [200, 200, 200]


def test_a_bare_json_array_is_accepted_only_when_asked(server: RoutedServer) -> None:
    batches = [{"results": [{"campaign": {"id": "1"}}], "requestId": "r1"}, {"results": [], "requestId": "r1"}]
    server.route("POST", "/v21/customers/123/googleAds:searchStream", lambda r: json_response(200, batches))
    url = f"{server.url}/v21/customers/123/googleAds:searchStream"
    with client() as http:
        body, _ = http.request_json("POST", url, json={"query": "SELECT campaign.id FROM campaign"}, allow_array=True)
        assert body == batches
        with pytest.raises(MalformedResponse, match="expected a JSON object, got list"):
            http.request_json("POST", url, json={"query": "SELECT campaign.id FROM campaign"})


# -- body codes inside HTTP 200 -------------------------------------------------------------------------


def test_a_body_code_that_means_retry_is_retried_until_it_succeeds(server: RoutedServer) -> None:
    server.route(
        "GET",
        "/report",
        sequence(
            (200, {"code": 50000, "message": "system error", "request_id": "a"}),
            (200, {"code": 40100, "message": "App reaches the QPS limit", "request_id": "b"}),
            (200, {"code": 0, "message": "OK", "data": {"list": [{"id": 1}]}}),
        ),
    )
    with client(classifier=TIKTOK) as http:
        body, _ = http.get_json(f"{server.url}/report")
    assert body["data"] == {"list": [{"id": 1}]}
    assert server.statuses() == [200, 200, 200]
    assert http.requests_made == 3


def test_a_body_code_that_means_fail_is_not_retried_and_names_code_and_message(server: RoutedServer) -> None:
    server.route(
        "GET", "/report", sequence((200, {"code": 40001, "message": "param error: page_size", "request_id": "rq-9"}))
    )
    with client(classifier=TIKTOK) as http, pytest.raises(ApiError) as info:
        http.get_json(f"{server.url}/report")
    message = str(info.value)
    assert "HTTP 200, code 40001: param error: page_size [request_id rq-9]" in message
    assert message.startswith("framework/reports account=acct_1 window=[2026-11-01, 2026-11-08): ")
    assert info.value.retryable is False
    assert server.statuses() == [200]


def test_an_auth_code_fails_fast_without_the_token(server: RoutedServer) -> None:
    token = "tt-secret-token-0001"
    server.route(
        "GET", "/report", sequence((200, {"code": 40105, "message": f"access token {token} is incorrect or revoked"}))
    )
    with (
        client(classifier=TIKTOK, auth=StaticToken.header("Access-Token", token)) as http,
        pytest.raises(AuthError) as info,
    ):
        http.get_json(f"{server.url}/report")
    message = str(info.value)
    assert "code 40105" in message and "access token REDACTED is incorrect or revoked" in message
    assert token not in message
    assert server.statuses() == [200]


def test_a_refresh_code_with_a_token_that_cannot_be_refreshed_is_an_auth_error(server: RoutedServer) -> None:
    server.route("GET", "/report", sequence((200, {"code": 40102, "message": "access token expired"})))
    auth = StaticToken.header("Access-Token", "static-1")
    expected = "code 40102: access token expired.*cannot be refreshed"
    with client(classifier=TIKTOK, auth=auth) as http, pytest.raises(AuthError, match=expected):
        http.get_json(f"{server.url}/report")
    assert server.statuses() == [200]  # no retry without a new token


def test_retry_codes_outlasting_the_budget_name_the_last_code(server: RoutedServer) -> None:
    server.route("GET", "/report", sequence((200, {"code": 50000, "message": "system busy"})))
    with client(classifier=TIKTOK) as http, pytest.raises(RetryBudgetExhausted) as info:
        http.get_json(f"{server.url}/report")
    assert "gave up after 4 attempts" in str(info.value) and "code 50000: system busy" in str(info.value)
    assert info.value.retryable is True
    assert server.statuses() == [200] * FAST.max_attempts


def test_rate_limit_codes_wait_at_least_the_advertised_wait(server: RoutedServer) -> None:
    google = ErrorTable(
        code_path="error.status",
        codes={"RESOURCE_EXHAUSTED": Action.RATE_LIMITED},
        message_paths=("error.message",),
        wait_paths=("error.details[*].errors[*].details.quotaErrorDetails.retryDelay",),
    )
    quota = {
        "error": {
            "code": 429,
            "status": "RESOURCE_EXHAUSTED",
            "message": "Resource has been exhausted",
            "details": [{"errors": [{"errorCode": {"quotaError": "RESOURCE_EXHAUSTED"},
                                     "details": {"quotaErrorDetails": {"retryDelay": "3s"}}}]}],
        }
    }  # fmt: skip
    server.route("POST", "/search", sequence((429, quota), (429, quota), (200, [{"results": []}])))
    waits: list[float] = []
    retry = replace(FAST, max_wait=10.0)
    with client(classifier=google, sleep=waits.append, retry=retry) as http:
        body, _ = http.request_json("POST", f"{server.url}/search", json={"query": "q"}, allow_array=True)
    assert body == [{"results": []}]
    assert len(waits) == 2 and all(3.0 <= wait <= 10.0 for wait in waits)

    server.route("POST", "/search", sequence((429, quota)))
    once = RetrySettings(max_attempts=2, base_wait=0.0, max_wait=0.0)
    expected = "code RESOURCE_EXHAUSTED: Resource has been exhausted"
    with client(classifier=google, retry=once) as http, pytest.raises(RateLimitExhausted, match=expected):
        http.request_json("POST", f"{server.url}/search", json={"query": "q"}, allow_array=True)


def test_a_too_large_code_raises_window_too_large(server: RoutedServer) -> None:
    server.route("GET", "/report", sequence((200, {"code": 40002, "message": "too much data, narrow the dates"})))
    with client(classifier=TIKTOK) as http, pytest.raises(WindowTooLarge) as info:
        http.get_json(f"{server.url}/report", {"start_date": "2026-11-01", "end_date": "2026-11-07"})
    assert info.value.retryable is False
    assert "code 40002: too much data, narrow the dates" in str(info.value)
    assert server.statuses() == [200]


def test_status_rules_apply_when_the_body_has_no_listed_code(server: RoutedServer) -> None:
    table = ErrorTable(code_path="code", ok_codes=frozenset({0}), status={400: Action.TOO_LARGE, 502: Action.RETRY})
    server.route("GET", "/a", sequence((502, {"oops": 1}), (200, {"code": 0})))
    server.route("GET", "/b", sequence((400, {"error": "range too big"})))
    server.route("GET", "/c", sequence((404, {"error": "no such thing"})))
    with client(classifier=table) as http:
        assert http.get_json(f"{server.url}/a")[0] == {"code": 0}
        with pytest.raises(WindowTooLarge, match="HTTP 400"):
            http.get_json(f"{server.url}/b")
        with pytest.raises(ApiError, match=r"HTTP 404: \{\"error\":\"no such thing\"\}"):
            http.get_json(f"{server.url}/c")
    assert server.statuses() == [502, 200, 400, 404]


def test_a_malformed_2xx_body_is_still_reported_as_malformed(server: RoutedServer) -> None:
    server.route("GET", "/report", lambda r: json_response(200, {"code": 0, "data": {"list": [1, 2, 3]}}))
    server.faults.push("malformed", 1)
    with client(classifier=TIKTOK) as http, pytest.raises(MalformedResponse, match=r"invalid JSON in a \d+-byte body"):
        http.get_json(f"{server.url}/report")
    assert server.statuses() == [200]


# -- classification of each platform's shape, no network --------------------------------------------------


def response(status: int, body: object, headers: dict[str, str] | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = json.dumps(body).encode()
    r.headers.update(headers or {})
    r.url = "http://127.0.0.1/x"
    return r


WECHAT = ErrorTable(
    code_path="errcode",
    ok_codes=frozenset({0}),
    message_paths=("errmsg",),
    codes={42001: Action.REFRESH, 40014: Action.AUTH, 45011: Action.RATE_LIMITED, -1: Action.RETRY},
)
DOUYIN = ErrorTable(
    code_path="data.error_code",
    fallback_code_paths=("extra.error_code",),
    ok_codes=frozenset({0}),
    message_paths=("data.description", "extra.sub_description"),
    request_id_paths=("extra.logid",),
    codes={2190008: Action.REFRESH, 10008: Action.REFRESH, 28003018: Action.RATE_LIMITED},
)
XIAOHONGSHU = ErrorTable(
    ok_path="success",
    code_path="code",
    message_paths=("msg", "message"),
    codes={"ACCESS_TOKEN_EXPIRED": Action.REFRESH, 40100: Action.RATE_LIMITED},
)
TAOBAO = ErrorTable(
    code_path="error_response.code",
    sub_code_path="error_response.sub_code",
    message_paths=("error_response.msg", "error_response.sub_msg"),
    request_id_paths=("error_response.request_id",),
    codes={7: Action.RATE_LIMITED, 27: Action.AUTH, 25: Action.FAIL},
    sub_code_prefixes={"isp.": Action.RETRY, "isv.": Action.FAIL},
)


def shopify_throttle_wait(body: Any) -> float | None:
    cost = dig_all(body, "extensions.cost")
    if not cost:
        return None
    status = cost[0]["throttleStatus"]
    return max(0.0, (cost[0]["requestedQueryCost"] - status["currentlyAvailable"]) / status["restoreRate"])


SHOPIFY_GRAPHQL = ErrorTable(
    code_path="errors[*].extensions.code",
    message_paths=("errors[*].message",),
    codes={"THROTTLED": Action.RATE_LIMITED, "MAX_COST_EXCEEDED": Action.FAIL},
    wait_from=shopify_throttle_wait,
)


def test_wechat_errcode_in_http_200() -> None:
    assert WECHAT.classify(response(200, {"list": []})).outcome is Outcome.OK
    assert WECHAT.classify(response(200, {"errcode": 0, "errmsg": "ok"})).outcome is Outcome.OK
    expired = WECHAT.classify(response(200, {"errcode": 42001, "errmsg": "access_token expired rid: 1"}))
    assert (expired.outcome, expired.detail) == (Outcome.REFRESH, "HTTP 200, code 42001: access_token expired rid: 1")
    assert WECHAT.classify(response(200, {"errcode": -1, "errmsg": "system busy"})).outcome is Outcome.TRANSIENT
    assert (
        WECHAT.classify(response(200, {"errcode": 45011, "errmsg": "api minute-quota"})).outcome is Outcome.RATE_LIMITED
    )
    # Unlisted codes in a 2xx fail: silently landing an error body as data would be worse.
    assert WECHAT.classify(response(200, {"errcode": 61501, "errmsg": "date range"})).outcome is Outcome.FATAL


def test_douyin_error_code_nested_in_data_with_extra() -> None:
    ok = {"data": {"error_code": 0, "description": "", "list": []}, "extra": {"error_code": 0, "logid": "L1"}}
    assert DOUYIN.classify(response(200, ok)).outcome is Outcome.OK
    expired = {
        "data": {"error_code": 2190008, "description": "access_token过期,请刷新或重新授权"},
        "extra": {"error_code": 2190008, "description": "", "sub_error_code": 0, "sub_description": "", "logid": "L2"},
    }
    verdict = DOUYIN.classify(response(200, expired))
    assert verdict.outcome is Outcome.REFRESH
    assert verdict.detail == "HTTP 200, code 2190008: access_token过期,请刷新或重新授权 [logid L2]"
    # Only ``extra`` carries the code: the fallback path finds it.
    only_extra = {"extra": {"error_code": 28003018, "sub_description": "too frequent"}}
    assert DOUYIN.classify(response(200, only_extra)).outcome is Outcome.RATE_LIMITED


def test_xiaohongshu_success_flag_wins_over_code() -> None:
    assert XIAOHONGSHU.classify(response(200, {"success": True, "code": 0, "data": {}})).outcome is Outcome.OK
    expired = XIAOHONGSHU.classify(response(200, {"success": False, "code": "ACCESS_TOKEN_EXPIRED", "msg": "expired"}))
    assert (expired.outcome, expired.detail) == (Outcome.REFRESH, "HTTP 200, code ACCESS_TOKEN_EXPIRED: expired")
    # The code arrives as a string; the table lists it as a number.
    assert XIAOHONGSHU.classify(response(200, {"success": False, "code": "40100"})).outcome is Outcome.RATE_LIMITED
    # ``success: 1`` is not ``True``: a bool flag is compared as a bool.
    assert XIAOHONGSHU.classify(response(200, {"success": 1, "code": 7})).outcome is Outcome.FATAL


def test_taobao_error_response_with_sub_codes() -> None:
    ok = {"trades_sold_get_response": {"total_results": 0, "has_next": False}}
    assert TAOBAO.classify(response(200, ok)).outcome is Outcome.OK

    def error(code: int, sub_code: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"code": code, "msg": "Remote service error", "request_id": "r7"}
        if sub_code:
            body.update(sub_code=sub_code, sub_msg="服务暂不可用")
        return {"error_response": body}

    limited = TAOBAO.classify(response(200, error(7)))
    assert (limited.outcome, limited.detail) == (
        Outcome.RATE_LIMITED,
        "HTTP 200, code 7: Remote service error [request_id r7]",
    )
    busy = TAOBAO.classify(response(200, error(15, "isp.top-remote-connection-timeout")))
    assert busy.outcome is Outcome.TRANSIENT
    assert busy.detail == (
        "HTTP 200, code 15, sub_code isp.top-remote-connection-timeout: "
        "Remote service error; 服务暂不可用 [request_id r7]"
    )
    assert TAOBAO.classify(response(200, error(15, "isv.invalid-parameter"))).outcome is Outcome.FATAL
    assert TAOBAO.classify(response(200, error(27))).outcome is Outcome.AUTH
    assert TAOBAO.classify(response(200, error(25))).outcome is Outcome.FATAL


def test_shopify_graphql_throttled_in_200_and_429_with_a_computed_wait() -> None:
    throttled = {
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
        "extensions": {
            "cost": {
                "requestedQueryCost": 502,
                "throttleStatus": {"maximumAvailable": 1000.0, "currentlyAvailable": 2.0, "restoreRate": 50.0},
            }
        },
    }
    for status in (200, 429):
        verdict = SHOPIFY_GRAPHQL.classify(response(status, throttled))
        assert (verdict.outcome, verdict.wait_seconds) == (Outcome.RATE_LIMITED, 10.0), status
        assert verdict.detail == f"HTTP {status}, code THROTTLED: Throttled"
    ok = {"data": {"orders": {"nodes": []}}, "extensions": {"cost": {"requestedQueryCost": 1}}}
    assert SHOPIFY_GRAPHQL.classify(response(200, ok)).outcome is Outcome.OK
    several = {
        "errors": [
            {"message": "x", "extensions": {"code": "OTHER"}},
            {"message": "Throttled", "extensions": {"code": "THROTTLED"}},
        ]
    }
    assert SHOPIFY_GRAPHQL.classify(response(200, several)).outcome is Outcome.RATE_LIMITED


def test_google_ads_status_codes_array_elements_and_retry_delay() -> None:
    google = ErrorTable(
        code_path="error.status",
        codes={"RESOURCE_EXHAUSTED": Action.RATE_LIMITED, "UNAUTHENTICATED": Action.REFRESH},
        message_paths=("error.message",),
        wait_paths=("error.details[*].errors[*].details.quotaErrorDetails.retryDelay",),
    )
    delay = {"quotaErrorDetails": {"retryDelay": "60s"}}
    quota = {
        "error": {"status": "RESOURCE_EXHAUSTED", "message": "quota", "details": [{"errors": [{"details": delay}]}]}
    }
    verdict = google.classify(response(429, quota))
    assert (verdict.outcome, verdict.wait_seconds) == (Outcome.RATE_LIMITED, 60.0)
    assert google.classify(response(401, {"error": {"status": "UNAUTHENTICATED"}})).outcome is Outcome.REFRESH
    # An unlisted code in an error status falls back to the status: 503 is transient, 400 fatal.
    assert google.classify(response(503, {"error": {"status": "UNAVAILABLE"}})).outcome is Outcome.TRANSIENT
    assert google.classify(response(400, {"error": {"status": "INVALID_ARGUMENT"}})).outcome is Outcome.FATAL
    # searchStream: a bare array; an element carrying ``error`` fails the whole answer.
    assert google.classify(response(200, [{"results": []}, {"results": []}])).outcome is Outcome.OK
    broken = [{"results": []}, {"error": {"status": "RESOURCE_EXHAUSTED", "message": "mid-stream"}}]
    assert google.classify(response(200, broken)).outcome is Outcome.RATE_LIMITED


def test_retry_after_header_is_honoured_for_body_codes_too() -> None:
    verdict = TIKTOK.classify(response(200, {"code": 40100, "message": "qps"}, {"Retry-After": "7"}))
    assert (verdict.outcome, verdict.wait_seconds) == (Outcome.RATE_LIMITED, 7.0)
    assert TIKTOK.classify(response(200, {"code": 40105})).wait_seconds is None


def test_durations_and_paths() -> None:
    assert [duration_seconds(v) for v in ("60s", "1.5s", 30, "90", "250ms", {"seconds": "2", "nanos": 500000000})] == [
        60.0, 1.5, 30.0, 90.0, 0.25, 2.5,
    ]  # fmt: skip
    assert duration_seconds("soon") is None and duration_seconds(True) is None
    assert json_path("results[*].detail_list") == ("results", "*", "detail_list")
    assert json_path("[*].results") == ("*", "results")
    assert dig_all({"a": [{"b": 1}, {"b": None}, {"c": 2}, {"b": 3}]}, "a[*].b") == [1, 3]
