"""Google Ads ad_group_ad_daily over real HTTP against the sandbox, checked against the world's ground truth:
batches, chunked windows, token refresh, quota waits, errors that fail fast, and secrets kept out of messages."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from extractors.connections import get_connection
from extractors.errors import (
    ApiError,
    AuthError,
    ConfigurationError,
    ExtractContext,
    MalformedResponse,
    RateLimitExhausted,
    RetryBudgetExhausted,
    TokenRefreshFailed,
)
from extractors.google_ads.client import make_client, read_ad_group_ad_daily
from extractors.run import extract_partition, list_accounts
from extractors.streams import Window
from sandbox.google_ads.server import ACCESS_TOKEN_SECONDS, CLIENT_SECRET, DEVELOPER_TOKEN, REFRESH_TOKEN
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.google_ads.conftest import SMALL_BATCH
from tests.sources.google_ads.helpers import CN, STREAM, US, google_truth, server

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 8))
PARTITION = f"google_ads/{STREAM} account={CN} window=[2026-11-01, 2026-11-08)"
SECRETS = (REFRESH_TOKEN, CLIENT_SECRET, DEVELOPER_TOKEN)


def run(landing_root: Path, account: str = CN, window: Window = WINDOW, **kwargs: Any) -> Path:
    return extract_partition(
        "google_ads", STREAM, account, window, "test-run", landing_root, retry=FAST_RETRY, **kwargs
    )


def statuses(sb: Any) -> list[int]:
    return [status for _, _, status in sb.data_requests("google_ads")]


def keys(rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(r["adGroup"]["id"], r["adGroupAd"]["ad"]["id"], r["segments"]["date"]) for r in rows]


class Recorder:
    """The client's sleep and clock, recorded and moved by the test (the client's own seams)."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.now = datetime(2026, 11, 23, 6, tzinfo=UTC).timestamp()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def clock(self) -> float:
        return self.now


def read_directly(recorder: Recorder, account: str = CN, window: Window = WINDOW) -> tuple[list[dict], Any]:
    """The reader on a client with a recorded sleep and clock; returns the rows and the client's auth."""
    conn = get_connection("google_ads")
    context = ExtractContext("google_ads", STREAM, account, window, conn.conn_id)
    retry = replace(FAST_RETRY, max_wait=120.0)  # so a long advertised wait would show, uncut
    with make_client(conn, context, retry, sleep=recorder.sleep, clock=recorder.clock) as client:
        return list(read_ad_group_ad_daily(client, conn, account, window)), client.auth


def test_every_row_lands_exactly_once_as_received_across_batches(connections: Any, landing_root: Path) -> None:
    truth = google_truth(connections, CN, WINDOW)
    assert len(truth) > 3 * SMALL_BATCH  # several batches in one stream

    landed = read_landed(run(landing_root))

    # The query selects every field the sandbox renders, so a landed record is the world's row, field for field.
    assert landed.records == truth
    assert len(set(keys(landed.records))) == len(landed.records)
    assert landed.manifest["account_settings"] == {"timezone": "Asia/Shanghai", "currency": "CNY"}
    assert landed.manifest["primary_key"] == ["ad_group_id", "ad_id", "segments_date"]
    requests_made = connections.requests("google_ads")
    assert [(m, p.split("/")[-1]) for m, p, _ in requests_made] == [
        ("POST", "googleAds:search"),  # the customer's settings
        ("POST", "googleAds:searchStream"),  # one stream for the week
    ]


def test_a_long_window_is_read_in_chunks_of_days_per_request(connections: Any, landing_root: Path) -> None:
    window = Window(date(2026, 9, 20), date(2026, 11, 8))  # 49 days: a 30-day chunk and a 19-day one
    landed = read_landed(run(landing_root, account=US, window=window))
    assert landed.records == google_truth(connections, US, window)
    assert statuses(connections) == [200, 200]
    queries = [p for _, p, _ in connections.data_requests("google_ads")]
    assert all(p.endswith(f"/v22/customers/{US}/googleAds:searchStream") for p in queries)


def test_accounts_come_from_the_connection(connections: Any) -> None:
    assert list_accounts("google_ads") == [CN, US]


def test_a_day_is_extracted_only_after_the_readiness_hour_on_the_customers_clock(
    connections: Any, landing_root: Path
) -> None:
    window = Window(date(2026, 11, 20), date(2026, 11, 23))
    # 02:30 on the 23rd in Los Angeles: the 22nd ended, but Google's figures are complete only at 03:00.
    early = read_landed(
        run(landing_root, account=US, window=window, complete_as_of=datetime(2026, 11, 23, 10, 30, tzinfo=UTC))
    )
    assert (early.manifest["window_start"], early.manifest["window_end"]) == ("2026-11-20", "2026-11-22")
    later = run(landing_root, account=US, window=window, complete_as_of=datetime(2026, 11, 23, 11, 30, tzinfo=UTC))
    assert read_landed(later).manifest["window_end"] == "2026-11-23"


def test_the_quota_error_is_waited_out_at_least_its_retry_delay(connections: Any) -> None:
    connections.inject("google_ads", "rate_limit", times=2)
    recorder = Recorder()
    rows, _ = read_directly(recorder)
    assert rows == google_truth(connections, CN, WINDOW)
    assert statuses(connections) == [429, 429, 200]
    # The backoff alone would be ~0.01-0.03 s (FAST_RETRY); the answer asked for 0.2 s.
    assert len(recorder.sleeps) == 2 and all(wait >= 0.2 for wait in recorder.sleeps)


def test_a_quota_outlasting_the_budget_fails_as_rate_limited(connections: Any, landing_root: Path) -> None:
    connections.inject("google_ads", "rate_limit", times=FAST_RETRY.max_attempts)
    with pytest.raises(RateLimitExhausted, match="still rate limited after 4 attempts") as info:
        run(landing_root)
    assert str(info.value).startswith(PARTITION)
    assert "code RESOURCE_EXHAUSTED" in str(info.value)
    assert list(landing_root.iterdir()) == []


def test_server_errors_within_the_budget_are_ridden_out(connections: Any, landing_root: Path) -> None:
    connections.inject("google_ads", "server_error", times=2)
    connections.inject("google_ads", "unavailable", times=1)
    landed = read_landed(run(landing_root))
    assert landed.manifest["row_count"] == len(google_truth(connections, CN, WINDOW))
    assert statuses(connections) == [500, 500, 503, 200]


def test_a_5xx_storm_longer_than_the_budget_fails_clearly(connections: Any, landing_root: Path) -> None:
    connections.inject("google_ads", "server_error", times=FAST_RETRY.max_attempts + 2)
    with pytest.raises(RetryBudgetExhausted) as info:
        run(landing_root)
    assert str(info.value).startswith(PARTITION + ": gave up after 4 attempts")
    assert "HTTP 500, code INTERNAL" in str(info.value)
    assert statuses(connections) == [500] * FAST_RETRY.max_attempts
    assert list(landing_root.iterdir()) == []


def test_an_expired_access_token_is_refreshed_once_and_the_call_repeated(connections: Any) -> None:
    authority = server(connections).tokens
    calls_before = authority.refresh_calls
    connections.inject("google_ads", "token_expired", times=1)
    rows, auth = read_directly(Recorder())
    assert rows == google_truth(connections, CN, WINDOW)
    assert statuses(connections) == [401, 200]
    assert auth.refreshes == 2  # the first token, and one after the 401
    assert authority.refresh_calls - calls_before == 2


def test_the_access_token_is_refreshed_before_it_expires(connections: Any) -> None:
    recorder = Recorder()
    conn = get_connection("google_ads")
    context = ExtractContext("google_ads", STREAM, CN, WINDOW, conn.conn_id)
    with make_client(conn, context, FAST_RETRY, sleep=recorder.sleep, clock=recorder.clock) as client:
        assert len(list(read_ad_group_ad_daily(client, conn, CN, WINDOW))) > 0
        first = client.auth.current.access_token
        recorder.now += ACCESS_TOKEN_SECONDS - 600  # ten minutes left: still used
        list(read_ad_group_ad_daily(client, conn, CN, WINDOW))
        assert client.auth.current.access_token == first
        recorder.now += 400  # under five minutes left: replaced before the API could refuse it
        list(read_ad_group_ad_daily(client, conn, CN, WINDOW))
        assert client.auth.current.access_token != first
        assert client.auth.refreshes == 2
    assert statuses(connections) == [200, 200, 200]  # no call was ever refused


def test_a_dead_refresh_token_fails_fast_naming_the_connection(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    set_connections(monkeypatch, sb, password={"google_ads": "1//revoked-refresh-token-123"})
    with caplog.at_level(logging.DEBUG, logger="extractors"), pytest.raises(TokenRefreshFailed) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION)
    assert "invalid_grant" in message and "connection 'google_ads'" in message
    assert info.value.retryable is False
    assert "1//revoked-refresh-token-123" not in message + caplog.text
    assert CLIENT_SECRET not in message + caplog.text
    assert sb.requests("google_ads") == []  # no API call without a token
    assert list(landing_root.iterdir()) == []


@pytest.mark.parametrize(
    ("fault", "code"),
    [("developer_token_not_approved", "DEVELOPER_TOKEN_NOT_APPROVED"), ("permission_denied", "USER_PERMISSION_DENIED")],
)
def test_permission_denied_fails_fast(connections: Any, landing_root: Path, fault: str, code: str) -> None:
    connections.inject("google_ads", fault, times=1)
    with pytest.raises(AuthError) as info:
        run(landing_root)
    assert str(info.value).startswith(PARTITION)
    assert "HTTP 403, code PERMISSION_DENIED" in str(info.value) and code in str(info.value)
    assert statuses(connections) == [403]  # not retried, no token refresh either
    assert info.value.retryable is False


def test_a_wrong_developer_token_fails_fast_without_showing_it(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(monkeypatch, sb, extra={"google_ads": {"developer_token": "dev-token-that-is-wrong"}})
    with pytest.raises(AuthError) as info:
        run(landing_root)
    assert "DEVELOPER_TOKEN_INVALID" in str(info.value)
    assert "dev-token-that-is-wrong" not in str(info.value)
    assert [status for _, _, status in sb.requests("google_ads")] == [401]  # the settings read, once


def test_a_stream_that_breaks_mid_way_is_never_read_as_data(connections: Any, landing_root: Path) -> None:
    connections.inject("google_ads", "stream_error", times=1)
    landed = read_landed(run(landing_root))  # retried whole: nothing of the broken answer was kept
    assert landed.records == google_truth(connections, CN, WINDOW)
    assert statuses(connections) == [200, 200]

    connections.reset_requests()
    connections.inject("google_ads", "stream_error", times=FAST_RETRY.max_attempts)
    with pytest.raises(RetryBudgetExhausted, match="HTTP 200, code INTERNAL") as info:
        run(landing_root, account=US)
    assert "TRANSIENT_ERROR" in str(info.value)
    assert not (landing_root / "google_ads" / STREAM / f"account={US}").exists()


def test_a_malformed_answer_fails_clearly_and_is_not_retried(connections: Any, landing_root: Path) -> None:
    connections.inject("google_ads", "malformed", times=1)
    with pytest.raises(MalformedResponse) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION + ": malformed response from http://127.0.0.1:")
    assert "googleAds:searchStream" in message and "invalid JSON" in message
    assert statuses(connections) == [200]
    assert list(landing_root.iterdir()) == []


def test_schema_drift_lands_the_new_fields_untouched(connections: Any, landing_root: Path) -> None:
    connections.inject("google_ads", "schema_drift", times=1)
    landed = read_landed(run(landing_root))
    assert all(
        row["metrics"]["videoViews"] == "0" and row["adGroupAd"]["status"] == "ENABLED" for row in landed.records
    )
    assert len(landed.records) == len(google_truth(connections, CN, WINDOW))


def test_secrets_never_reach_the_logs(connections: Any, landing_root: Path, caplog: pytest.LogCaptureFixture) -> None:
    connections.inject("google_ads", "server_error", times=1)
    connections.inject("google_ads", "token_expired", times=1)
    with caplog.at_level(logging.DEBUG, logger="extractors"):
        run(landing_root)
    assert "retrying" in caplog.text and "access token refreshed" in caplog.text
    for secret in (*SECRETS, "ya29-at-"):  # the sandbox's access tokens all start "ya29-at-"
        assert secret not in caplog.text


def test_an_unknown_api_version_fails_fast(sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path) -> None:
    set_connections(monkeypatch, sb, extra={"google_ads": {"api_version": "v12"}})
    with pytest.raises(ApiError, match="HTTP 404, code NOT_FOUND") as info:
        run(landing_root)
    assert info.value.retryable is False
    assert len(sb.requests("google_ads")) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"developer_token": ""}, "has no extra.developer_token"),
        ({"login_customer_id": "409-371-6258"}, "login_customer_id must be the manager's ten digits"),
        ({"days_per_request": 0}, "days_per_request must be >= 1"),
    ],
)
def test_a_bad_connection_fails_fast_naming_the_setting(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, extra: dict, message: str
) -> None:
    set_connections(monkeypatch, sb, extra={"google_ads": extra})
    with pytest.raises(ConfigurationError, match=message):
        run(landing_root)
    assert sb.requests("google_ads") == []


def test_a_customer_id_with_dashes_is_a_configuration_error(connections: Any, landing_root: Path) -> None:
    with pytest.raises(ConfigurationError, match="ten digits without dashes"):
        run(landing_root, account="602-184-7395")
