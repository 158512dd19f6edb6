"""Meta ads_insights over real HTTP against the sandbox, checked against the world's ground truth."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from extractors.errors import AuthError, MalformedResponse, RateLimitExhausted, RetryBudgetExhausted
from extractors.run import extract_partition, list_accounts
from extractors.streams import Window
from sandbox.meta.server import ACCESS_TOKEN
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.meta.helpers import ACCOUNTS, PAGE_SIZE, meta_truth

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 8))
DRIFT_FIELDS = {"quality_ranking", "conversion_rate_ranking", "video_play_actions"}
PARTITION = "meta/ads_insights account=act_1001 window=[2026-11-01, 2026-11-08)"


def run(landing_root: Path, account: str = "act_1001", **kwargs: Any) -> Path:
    return extract_partition(
        "meta", "ads_insights", account, WINDOW, "test-run", landing_root, retry=kwargs.pop("retry", FAST_RETRY)
    )


def keys(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(row["ad_id"], row["date_start"]) for row in rows]


def pages(rows: list[dict[str, Any]]) -> int:
    return -(-len(rows) // PAGE_SIZE)


def statuses(sb: Any) -> list[int]:
    return [status for _, _, status in sb.data_requests("meta")]


def test_paging_lands_every_row_exactly_once_as_received(connections: Any, landing_root: Path) -> None:
    truth = meta_truth(connections, "act_1001", WINDOW)
    assert len(truth) > 2 * PAGE_SIZE

    landed = read_landed(run(landing_root))

    assert landed.manifest["row_count"] == len(truth)
    assert len(set(keys(landed.records))) == len(landed.records)  # no duplicates across pages
    assert set(keys(landed.records)) == set(keys(truth))
    assert landed.records == truth  # field for field, exactly as the API returned them
    assert statuses(connections) == [200] * pages(truth)
    # The token travels in a header, never in a URL that could end up in a log.
    assert not any("access_token" in path for _, path, _ in connections.data_requests("meta"))


def test_manifest_describes_the_partition(connections: Any, landing_root: Path) -> None:
    manifest_path = run(landing_root, account="act_2002")
    assert manifest_path == (
        landing_root / "meta/ads_insights/account=act_2002/window=2026-11-01_2026-11-08/run=test-run/manifest.json"
    )
    landed = read_landed(manifest_path)
    assert landed.manifest["row_count"] == len(meta_truth(connections, "act_2002", WINDOW)) > 0
    assert {k: landed.manifest[k] for k in ("source", "stream", "account", "window_start", "window_end")} == {
        "source": "meta",
        "stream": "ads_insights",
        "account": "act_2002",
        "window_start": "2026-11-01",
        "window_end": "2026-11-08",
    }
    assert landed.manifest["primary_key"] == ["ad_id", "date_start"]
    assert landed.manifest["cursor_field"] == landed.manifest["partition_column"] == "date_start"


def test_accounts_come_from_the_connection(connections: Any) -> None:
    assert list_accounts("meta") == ACCOUNTS


@pytest.mark.parametrize(
    ("fault", "logged"),
    [("rate_limit", "code 80000 subcode 2446079"), ("app_rate_limit", "code 4 subcode 1504022"),
     ("account_rate_limit", "code 4 subcode 1504039")],
)  # fmt: skip
def test_insights_throttling_is_retried_and_data_is_complete(
    connections: Any, landing_root: Path, caplog: pytest.LogCaptureFixture, fault: str, logged: str
) -> None:
    connections.inject("meta", fault, times=2)
    with caplog.at_level(logging.DEBUG, logger="extractors"):
        landed = read_landed(run(landing_root))

    truth = meta_truth(connections, "act_1001", WINDOW)
    assert statuses(connections) == [400, 400] + [200] * pages(truth)
    assert set(keys(landed.records)) == set(keys(truth))
    assert landed.manifest["row_count"] == len(truth)
    assert "rate limited" in caplog.text and logged in caplog.text
    assert ACCESS_TOKEN not in caplog.text


def test_rate_limit_outlasting_the_budget_fails_as_rate_limited(connections: Any, landing_root: Path) -> None:
    connections.inject("meta", "rate_limit", times=FAST_RETRY.max_attempts)
    with pytest.raises(RateLimitExhausted, match="still rate limited after 4 attempts") as info:
        run(landing_root)
    assert str(info.value).startswith(PARTITION)
    assert list(landing_root.iterdir()) == []


def test_5xx_storm_longer_than_the_budget_fails_clearly_and_lands_nothing(connections: Any, landing_root: Path) -> None:
    connections.inject("meta", "server_error", times=FAST_RETRY.max_attempts + 3)
    with pytest.raises(RetryBudgetExhausted) as info:
        run(landing_root)

    message = str(info.value)
    assert message.startswith(PARTITION + ": gave up after 4 attempts")
    assert "HTTP 500, Graph error code 2" in message
    assert statuses(connections) == [500] * FAST_RETRY.max_attempts  # bounded: exactly the budget
    assert list(landing_root.iterdir()) == []  # no folder at all, not even an empty partition


def test_5xx_storm_within_the_budget_is_ridden_out(connections: Any, landing_root: Path) -> None:
    connections.inject("meta", "server_error", times=FAST_RETRY.max_attempts - 1)
    landed = read_landed(run(landing_root))
    assert landed.manifest["row_count"] == len(meta_truth(connections, "act_1001", WINDOW))


def test_expired_token_fails_at_once_and_says_to_refresh_it(connections: Any, landing_root: Path) -> None:
    connections.inject("meta", "token_expired", times=1)
    with pytest.raises(AuthError) as info:
        run(landing_root)

    message = str(info.value)
    assert message.startswith(PARTITION)
    assert "code 190 subcode 463" in message and "Session has expired" in message
    assert "refreshed in the Airflow Connection 'meta_ads'" in message
    assert statuses(connections) == [400]  # not retried
    assert info.value.retryable is False
    assert list(landing_root.iterdir()) == []


def test_a_wrong_token_never_appears_in_the_error(sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path) -> None:
    set_connections(monkeypatch, sb, password={"meta": "EAAB-wrong-token-123"})
    with pytest.raises(AuthError) as info:
        run(landing_root)
    assert "EAAB-wrong-token-123" not in str(info.value)
    assert len(sb.requests("meta")) == 1  # the account settings read, refused: nothing more is tried


def test_malformed_page_fails_clearly_without_credentials_and_lands_nothing(
    connections: Any, landing_root: Path
) -> None:
    connections.inject("meta", "malformed", times=1)
    with pytest.raises(MalformedResponse) as info:
        run(landing_root)

    message = str(info.value)
    assert message.startswith(PARTITION + ": malformed response from http://127.0.0.1:")
    assert "/v27.0/act_1001/insights?" in message and "invalid JSON" in message
    assert ACCESS_TOKEN not in message
    assert statuses(connections) == [200]  # a 200 with a broken body is not retried
    assert list(landing_root.iterdir()) == []


def test_a_timeout_is_retried(connections: Any, landing_root: Path) -> None:
    connections.inject("meta", "timeout", times=1)
    started = time.monotonic()
    landed = read_landed(run(landing_root, retry=replace(FAST_RETRY, read_timeout=1.0)))
    elapsed = time.monotonic() - started

    truth = meta_truth(connections, "act_1001", WINDOW)
    assert landed.manifest["row_count"] == len(truth)
    assert elapsed < connections.timeout_seconds  # gave up on the slow answer instead of waiting it out
    assert len(connections.data_requests("meta")) == 1 + pages(truth)  # the timed-out attempt, then every page


def test_schema_drift_lands_the_new_fields_untouched(connections: Any, landing_root: Path) -> None:
    connections.inject("meta", "schema_drift", times=1)  # the first page of 50 rows
    landed = read_landed(run(landing_root))
    truth = meta_truth(connections, "act_1001", WINDOW)

    drifted = landed.records[:50]
    assert all(row["quality_ranking"] == "ABOVE_AVERAGE" for row in drifted)
    assert all(row["video_play_actions"] == [{"action_type": "video_view", "value": "118"}] for row in drifted)
    assert [{k: v for k, v in row.items() if k not in DRIFT_FIELDS} for row in landed.records] == truth
    assert "quality_ranking" not in landed.records[50]
