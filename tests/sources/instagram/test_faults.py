"""The Instagram sandbox's own faults: Graph's error bodies with real statuses, and the answers it spoils."""

from __future__ import annotations

import json

from sandbox import Sandbox
from sandbox.instagram.server import DRIFT_FIELDS
from sandbox.instagram.world import InstagramWorld
from tests.sources.instagram.api import IG_USER, SOURCE, call, get, insights, media_page

FOLLOWERS = {"metric": "follower_count", "period": "day", "since": 1_793_000_000, "until": 1_795_000_000}


def test_throttling_server_errors_and_expired_tokens_are_graph_errors(sb: Sandbox) -> None:
    for fault, status, code, words in [
        ("rate_limit", 400, 4, "Application request limit reached"),
        ("business_use_case_limit", 400, 80002, "too many calls to this Instagram account"),
        ("server_error", 500, 2, "Please retry your request later"),
        ("token_expired", 400, 190, "Session has expired"),
    ]:
        sb.inject(SOURCE, fault)
        response = call(sb)
        assert response.status_code == status
        error = response.json()["error"]
        assert error["code"] == code and words in error["message"] and error["fbtrace_id"]
        if fault == "business_use_case_limit":
            usage = json.loads(response.headers["x-business-use-case-usage"])
            assert usage[IG_USER][0]["type"] == "instagram"
        assert call(sb).status_code == 200  # one request each


def test_data_faults_spoil_every_media_of_one_page(sb: Sandbox) -> None:
    clean = media_page(sb).json()["data"]
    for fault in ("negative_count", "fractional_count", "missing_like_count", "schema_drift"):
        sb.inject(SOURCE, fault)
        spoiled = media_page(sb).json()["data"]
        for old, new in zip(clean, spoiled, strict=True):
            if fault == "negative_count":
                assert new["like_count"] == -old["like_count"] - 1 < 0
            elif fault == "fractional_count":
                assert new["like_count"] == f"{old['like_count']}.5"
            elif fault == "missing_like_count":
                assert "like_count" not in new and new["comments_count"] == old["comments_count"]
            else:
                assert new == {**old, **DRIFT_FIELDS}
        assert media_page(sb).json()["data"] == clean


def test_negative_count_spoils_whichever_answer_it_meets(sb: Sandbox, ig: InstagramWorld) -> None:
    sb.inject(SOURCE, "negative_count")
    assert get(sb.url(SOURCE), IG_USER, {"fields": "followers_count"}).json()["followers_count"] < 0
    sb.inject(SOURCE, "negative_count")
    values = get(sb.url(SOURCE), f"{IG_USER}/insights", FOLLOWERS).json()["data"][0]["values"]
    assert values[0]["value"] < 0 and all(v["value"] >= 0 for v in values[1:])
    media_id = media_page(sb).json()["data"][2]["id"]
    sb.inject(SOURCE, "negative_count")
    assert insights(sb, media_id).json()["data"][1]["values"][0]["value"] < 0  # views


def test_insights_faults_wait_for_the_next_media_insights_answer(sb: Sandbox) -> None:
    media_id = media_page(sb).json()["data"][2]["id"]
    sb.inject(SOURCE, "missing_views")
    sb.inject(SOURCE, "not_enough_viewers")
    assert len(media_page(sb).json()["data"]) == 5  # both popped here, neither applies to a media page
    assert len(media_page(sb).json()["data"]) == 5
    first = insights(sb, media_id).json()
    assert [m["name"] for m in first["data"]] == ["reach", "likes", "comments", "shares", "saved"]
    second = insights(sb, media_id)
    assert second.status_code == 400 and second.json()["error"]["code"] == 10
    assert [m["name"] for m in insights(sb, media_id).json()["data"]][1] == "views"
    sb.inject(SOURCE, "missing_views")
    media_page(sb)
    sb.clear_faults(SOURCE)  # a popped but unapplied insights fault is cleared too
    assert [m["name"] for m in insights(sb, media_id).json()["data"]][1] == "views"


def test_empty_page_is_a_paging_lie_with_a_next_link(sb: Sandbox) -> None:
    sb.inject(SOURCE, "empty_page")
    body = media_page(sb).json()
    assert body["data"] == [] and body["paging"]["next"]
