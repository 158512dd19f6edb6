"""Google Ads' injected faults: each gives Google's documented status and body, for exactly as many requests as
asked; data faults spoil one answer of searchStream."""

from __future__ import annotations

from datetime import date

import requests

from sandbox import Sandbox
from sandbox.google_ads.server import DRIFT_FIELDS
from tests.sources.google_ads import api
from tests.sources.google_ads.helpers import server

DAY = date(2026, 11, 20)


def stream(sb: Sandbox, token: str | None = None) -> requests.Response:
    url = sb.url("google_ads")
    return api.search_stream(url, api.query(DAY, DAY), header_values=api.headers(url, token=token))


def error_of(response: requests.Response) -> dict:
    error = response.json()["error"]
    assert error["code"] == response.status_code
    return error


def test_rate_limit_is_a_quota_error_advertising_retry_delay(sb: Sandbox) -> None:
    sb.inject("google_ads", "rate_limit", times=2)
    for _ in range(2):
        response = stream(sb)
        error = error_of(response)
        assert (response.status_code, error["status"]) == (429, "RESOURCE_EXHAUSTED")
        [ads_error] = error["details"][0]["errors"]
        assert ads_error["errorCode"] == {"quotaError": "RESOURCE_EXHAUSTED"}
        assert ads_error["details"]["quotaErrorDetails"] == {
            "rateScope": "DEVELOPER",
            "rateName": "Number of operations for basic access",
            "retryDelay": "0.2s",
        }
        assert error["details"][0]["requestId"]
    assert stream(sb).status_code == 200
    assert [status for _, _, status in sb.data_requests("google_ads")] == [429, 429, 200]


def test_server_errors_are_internal_and_unavailable(sb: Sandbox) -> None:
    sb.inject("google_ads", "server_error")
    sb.inject("google_ads", "unavailable")
    internal, unavailable = stream(sb), stream(sb)
    assert (internal.status_code, error_of(internal)["status"]) == (500, "INTERNAL")
    assert error_of(internal)["details"][0]["errors"][0]["errorCode"] == {"internalError": "INTERNAL_ERROR"}
    assert (unavailable.status_code, error_of(unavailable)["status"]) == (503, "UNAVAILABLE")


def test_token_expired_really_expires_the_token(sb: Sandbox) -> None:
    token = api.access_token(sb.url("google_ads"))
    sb.inject("google_ads", "token_expired")
    expired = stream(sb, token)
    assert (expired.status_code, error_of(expired)["status"]) == (401, "UNAUTHENTICATED")
    assert error_of(expired)["details"][0]["errors"][0]["errorCode"] == {"authenticationError": "OAUTH_TOKEN_EXPIRED"}
    again = stream(sb, token)  # the same token stays expired, with no fault armed
    assert again.status_code == 401
    assert stream(sb).status_code == 200  # a fresh token works


def test_permission_faults_are_authorization_errors(sb: Sandbox) -> None:
    sb.inject("google_ads", "developer_token_not_approved")
    sb.inject("google_ads", "permission_denied")
    codes = []
    for _ in range(2):
        response = stream(sb)
        assert (response.status_code, error_of(response)["status"]) == (403, "PERMISSION_DENIED")
        codes.append(error_of(response)["details"][0]["errors"][0]["errorCode"])
    assert codes == [
        {"authorizationError": "DEVELOPER_TOKEN_NOT_APPROVED"},
        {"authorizationError": "USER_PERMISSION_DENIED"},
    ]


def test_a_stream_broken_mid_way_ends_with_an_error_element_inside_a_200(sb: Sandbox) -> None:
    google = server(sb)
    before, google.batch_rows = google.batch_rows, 5
    try:
        sb.inject("google_ads", "stream_error")
        response = stream(sb)
    finally:
        google.batch_rows = before
    assert response.status_code == 200
    first, last = response.json()
    assert len(first["results"]) == 5
    assert set(last) == {"error"} and last["error"]["status"] == "INTERNAL"


def test_data_faults_spoil_one_row_or_add_fields(sb: Sandbox) -> None:
    plain = api.stream_rows(stream(sb))
    spoiled = {}
    for fault in ("negative_cost", "missing_clicks", "fractional_micros", "schema_drift"):
        sb.inject("google_ads", fault)
        spoiled[fault] = api.stream_rows(stream(sb))
    metrics = plain[0]["metrics"]
    assert spoiled["negative_cost"][0]["metrics"]["costMicros"] == "-" + metrics["costMicros"]
    assert "clicks" not in spoiled["missing_clicks"][0]["metrics"]
    assert spoiled["fractional_micros"][0]["metrics"]["costMicros"] == metrics["costMicros"] + ".5"
    for fault in ("negative_cost", "missing_clicks", "fractional_micros"):
        assert spoiled[fault][1:] == plain[1:]
    for before, after in zip(plain, spoiled["schema_drift"], strict=True):
        assert after["metrics"] == {**before["metrics"], **DRIFT_FIELDS["metrics"]}
        assert after["adGroupAd"]["status"] == "ENABLED"


def test_the_settings_read_passes_armed_faults_by(sb: Sandbox) -> None:
    sb.inject("google_ads", "server_error")
    url = sb.url("google_ads")
    settings = api.search(url, "SELECT customer.time_zone FROM customer")
    assert settings.status_code == 200
    assert stream(sb).status_code == 500
