"""Ocean Engine's rotating tokens through the source, over real HTTP: an expired access token is refreshed once,
the rotated pair is kept in the shared store for the next run (the used refresh token is dead on the server),
concurrent advertiser tasks refresh once, and a dead authorization fails clearly, at once, without its secrets."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from extractors.errors import AuthError, TokenRefreshFailed
from extractors.ocean_engine.client import token_store_key
from extractors.run import extract_partition
from extractors.streams import Window
from extractors.token_store import FileTokenStore, TokenSet
from sandbox.ocean_engine.server import APP_SECRET, REFRESH_PATH
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.ocean_engine.api import authorize, refresh
from tests.sources.ocean_engine.helpers import ADVERTISERS, PAGE_SIZE, SOURCE, STREAM, ocean_truth

WINDOW = Window(datetime(2026, 11, 1).date(), datetime(2026, 11, 8).date())
START = datetime(2026, 11, 23, tzinfo=UTC)  # the session's now: every test's authorization is issued then
NEXT_DAY = START + timedelta(hours=25)  # its access token has expired, its refresh token not


def run(landing_root: Path, account: str = ADVERTISERS[0], run_id: str = "run-1") -> Path:
    return extract_partition(SOURCE, STREAM, account, WINDOW, run_id, landing_root, retry=FAST_RETRY)


def token_calls(sb: Any) -> int:
    return sum(1 for _, target, _ in sb.requests(SOURCE) if target.startswith(REFRESH_PATH))


def stored(token_dir: Path, authorization: dict[str, Any]) -> TokenSet | None:
    return FileTokenStore(token_dir).load(token_store_key(SOURCE, authorization["refresh_token"]))


def test_an_expired_access_token_is_refreshed_once_and_the_next_run_uses_the_rotated_pair(
    connections: Any, authorization: dict[str, Any], token_dir: Path, landing_root: Path
) -> None:
    read_landed(run(landing_root))  # the connection's access token is still good: no refresh, nothing stored
    assert token_calls(connections) == 0 and stored(token_dir, authorization) is None

    connections.set_as_of(NEXT_DAY)
    landed = read_landed(run(landing_root, run_id="run-2"))
    assert landed.records == ocean_truth(connections, ADVERTISERS[0], WINDOW, NEXT_DAY)
    assert token_calls(connections) == 1
    first = stored(token_dir, authorization)
    assert first is not None and first.refresh_token and first.access_token
    assert first.refresh_token != authorization["refresh_token"]
    assert first.access_token != authorization["access_token"]
    assert (
        token_dir / f"{token_store_key(SOURCE, authorization['refresh_token'])}.json"
    ).stat().st_mode & 0o777 == 0o600
    # The server took the connection's refresh token in exchange: it is dead now.
    assert refresh(connections.url(SOURCE), authorization["refresh_token"])["code"] == 40107

    # A new run a day later (fresh clients, the connection unchanged and holding the dead pair): the stored
    # refresh token is the one that works, and its successor replaces it in the store.
    connections.set_as_of(NEXT_DAY + timedelta(hours=25))
    connections.reset_requests(SOURCE)
    read_landed(run(landing_root, run_id="run-3"))
    assert token_calls(connections) == 1
    second = stored(token_dir, authorization)
    assert second is not None and second.refresh_token not in (first.refresh_token, authorization["refresh_token"])
    assert refresh(connections.url(SOURCE), first.refresh_token)["code"] == 40107


def test_two_advertiser_tasks_finding_the_token_expired_at_once_refresh_once(
    connections: Any, authorization: dict[str, Any], token_dir: Path, landing_root: Path
) -> None:
    connections.set_as_of(NEXT_DAY)
    start = threading.Barrier(2, timeout=30)
    results: dict[str, Any] = {}

    def task(account: str) -> None:
        try:
            start.wait()
            results[account] = read_landed(run(landing_root / account, account=account)).records
        except Exception as exc:  # asserted below: a thread's traceback is easy to miss
            results[account] = exc

    threads = [threading.Thread(target=task, args=(account,)) for account in ADVERTISERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    for account in ADVERTISERS:
        assert results[account] == ocean_truth(connections, account, WINDOW, NEXT_DAY), account
    # Both tasks were refused with the expired token (the token call takes 0.2 s, well after both asked), yet
    # the second found the first's new pair in the store once it held the lock: one token call.
    targets = [target for _, target, _ in connections.requests(SOURCE)]
    assert [t.split("?")[0] for t in targets[:3]] == ["/open_api/2/advertiser/info/"] * 2 + [REFRESH_PATH]
    assert token_calls(connections) == 1
    pair = stored(token_dir, authorization)
    assert pair is not None and pair.refresh_token
    assert refresh(connections.url(SOURCE), pair.refresh_token)["code"] == 0  # the stored pair is the live one


def test_a_refresh_token_past_its_30_days_fails_at_once_saying_to_re_authorize(
    connections: Any, landing_root: Path
) -> None:
    connections.set_as_of(START + timedelta(days=31))
    with pytest.raises(TokenRefreshFailed) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(f"{SOURCE}/{STREAM} account={ADVERTISERS[0]} window=[2026-11-01, 2026-11-08): ")
    assert "code 40103" in message and "The refresh token has expired" in message
    assert "re-authorize the app and store a new refresh token for connection 'ocean_engine'" in message
    assert info.value.retryable is False
    assert token_calls(connections) == 1  # not retried
    assert list(landing_root.iterdir()) == []


def test_a_refresh_token_already_used_elsewhere_fails_at_once_without_secrets(
    connections: Any, authorization: dict[str, Any], landing_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    refresh(connections.url(SOURCE), authorization["refresh_token"])  # another tool spent it
    connections.set_as_of(NEXT_DAY)
    connections.reset_requests(SOURCE)
    with caplog.at_level(logging.DEBUG, logger="extractors"), pytest.raises(TokenRefreshFailed) as info:
        run(landing_root)
    message = str(info.value)
    assert "code 40107" in message and "re-authorize the app" in message
    for secret in (authorization["refresh_token"], authorization["access_token"], APP_SECRET):
        assert secret not in message and secret not in caplog.text
    assert token_calls(connections) == 1


def test_a_wrong_access_token_fails_fast_and_never_appears_in_the_error(
    sb: Any, authorization: dict[str, Any], token_dir: Path, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(
        monkeypatch,
        sb,
        extra={SOURCE: {"refresh_token": authorization["refresh_token"]}},
        password={SOURCE: "oe-at-wrong-token-123"},
    )
    with pytest.raises(AuthError) as info:
        run(landing_root)
    assert not isinstance(info.value, TokenRefreshFailed)
    assert "code 40105" in str(info.value) and "oe-at-wrong-token-123" not in str(info.value)
    assert len(sb.requests(SOURCE)) == 1  # the advertiser info read, refused: nothing more is tried


def test_a_connection_without_an_access_token_gets_one_with_its_refresh_token(
    sb: Any, authorization: dict[str, Any], token_dir: Path, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(
        monkeypatch,
        sb,
        extra={SOURCE: {"refresh_token": authorization["refresh_token"], "page_size": PAGE_SIZE}},
        password={SOURCE: ""},
    )
    landed = read_landed(run(landing_root))
    assert landed.records == ocean_truth(sb, ADVERTISERS[0], WINDOW)
    assert token_calls(sb) == 1 and [target for _, target, _ in sb.requests(SOURCE)][0] == REFRESH_PATH


def test_a_new_authorization_in_the_connection_replaces_a_dead_pair_without_touching_the_store(
    sb: Any, authorization: dict[str, Any], token_dir: Path, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    def connect(pair: dict[str, Any]) -> None:
        set_connections(
            monkeypatch,
            sb,
            extra={SOURCE: {"refresh_token": pair["refresh_token"]}},
            password={SOURCE: pair["access_token"]},
        )

    connect(authorization)
    sb.set_as_of(NEXT_DAY)
    run(landing_root)  # refreshed: the store holds the rotated pair
    rotated = stored(token_dir, authorization)
    assert rotated is not None and rotated.refresh_token
    refresh(sb.url(SOURCE), rotated.refresh_token)  # spent elsewhere: the stored pair is dead from now on
    sb.set_as_of(NEXT_DAY + timedelta(hours=25))
    with pytest.raises(TokenRefreshFailed, match="code 40107"):
        run(landing_root, run_id="run-2")

    renewed = authorize(sb.url(SOURCE))  # a human re-authorizes and puts the new pair in the connection
    connect(renewed)
    read_landed(run(landing_root, run_id="run-3"))
    assert stored(token_dir, authorization) == rotated  # the old entry was left as it was
