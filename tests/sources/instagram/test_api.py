"""The Instagram sandbox over HTTP: Graph paths, envelopes, paging, the retired metrics and the (#10) answer, account
insights' limits and empty sets, all checked against the world's ground truth."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests

from sandbox import Sandbox
from sandbox.instagram import truth
from sandbox.instagram.world import InstagramWorld, local_midnight
from tests.helpers import AS_OF
from tests.sources.instagram.api import FIELDS, IG_USER, SOURCE, every_media, get, insights, media_page


def test_following_next_lists_every_media_newest_first_as_truth_has_it(sb: Sandbox, ig: InstagramWorld) -> None:
    media, pages = every_media(sb, limit=100)
    posts = ig.media(IG_USER, truth.as_utc(AS_OF))
    assert [m["id"] for m in media] == [p.id for p in posts] and len(media) > 700
    assert pages == -(-len(posts) // 100)
    assert media[:30] == [{k: ig.media_node(p, truth.as_utc(AS_OF))[k] for k in FIELDS.split(",")} for p in posts[:30]]
    assert all(m["timestamp"] >= n["timestamp"] for m, n in zip(media, media[1:], strict=False))


def test_the_page_envelope_cursors_and_limits(sb: Sandbox) -> None:
    body = media_page(sb, limit=3).json()
    assert set(body) == {"data", "paging"} and len(body["data"]) == 3
    assert set(body["paging"]) == {"cursors", "next"} and set(body["paging"]["cursors"]) == {"before", "after"}
    second = media_page(sb, limit=3, after=body["paging"]["cursors"]["after"]).json()
    assert second["data"][0]["id"] not in {m["id"] for m in body["data"]}
    assert len(media_page(sb, limit=500).json()["data"]) == 100  # quietly capped
    assert len(get(sb.url(SOURCE), f"{IG_USER}/media").json()["data"]) == 25  # the default
    assert set(get(sb.url(SOURCE), f"{IG_USER}/media").json()["data"][0]) == {"id"}  # no fields: the id only


def test_media_insights_are_lifetime_values_named_as_graph_names_them(sb: Sandbox, ig: InstagramWorld) -> None:
    post = ig.media(IG_USER, truth.as_utc(AS_OF))[3]
    body = insights(sb, post.id).json()
    expected = ig.insights(post, truth.as_utc(AS_OF))
    assert expected is not None
    assert [(m["name"], m["period"], m["values"]) for m in body["data"]] == [
        (name, "lifetime", [{"value": expected[name]}])
        for name in ("reach", "views", "likes", "comments", "shares", "saved")
    ]
    assert body["data"][1]["id"] == f"{post.id}/insights/views/lifetime" and body["data"][1]["title"] == "Views"


@pytest.mark.parametrize(
    ("metric", "words"),
    [
        ("impressions", "Starting from version v22.0 and above, the impressions metric is no longer supported"),
        ("plays", "the plays metric is no longer supported"),
        ("reach,video_views", "Starting from version v21.0 and above, the video_views metric"),
        ("reach,engagement", "metric[1] must be one of the following values: reach, views"),
        ("", "The parameter metric is required"),
    ],
)
def test_retired_and_unknown_metrics_are_error_100(sb: Sandbox, ig: InstagramWorld, metric: str, words: str) -> None:
    post = ig.media(IG_USER, truth.as_utc(AS_OF))[3]
    response = insights(sb, post.id, metric)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["type"]) == (100, "OAuthException") and words in error["message"]
    assert error["fbtrace_id"]


def test_a_media_with_too_few_viewers_answers_code_10(sb: Sandbox, ig: InstagramWorld) -> None:
    post = ig.media(IG_USER, truth.as_utc(AS_OF))[0]
    sb.set_as_of(post.published_at + timedelta(minutes=5))
    response = insights(sb, post.id)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 10 and error["message"] == "(#10) Not enough viewers for the media to show insights"
    sb.set_as_of(post.published_at + timedelta(hours=6))
    assert insights(sb, post.id).status_code == 200


def test_a_deleted_or_unknown_media_is_an_unsupported_get(sb: Sandbox, ig: InstagramWorld) -> None:
    deleted = next(
        p for d in range(400) for p in ig.posts_on(IG_USER, date(2026, 11, 20) - timedelta(days=d))
        if p.deleted_at is not None and p.deleted_at < truth.as_utc(AS_OF)
    )  # fmt: skip
    for media_id in (deleted.id, "17999999999999999"):
        error = insights(sb, media_id).json()["error"]
        assert (error["code"], error["error_subcode"]) == (100, 33) and media_id in error["message"]
    assert deleted.id not in {m["id"] for m in every_media(sb, limit=100)[0]}


def follower_count(sb: Sandbox, since: datetime, until: datetime, **extra: Any) -> requests.Response:
    params = {"metric": "follower_count", "period": "day", "since": int(since.timestamp()),
              "until": int(until.timestamp()), **extra}  # fmt: skip
    return get(sb.url(SOURCE), f"{IG_USER}/insights", params)


def test_follower_count_gives_each_days_new_followers_dated_by_its_end(sb: Sandbox, ig: InstagramWorld) -> None:
    since, until = local_midnight(date(2026, 10, 31)), local_midnight(date(2026, 11, 23))
    body = follower_count(sb, since, until).json()
    (metric,) = body["data"]
    assert (metric["name"], metric["period"]) == ("follower_count", "day")
    expected = truth.new_followers_by_day(ig, IG_USER, date(2026, 10, 31), date(2026, 11, 22), AS_OF)
    assert len(metric["values"]) == len(expected) == 22  # the 22nd is not out yet
    assert [v["value"] for v in metric["values"]] == list(expected.values())
    # A day's period ends at Pacific midnight: 07:00 UTC in daylight saving time, 08:00 after 1 November.
    assert metric["values"][0] == {"value": expected[date(2026, 10, 31)], "end_time": "2026-11-01T07:00:00+0000"}
    assert metric["values"][1]["end_time"] == "2026-11-02T08:00:00+0000"
    # paging links the neighbouring time ranges: following next walks into the future.
    assert f"since={int(until.timestamp())}" in body["paging"]["next"]


def test_follower_count_spans_at_most_thirty_days_and_no_data_is_an_empty_set(sb: Sandbox) -> None:
    until = datetime(2026, 11, 20, tzinfo=UTC)
    assert follower_count(sb, until - timedelta(days=30), until).status_code == 200
    refused = follower_count(sb, until - timedelta(days=30, seconds=1), until)
    assert refused.status_code == 400 and "more than 30 days (2592000 s)" in refused.json()["error"]["message"]
    future = follower_count(sb, datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 5, tzinfo=UTC)).json()
    assert future["data"] == []  # nothing out yet: no values, never a 0
    assert follower_count(sb, until - timedelta(days=2), until, period="week").status_code == 400
    other = get(sb.url(SOURCE), f"{IG_USER}/insights", {"metric": "impressions", "period": "day"}).json()
    assert other["error"]["code"] == 100


def test_the_user_node_has_the_live_counts(sb: Sandbox, ig: InstagramWorld) -> None:
    body = get(sb.url(SOURCE), IG_USER, {"fields": "followers_count,media_count"}).json()
    assert body == {
        "id": IG_USER,
        "followers_count": truth.followers_count(ig, IG_USER, AS_OF),
        "media_count": len(ig.media(IG_USER, truth.as_utc(AS_OF))),
    }
    bad = get(sb.url(SOURCE), IG_USER, {"fields": "followers_count,fans"}).json()["error"]
    assert bad["code"] == 100 and "nonexisting field (fans)" in bad["message"]


@pytest.mark.parametrize(
    ("token", "code"),
    [(None, 2500), ("not-the-token", 190)],
)
def test_a_missing_or_wrong_token_is_a_graph_error_with_a_real_status(
    sb: Sandbox, token: str | None, code: int
) -> None:
    response = get(sb.url(SOURCE), f"{IG_USER}/media", token=token)
    assert response.status_code == 400 and response.json()["error"]["code"] == code


def test_a_retired_api_version_is_refused(sb: Sandbox) -> None:
    response = requests.get(
        f"{sb.url(SOURCE)}/v24.0/{IG_USER}/media", headers={"Authorization": "Bearer x"}, timeout=10
    )
    assert response.status_code == 400 and response.json()["error"]["code"] in (190, 2635)
    from sandbox.instagram.server import ACCESS_TOKEN

    retired = requests.get(
        f"{sb.url(SOURCE)}/v24.0/{IG_USER}/media", headers={"Authorization": f"Bearer {ACCESS_TOKEN}"}, timeout=10
    )
    assert retired.json()["error"]["code"] == 2635 and "v27.0" in retired.json()["error"]["message"]
