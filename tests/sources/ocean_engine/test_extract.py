"""Ocean Engine ad_report_daily over real HTTP against the sandbox, checked against the world's ground truth:
paging, 30-day chunks, body-code errors retried or failing fast, and records landed exactly as received."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from extractors.errors import ApiError, MalformedResponse, RateLimitExhausted, RetryBudgetExhausted
from extractors.run import extract_partition, list_accounts
from extractors.streams import Window
from tests.helpers import FAST_RETRY, read_landed
from tests.sources.ocean_engine.helpers import ADVERTISERS, PAGE_SIZE, SOURCE, STREAM, keys, ocean_truth

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 8))
PARTITION = f"{SOURCE}/{STREAM} account=1768310000000101 window=[2026-11-01, 2026-11-08)"
REPORT = "/open_api/v3.0/report/custom/get/"


def run(landing_root: Path, account: str = ADVERTISERS[0], window: Window = WINDOW, **kwargs: Any) -> Path:
    return extract_partition(
        SOURCE, STREAM, account, window, "test-run", landing_root, retry=kwargs.pop("retry", FAST_RETRY)
    )


def report_requests(sb: Any) -> list[tuple[dict[str, str], int]]:
    """(query parameters, status) of each report request, in order."""
    found = []
    for _, target, status in sb.requests(SOURCE):
        parts = urlsplit(target)
        if parts.path == REPORT:
            found.append(({k: v[0] for k, v in parse_qs(parts.query).items()}, status))
    return found


def pages(rows: list[dict[str, Any]]) -> int:
    return -(-len(rows) // PAGE_SIZE)


def test_paging_lands_every_row_exactly_once_as_received(connections: Any, landing_root: Path) -> None:
    truth = ocean_truth(connections, ADVERTISERS[0], WINDOW)
    assert len(truth) > 2 * PAGE_SIZE

    landed = read_landed(run(landing_root))

    assert landed.manifest["row_count"] == len(truth)
    assert len(set(keys(landed.records))) == len(landed.records)
    assert landed.records == truth  # field for field, ids as the strings the API sent
    sent = report_requests(connections)
    assert [params["page"] for params, _ in sent] == [str(p) for p in range(1, pages(truth) + 1)]
    first = sent[0][0]
    assert {k: first[k] for k in ("start_time", "end_time", "filters", "order_by", "page_size", "data_topic")} == {
        "start_time": "2026-11-01",
        "end_time": "2026-11-07",
        "filters": "[]",
        "order_by": "[]",
        "page_size": str(PAGE_SIZE),
        "data_topic": "BASIC_DATA",
    }
    assert json.loads(first["metrics"]) == ["stat_cost", "show_cnt", "click_cnt", "convert_cnt", "active_pay_amount"]
    # The token travels in a header, never in a URL that could end up in a log.
    assert not any("token" in target for _, target, _ in connections.requests(SOURCE))


def test_the_manifest_carries_beijing_time_and_cny_from_advertiser_info(connections: Any, landing_root: Path) -> None:
    landed = read_landed(run(landing_root, account=ADVERTISERS[1]))
    assert landed.manifest["account_settings"] == {"timezone": "Asia/Shanghai", "currency": "CNY"}
    assert landed.manifest["row_count"] == len(ocean_truth(connections, ADVERTISERS[1], WINDOW)) > 0
    assert landed.manifest["primary_key"] == ["cdp_promotion_id", "stat_time_day"]
    assert [target.split("?")[0] for _, target, _ in connections.requests(SOURCE)][0] == "/open_api/2/advertiser/info/"


def test_a_window_longer_than_30_days_is_read_in_30_day_requests(connections: Any, landing_root: Path) -> None:
    window = Window(date(2026, 9, 20), date(2026, 11, 4))  # 45 days
    landed = read_landed(run(landing_root, window=window, retry=FAST_RETRY))
    truth = ocean_truth(connections, ADVERTISERS[0], window)
    assert landed.records == truth and len(truth) > 600
    spans = sorted({(params["start_time"], params["end_time"]) for params, _ in report_requests(connections)})
    assert spans == [("2026-09-20", "2026-10-19"), ("2026-10-20", "2026-11-03")]  # 30 days, then 15
    assert all(status == 200 for _, status in report_requests(connections))


def test_accounts_come_from_the_connection(connections: Any) -> None:
    assert list_accounts(SOURCE) == ADVERTISERS


@pytest.mark.parametrize(("fault", "logged"), [("rate_limit", "code 40100"), ("system_error", "code 50000")])
def test_too_frequent_and_system_errors_are_retried_and_data_is_complete(
    connections: Any, landing_root: Path, caplog: pytest.LogCaptureFixture, fault: str, logged: str
) -> None:
    connections.inject(SOURCE, fault, times=2)
    with caplog.at_level(logging.DEBUG, logger="extractors"):
        landed = read_landed(run(landing_root))
    truth = ocean_truth(connections, ADVERTISERS[0], WINDOW)
    assert landed.records == truth
    assert len(report_requests(connections)) == 2 + pages(truth)
    assert logged in caplog.text and "retrying" in caplog.text
    assert connections.connections()[SOURCE]["extra"]["app_secret"] not in caplog.text


def test_rate_limit_outlasting_the_budget_fails_as_rate_limited(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "rate_limit", times=FAST_RETRY.max_attempts)
    with pytest.raises(RateLimitExhausted, match="still rate limited after 4 attempts") as info:
        run(landing_root)
    assert str(info.value).startswith(PARTITION) and "code 40100" in str(info.value)
    assert list(landing_root.iterdir()) == []


def test_a_gateway_5xx_storm_longer_than_the_budget_fails_clearly_and_lands_nothing(
    connections: Any, landing_root: Path
) -> None:
    connections.inject(SOURCE, "server_error", times=FAST_RETRY.max_attempts + 2)
    with pytest.raises(RetryBudgetExhausted) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION + ": gave up after 4 attempts") and "HTTP 500, code 50000" in message
    assert [status for _, status in report_requests(connections)] == [500] * FAST_RETRY.max_attempts
    assert list(landing_root.iterdir()) == []


def test_a_used_up_daily_quota_fails_at_once_and_says_a_retry_cannot_help(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "daily_quota", times=3)
    with pytest.raises(ApiError) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION) and "code 61002" in message
    assert "retrying within this run cannot help" in message and "resets the next day" in message
    assert info.value.retryable is False
    assert len(report_requests(connections)) == 1  # not retried
    assert list(landing_root.iterdir()) == []


def test_a_parameter_error_fails_at_once(connections: Any, landing_root: Path) -> None:
    with pytest.raises(ApiError) as info:
        run(landing_root, account="1768310000000999")  # an advertiser this authorization does not cover
    assert "code 40002" in str(info.value) and "No permission to operate advertiser" in str(info.value)
    assert info.value.retryable is False
    assert len(connections.requests(SOURCE)) == 1  # the advertiser info read, refused


def test_malformed_page_fails_clearly_without_credentials_and_lands_nothing(
    connections: Any, landing_root: Path
) -> None:
    connections.inject(SOURCE, "malformed", times=1)
    with pytest.raises(MalformedResponse) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION + ": malformed response from http://127.0.0.1:")
    assert REPORT in message and "invalid JSON" in message
    assert len(report_requests(connections)) == 1
    assert list(landing_root.iterdir()) == []


def test_a_timeout_is_retried(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "timeout", times=1)
    started = time.monotonic()
    landed = read_landed(run(landing_root, retry=replace(FAST_RETRY, read_timeout=1.0)))
    elapsed = time.monotonic() - started
    truth = ocean_truth(connections, ADVERTISERS[0], WINDOW)
    assert landed.records == truth
    assert elapsed < connections.timeout_seconds
    assert len(report_requests(connections)) == 1 + pages(truth)


def test_schema_drift_lands_the_new_fields_untouched(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "schema_drift", times=1)  # the first page
    landed = read_landed(run(landing_root))
    truth = ocean_truth(connections, ADVERTISERS[0], WINDOW)
    drifted = landed.records[:PAGE_SIZE]
    assert all(row["metrics"]["deep_convert_cnt"] == "0" for row in drifted)
    assert all(row["dimensions"]["cdp_project_status"] == "PROJECT_STATUS_ENABLE" for row in drifted)
    assert "deep_convert_cnt" not in landed.records[PAGE_SIZE]["metrics"]
    assert [row["dimensions"]["cdp_promotion_id"] for row in landed.records] == [
        row["dimensions"]["cdp_promotion_id"] for row in truth
    ]
