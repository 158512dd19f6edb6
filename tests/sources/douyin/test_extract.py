"""Douyin's streams over real HTTP against the sandbox, checked against the world's ground truth: every post of a
snapshot with its figures, cursor paging past pinned posts, the fans window, token refresh through the shared
store, and errors that name the partition and say what to do."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from extractors.douyin.client import token_store_key
from extractors.errors import (
    ApiError,
    AuthError,
    ConfigurationError,
    DayNotOver,
    RateLimitExhausted,
    TokenRefreshFailed,
)
from extractors.run import extract_partition, list_accounts
from extractors.streams import Window
from extractors.token_store import FileTokenStore
from sandbox.douyin.server import REFRESH_PATH
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.douyin.helpers import COUNT, FANS, NOW, OPEN_ID, SNAPSHOTS, SOURCE, fans_truth, snapshot_truth

WINDOW = Window(date(2026, 11, 15), date(2026, 11, 22))  # the snapshot of the 21st, the run's last day
FANS_WINDOW = Window(date(2026, 11, 1), date(2026, 11, 8))


def run(landing_root: Path, stream: str = SNAPSHOTS, window: Window = WINDOW, **kwargs: Any) -> Path:
    # The sandbox's now: Douyin serves its last 30 days of fans data counted from it, not from the wall clock.
    kwargs.setdefault("complete_as_of", NOW)
    return extract_partition(SOURCE, stream, OPEN_ID, window, "test-run", landing_root, retry=FAST_RETRY, **kwargs)


def partition(stream: str = SNAPSHOTS, window: Window = WINDOW) -> str:
    return f"douyin/{stream} account={OPEN_ID} window={window}"


def list_queries(sb: Any) -> list[dict[str, str]]:
    return [dict(parse_qsl(urlsplit(t).query)) for _, t, _ in sb.requests(SOURCE) if t.startswith("/video/list/")]


def token_calls(sb: Any) -> int:
    return sum(1 for _, target, _ in sb.requests(SOURCE) if target.startswith(REFRESH_PATH))


def test_a_snapshot_lands_every_young_post_once_with_its_figures_as_received(
    connections: Any, landing_root: Path
) -> None:
    truth = snapshot_truth(connections, WINDOW)
    landed = read_landed(run(landing_root))
    assert landed.records == truth  # field for field, pinned first, as the API returned them
    assert 40 <= len(truth) <= 50  # 30 days of about 1.5 posts
    assert len({r["item_id"] for r in landed.records}) == len(truth)
    # The pinned post of the 11th is young enough; the one of June is not, yet paging went on past it.
    assert truth[0]["is_top"] is True and not any(r["is_top"] for r in truth[1:])
    # Posts of the 22nd (after the snapshot's day) are listed first but left out.
    newest = connections.world.part(SOURCE).listed(OPEN_ID, NOW)[2]
    assert newest.local_published_at.date() == date(2026, 11, 22) and newest.id not in {r["item_id"] for r in truth}
    assert (landed.manifest["window_start"], landed.manifest["window_end"]) == ("2026-11-15", "2026-11-22")


def test_paging_sends_the_cursor_back_and_stops_at_the_first_post_past_the_age_limit(
    connections: Any, landing_root: Path
) -> None:
    run(landing_root)
    queries = list_queries(connections)
    douyin = connections.world.part(SOURCE)
    listed = douyin.listed(OPEN_ID, NOW)
    # Every post down to the first one older than 30 days before the 22nd's start (the stop), in pages of COUNT.
    oldest_kept = max(
        i for i, post in enumerate(listed) if post.id == snapshot_truth(connections, WINDOW)[-1]["item_id"]
    )
    assert len(queries) == oldest_kept // COUNT + 1 or len(queries) == (oldest_kept + 1) // COUNT + 1
    assert queries[0] == {"open_id": OPEN_ID, "cursor": "0", "count": str(COUNT)}
    assert all(q["cursor"] not in ("", "0") for q in queries[1:])
    assert len({q["cursor"] for q in queries}) == len(queries)
    assert len(queries) < len(listed) // COUNT  # it never reads the account's whole history


def test_a_shorter_age_limit_keeps_fewer_posts(sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path) -> None:
    set_connections(monkeypatch, sb, extra={SOURCE: {"post_max_age_days": 7}})
    landed = read_landed(run(landing_root))
    assert landed.records == snapshot_truth(sb, WINDOW, max_age_days=7)
    assert 5 <= len(landed.records) <= 16
    assert [q["count"] for q in list_queries(sb)] == ["20"]  # full pages by default: one call


def test_the_fans_window_is_read_in_one_thirty_day_call_and_cut_to_its_days(
    connections: Any, landing_root: Path
) -> None:
    landed = read_landed(run(landing_root, FANS, FANS_WINDOW))
    assert landed.records == fans_truth(connections, FANS_WINDOW)
    assert [r["date"] for r in landed.records] == [f"2026-11-0{d}" for d in range(1, 8)]
    targets = [t for _, t, _ in connections.requests(SOURCE)]
    assert len(targets) == 1 and dict(parse_qsl(urlsplit(targets[0]).query)) == {"open_id": OPEN_ID, "date_type": "30"}


def test_days_are_cut_at_ten_in_the_morning_beijing_time(connections: Any, landing_root: Path) -> None:
    window = Window(date(2026, 11, 20), date(2026, 11, 23))
    at_eight = read_landed(run(landing_root, FANS, window, complete_as_of=NOW)).manifest
    assert (at_eight["window_start"], at_eight["window_end"]) == ("2026-11-20", "2026-11-22")
    connections.set_as_of(NOW + timedelta(hours=2))
    at_ten = read_landed(run(landing_root, FANS, window, complete_as_of=NOW + timedelta(hours=2)))
    assert at_ten.records == fans_truth(connections, Window(date(2026, 11, 20), date(2026, 11, 23)))
    connections.set_as_of(NOW)
    with pytest.raises(DayNotOver, match="no day of the window is complete"):
        run(landing_root, FANS, Window(date(2026, 11, 22), date(2026, 11, 23)), complete_as_of=NOW)


def test_a_day_not_yet_published_is_retried_later_not_landed_short(connections: Any, landing_root: Path) -> None:
    """The run's interval says the 22nd is over at 10:00, but the platform's data is late (its clock at 09:00)."""
    connections.set_as_of(NOW + timedelta(hours=1))
    window = Window(date(2026, 11, 20), date(2026, 11, 23))
    with pytest.raises(DayNotOver) as info:
        run(landing_root, FANS, window, complete_as_of=NOW + timedelta(hours=2))
    assert "fans data up to 2026-11-21 so far; 2026-11-22 is not out yet" in str(info.value)
    assert info.value.retryable is True
    assert list(landing_root.iterdir()) == []


def test_a_fans_window_reaching_past_thirty_days_starts_where_douyin_s_memory_does(
    connections: Any, landing_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A long initial load: the days Douyin no longer serves cannot be read, so the landing (and with it the
    coverage ledger) starts at the earliest day still served, and the log says so."""
    window = Window(date(2026, 10, 10), date(2026, 11, 1))
    with caplog.at_level("WARNING"):
        manifest = json.loads(run(landing_root, FANS, window, complete_as_of=NOW).read_text())
    assert (manifest["window_start"], manifest["window_end"], manifest["row_count"]) == ("2026-10-24", "2026-11-01", 8)
    assert "serves fans_daily for the last 30 days only; reading from 2026-10-24" in caplog.text


def test_a_fans_window_wholly_older_than_thirty_days_fails_naming_what_was_asked(
    connections: Any, landing_root: Path
) -> None:
    window = Window(date(2026, 10, 1), date(2026, 10, 10))
    with pytest.raises(ConfigurationError) as info:
        run(landing_root, FANS, window, complete_as_of=NOW)
    message = str(info.value)
    assert message.startswith(partition(FANS, window))
    assert "fans_daily for the last 30 days only (from 2026-10-24" in message
    assert info.value.retryable is False
    assert list(landing_root.iterdir()) == []


def test_an_expired_access_token_is_refreshed_once_kept_in_the_store_and_the_data_complete(
    connections: Any, authorization: dict[str, Any], token_dir: Path, landing_root: Path
) -> None:
    later = NOW + timedelta(days=16)  # the access token has expired (15 days), the refresh token not (30)
    connections.set_as_of(later)
    window = Window(date(2026, 11, 24), date(2026, 12, 1))  # days over on the wall clock too
    landed = read_landed(run(landing_root, window=window, complete_as_of=later))
    assert landed.records == snapshot_truth(connections, window, as_of=later)
    assert token_calls(connections) == 1
    codes = [status for _, _, status in connections.requests(SOURCE)]
    assert codes[:3] == [200, 200, 200]  # 2190008 in an HTTP 200, the refresh, the retried page
    stored = FileTokenStore(token_dir).load(token_store_key(SOURCE, authorization["refresh_token"]))
    assert stored is not None and stored.access_token not in (None, authorization["access_token"])
    assert stored.refresh_token == authorization["refresh_token"]  # Douyin does not rotate it
    # What is left of the refresh token's 30 days (14 of them), from the client's clock: not extended.
    assert stored.refresh_expires_at == pytest.approx(time.time() + 14 * 86400, abs=60)
    # The next run (a fresh client) takes the stored token: no second refresh.
    connections.reset_requests(SOURCE)
    read_landed(run(landing_root, FANS, window, complete_as_of=later))
    assert token_calls(connections) == 0


def test_the_older_expired_code_also_refreshes(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "token_expired", times=1)  # 10008
    landed = read_landed(run(landing_root, FANS, FANS_WINDOW))
    assert landed.records == fans_truth(connections, FANS_WINDOW)
    assert token_calls(connections) == 1


def test_a_refresh_token_past_its_thirty_days_fails_at_once_saying_to_re_authorize(
    connections: Any, landing_root: Path
) -> None:
    connections.set_as_of(NOW + timedelta(days=31))
    with pytest.raises(TokenRefreshFailed) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(partition())
    assert "code 10010" in message and "authorize again" in message
    assert "re-authorize the app and store a new refresh token for connection 'douyin'" in message
    assert info.value.retryable is False
    assert token_calls(connections) == 1  # not retried
    assert list(landing_root.iterdir()) == []


def test_throttling_in_an_http_200_is_retried_and_the_data_complete(
    connections: Any, landing_root: Path, caplog: pytest.LogCaptureFixture, authorization: dict[str, Any]
) -> None:
    connections.inject(SOURCE, "rate_limit", times=2)
    connections.inject(SOURCE, "system_busy", times=1)
    with caplog.at_level(logging.DEBUG, logger="extractors"):
        landed = read_landed(run(landing_root))
    assert landed.records == snapshot_truth(connections, WINDOW)
    assert "code 28003018" in caplog.text and "code 2100004" in caplog.text
    assert authorization["access_token"] not in caplog.text
    connections.inject(SOURCE, "rate_limit", times=FAST_RETRY.max_attempts)
    with pytest.raises(RateLimitExhausted) as info:
        run(landing_root / "again", FANS, FANS_WINDOW)
    assert str(info.value).startswith(partition(FANS, FANS_WINDOW))


def test_a_used_up_daily_quota_fails_fast_saying_to_rerun_tomorrow(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "daily_quota", times=1)
    with pytest.raises(ApiError) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(partition()) and "code 28003017" in message and "rerun then" in message
    assert info.value.retryable is False
    assert len(connections.requests(SOURCE)) == 1


def test_an_open_id_the_token_does_not_cover_fails_naming_it(
    connections: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, authorization: dict[str, Any]
) -> None:
    extra = {"open_id": "_000Other", "refresh_token": authorization["refresh_token"]}
    set_connections(monkeypatch, connections, extra={SOURCE: extra}, password={SOURCE: authorization["access_token"]})
    assert list_accounts(SOURCE) == ["_000Other"]
    with pytest.raises(ApiError) as info:
        extract_partition(SOURCE, FANS, "_000Other", FANS_WINDOW, "r", landing_root, retry=FAST_RETRY)
    message = str(info.value)
    assert message.startswith(f"douyin/fans_daily account=_000Other window={FANS_WINDOW}")
    assert "code 2100007" in message and "must be the one that authorized the app" in message


def test_a_wrong_token_never_appears_in_the_error(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, token_dir: Path
) -> None:
    set_connections(monkeypatch, sb, password={SOURCE: "act.wrong-token-123"})
    with pytest.raises(AuthError, match="code 2190002") as info:
        run(landing_root)
    assert "act.wrong-token-123" not in str(info.value)
    assert len(sb.requests(SOURCE)) == 1


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"refresh_token": ""}, "has no extra.refresh_token"),
        ({"count": 21}, "extra.count must be 1..20"),
        ({"post_max_age_days": 45}, "extra.post_max_age_days must be 1..30"),
    ],
)
def test_a_connection_that_cannot_work_fails_before_any_request(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, extra: dict, expected: str
) -> None:
    set_connections(monkeypatch, sb, extra={SOURCE: extra})
    with pytest.raises(ConfigurationError, match=expected):
        run(landing_root)
    assert sb.requests(SOURCE) == []


def test_the_account_comes_from_the_connection_as_its_one_open_id(connections: Any) -> None:
    assert list_accounts(SOURCE) == [OPEN_ID]
    assert datetime.now(UTC) > NOW  # the sandbox's days are over on the wall clock too
