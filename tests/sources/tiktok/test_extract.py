"""TikTok's ad_report_daily over real HTTP against the sandbox, checked against the world's ground truth."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from extractors.errors import (
    ApiError,
    AuthError,
    ConfigurationError,
    DayNotOver,
    MalformedResponse,
    RateLimitExhausted,
    RetryBudgetExhausted,
)
from extractors.run import extract_partition, list_accounts
from extractors.streams import Window
from sandbox.tiktok.server import ACCESS_TOKEN, DRIFT_METRICS
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.tiktok.helpers import (
    ADVERTISERS,
    CROSS_BORDER,
    EXTRACTOR_DIMENSIONS,
    EXTRACTOR_METRICS,
    PAGE_SIZE,
    SOURCE,
    STREAM,
    US,
    keys,
    tiktok_truth,
)

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 8))
PARTITION = f"tiktok/ad_report_daily account={US} window=[2026-11-01, 2026-11-08)"


def run(landing_root: Path, account: str = US, window: Window = WINDOW, **kwargs: Any) -> Path:
    return extract_partition(SOURCE, STREAM, account, window, "test-run", landing_root, retry=FAST_RETRY, **kwargs)


def statuses(sb: Any) -> list[int]:
    return [status for _, _, status in sb.data_requests(SOURCE)]


def queries(sb: Any) -> list[dict[str, str]]:
    return [dict(parse_qsl(urlsplit(target).query)) for _, target, _ in sb.data_requests(SOURCE)]


def pages(rows: list[dict[str, Any]]) -> int:
    return -(-len(rows) // PAGE_SIZE)


def test_paging_lands_every_row_exactly_once_as_received(connections: Any, landing_root: Path) -> None:
    truth = tiktok_truth(connections, US, WINDOW)
    assert len(truth) > 2 * PAGE_SIZE

    landed = read_landed(run(landing_root))

    assert landed.manifest["row_count"] == len(truth)
    assert len(set(keys(landed.records))) == len(landed.records)
    assert landed.records == truth  # field for field, nested as the API returned them
    assert statuses(connections) == [200] * pages(truth)
    assert [q["page"] for q in queries(connections)] == [str(p) for p in range(1, pages(truth) + 1)]
    assert landed.manifest["account_settings"] == {"timezone": "America/Los_Angeles", "currency": "USD"}
    # The token travels in the Access-Token header, never in a URL that could end up in a log.
    assert not any(ACCESS_TOKEN in target for _, target, _ in connections.requests(SOURCE))


def test_the_request_is_tiktoks_with_json_encoded_lists_and_inclusive_dates(
    connections: Any, landing_root: Path
) -> None:
    run(landing_root)
    first = queries(connections)[0]
    assert {k: v for k, v in first.items() if k not in ("dimensions", "metrics")} == {
        "advertiser_id": US, "service_type": "AUCTION", "report_type": "BASIC", "data_level": "AUCTION_AD",
        "start_date": "2026-11-01", "end_date": "2026-11-07", "page": "1", "page_size": str(PAGE_SIZE),
    }  # fmt: skip
    assert json.loads(first["dimensions"]) == EXTRACTOR_DIMENSIONS
    assert sorted(json.loads(first["metrics"])) == sorted(EXTRACTOR_METRICS)


def test_a_window_longer_than_thirty_days_is_read_in_thirty_day_requests(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(monkeypatch, sb)  # full pages: one request per chunk
    window = Window(date(2026, 10, 1), date(2026, 11, 15))  # 45 days
    landed = read_landed(run(landing_root, window=window))
    assert [(q["start_date"], q["end_date"]) for q in queries(sb)] == [
        ("2026-10-01", "2026-10-30"),
        ("2026-10-31", "2026-11-14"),
    ]
    assert statuses(sb) == [200, 200]
    assert landed.records == tiktok_truth(sb, US, window)


def test_accounts_come_from_the_connection(connections: Any) -> None:
    assert list_accounts(SOURCE) == ADVERTISERS


def test_the_qps_limit_in_an_http_200_is_retried_and_data_is_complete(
    connections: Any, landing_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    connections.inject(SOURCE, "rate_limit", times=2)
    with caplog.at_level(logging.DEBUG, logger="extractors"):
        landed = read_landed(run(landing_root))
    truth = tiktok_truth(connections, US, WINDOW)
    assert landed.records == truth
    assert len(statuses(connections)) == 2 + pages(truth)  # every answer an HTTP 200, two of them code 40100
    assert "rate limited" in caplog.text and "code 40100" in caplog.text
    assert ACCESS_TOKEN not in caplog.text


def test_a_qps_limit_outlasting_the_budget_fails_as_rate_limited(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "rate_limit", times=FAST_RETRY.max_attempts)
    with pytest.raises(RateLimitExhausted, match="still rate limited after 4 attempts") as info:
        run(landing_root)
    assert str(info.value).startswith(PARTITION)
    assert list(landing_root.iterdir()) == []


@pytest.mark.parametrize(("fault", "status"), [("system_error", 200), ("server_error", 503)])
def test_system_errors_are_retried(connections: Any, landing_root: Path, fault: str, status: int) -> None:
    connections.inject(SOURCE, fault, times=FAST_RETRY.max_attempts - 1)
    landed = read_landed(run(landing_root))
    truth = tiktok_truth(connections, US, WINDOW)
    assert landed.records == truth
    assert statuses(connections) == [status] * (FAST_RETRY.max_attempts - 1) + [200] * pages(truth)


def test_a_system_error_storm_longer_than_the_budget_fails_clearly_and_lands_nothing(
    connections: Any, landing_root: Path
) -> None:
    connections.inject(SOURCE, "system_error", times=FAST_RETRY.max_attempts + 2)
    with pytest.raises(RetryBudgetExhausted) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION + ": gave up after 4 attempts")
    assert "HTTP 200, code 50000: System error" in message and "[request_id " in message
    assert len(statuses(connections)) == FAST_RETRY.max_attempts  # bounded: exactly the budget
    assert list(landing_root.iterdir()) == []


def test_a_revoked_token_fails_at_once_and_says_to_replace_it(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "token_expired", times=1)
    with pytest.raises(AuthError) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION)
    assert "code 40105: Access token is incorrect or has been revoked" in message
    assert "Airflow Connection 'tiktok_ads'" in message
    assert statuses(connections) == [200]  # an HTTP 200 carrying 40105, not retried
    assert info.value.retryable is False
    assert list(landing_root.iterdir()) == []


def test_a_wrong_token_never_appears_in_the_error(sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path) -> None:
    set_connections(monkeypatch, sb, password={SOURCE: "tt-wrong-token-123"})
    with pytest.raises(AuthError, match="code 40105") as info:
        run(landing_root)
    assert "tt-wrong-token-123" not in str(info.value)
    assert len(sb.requests(SOURCE)) == 1  # the advertiser settings read, refused: nothing more is tried


def test_an_advertiser_the_token_does_not_cover_fails_fast_saying_what_to_do(
    connections: Any, landing_root: Path
) -> None:
    with pytest.raises(ApiError) as info:
        run(landing_root, account="7301940000000000099")
    message = str(info.value)
    assert "code 40001: No permission to operate advertiser 7301940000000000099" in message
    assert "re-authorize the app for the advertiser" in message
    assert info.value.retryable is False
    assert len(connections.requests(SOURCE)) == 1
    assert list(landing_root.iterdir()) == []


def test_a_malformed_page_fails_clearly_without_credentials_and_lands_nothing(
    connections: Any, landing_root: Path
) -> None:
    connections.inject(SOURCE, "malformed", times=1)
    with pytest.raises(MalformedResponse) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION + ": malformed response from http://127.0.0.1:")
    assert "/open_api/v1.3/report/integrated/get/?" in message and "invalid JSON" in message
    assert ACCESS_TOKEN not in message
    assert statuses(connections) == [200]  # a 200 with a broken body is not retried
    assert list(landing_root.iterdir()) == []


def test_schema_drift_lands_the_new_metrics_untouched(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "schema_drift", times=1)  # the first page
    landed = read_landed(run(landing_root))
    truth = tiktok_truth(connections, US, WINDOW)
    assert all(row["metrics"].items() >= DRIFT_METRICS.items() for row in landed.records[:PAGE_SIZE])
    assert "real_time_conversion" not in landed.records[PAGE_SIZE]["metrics"]
    unspoiled = [
        {**row, "metrics": {k: v for k, v in row["metrics"].items() if k not in DRIFT_METRICS}}
        for row in landed.records
    ]
    assert unspoiled == truth


def test_days_are_cut_in_each_advertisers_zone(connections: Any, landing_root: Path) -> None:
    as_of = datetime(2026, 11, 23, tzinfo=UTC)  # 16:00 on the 22nd in Los Angeles, 08:00 on the 23rd in Shanghai
    window = Window(date(2026, 11, 20), date(2026, 11, 23))
    us = read_landed(run(landing_root, window=window, complete_as_of=as_of)).manifest
    cross_border = read_landed(run(landing_root, account=CROSS_BORDER, window=window, complete_as_of=as_of)).manifest
    assert (us["window_start"], us["window_end"]) == ("2026-11-20", "2026-11-22")
    assert (cross_border["window_start"], cross_border["window_end"]) == ("2026-11-20", "2026-11-23")
    assert cross_border["account_settings"] == {"timezone": "Asia/Shanghai", "currency": "USD"}
    with pytest.raises(DayNotOver, match="2026-11-22 in America/Los_Angeles|no day of the window is complete"):
        run(landing_root, window=Window(date(2026, 11, 22), date(2026, 11, 23)), complete_as_of=as_of)


@pytest.mark.parametrize(
    ("password", "extra", "expected"),
    [("", {}, "has no password"), (ACCESS_TOKEN, {"page_size": 1001}, "extra.page_size must be 1..1000")],
)
def test_a_connection_that_cannot_work_fails_before_any_request(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, password: str, extra: dict, expected: str
) -> None:
    set_connections(monkeypatch, sb, extra={SOURCE: extra}, password={SOURCE: password})
    with pytest.raises(ConfigurationError, match=expected):
        run(landing_root)
    assert sb.requests(SOURCE) == []
