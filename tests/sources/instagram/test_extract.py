"""Instagram's three streams over real HTTP against the sandbox, checked against the world's ground truth."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from extractors.errors import AuthError, ConfigurationError, DayNotOver, MalformedResponse, RateLimitExhausted
from extractors.run import extract_partition, list_accounts
from extractors.streams import Window
from sandbox.formats import as_utc
from sandbox.instagram import truth
from sandbox.instagram.server import ACCESS_TOKEN, DRIFT_FIELDS
from sandbox.instagram.world import InstagramWorld, local_midnight
from tests.helpers import AS_OF, FAST_RETRY, read_landed, set_connections
from tests.sources.instagram.helpers import (
    ACCOUNT,
    EXTRACTOR_FIELDS,
    EXTRACTOR_METRICS,
    FOLLOWERS,
    IG_USER,
    MEDIA,
    PAGE_SIZE,
    SOURCE,
)

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 8))  # the snapshot of 2026-11-07
SNAPSHOT_DAY = WINDOW.last_day
PARTITION = f"instagram/media_insights account={IG_USER} window=[2026-11-01, 2026-11-08)"


def run(landing_root: Path, stream: str = MEDIA, window: Window = WINDOW, **kwargs: Any) -> Path:
    return extract_partition(SOURCE, stream, IG_USER, window, "test-run", landing_root, retry=FAST_RETRY, **kwargs)


def requests_made(sb: Any) -> list[tuple[str, dict[str, str], int]]:
    return [(urlsplit(t).path, dict(parse_qsl(urlsplit(t).query)), s) for _, t, s in sb.data_requests(SOURCE)]


def without_trace(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records with the fbtrace_id of a landed Graph error taken out (a fresh one on every answer)."""
    found = []
    for record in records:
        if isinstance(record.get("insights_error"), dict):
            record = {
                **record,
                "insights_error": {k: v for k, v in record["insights_error"].items() if k != "fbtrace_id"},
            }
        found.append(record)
    return found


def media_pages(ig: InstagramWorld, snapshot_day: date, max_age_days: int = 30) -> int:
    """How many media pages the extractor reads: up to the one reaching media older than the posts it keeps."""
    since = local_midnight(snapshot_day + timedelta(days=1)) - timedelta(days=max_age_days)
    posts = ig.media(IG_USER, as_utc(AS_OF))
    first_older = next(i for i, post in enumerate(posts) if post.published_at < since)
    return first_older // PAGE_SIZE + 1


def test_every_young_post_lands_once_with_its_lifetime_insights(
    connections: Any, ig: InstagramWorld, landing_root: Path
) -> None:
    expected = truth.snapshot_records(ig, IG_USER, SNAPSHOT_DAY, AS_OF)
    assert len(expected) > 3 * PAGE_SIZE

    landed = read_landed(run(landing_root))

    assert landed.records == expected  # field for field, newest first
    assert len({r["id"] for r in landed.records}) == len(landed.records)
    published = [datetime.strptime(r["timestamp"], "%Y-%m-%dT%H:%M:%S%z") for r in landed.records]
    ends = datetime(2026, 11, 8, 8, tzinfo=UTC)  # midnight starting 2026-11-08 in Los Angeles
    assert max(published) < ends and min(published) >= ends - timedelta(days=30)
    made = requests_made(connections)
    pages = [r for r in made if r[0].endswith("/media")]
    assert len(pages) == media_pages(ig, SNAPSHOT_DAY)  # stops at the first page reaching older media
    assert [r[0] for r in made if r[0].endswith("/insights")] == [f"/v27.0/{r['id']}/insights" for r in expected]
    assert all(status == 200 for _, _, status in made)
    assert landed.manifest["account_settings"] is None  # Instagram's days are Pacific, no settings read
    assert not any(ACCESS_TOKEN in target for _, target, _ in connections.requests(SOURCE))  # a Bearer header


def test_the_requests_ask_for_the_declared_fields_and_no_retired_metric(connections: Any, landing_root: Path) -> None:
    run(landing_root)
    made = requests_made(connections)
    first_page, first_insights = made[0][1], next(q for p, q, _ in made if p.endswith("/insights"))
    assert first_page == {"fields": EXTRACTOR_FIELDS, "limit": str(PAGE_SIZE)}
    assert first_insights == {"metric": EXTRACTOR_METRICS, "period": "lifetime"}
    assert not {"impressions", "plays", "video_views"} & set(first_insights["metric"].split(","))


def test_max_post_age_days_comes_from_the_connection(
    sb: Any, monkeypatch: pytest.MonkeyPatch, ig: InstagramWorld, landing_root: Path
) -> None:
    set_connections(monkeypatch, sb, extra={SOURCE: {"max_post_age_days": 7}})
    landed = read_landed(run(landing_root))
    assert landed.records == truth.snapshot_records(ig, IG_USER, SNAPSHOT_DAY, AS_OF, max_age_days=7)
    assert 0 < len(landed.records) < len(truth.snapshot_records(ig, IG_USER, SNAPSHOT_DAY, AS_OF))


def test_a_media_with_too_few_viewers_lands_without_insights_and_says_why(
    connections: Any, ig: InstagramWorld, landing_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    newest = ig.media(IG_USER, as_utc(AS_OF))[0]
    moment = newest.published_at + timedelta(minutes=10)
    connections.set_as_of(moment)
    day = newest.local_published_at.date()
    window = Window(day, day + timedelta(days=1))
    with caplog.at_level(logging.INFO, logger="extractors"):
        landed = read_landed(run(landing_root, window=window, complete_as_of=local_midnight(day + timedelta(days=2))))
    assert without_trace(landed.records) == truth.snapshot_records(ig, IG_USER, day, moment)
    first = landed.records[0]
    assert first["id"] == newest.id and first["insights"] is None
    assert first["insights_error"]["code"] == 10 and first["insights_error"]["fbtrace_id"]
    assert all(r["insights"] for r in landed.records[1:])
    assert f"media {newest.id} has no insights: (#10) Not enough viewers" in caplog.text


def test_follower_count_is_read_in_29_day_requests_and_lands_one_record_per_day(
    connections: Any, ig: InstagramWorld, landing_root: Path
) -> None:
    window = Window(date(2026, 10, 1), date(2026, 11, 15))  # 45 days, across the end of daylight saving time
    landed = read_landed(run(landing_root, FOLLOWERS, window))
    queries = [q for _, q, _ in requests_made(connections)]
    assert [(int(q["since"]), int(q["until"])) for q in queries] == [
        (int(local_midnight(date(2026, 10, 1)).timestamp()), int(local_midnight(date(2026, 10, 30)).timestamp())),
        (int(local_midnight(date(2026, 10, 30)).timestamp()), int(local_midnight(date(2026, 11, 15)).timestamp())),
    ]
    assert all(q["metric"] == "follower_count" and q["period"] == "day" for q in queries)
    expected = truth.new_followers_by_day(ig, IG_USER, window.start, window.last_day, AS_OF)
    assert {r["day"]: r["value"] for r in landed.records} == {d.isoformat(): v for d, v in expected.items()}
    assert len(landed.records) == 45
    assert landed.records[30] == {
        "name": "follower_count", "period": "day", "value": expected[date(2026, 10, 31)],
        "end_time": "2026-11-01T07:00:00+0000", "day": "2026-10-31",
    }  # fmt: skip
    assert landed.records[31]["end_time"] == "2026-11-02T08:00:00+0000" and landed.records[31]["day"] == "2026-11-01"


def test_a_day_graph_has_no_value_for_yet_has_no_record(
    connections: Any, ig: InstagramWorld, landing_root: Path
) -> None:
    # 10:00 UTC on the 23rd: the 22nd ended two hours ago in Los Angeles, its value is out only at 14:00 UTC.
    connections.set_as_of(datetime(2026, 11, 23, 10, tzinfo=UTC))
    window = Window(date(2026, 11, 20), date(2026, 11, 23))
    landed = read_landed(run(landing_root, FOLLOWERS, window))
    assert [r["day"] for r in landed.records] == ["2026-11-20", "2026-11-21"]  # the 22nd: absent, never 0


def test_the_account_snapshot_is_the_live_user_node(connections: Any, ig: InstagramWorld, landing_root: Path) -> None:
    landed = read_landed(run(landing_root, ACCOUNT))
    assert landed.records == [
        {"id": IG_USER, "followers_count": truth.followers_count(ig, IG_USER, AS_OF),
         "media_count": len(ig.media(IG_USER, as_utc(AS_OF)))}
    ]  # fmt: skip
    assert requests_made(connections) == [(f"/v27.0/{IG_USER}", {"fields": "followers_count,media_count"}, 200)]


def test_accounts_come_from_the_connection(connections: Any) -> None:
    assert list_accounts(SOURCE) == [IG_USER]


@pytest.mark.parametrize(("fault", "status"), [("rate_limit", 400), ("business_use_case_limit", 400),
                                               ("server_error", 500)])  # fmt: skip
def test_throttling_and_temporary_errors_are_retried_and_data_is_complete(
    connections: Any, ig: InstagramWorld, landing_root: Path, caplog: pytest.LogCaptureFixture, fault: str, status: int
) -> None:
    connections.inject(SOURCE, fault, times=2)
    with caplog.at_level(logging.DEBUG, logger="extractors"):
        landed = read_landed(run(landing_root))
    assert landed.records == truth.snapshot_records(ig, IG_USER, SNAPSHOT_DAY, AS_OF)
    assert [s for _, _, s in requests_made(connections)][:3] == [status, status, 200]
    assert ("rate limited" if fault != "server_error" else "Graph error code 2") in caplog.text
    assert ACCESS_TOKEN not in caplog.text


def test_a_rate_limit_outlasting_the_budget_fails_naming_the_partition(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "rate_limit", times=FAST_RETRY.max_attempts)
    with pytest.raises(RateLimitExhausted, match="still rate limited after 4 attempts") as info:
        run(landing_root)
    assert str(info.value).startswith(PARTITION) and "Graph error code 4" in str(info.value)
    assert list(landing_root.iterdir()) == []


def test_an_expired_token_fails_at_once_and_says_to_replace_it(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "token_expired", times=1)
    with pytest.raises(AuthError) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION)
    assert "HTTP 400, Graph error code 190 subcode 463 (OAuthException): Error validating access token" in message
    assert "Airflow Connection 'instagram_graph'" in message and info.value.retryable is False
    assert [s for _, _, s in requests_made(connections)] == [400]  # not retried
    assert list(landing_root.iterdir()) == []


def test_a_wrong_token_never_appears_in_the_error(sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path) -> None:
    set_connections(monkeypatch, sb, password={SOURCE: "IGQV-wrong-token-123"})
    with pytest.raises(AuthError, match="Graph error code 190") as info:
        run(landing_root, ACCOUNT)
    assert "IGQV-wrong-token-123" not in str(info.value)
    assert len(sb.requests(SOURCE)) == 1


def test_a_malformed_page_fails_clearly_without_credentials_and_lands_nothing(
    connections: Any, landing_root: Path
) -> None:
    connections.inject(SOURCE, "malformed", times=1)
    with pytest.raises(MalformedResponse) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION + ": malformed response from http://127.0.0.1:")
    assert f"/v27.0/{IG_USER}/media?" in message and "invalid JSON" in message
    assert ACCESS_TOKEN not in message
    assert list(landing_root.iterdir()) == []


def test_schema_drift_lands_the_new_fields_untouched(connections: Any, ig: InstagramWorld, landing_root: Path) -> None:
    connections.inject(SOURCE, "schema_drift", times=1)  # the first media page: the newest posts
    window = Window(date(2026, 11, 16), date(2026, 11, 23))  # the snapshot of the 22nd holds them
    landed = read_landed(run(landing_root, window=window))
    expected = truth.snapshot_records(ig, IG_USER, window.last_day, AS_OF)
    drifted = [r for r in landed.records if r.items() >= DRIFT_FIELDS.items()]
    assert len(drifted) == PAGE_SIZE < len(landed.records)
    assert [{k: v for k, v in r.items() if k not in DRIFT_FIELDS} for r in landed.records] == expected


def test_days_are_cut_on_the_pacific_clock(connections: Any, landing_root: Path) -> None:
    as_of = datetime(2026, 11, 23, tzinfo=UTC)  # 16:00 on the 22nd in Los Angeles: the 21nd is complete since 08:00
    window = Window(date(2026, 11, 20), date(2026, 11, 23))
    for stream in (MEDIA, FOLLOWERS, ACCOUNT):
        manifest = read_landed(run(landing_root, stream, window, complete_as_of=as_of)).manifest
        assert (manifest["window_start"], manifest["window_end"]) == ("2026-11-20", "2026-11-22"), stream
    with pytest.raises(DayNotOver, match="America/Los_Angeles"):
        run(landing_root, window=Window(date(2026, 11, 22), date(2026, 11, 23)), complete_as_of=as_of)


@pytest.mark.parametrize(
    ("password", "extra", "expected"),
    [
        ("", {}, "has no password"),
        (ACCESS_TOKEN, {"page_size": 101}, "extra.page_size must be 1..100"),
        (ACCESS_TOKEN, {"max_post_age_days": 0}, "extra.max_post_age_days must be 1..365"),
    ],
)
def test_a_connection_that_cannot_work_fails_before_any_request(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, password: str, extra: dict, expected: str
) -> None:
    set_connections(monkeypatch, sb, extra={SOURCE: extra}, password={SOURCE: password})
    with pytest.raises(ConfigurationError, match=expected):
        run(landing_root)
    assert sb.requests(SOURCE) == []
