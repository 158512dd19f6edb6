"""Shopify's injected faults: each gives the documented status and body, for exactly as many requests as asked."""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from tests.sources.shopify.api import call

DRIFT_FIELDS = {"client_details", "current_total_duties_set", "merchant_business_entity_id"}


def test_shopify_rate_limit(sb: Sandbox) -> None:
    sb.inject("shopify", "rate_limit")
    response = call(sb)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1.0"
    assert "Exceeded 2 calls per second" in response.json()["errors"]
    assert call(sb).status_code == 200


def test_shopify_server_error_and_token_expired(sb: Sandbox) -> None:
    sb.inject("shopify", "server_error")
    sb.inject("shopify", "token_expired")
    assert call(sb).status_code == 503
    expired = call(sb)
    assert expired.status_code == 401
    assert expired.json() == {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}


def test_schema_drift_adds_unknown_fields(sb: Sandbox) -> None:
    plain = call(sb).json()["orders"]
    sb.inject("shopify", "schema_drift")
    drifted = call(sb).json()["orders"]
    assert len(drifted) == len(plain) == 5
    for before, after in zip(plain, drifted, strict=True):
        assert set(after) - set(before) == DRIFT_FIELDS
        assert {k: after[k] for k in before} == before


def test_another_platforms_data_fault_is_refused(sb: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        sb.inject("shopify", "negative_spend")  # a data fault only the ad platform has
