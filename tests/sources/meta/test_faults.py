"""Meta's injected faults: each gives Graph's documented status and body, for exactly as many requests as asked."""

from __future__ import annotations

import json

from sandbox import Sandbox
from tests.sources.meta.api import call

DRIFT_FIELDS = {"quality_ranking", "conversion_rate_ranking", "video_play_actions"}


def test_meta_rate_limit_is_the_ads_insights_limit(sb: Sandbox) -> None:
    sb.inject("meta", "rate_limit", times=2)
    for _ in range(2):
        response = call(sb)
        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["code"], error["error_subcode"], error["message"], error["type"]) == (
            80000,
            2446079,
            "There have been too many calls from this ad-account. Wait a bit and try again.",
            "OAuthException",
        )
        assert error["is_transient"] is True and error["fbtrace_id"]
        usage = json.loads(response.headers["x-business-use-case-usage"])
        assert usage["1001"][0]["estimated_time_to_regain_access"] == 0
        assert usage["1001"][0]["call_count"] == 100
    assert call(sb).status_code == 200
    assert [status for _, _, status in sb.data_requests("meta")] == [400, 400, 200]


def test_meta_insights_app_and_account_throttles_are_code_4_with_insights_subcodes(sb: Sandbox) -> None:
    sb.inject("meta", "app_rate_limit")
    sb.inject("meta", "account_rate_limit")
    errors = [call(sb).json()["error"] for _ in range(2)]
    assert [(e["code"], e["error_subcode"], e["message"]) for e in errors] == [
        (4, 1504022, "(#4) Application request limit reached"),
        (4, 1504039, "(#4) Application request limit reached"),
    ]
    assert call(sb).status_code == 200


def test_meta_server_error(sb: Sandbox) -> None:
    sb.inject("meta", "server_error")
    response = call(sb)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == 2 and error["is_transient"] is True


def test_meta_token_expired(sb: Sandbox) -> None:
    sb.inject("meta", "token_expired")
    response = call(sb)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["error_subcode"], error["type"]) == (190, 463, "OAuthException")
    assert "Session has expired" in error["message"]


def test_schema_drift_adds_unknown_fields(sb: Sandbox) -> None:
    plain = call(sb).json()["data"]
    sb.inject("meta", "schema_drift")
    drifted = call(sb).json()["data"]
    assert len(drifted) == len(plain) == 5
    for before, after in zip(plain, drifted, strict=True):
        assert set(after) - set(before) == DRIFT_FIELDS
        assert {k: after[k] for k in before} == before


def test_meta_negative_spend_spoils_one_row(sb: Sandbox) -> None:
    plain = call(sb).json()["data"]
    sb.inject("meta", "negative_spend")
    spoiled = call(sb).json()["data"]
    assert spoiled[0]["spend"] == f"-{plain[0]['spend']}"
    assert spoiled[1:] == plain[1:]
