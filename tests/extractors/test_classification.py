"""How responses are read: advertised waits, status codes, redaction, error messages. Pure functions, no network.

A platform's own classifier (body error codes) is tested beside the platform, in tests/sources/<source>/.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import requests
from tenacity import RetryCallState, Retrying

from extractors.catalog import streams
from extractors.errors import AuthError, ExtractContext, RetryBudgetExhausted
from extractors.http import (
    SENSITIVE_QUERY_KEYS,
    HttpClient,
    Outcome,
    RetrySettings,
    _BackoffAtLeastAdvertised,
    _RetryableFailure,
    classify_by_status,
    redact_url,
    retry_after_seconds,
)
from extractors.streams import Window

WINDOW = Window(date(2026, 10, 25), date(2026, 11, 23))
CONTEXT = ExtractContext("demo", "rows", "acct-1", WINDOW, "demo_api")


def response(status: int, body: object = None, headers: dict[str, str] | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = json.dumps(body).encode() if body is not None else b""
    r.headers.update(headers or {})
    r.url = "http://127.0.0.1/v1/acct-1/rows?access_token=SECRET&limit=5"
    return r


def test_retry_after_in_seconds() -> None:
    assert retry_after_seconds(response(429, {}, {"Retry-After": "1.0"})) == 1.0
    assert retry_after_seconds(response(429, {})) is None


def test_status_classification() -> None:
    assert classify_by_status(response(429, {}, {"Retry-After": "2"})).wait_seconds == 2.0
    assert classify_by_status(response(503)).outcome is Outcome.TRANSIENT
    assert classify_by_status(response(401, {"errors": "[API] Invalid API key"})).outcome is Outcome.AUTH
    assert classify_by_status(response(404)).outcome is Outcome.FATAL


def _state_after(failure: Exception, attempt: int) -> RetryCallState:
    state = RetryCallState(Retrying(), fn=None, args=(), kwargs={})
    state.attempt_number = attempt
    state.set_exception((type(failure), failure, None))
    return state


def test_wait_is_at_least_the_advertised_wait_and_at_most_max_wait() -> None:
    wait = _BackoffAtLeastAdvertised(RetrySettings(base_wait=0.01, max_wait=5.0))
    assert wait(_state_after(_RetryableFailure(Outcome.RATE_LIMITED, "x", 1.0), 1)) >= 1.0
    assert wait(_state_after(_RetryableFailure(Outcome.RATE_LIMITED, "x", 3600.0), 1)) == 5.0
    assert wait(_state_after(_RetryableFailure(Outcome.TRANSIENT, "x"), 1)) < 0.05


def test_urls_and_messages_never_carry_the_token() -> None:
    assert "SECRET" not in redact_url("https://graph.facebook.com/v21.0/me?access_token=SECRET&limit=5")
    assert "limit=5" in redact_url("https://graph.facebook.com/v21.0/me?access_token=SECRET&limit=5")
    client = HttpClient(CONTEXT, secrets=["tok-123"])
    assert client.redact("oops tok-123 and access_token=OTHER&x=1") == "oops REDACTED and access_token=REDACTED&x=1"


def test_free_text_redaction_masks_every_sensitive_query_key() -> None:
    client = HttpClient(CONTEXT)
    text = "GET /x?key=K1&password=P2&session=S3&sign=G4&limit=5 failed"
    assert client.redact(text) == (
        "GET /x?key=REDACTED&password=REDACTED&session=REDACTED&sign=REDACTED&limit=5 failed"
    )
    # Free text and URLs are redacted from the same list of keys, in any case, so they cannot drift apart.
    for key in sorted(SENSITIVE_QUERY_KEYS):
        assert client.redact(f"see {key.upper()}=v4lue and more") == f"see {key.upper()}=REDACTED and more", key
    # Only whole key names: a longer parameter that merely ends in one is not a credential.
    assert client.redact("monkey=1&design=2&api_keys=3") == "monkey=1&design=2&api_keys=3"


@pytest.mark.parametrize(("source", "stream"), streams(), ids=lambda v: v.name)
def test_error_messages_name_the_partition_and_say_what_to_do(source, stream) -> None:
    context = ExtractContext(source.name, stream.name, "acct-1", WINDOW, source.conn_id)
    message = str(AuthError(context, "HTTP 401"))
    assert message.startswith(f"{source.name}/{stream.name} account=acct-1 window=[2026-10-25, 2026-11-23): ")
    assert f"refreshed in the Airflow Connection '{source.conn_id}'" in message
    assert not AuthError.retryable
    assert "after 6 attempts" in str(RetryBudgetExhausted(context, 6, "HTTP 500"))
