"""How Google Ads answers are read (``GOOGLE_ADS_ERRORS``), on hand-written bodies in the shapes of Google's docs.
Pure: no network."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from extractors.google_ads.client import GOOGLE_ADS_ERRORS
from extractors.http import Outcome

FAILURE = "type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure"


def response(status: int, body: Any) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = json.dumps(body).encode()
    r.url = "https://googleads.googleapis.com/v22/customers/6021847395/googleAds:searchStream"
    return r


def error(status: int, rpc_status: str, family: str = "", code: str = "", **details: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": status, "message": f"{rpc_status} happened", "status": rpc_status}
    if family:
        ads_error: dict[str, Any] = {"errorCode": {family: code}, "message": f"{code} explained"}
        if details:
            ads_error["details"] = details
        body["details"] = [{"@type": FAILURE, "errors": [ads_error], "requestId": "req-1"}]
    return {"error": body}


def test_a_quota_error_waits_the_advertised_retry_delay() -> None:
    quota = error(429, "RESOURCE_EXHAUSTED", "quotaError", "RESOURCE_EXHAUSTED",
                  quotaErrorDetails={"rateScope": "DEVELOPER", "rateName": "ops", "retryDelay": "60s"})  # fmt: skip
    verdict = GOOGLE_ADS_ERRORS(response(429, quota))
    assert verdict.outcome is Outcome.RATE_LIMITED
    assert verdict.wait_seconds == 60.0
    assert verdict.detail == (
        "HTTP 429, code RESOURCE_EXHAUSTED: RESOURCE_EXHAUSTED happened; {'quotaError': 'RESOURCE_EXHAUSTED'}; "
        "RESOURCE_EXHAUSTED explained [requestId req-1]"
    )


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (500, error(500, "INTERNAL", "internalError", "INTERNAL_ERROR"), Outcome.TRANSIENT),
        (503, error(503, "UNAVAILABLE"), Outcome.TRANSIENT),
        (504, error(504, "DEADLINE_EXCEEDED"), Outcome.TRANSIENT),
        (401, error(401, "UNAUTHENTICATED", "authenticationError", "OAUTH_TOKEN_EXPIRED"), Outcome.REFRESH),
        (401, error(401, "UNAUTHENTICATED"), Outcome.REFRESH),
        # A new access token would not help these: a human must act.
        (401, error(401, "UNAUTHENTICATED", "authenticationError", "DEVELOPER_TOKEN_INVALID"), Outcome.AUTH),
        (403, error(403, "PERMISSION_DENIED", "authorizationError", "DEVELOPER_TOKEN_NOT_APPROVED"), Outcome.AUTH),
        (403, error(403, "PERMISSION_DENIED", "authorizationError", "USER_PERMISSION_DENIED"), Outcome.AUTH),
        (400, error(400, "INVALID_ARGUMENT", "queryError", "EXPECTED_FILTERS_ON_DATE_RANGE"), Outcome.FATAL),
        (404, error(404, "NOT_FOUND"), Outcome.FATAL),
        (502, "<html>Bad Gateway</html>", Outcome.TRANSIENT),  # a proxy's page: the HTTP status decides
    ],
)
def test_statuses_and_codes(status: int, body: Any, outcome: Outcome) -> None:
    assert GOOGLE_ADS_ERRORS(response(status, body)).outcome is outcome


def test_a_stream_is_data_unless_an_element_carries_an_error() -> None:
    batch = {"results": [{"metrics": {"clicks": "1"}}], "fieldMask": "metrics.clicks", "requestId": "r"}
    assert GOOGLE_ADS_ERRORS(response(200, [batch, batch])).outcome is Outcome.OK
    assert GOOGLE_ADS_ERRORS(response(200, [{"fieldMask": "metrics.clicks", "requestId": "r"}])).outcome is Outcome.OK
    broken = [batch, error(500, "INTERNAL", "internalError", "TRANSIENT_ERROR")]
    verdict = GOOGLE_ADS_ERRORS(response(200, broken))
    assert verdict.outcome is Outcome.TRANSIENT
    assert verdict.detail.startswith("HTTP 200, code INTERNAL")
    refused = [batch, error(400, "INVALID_ARGUMENT", "queryError", "BAD_VALUE")]
    assert GOOGLE_ADS_ERRORS(response(200, refused)).outcome is Outcome.FATAL
