"""How TikTok's answers are read: the body code decides, whatever the HTTP status says. No network."""

from __future__ import annotations

import json

import pytest
import requests

from extractors.http import Outcome
from extractors.tiktok.client import API_ERRORS


def answer(body: object, status: int = 200) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    response.url = "http://127.0.0.1/open_api/v1.3/report/integrated/get/?advertiser_id=1"
    return response


def envelope(code: int | str, message: str = "text") -> dict:
    return {"code": code, "message": message, "request_id": "2026112300000012AB", "data": {}}


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (40100, Outcome.RATE_LIMITED),
        ("40100", Outcome.RATE_LIMITED),  # the same code spelled as a string
        (40105, Outcome.AUTH),
        (40104, Outcome.AUTH),
        (40102, Outcome.AUTH),  # a token that "expired" was revoked: there is no refresh for TikTok tokens
        (40001, Outcome.FATAL),
        (40002, Outcome.FATAL),
        (50000, Outcome.TRANSIENT),
        (51000, Outcome.TRANSIENT),
        (51999, Outcome.TRANSIENT),
        (52000, Outcome.FATAL),  # not a code TikTok documents as retryable
        (40999, Outcome.FATAL),  # unknown codes fail fast
    ],
)
def test_each_body_code_in_an_http_200_means_what_tiktok_says(code: int | str, outcome: Outcome) -> None:
    assert API_ERRORS.classify(answer(envelope(code))).outcome is outcome


def test_code_zero_is_success_even_with_a_message() -> None:
    assert API_ERRORS.classify(answer({"code": 0, "message": "OK", "data": {"list": []}})).outcome is Outcome.OK


def test_the_detail_names_code_message_and_request_id() -> None:
    verdict = API_ERRORS.classify(answer(envelope(40002, "page_size: Must be between 1 and 1000.")))
    assert (
        verdict.detail == "HTTP 200, code 40002: page_size: Must be between 1 and 1000. [request_id 2026112300000012AB]"
    )


def test_no_permission_says_what_a_human_must_do() -> None:
    verdict = API_ERRORS.classify(answer(envelope(40001, "No permission to operate advertiser 9.")))
    assert verdict.outcome is Outcome.FATAL
    assert verdict.detail.startswith("HTTP 200, code 40001: No permission to operate advertiser 9.")
    assert "re-authorize the app for the advertiser" in verdict.detail


def test_a_gateway_page_that_is_not_json_is_read_by_its_status() -> None:
    assert API_ERRORS.classify(answer("<html>503</html>", status=503)).outcome is Outcome.TRANSIENT
    assert API_ERRORS.classify(answer("<html>404</html>", status=404)).outcome is Outcome.FATAL
    # A 5xx that still carries the API's body code: the code decides.
    assert API_ERRORS.classify(answer(envelope(40105), status=502)).outcome is Outcome.AUTH
