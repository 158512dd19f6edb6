"""How Ocean Engine's answers are read: every answer is an HTTP 200 and its code decides. Pure functions, no
network; the same codes over real HTTP are in test_extract.py and test_tokens.py."""

from __future__ import annotations

import json

import pytest
import requests

from extractors.http import Outcome
from extractors.ocean_engine.client import API_ERRORS, TOKEN_ERRORS


def answer(code: int | str, message: str = "msg", status: int = 200) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    body = {"code": code, "message": message, "request_id": "20261123080000ABCDEF", "data": {}}
    response._content = json.dumps(body).encode()
    response.url = "http://127.0.0.1/open_api/v3.0/report/custom/get/?advertiser_id=1"
    return response


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (0, Outcome.OK), (40100, Outcome.RATE_LIMITED), (40102, Outcome.REFRESH), (40103, Outcome.AUTH),
        (40104, Outcome.AUTH), (40105, Outcome.AUTH), (40107, Outcome.AUTH), (40001, Outcome.FATAL),
        (40002, Outcome.FATAL), (50000, Outcome.TRANSIENT), (61002, Outcome.FATAL), (40999, Outcome.FATAL),
        ("40100", Outcome.RATE_LIMITED),
    ],
)  # fmt: skip
def test_each_code_means_what_ocean_engine_documents(code: int | str, outcome: Outcome) -> None:
    assert API_ERRORS.classify(answer(code)).outcome is outcome


def test_the_message_and_request_id_reach_the_error_and_a_gateway_5xx_is_retried() -> None:
    verdict = API_ERRORS.classify(answer(40001, "start_time: invalid"))
    assert verdict.detail == "HTTP 200, code 40001: start_time: invalid [request_id 20261123080000ABCDEF]"
    assert API_ERRORS.classify(answer(50000, status=500)).outcome is Outcome.TRANSIENT


def test_a_used_up_daily_quota_says_a_retry_cannot_help() -> None:
    verdict = API_ERRORS.classify(answer(61002, "quota"))
    assert verdict.detail.startswith("HTTP 200, code 61002: quota")
    assert "retrying within this run cannot help" in verdict.detail
    assert "cannot help" not in API_ERRORS.classify(answer(40001)).detail


def test_at_the_token_endpoint_a_wrong_app_is_for_a_human_too() -> None:
    assert TOKEN_ERRORS.classify(answer(40001)).outcome is Outcome.AUTH
    assert API_ERRORS.classify(answer(40001)).outcome is Outcome.FATAL
    assert TOKEN_ERRORS.classify(answer(40107)).outcome is Outcome.AUTH
