"""WeChat's three streams over real HTTP against the sandbox, checked against the world's ground truth: windows
split to each endpoint's span, a token that expires mid-run refreshed once, credentials errors naming the account."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from extractors.errors import ApiError, AuthError, ConfigurationError, TokenRefreshFailed
from extractors.run import extract_partition, list_accounts
from extractors.streams import Window
from sandbox.wechat_oa import truth
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.wechat_oa.helpers import APPID, ARTICLES, CUMULATE, SOURCE, SUMMARY

WINDOW = Window(date(2026, 10, 24), date(2026, 11, 23))  # 30 days, the last one (the 22nd) complete at AS_OF
PARTITION = f"wechat_oa/article_daily_totals account={APPID} window=[2026-10-24, 2026-11-23)"


def run(root: Path, stream: str = ARTICLES, window: Window = WINDOW, **kwargs: Any) -> Path:
    return extract_partition(SOURCE, stream, APPID, window, "test-run", root, retry=FAST_RETRY, **kwargs)


def bodies(sb: Any) -> list[dict[str, str]]:
    """The JSON bodies are not logged; the spans asked for are read back from the landing instead."""
    return [entry for entry in sb.data_requests(SOURCE)]


def test_articles_land_one_record_per_article_and_day_equal_to_the_truth(
    connections: Any, wechat: Any, landing_root: Path
) -> None:
    landed = read_landed(run(landing_root))
    expected = truth.article_detail_rows(wechat, APPID, WINDOW.start, WINDOW.last_day, connections.as_of)
    got = {(record["msgid"], record["detail"]["stat_date"]): record["detail"] for record in landed.records}
    assert got == {(msgid, day.isoformat()): detail for (msgid, day), detail in expected.items()}
    assert len(landed.records) == len(expected) > 300
    first = landed.records[0]
    assert set(first) == {"ref_date", "msgid", "title", "publish_type", "publish_time", "topic_tags", "detail"}
    # One call per mass-message day (getarticletotaldetail takes one day), the token in the query, never logged.
    assert len(connections.data_requests(SOURCE)) == WINDOW.days
    assert all("/datacube/getarticletotaldetail?access_token=" in target for _, target, _ in bodies(connections))


@pytest.mark.parametrize(("stream", "calls"), [(SUMMARY, 5), (CUMULATE, 5)])
def test_user_streams_are_read_in_seven_day_calls_and_equal_the_truth(
    connections: Any, wechat: Any, landing_root: Path, stream: str, calls: int
) -> None:
    landed = read_landed(run(landing_root, stream))
    assert len(connections.data_requests(SOURCE)) == calls  # 30 days: 7 + 7 + 7 + 7 + 2
    followers = truth.followers_by_day(wechat, APPID, WINDOW.start, WINDOW.last_day)
    if stream == CUMULATE:
        assert {r["ref_date"]: r["cumulate_user"] for r in landed.records} == {
            day.isoformat(): end for day, (end, _, _) in followers.items()
        }
    else:
        by_day: dict[str, tuple[int, int]] = {}
        for r in landed.records:
            new, cancel = by_day.get(r["ref_date"], (0, 0))
            by_day[r["ref_date"]] = (new + r["new_user"], cancel + r["cancel_user"])
        assert by_day == {day.isoformat(): (follows, unfollows) for day, (_, follows, unfollows) in followers.items()}


def test_a_token_that_expires_mid_run_is_fetched_again_once_and_the_run_succeeds(
    connections: Any, server: Any, landing_root: Path
) -> None:
    calls_before = server.token_calls
    server.expire_tokens_after = 10  # the 10th datacube call finds the token expired
    landed = read_landed(run(landing_root))
    statuses = [status for _, _, status in connections.data_requests(SOURCE)]
    assert statuses == [200] * (WINDOW.days + 1)  # the refused call (errcode 42001, HTTP 200) and its repeat
    assert server.token_calls - calls_before == 2  # the first token and the one fetched after 42001
    assert len({record["msgid"] for record in landed.records}) > 20


def test_a_wrong_app_secret_fails_fast_naming_the_account_and_what_to_do(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(monkeypatch, sb, extra={SOURCE: {"app_secrets": {APPID: "a-reset-secret"}}})
    with pytest.raises((AuthError, TokenRefreshFailed)) as failed:
        run(landing_root)
    message = str(failed.value)
    assert message.startswith(PARTITION)
    assert "40125" in message and "extra.app_secrets" in message and "a-reset-secret" not in message
    assert failed.value.retryable is False
    assert sb.data_requests(SOURCE) == [] and list(landing_root.iterdir()) == []


def test_an_appid_without_a_secret_is_a_configuration_error_before_any_call(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(monkeypatch, sb, extra={SOURCE: {"app_secrets": {}}})
    with pytest.raises(ConfigurationError, match=f"no extra.app_secrets entry for appid {APPID}"):
        run(landing_root)
    assert sb.requests(SOURCE) == []


def test_a_used_up_daily_quota_fails_fast_saying_when_to_rerun(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "daily_quota")
    with pytest.raises(ApiError) as failed:
        run(landing_root, CUMULATE)
    assert "45009" in str(failed.value) and "rerun after midnight Beijing time" in str(failed.value)
    assert failed.value.retryable is False
    assert len(connections.data_requests(SOURCE)) == 1


@pytest.mark.parametrize("fault", ["rate_limit", "system_busy", "server_error"])
def test_transient_answers_are_retried_and_the_landing_is_whole(
    connections: Any, wechat: Any, landing_root: Path, fault: str
) -> None:
    connections.inject(SOURCE, fault, times=2)
    landed = read_landed(run(landing_root, CUMULATE))
    assert len(landed.records) == WINDOW.days
    assert len(connections.data_requests(SOURCE)) == 5 + 2


def test_a_window_not_over_in_beijing_is_cut_to_the_days_out_by_eight(connections: Any, landing_root: Path) -> None:
    early = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # 07:30 Beijing on the 23rd: the 22nd is not out yet
    connections.set_as_of(early)
    window = Window(date(2026, 11, 20), date(2026, 11, 24))
    manifest = json.loads(run(landing_root, CUMULATE, window, complete_as_of=early).read_text())
    assert (manifest["window_start"], manifest["window_end"]) == ("2026-11-20", "2026-11-22")
    on_time = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    connections.set_as_of(on_time)
    manifest = json.loads(run(landing_root, CUMULATE, window, complete_as_of=on_time).read_text())
    assert (manifest["window_start"], manifest["window_end"]) == ("2026-11-20", "2026-11-23")


def test_the_connection_lists_the_accounts_by_appid(connections: Any) -> None:
    assert list_accounts(SOURCE) == [APPID]


def test_a_day_past_the_thirty_after_publish_is_not_served(connections: Any, wechat: Any, landing_root: Path) -> None:
    old = Window(date(2026, 9, 1), date(2026, 9, 2))
    landed = read_landed(run(landing_root, ARTICLES, old))
    stat_dates = {record["detail"]["stat_date"] for record in landed.records}
    assert max(stat_dates) == (date(2026, 9, 1) + timedelta(days=29)).isoformat()
