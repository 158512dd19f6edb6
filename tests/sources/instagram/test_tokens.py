"""Renewing Instagram's long-lived token: ahead of its end when the connection says when that is, through the shared
token store, and failing clearly when Instagram refuses (an expired token cannot be renewed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from extractors.errors import AuthError, ConfigurationError, TokenRefreshFailed
from extractors.run import extract_partition
from extractors.streams import Window
from sandbox.instagram.server import issue_token, token_valid
from tests.helpers import AS_OF, FAST_RETRY, read_landed, set_connections
from tests.sources.instagram.helpers import ACCOUNT, IG_USER, SOURCE

WINDOW = Window(AS_OF - timedelta(days=3), AS_OF)
NOW = datetime(2026, 11, 23, tzinfo=UTC)  # the sandbox's clock


@pytest.fixture
def token_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tokens"
    monkeypatch.setenv("MW_TOKEN_DIR", str(folder))
    return folder


def connect(sb: Any, monkeypatch: pytest.MonkeyPatch, token: str, ends_in: timedelta | None) -> None:
    extra = {} if ends_in is None else {"token_expires_at": (datetime.now(UTC) + ends_in).isoformat()}
    set_connections(monkeypatch, sb, extra={SOURCE: extra}, password={SOURCE: token})


def run(landing_root: Path) -> Path:
    return extract_partition(SOURCE, ACCOUNT, IG_USER, WINDOW, "tokens", landing_root, retry=FAST_RETRY)


def renewals(sb: Any) -> list[tuple[str, str, int]]:
    return [entry for entry in sb.requests(SOURCE) if entry[1].startswith("/refresh_access_token")]


def test_a_token_near_its_end_is_renewed_once_and_every_later_run_uses_the_renewed_one(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, token_dir: Path
) -> None:
    token = issue_token(NOW + timedelta(days=3))
    connect(sb, monkeypatch, token, timedelta(days=3))
    read_landed(run(landing_root))
    (renewal,) = renewals(sb)
    assert (
        renewal[1].startswith("/refresh_access_token?grant_type=ig_refresh_token&access_token=") and renewal[2] == 200
    )
    (stored_file,) = token_dir.glob("instagram_graph.*.json")
    stored = json.loads(stored_file.read_text())
    assert stored["access_token"] != token and token_valid(stored["access_token"], NOW + timedelta(days=59))
    assert stored["expires_at"] == pytest.approx((datetime.now(UTC) + timedelta(days=60)).timestamp(), abs=60)
    sb.reset_requests(SOURCE)
    read_landed(run(landing_root))  # a new task: the store's token, far from its end, is used as it is
    assert renewals(sb) == [] and len(sb.requests(SOURCE)) == 1


def test_a_token_far_from_its_end_or_of_unknown_end_is_not_renewed(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, token_dir: Path
) -> None:
    for ends_in in (timedelta(days=40), None):
        connect(sb, monkeypatch, issue_token(NOW + timedelta(days=40)), ends_in)
        read_landed(run(landing_root))
        assert renewals(sb) == []


def test_an_expired_token_cannot_be_renewed_and_the_failure_says_to_reauthorize(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, token_dir: Path
) -> None:
    token = issue_token(NOW - timedelta(hours=1))
    connect(sb, monkeypatch, token, timedelta(hours=-1))
    with pytest.raises(TokenRefreshFailed) as info:
        run(landing_root)
    message = str(info.value)
    assert "Instagram refused to renew the long-lived token" in message and "Graph error code 190" in message
    assert "re-authorize" in message and token not in message and info.value.retryable is False
    assert [status for _, _, status in renewals(sb)] == [400] and len(sb.requests(SOURCE)) == 1


def test_a_renewed_token_past_its_end_is_refused_as_expired(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, token_dir: Path
) -> None:
    token = issue_token(NOW + timedelta(days=20))
    connect(sb, monkeypatch, token, None)
    sb.set_as_of(NOW + timedelta(days=21))
    with pytest.raises(AuthError, match="Graph error code 190 subcode 463") as info:
        run(landing_root)
    assert "Session has expired" in str(info.value) and token not in str(info.value)


def test_an_unreadable_end_date_fails_before_any_request(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    for value, words in (("next week", "not an ISO-8601 time"), ("2027-01-20T00:00:00", "needs its offset")):
        set_connections(monkeypatch, sb, extra={SOURCE: {"token_expires_at": value}})
        with pytest.raises(ConfigurationError, match=words):
            run(landing_root)
    assert sb.requests(SOURCE) == []
