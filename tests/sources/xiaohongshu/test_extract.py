"""Xiaohongshu's streams over real HTTP against the sandbox, checked against the world's ground truth: every report
row once across pages and 30-day pieces, numbers kept as the API sent them, the note list's creation days, 蒲公英's
snapshot, token refresh through the shared store (once, mid-run, the refresh token rotated), and errors that name the
partition and say what to do."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

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
from extractors.xiaohongshu.client import token_store_key
from sandbox.xiaohongshu import truth
from sandbox.xiaohongshu.server import ACCESS_TTL, JG, NOTE_LIST_PATH, PGY, REFRESH_PATH, REPORT_PATH
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.xiaohongshu.helpers import (
    ADVERTISER,
    COLLABORATIONS,
    LAST_DAY,
    NOTES,
    NOW,
    PAGE_SIZE,
    REPORT,
    SOURCE,
    report_truth,
)

D = date.fromisoformat
WINDOW = Window(D("2026-11-15"), D("2026-11-22"))  # the last day is the 21st, the last one out at NOW


def run(landing_root: Path, stream: str = REPORT, window: Window = WINDOW, **kwargs: Any) -> Path:
    kwargs.setdefault("complete_as_of", NOW)
    return extract_partition(SOURCE, stream, ADVERTISER, window, "test-run", landing_root, retry=FAST_RETRY, **kwargs)


def partition(stream: str = REPORT, window: Window = WINDOW, account: str = ADVERTISER) -> str:
    return f"xiaohongshu/{stream} account={account} window={window}"


def server(sb: Any) -> Any:
    return sb.server(SOURCE)


def token_calls(sb: Any) -> int:
    return sum(1 for _, target, _ in sb.requests(SOURCE) if target.startswith(REFRESH_PATH))


def test_a_report_window_lands_every_note_day_once_as_received(connections: Any, landing_root: Path) -> None:
    landed = read_landed(run(landing_root))
    expected = report_truth(connections, WINDOW)
    assert landed.records == expected  # field for field, numbers as strings where the API sent strings
    assert 180 <= len(expected) <= 240
    assert any(isinstance(r["click"], str) for r in landed.records)
    assert any(isinstance(r["click"], int) for r in landed.records)
    bodies = server(connections).bodies(REPORT_PATH)
    assert [(b["page_num"], b["page_size"]) for b in bodies] == [(n, PAGE_SIZE) for n in range(1, len(bodies) + 1)]
    assert len(bodies) == -(-len(expected) // PAGE_SIZE)
    assert {(b["start_date"], b["end_date"], b["time_unit"], b["advertiser_id"]) for b in bodies} == {
        ("2026-11-15", "2026-11-21", "DAY", int(ADVERTISER))
    }
    assert (landed.manifest["window_start"], landed.manifest["window_end"]) == ("2026-11-15", "2026-11-22")


def test_a_window_longer_than_thirty_days_is_read_in_thirty_day_pieces(connections: Any, landing_root: Path) -> None:
    window = Window(D("2026-10-01"), D("2026-11-22"))
    landed = read_landed(run(landing_root, window=window))
    assert landed.records == report_truth(connections, window)
    pieces = sorted({(b["start_date"], b["end_date"]) for b in server(connections).bodies(REPORT_PATH)})
    assert pieces == [("2026-10-01", "2026-10-30"), ("2026-10-31", "2026-11-21")]


def test_the_note_list_lands_the_notes_created_since_the_window_or_the_last_thirty_days(
    connections: Any, landing_root: Path
) -> None:
    xhs = connections.world.part(SOURCE)
    landed = read_landed(run(landing_root, NOTES))
    # The window starts on the 15th, but 30 days before its last day is earlier: the list starts on Oct 23.
    assert landed.records == truth.note_items(xhs, D("2026-10-23"), LAST_DAY, NOW)
    assert 20 <= len(landed.records) <= 40
    (body,) = server(connections).bodies(NOTE_LIST_PATH)
    assert (body["create_start_time"], body["create_end_time"], body["note_type"]) == ("2026-10-23", "2026-11-21", 1)
    long = Window(D("2026-09-01"), D("2026-11-22"))
    landed = read_landed(run(landing_root / "long", NOTES, long))
    assert landed.records == truth.note_items(xhs, D("2026-09-01"), LAST_DAY, NOW)
    assert server(connections).bodies(NOTE_LIST_PATH)[-1]["page"] == 2  # more than PAGE_SIZE notes: two pages


def test_the_collaboration_snapshot_lands_the_young_collaborations_with_figures_as_of_the_last_day_out(
    connections: Any, landing_root: Path
) -> None:
    xhs = connections.world.part(SOURCE)
    landed = read_landed(run(landing_root, COLLABORATIONS))
    assert landed.records == truth.collaboration_rows(xhs, D("2026-10-23"), LAST_DAY, LAST_DAY)
    assert len(landed.records) >= 9 and {r["date_key"] for r in landed.records} == {"20261121"}
    expected = truth.collaboration_snapshot(xhs, LAST_DAY)
    assert {r["order_id"]: int(r["read_num"]) for r in landed.records} == {k: v.views for k, v in expected.items()}
    (body,) = server(connections).bodies("/pgy/note/post/data")
    assert body == {"user_id": xhs.account.id, "date_type": 2, "start_time": "2026-10-23", "end_time": "2026-11-21",
                    "page_num": 1, "page_size": PAGE_SIZE}  # fmt: skip


def test_an_older_age_limit_reads_pugongying_in_thirty_day_pieces(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(monkeypatch, sb, extra={SOURCE: {"post_max_age_days": 45}})
    landed = read_landed(run(landing_root, COLLABORATIONS))
    xhs = sb.world.part(SOURCE)
    assert landed.records == truth.collaboration_rows(xhs, D("2026-10-08"), LAST_DAY, LAST_DAY)
    assert [(b["start_time"], b["end_time"]) for b in server(sb).bodies("/pgy/note/post/data")] == [
        ("2026-10-08", "2026-11-06"),
        ("2026-11-07", "2026-11-21"),
    ]


def test_an_access_token_expiring_mid_run_is_refreshed_once_and_the_rotated_pair_kept_in_the_store(
    connections: Any, authorization: dict[str, Any], token_dir: Path, landing_root: Path
) -> None:
    server(connections).expire_token_after(2)  # the third page finds its token expired (40004)
    landed = read_landed(run(landing_root))
    assert landed.records == report_truth(connections, WINDOW)
    assert token_calls(connections) == 1
    statuses = [status for _, _, status in connections.requests(SOURCE)]
    assert statuses == [200] * len(statuses)  # the expiry, the refresh and the retried page: all HTTP 200
    stored = FileTokenStore(token_dir).load(token_store_key(SOURCE, "jg", authorization["refresh_token"]))
    assert stored is not None and stored.refresh_token not in (None, authorization["refresh_token"])
    assert stored.access_token not in (None, authorization["access_token"])
    authority = server(connections).tokens[JG]
    assert not authority.refresh_token_alive(authorization["refresh_token"])  # rotated away and dead
    assert authority.refresh_token_alive(stored.refresh_token)
    # The next run (a fresh client) takes the stored pair: no second refresh, though the connection's is dead.
    connections.reset_requests(SOURCE)
    read_landed(run(landing_root / "again", NOTES))
    assert token_calls(connections) == 0


def test_pugongying_refreshes_its_own_authorization(
    connections: Any, pgy_authorization: dict[str, Any], authorization: dict[str, Any], token_dir: Path,
    landing_root: Path,
) -> None:  # fmt: skip
    connections.set_as_of(NOW + timedelta(seconds=ACCESS_TTL + 60))  # both access tokens have expired
    landed = read_landed(run(landing_root, COLLABORATIONS))
    assert len(landed.records) >= 9
    assert token_calls(connections) == 1
    store = FileTokenStore(token_dir)
    assert store.load(token_store_key(SOURCE, "pgy", pgy_authorization["refresh_token"])) is not None
    assert store.load(token_store_key(SOURCE, "jg", authorization["refresh_token"])) is None  # 聚光's untouched
    assert not server(connections).tokens[PGY].refresh_token_alive(pgy_authorization["refresh_token"])
    assert server(connections).tokens[JG].refresh_token_alive(authorization["refresh_token"])


def test_an_invalid_secret_fails_at_once_naming_the_source_stream_and_account(
    connections: Any, monkeypatch: pytest.MonkeyPatch, authorization: dict[str, Any], landing_root: Path
) -> None:
    extra = {"secret": "not-the-app-secret", "refresh_token": authorization["refresh_token"]}
    set_connections(monkeypatch, connections, extra={SOURCE: extra}, password={SOURCE: ""})  # a token is needed
    with pytest.raises(TokenRefreshFailed) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(partition())
    assert "code 40006" in message and "extra.secret" in message and "connection 'xiaohongshu'" in message
    assert "not-the-app-secret" not in message and authorization["refresh_token"] not in message
    assert info.value.retryable is False
    assert token_calls(connections) == 1 and len(connections.requests(SOURCE)) == 1  # not retried
    assert list(landing_root.iterdir()) == []


def test_a_refresh_token_past_its_thirty_days_fails_saying_to_re_authorize(
    connections: Any, landing_root: Path
) -> None:
    connections.set_as_of(NOW + timedelta(days=31))
    with pytest.raises(TokenRefreshFailed) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(partition()) and "code 40005" in message and "authorize the app again" in message
    assert token_calls(connections) == 1
    assert list(landing_root.iterdir()) == []


def test_gateway_throttling_and_a_busy_system_are_retried_and_the_data_complete(
    connections: Any, landing_root: Path, caplog: pytest.LogCaptureFixture, authorization: dict[str, Any]
) -> None:
    connections.inject(SOURCE, "rate_limit", times=2)  # {"errorCode": 429} in an HTTP 200, no success flag
    connections.inject(SOURCE, "system_busy", times=1)  # {"success": false, "code": 50000}
    with caplog.at_level(logging.DEBUG, logger="extractors"):
        landed = read_landed(run(landing_root))
    assert landed.records == report_truth(connections, WINDOW)
    assert "code 429" in caplog.text and "code 50000" in caplog.text
    assert authorization["access_token"] not in caplog.text
    connections.inject(SOURCE, "rate_limit", times=FAST_RETRY.max_attempts)
    with pytest.raises(RateLimitExhausted) as info:
        run(landing_root / "again", COLLABORATIONS)
    assert str(info.value).startswith(partition(COLLABORATIONS))


def test_a_report_day_not_out_yet_is_retried_later_not_landed_short(connections: Any, landing_root: Path) -> None:
    """The run's interval says the 22nd is over at 09:00, but the platform is late (its clock at 08:30)."""
    connections.set_as_of(NOW + timedelta(minutes=30))
    window = Window(D("2026-11-20"), D("2026-11-23"))
    with pytest.raises(DayNotOver) as info:
        run(landing_root, window=window, complete_as_of=NOW + timedelta(hours=1))
    assert "holds no row for 2026-11-22 yet" in str(info.value) and info.value.retryable is True
    with pytest.raises(DayNotOver, match="蒲公英's figures are as of 2026-11-21 so far; 2026-11-22 is not out yet"):
        run(landing_root, COLLABORATIONS, window, complete_as_of=NOW + timedelta(hours=1))
    assert list(landing_root.iterdir()) == []
    connections.set_as_of(NOW + timedelta(hours=1))  # 09:00 Beijing: out
    landed = read_landed(run(landing_root, window=window, complete_as_of=NOW + timedelta(hours=1)))
    assert landed.records == report_truth(connections, window)


def test_days_are_cut_at_nine_in_the_morning_beijing_time(connections: Any, landing_root: Path) -> None:
    window = Window(D("2026-11-20"), D("2026-11-23"))
    at_eight = read_landed(run(landing_root, window=window)).manifest
    assert (at_eight["window_start"], at_eight["window_end"]) == ("2026-11-20", "2026-11-22")
    with pytest.raises(DayNotOver, match="no day of the window is complete"):
        run(landing_root, window=Window(D("2026-11-22"), D("2026-11-23")))


def test_an_advertiser_the_authorization_does_not_cover_fails_naming_it(
    connections: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, authorization: dict[str, Any]
) -> None:
    extra = {"advertiser_id": "1234567890", "refresh_token": authorization["refresh_token"]}
    set_connections(monkeypatch, connections, extra={SOURCE: extra}, password={SOURCE: authorization["access_token"]})
    assert list_accounts(SOURCE) == ["1234567890"]
    with pytest.raises(ApiError) as info:
        extract_partition(SOURCE, REPORT, "1234567890", WINDOW, "r", landing_root, retry=FAST_RETRY,
                          complete_as_of=NOW)  # fmt: skip
    message = str(info.value)
    assert message.startswith(partition(account="1234567890"))
    assert "code 40002" in message and "must be among the ones the authorizing account approved" in message
    assert info.value.retryable is False


def test_a_wrong_token_is_refused_by_the_gateway_and_never_appears_in_the_error(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, token_dir: Path
) -> None:
    set_connections(monkeypatch, sb, password={SOURCE: "xhs.wrong-token-123"})
    with pytest.raises(AuthError, match="code 401") as info:
        run(landing_root)
    assert "xhs.wrong-token-123" not in str(info.value) and "does not know the access token" in str(info.value)
    assert len(sb.requests(SOURCE)) == 1


@pytest.mark.parametrize(
    ("extra", "stream", "expected"),
    [
        ({"secret": ""}, REPORT, "has no extra.secret"),
        ({"refresh_token": ""}, NOTES, "has no extra.refresh_token"),
        ({"pgy_refresh_token": ""}, COLLABORATIONS, "has no extra.pgy_refresh_token"),
        ({"brand_user_id": ""}, COLLABORATIONS, "has no extra.brand_user_id"),
        ({"page_size": 1001}, REPORT, "extra.page_size must be 1..1000"),
        ({"post_max_age_days": 91}, NOTES, "extra.post_max_age_days must be 1..90"),
        ({"advertiser_id": "adv-1"}, REPORT, "advertiser id 'adv-1' in extra.advertiser_id is not a number"),
    ],
)
def test_a_connection_that_cannot_work_fails_before_any_request(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, extra: dict, stream: str, expected: str
) -> None:
    set_connections(monkeypatch, sb, extra={SOURCE: extra})
    account = extra.get("advertiser_id", ADVERTISER)
    with pytest.raises(ConfigurationError, match=expected):
        extract_partition(SOURCE, stream, account, WINDOW, "r", landing_root, retry=FAST_RETRY, complete_as_of=NOW)
    assert sb.requests(SOURCE) == []


def test_the_account_comes_from_the_connection_as_its_one_advertiser(connections: Any) -> None:
    assert list_accounts(SOURCE) == [ADVERTISER]
