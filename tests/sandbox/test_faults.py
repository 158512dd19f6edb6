"""Injected faults: each gives the documented status and body, for exactly as many requests as asked."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
import requests

from sandbox import Sandbox

from .helpers import SHOPIFY_HEADERS, TIMEOUT, meta_params, meta_url, shopify_url

DAY = date(2026, 11, 20)
ORDERS_QUERY: dict[str, str | int] = {"status": "any", "limit": 5, "updated_at_min": "2026-11-20T00:00:00+08:00"}


def call(sb: Sandbox, server: str, timeout: float = TIMEOUT) -> requests.Response:
    if server == "meta":
        return requests.get(meta_url(sb), params=meta_params(DAY, DAY, limit=5), timeout=timeout)
    return requests.get(shopify_url(sb), params=ORDERS_QUERY, headers=SHOPIFY_HEADERS, timeout=timeout)


def test_meta_rate_limit(sb: Sandbox) -> None:
    sb.inject("meta", "rate_limit", times=2)
    for _ in range(2):
        response = call(sb, "meta")
        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["code"], error["message"], error["type"]) == (
            17,
            "(#17) User request limit reached",
            "OAuthException",
        )
        assert error["is_transient"] is True and error["fbtrace_id"]
        usage = json.loads(response.headers["x-business-use-case-usage"])
        assert usage["1001"][0]["estimated_time_to_regain_access"] == 0
        assert usage["1001"][0]["call_count"] == 100
    assert call(sb, "meta").status_code == 200
    assert [status for _, _, status in sb.requests("meta")] == [400, 400, 200]


def test_meta_server_error(sb: Sandbox) -> None:
    sb.inject("meta", "server_error")
    response = call(sb, "meta")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == 2 and error["is_transient"] is True


def test_meta_token_expired(sb: Sandbox) -> None:
    sb.inject("meta", "token_expired")
    response = call(sb, "meta")
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["error_subcode"], error["type"]) == (190, 463, "OAuthException")
    assert "Session has expired" in error["message"]


def test_shopify_rate_limit(sb: Sandbox) -> None:
    sb.inject("shopify", "rate_limit")
    response = call(sb, "shopify")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1.0"
    assert "Exceeded 2 calls per second" in response.json()["errors"]
    assert call(sb, "shopify").status_code == 200


def test_shopify_server_error_and_token_expired(sb: Sandbox) -> None:
    sb.inject("shopify", "server_error")
    sb.inject("shopify", "token_expired")
    assert call(sb, "shopify").status_code == 503
    expired = call(sb, "shopify")
    assert expired.status_code == 401
    assert expired.json() == {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}


@pytest.mark.parametrize("server", ["meta", "shopify"])
def test_malformed_body_is_a_200_that_is_not_json(sb: Sandbox, server: str) -> None:
    sb.inject(server, "malformed")
    response = call(sb, server)
    assert response.status_code == 200
    assert response.text.startswith("{")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)
    assert call(sb, server).json()  # the next one is whole again


@pytest.mark.parametrize("server", ["meta", "shopify"])
def test_timeout_holds_the_answer_back(sb: Sandbox, server: str) -> None:
    sb.timeout_seconds = 0.6
    sb.inject(server, "timeout")
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        call(sb, server, timeout=0.2)
    assert call(sb, server).status_code == 200
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("server", "extra"),
    [("meta", {"quality_ranking", "conversion_rate_ranking", "video_play_actions"}),
     ("shopify", {"client_details", "current_total_duties_set", "merchant_business_entity_id"})],
)  # fmt: skip
def test_schema_drift_adds_unknown_fields(sb: Sandbox, server: str, extra: set[str]) -> None:
    key = "data" if server == "meta" else "orders"
    plain = call(sb, server).json()[key]
    sb.inject(server, "schema_drift")
    drifted = call(sb, server).json()[key]
    assert len(drifted) == len(plain) == 5
    for before, after in zip(plain, drifted, strict=True):
        assert set(after) - set(before) == extra
        assert {k: after[k] for k in before} == before


def test_meta_negative_spend_spoils_one_row(sb: Sandbox) -> None:
    plain = call(sb, "meta").json()["data"]
    sb.inject("meta", "negative_spend")
    spoiled = call(sb, "meta").json()["data"]
    assert spoiled[0]["spend"] == f"-{plain[0]['spend']}"
    assert spoiled[1:] == plain[1:]


@pytest.mark.parametrize("server", ["meta", "shopify"])
def test_admin_endpoints_work_over_http_and_are_not_logged(sb: Sandbox, server: str) -> None:
    base = sb.meta_url if server == "meta" else sb.shopify_url
    armed = requests.post(f"{base}/_sandbox/faults", json={"fault": "server_error", "times": 1}, timeout=TIMEOUT)
    assert armed.status_code == 200 and armed.json()["pending_faults"] == ["server_error"]
    moved = requests.post(f"{base}/_sandbox/as_of", json={"as_of": "2026-11-30"}, timeout=TIMEOUT)
    assert moved.status_code == 200 and sb.as_of.isoformat() == "2026-11-30T00:00:00+00:00"
    assert requests.post(f"{base}/_sandbox/faults", json={"fault": "nope"}, timeout=TIMEOUT).status_code == 400
    assert requests.post(f"{base}/_sandbox/as_of", json={"as_of": "soon"}, timeout=TIMEOUT).status_code == 400

    assert call(sb, server).status_code in (500, 503)
    assert call(sb, server).status_code == 200
    assert [status for _, _, status in sb.requests(server)] == [500 if server == "meta" else 503, 200]
    method, path, _ = sb.requests(server)[0]
    assert method == "GET" and not path.startswith("/_sandbox")
    sb.reset_requests(server)
    assert sb.requests(server) == []


def test_unknown_faults_and_servers_are_refused(sb: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        sb.inject("meta", "gremlins")
    with pytest.raises(ValueError, match="unknown fault"):
        sb.inject("shopify", "negative_spend")  # a Meta-only data fault
    with pytest.raises(ValueError, match="unknown server"):
        sb.inject("tiktok", "rate_limit")
