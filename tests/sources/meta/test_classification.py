"""How Meta's responses are read: Graph error codes in the body, the usage header's advertised waits, and
error messages naming a Meta partition. Pure functions, no network."""

from __future__ import annotations

import json
from datetime import date

import requests

from extractors.errors import AuthError, ExtractContext, RetryBudgetExhausted
from extractors.http import Outcome
from extractors.meta.client import buc_wait_seconds, classify_meta_response
from extractors.streams import Window

CONTEXT = ExtractContext("meta", "ads_insights", "act_1001", Window(date(2026, 10, 25), date(2026, 11, 23)), "meta_ads")


def response(status: int, body: object = None, headers: dict[str, str] | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = json.dumps(body).encode() if body is not None else b""
    r.headers.update(headers or {})
    r.url = "http://127.0.0.1/v21.0/act_1001/insights?access_token=SECRET&limit=5"
    return r


def graph_error(code: int, **more: object) -> dict:
    return {"error": {"message": "msg", "type": "OAuthException", "code": code, "fbtrace_id": "AbC", **more}}


def test_buc_header_minutes_become_seconds_and_the_longest_wins() -> None:
    header = json.dumps(
        {
            "1001": [{"type": "ads_insights", "call_count": 100, "estimated_time_to_regain_access": 2}],
            "2002": [{"type": "ads_management", "estimated_time_to_regain_access": 5}],
        }
    )
    assert buc_wait_seconds(header) == 300.0
    assert buc_wait_seconds(json.dumps({"1001": [{"estimated_time_to_regain_access": 0}]})) == 0.0
    assert buc_wait_seconds(None) is None
    assert buc_wait_seconds("not json") is None


def test_meta_codes() -> None:
    buc = json.dumps({"1001": [{"estimated_time_to_regain_access": 3}]})
    for code in (4, 17, 32, 613, 80000, 80004, 80014):
        verdict = classify_meta_response(response(400, graph_error(code), {"x-business-use-case-usage": buc}))
        assert verdict.outcome is Outcome.RATE_LIMITED, code
        assert verdict.wait_seconds == 180.0
    assert classify_meta_response(response(400, graph_error(190, error_subcode=463))).outcome is Outcome.AUTH
    assert classify_meta_response(response(500, graph_error(2, is_transient=True))).outcome is Outcome.TRANSIENT
    assert classify_meta_response(response(500, graph_error(99, is_transient=True))).outcome is Outcome.TRANSIENT
    assert classify_meta_response(response(400, graph_error(100))).outcome is Outcome.FATAL
    assert classify_meta_response(response(400, graph_error(80015))).outcome is Outcome.FATAL
    assert classify_meta_response(response(200, {"data": []})).outcome is Outcome.OK
    # No Graph body: fall back to the status code.
    assert classify_meta_response(response(503)).outcome is Outcome.TRANSIENT


def test_error_messages_name_the_partition_and_say_what_to_do() -> None:
    message = str(AuthError(CONTEXT, "code 190"))
    assert message.startswith("meta/ads_insights account=act_1001 window=[2026-10-25, 2026-11-23): ")
    assert "refreshed in the Airflow Connection 'meta_ads'" in message
    assert not AuthError.retryable
    assert "after 6 attempts" in str(RetryBudgetExhausted(CONTEXT, 6, "HTTP 500"))
