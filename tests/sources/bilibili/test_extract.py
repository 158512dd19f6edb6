"""Bilibili's snapshots over real HTTP against the sandbox, checked against the world's ground truth: every young
video's figures, paging down to the age cut-off, the snapshot day, signed requests, token refresh through the
shared store, and errors that name the account."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from extractors.bilibili.client import SCOPE_ADVICE, SIGNATURE_ADVICE
from extractors.errors import AuthError, ConfigurationError, RateLimitExhausted, TokenRefreshFailed
from extractors.run import extract_partition, list_accounts
from extractors.streams import Window
from sandbox.bilibili import truth
from sandbox.bilibili.server import DRIFT_ITEM, DRIFT_STAT
from sandbox.bilibili.world import snapshot_end
from tests.helpers import AS_OF, FAST_RETRY, read_landed, set_connections
from tests.sources.bilibili.api import authorize, refresh
from tests.sources.bilibili.helpers import (
    ACCOUNT,
    ARCHIVES,
    PAGE_SIZE,
    SNAPSHOT_DAY,
    SOURCE,
    USER_STAT,
    archive_truth,
    pages_read,
)

WINDOW = Window(SNAPSHOT_DAY, SNAPSHOT_DAY + timedelta(days=1))
PARTITION = f"bilibili/archive_snapshots account={ACCOUNT} window=[2026-11-22, 2026-11-23)"


def run(landing_root: Path, stream: str = ARCHIVES, window: Window = WINDOW, **kwargs: Any) -> Path:
    return extract_partition(SOURCE, stream, ACCOUNT, window, "test-run", landing_root, retry=FAST_RETRY, **kwargs)


def paths(sb: Any) -> list[str]:
    return [urlsplit(target).path for _, target, _ in sb.data_requests(SOURCE)]


def list_pages(sb: Any) -> list[str]:
    return [
        dict(parse_qsl(urlsplit(target).query))["pn"]
        for _, target, _ in sb.data_requests(SOURCE)
        if target.startswith("/arcopen/fn/archive/viewlist")
    ]


@pytest.fixture
def authorized(sb: Any, monkeypatch: pytest.MonkeyPatch, var_dir: Path) -> dict[str, Any]:
    """Connections carrying an authorization of this test's own, so refreshing it rotates no other test's pair."""
    pair = authorize(sb.url(SOURCE))["data"]
    set_connections(
        monkeypatch,
        sb,
        extra={SOURCE: {"page_size": PAGE_SIZE, "refresh_token": pair["refresh_token"]}},
        password={SOURCE: pair["access_token"]},
    )
    return dict(pair)


def test_every_young_video_lands_once_with_the_worlds_figures(connections: Any, landing_root: Path) -> None:
    truth_records = archive_truth(connections)
    assert len(truth_records) > 2 * PAGE_SIZE
    pages = pages_read(connections)

    landed = read_landed(run(landing_root))

    assert landed.records == truth_records  # field for field, list item and stat as the API returned them
    assert landed.manifest["row_count"] == len(truth_records)
    assert landed.manifest["account_settings"] == {"timezone": "Asia/Shanghai", "currency": None}
    # Pages newest first, stopping at the first page that reaches past the 30 days; one data call per video.
    assert list_pages(connections) == [str(page) for page in range(1, pages + 1)]
    assert paths(connections).count("/arcopen/fn/data/arc/stat") == len(truth_records)
    assert [urlsplit(t).path for _, t, _ in connections.requests(SOURCE)][0] == "/arcopen/fn/user/account/info"
    # The token travels in a header, never in a URL that could end up in a log.
    token = connections.server(SOURCE).connection()["password"]
    assert not any(token in target for _, target, _ in connections.requests(SOURCE))


def test_the_snapshot_is_for_the_windows_last_day_and_its_age_limit(
    connections: Any, landing_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = Window(date(2026, 11, 1), date(2026, 11, 8))  # a multi-day window is one snapshot, of its last day
    landed = read_landed(run(landing_root, window=window))
    assert landed.records == archive_truth(connections, date(2026, 11, 7))
    assert max(r["ptime"] for r in landed.records) < snapshot_end(date(2026, 11, 7)).timestamp()

    set_connections(monkeypatch, connections, extra={SOURCE: {"page_size": PAGE_SIZE, "post_max_age_days": 7}})
    week = read_landed(run(landing_root, window=window)).records
    assert week == archive_truth(connections, date(2026, 11, 7), max_age=7) and 0 < len(week) < len(landed.records)


def test_the_account_totals_are_the_worlds_now(connections: Any, landing_root: Path, bilibili: Any) -> None:
    landed = read_landed(run(landing_root, USER_STAT))
    assert landed.records == [truth.user_stat(bilibili, ACCOUNT, AS_OF)]
    assert landed.records[0]["follower"] > 50_000
    assert paths(connections) == ["/arcopen/fn/data/user/stat"]
    assert list_accounts(SOURCE) == [ACCOUNT]


def test_an_expired_token_is_refreshed_once_through_the_store_and_the_used_refresh_token_dies(
    authorized: dict[str, Any], sb: Any, landing_root: Path
) -> None:
    server = sb.server(SOURCE)
    server.tokens.expire_access_tokens([authorized["access_token"]])
    before = server.tokens.refresh_calls

    landed = read_landed(run(landing_root))

    assert landed.records == archive_truth(sb)
    assert server.tokens.refresh_calls == before + 1
    assert not server.tokens.refresh_token_alive(authorized["refresh_token"])
    # The next extraction starts from the rotated pair in the store: no refresh, no dead refresh token.
    run(landing_root, USER_STAT)
    assert server.tokens.refresh_calls == before + 1


def test_a_token_expired_answer_mid_run_refreshes_and_carries_on(
    authorized: dict[str, Any], sb: Any, landing_root: Path
) -> None:
    sb.inject(SOURCE, "token_expired")
    landed = read_landed(run(landing_root))
    assert landed.records == archive_truth(sb)
    assert [status for _, _, status in sb.requests(SOURCE)].count(200) == len(sb.requests(SOURCE))
    assert any(target.startswith("/x/account-oauth2/v1/refresh_token") for _, target, _ in sb.requests(SOURCE))


def test_a_dead_refresh_token_fails_at_once_saying_to_re_authorize(
    authorized: dict[str, Any], sb: Any, landing_root: Path
) -> None:
    server = sb.server(SOURCE)
    server.tokens.expire_access_tokens([authorized["access_token"]])
    # The refresh token is used elsewhere (another copy of the pipeline, a person testing): it is dead now.
    assert refresh(sb, authorized["refresh_token"])["code"] == 0
    with pytest.raises(TokenRefreshFailed) as failed:
        run(landing_root)
    message = str(failed.value)
    assert message.startswith(PARTITION) and "code 122007" in message
    assert failed.value.retryable is False
    assert list(landing_root.iterdir()) == []


def test_a_token_of_another_account_is_refused_naming_both(
    connections: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(monkeypatch, connections, extra={SOURCE: {"openid": "0" * 32}})
    with pytest.raises(ConfigurationError) as failed:
        extract_partition(SOURCE, ARCHIVES, "0" * 32, WINDOW, "r", landing_root, retry=FAST_RETRY)
    assert f"authorized by openid {ACCOUNT}, not by account {'0' * 32}" in str(failed.value)
    assert paths(connections) == []


def test_a_wrong_app_secret_fails_fast_naming_the_signature(
    connections: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(monkeypatch, connections, extra={SOURCE: {"app_secret": "not-the-app-secret"}})
    with pytest.raises(AuthError) as failed:
        run(landing_root)
    message = str(failed.value)
    assert message.startswith(f"bilibili/archive_snapshots account={ACCOUNT}") and "code 127012" in message
    assert SIGNATURE_ADVICE in message and "not-the-app-secret" not in message
    assert len(connections.requests(SOURCE)) == 1  # the settings read: refused, not retried


def test_throttling_and_busy_answers_are_retried_until_they_stop(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "rate_limit", times=2)
    connections.inject(SOURCE, "system_busy", times=1)
    assert read_landed(run(landing_root)).records == archive_truth(connections)
    codes = [status for _, _, status in connections.data_requests(SOURCE)]
    assert codes == [200] * len(codes) and len(codes) == pages_read(connections) + len(archive_truth(connections)) + 3

    connections.clear_faults()
    connections.inject(SOURCE, "rate_limit", times=FAST_RETRY.max_attempts)
    with pytest.raises(RateLimitExhausted) as failed:
        run(landing_root)
    assert str(failed.value).startswith(PARTITION) and "127009" in str(failed.value)


def test_a_scope_the_user_did_not_grant_fails_fast_saying_to_re_authorize(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "no_scope")
    with pytest.raises(AuthError) as failed:
        run(landing_root, USER_STAT)
    assert "code 127011" in str(failed.value) and SCOPE_ADVICE in str(failed.value)
    assert len(connections.data_requests(SOURCE)) == 1


def test_fields_a_newer_version_adds_are_kept(connections: Any, landing_root: Path) -> None:
    pages = pages_read(connections)
    connections.inject(SOURCE, "schema_drift", times=pages + 1)  # every list page, then the first video's data
    records = read_landed(run(landing_root)).records
    truth_records = archive_truth(connections)
    assert records[0] == {**truth_records[0], **DRIFT_ITEM, "stat": {**truth_records[0]["stat"], **DRIFT_STAT}}
    assert records[1:] == [{**record, **DRIFT_ITEM} for record in truth_records[1:]]
