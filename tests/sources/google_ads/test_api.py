"""The Google Ads sandbox over HTTP against its truth: GAQL parsing, stream batches, search pages, auth headers
and the OAuth token endpoint."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from extractors.streams import Window
from sandbox import Sandbox
from sandbox.google_ads.server import ACCESS_TOKEN_SECONDS, CLIENT_SECRET, DEVELOPER_TOKEN, SCOPE, project
from sandbox.google_ads.world import MANAGER_ID
from tests.sources.google_ads import api
from tests.sources.google_ads.conftest import SMALL_BATCH
from tests.sources.google_ads.helpers import CN, US, google_truth

WEEK = Window(date(2026, 11, 1), date(2026, 11, 8))


def base(sb: Sandbox) -> str:
    return sb.url("google_ads")


def failure(response: requests.Response) -> tuple[int, str, list[dict[str, str]]]:
    """(HTTP status, google.rpc status, the GoogleAdsFailure's errorCodes)."""
    error = response.json()["error"]
    codes = [e["errorCode"] for detail in error.get("details", []) for e in detail["errors"]]
    assert error["code"] == response.status_code
    return response.status_code, error["status"], codes


def test_a_stream_answers_the_selected_fields_of_every_row_in_batches(connections: Sandbox) -> None:
    response = api.search_stream(base(connections), api.query(WEEK.start, WEEK.last_day))
    batches = response.json()
    truth = google_truth(connections, CN, WEEK)
    assert len(truth) > 3 * SMALL_BATCH
    assert [len(batch["results"]) for batch in batches[:-1]] == [SMALL_BATCH] * (len(batches) - 1)
    assert 0 < len(batches[-1]["results"]) <= SMALL_BATCH
    rows = api.stream_rows(response)
    assert len(rows) == len(truth)
    first, full = rows[0], truth[0]
    assert first == {
        "customer": {"resourceName": f"customers/{CN}", "id": CN, "currencyCode": "CNY"},
        "campaign": full["campaign"],
        "adGroup": {"resourceName": full["adGroup"]["resourceName"], "id": full["adGroup"]["id"]},
        "adGroupAd": full["adGroupAd"],
        "metrics": full["metrics"],
        "segments": full["segments"],
    }
    assert "timeZone" not in first["customer"] and "name" not in first["adGroup"]  # not selected, not sent
    mask = batches[0]["fieldMask"].split(",")
    assert mask[:3] == ["customer.id", "customer.currencyCode", "campaign.id"] and "metrics.costMicros" in mask
    assert len({batch["requestId"] for batch in batches}) == len(batches)


def test_omit_unselected_resource_names_leaves_them_out(sb: Sandbox) -> None:
    gaql = api.query(WEEK.start, WEEK.start, "ad_group_ad.ad.id, segments.date, metrics.clicks")
    rows = api.stream_rows(api.search_stream(base(sb), gaql + " PARAMETERS omit_unselected_resource_names=true"))
    truth = google_truth(sb, CN, Window(WEEK.start, WEEK.start + timedelta(days=1)))
    assert rows == [
        {"adGroupAd": {"ad": {"id": r["adGroupAd"]["ad"]["id"]}}, "segments": r["segments"],
         "metrics": {"clicks": r["metrics"]["clicks"]}}
        for r in truth
    ]  # fmt: skip


def test_a_range_without_activity_is_one_batch_without_results(sb: Sandbox) -> None:
    response = api.search_stream(base(sb), api.query(date(2023, 6, 1), date(2023, 6, 30)))
    assert response.status_code == 200
    [batch] = response.json()
    assert set(batch) == {"fieldMask", "requestId"}


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ("", "EXPECTED_FILTERS_ON_DATE_RANGE"),
        (" WHERE segments.date >= '2026-11-01'", "EXPECTED_FILTERS_ON_DATE_RANGE"),
        (" WHERE segments.date BETWEEN '2026-11-07' AND '2026-11-01'", "DATE_RANGE_TOO_NARROW"),
        (" WHERE segments.date BETWEEN '2026-11-01' AND '2026-11-31'", "BAD_VALUE"),
        (" WHERE segments.date DURING LAST_9_WEEKS", "BAD_ENUM_CONSTANT"),
    ],
)
def test_a_query_without_a_finite_date_range_is_refused(sb: Sandbox, where: str, code: str) -> None:
    response = api.search_stream(base(sb), f"SELECT ad_group_ad.ad.id, segments.date FROM ad_group_ad{where}")
    assert failure(response) == (400, "INVALID_ARGUMENT", [{"queryError": code}])
    detail = response.json()["error"]["details"][0]
    assert detail["@type"] == "type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure"


def test_unknown_fields_and_resources_are_refused(sb: Sandbox) -> None:
    unknown_field = api.search_stream(base(sb), api.query(WEEK.start, WEEK.start, "metrics.cost_micros, metrics.bogus"))
    assert failure(unknown_field) == (400, "INVALID_ARGUMENT", [{"queryError": "UNRECOGNIZED_FIELD"}])
    unknown_resource = api.search_stream(base(sb), "SELECT campaign.id FROM bogus_view")
    assert failure(unknown_resource)[2] == [{"queryError": "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE"}]


def test_during_last_7_days_is_the_week_before_today_on_the_customers_clock(sb: Sandbox) -> None:
    gaql = "SELECT ad_group_ad.ad.id, segments.date, metrics.cost_micros FROM ad_group_ad"
    during = api.stream_rows(api.search_stream(base(sb), f"{gaql} WHERE segments.date DURING LAST_7_DAYS", US))
    # At 2026-11-23 00:00 UTC it is still the 22nd in Los Angeles: the last 7 days are the 15th to the 21st.
    today = sb.as_of.astimezone(ZoneInfo("America/Los_Angeles")).date()
    assert today == date(2026, 11, 22)
    explicit = api.stream_rows(
        api.search_stream(
            base(sb),
            api.query(date(2026, 11, 15), date(2026, 11, 21), "ad_group_ad.ad.id, segments.date, metrics.cost_micros"),
            US,
        )
    )
    assert during == explicit and {r["segments"]["date"] for r in during} == {f"2026-11-{d}" for d in range(15, 22)}


def test_search_pages_the_same_rows_with_page_tokens(connections: Sandbox) -> None:
    gaql = api.query(WEEK.start, WEEK.last_day)
    rows, token, pages = [], None, 0
    while True:
        body = api.search(base(connections), gaql, page_token=token).json()
        rows += body["results"]
        pages += 1
        token = body.get("nextPageToken")
        if not token:
            break
    assert rows == api.stream_rows(api.search_stream(base(connections), gaql))
    assert pages == -(-len(rows) // SMALL_BATCH) > 1


def test_the_customer_resource_gives_zone_and_currency(sb: Sandbox) -> None:
    body = api.search(base(sb), "SELECT customer.time_zone, customer.currency_code FROM customer", US).json()
    assert body["results"] == [
        {"customer": {"resourceName": f"customers/{US}", "timeZone": "America/Los_Angeles", "currencyCode": "USD"}}
    ]
    assert "nextPageToken" not in body
    assert sb.data_requests("google_ads") == []  # the settings read is not a data request


def test_list_accessible_customers_names_the_manager(sb: Sandbox) -> None:
    response = api.call(sb)
    assert response.status_code == 200 and response.json() == {"resourceNames": [f"customers/{MANAGER_ID}"]}


def test_an_unknown_version_is_refused(sb: Sandbox) -> None:
    response = api.search_stream(base(sb), api.query(WEEK.start, WEEK.start), version="v12")
    assert failure(response) == (404, "NOT_FOUND", [])
    assert api.search_stream(base(sb), api.query(WEEK.start, WEEK.start), version="v26").status_code == 200


def test_auth_headers_are_checked(sb: Sandbox) -> None:
    url, gaql = base(sb), api.query(WEEK.start, WEEK.start)
    token = api.access_token(url)
    good = api.headers(url, token=token)
    assert api.search_stream(url, gaql, header_values=good).status_code == 200

    no_token = {k: v for k, v in good.items() if k != "Authorization"}
    assert failure(api.search_stream(url, gaql, header_values=no_token))[:2] == (401, "UNAUTHENTICATED")
    made_up = {**good, "Authorization": "Bearer ya29-made-up"}
    assert failure(api.search_stream(url, gaql, header_values=made_up))[2] == [
        {"authenticationError": "OAUTH_TOKEN_INVALID"}
    ]
    bad_developer_token = {**good, "developer-token": "nope"}
    assert failure(api.search_stream(url, gaql, header_values=bad_developer_token)) == (
        401, "UNAUTHENTICATED", [{"authenticationError": "DEVELOPER_TOKEN_INVALID"}],
    )  # fmt: skip
    # The customers are reached through the manager: without login-customer-id the user has no access.
    no_login = api.headers(url, token=token, login=None)
    denied = api.search_stream(url, gaql, header_values=no_login)
    assert failure(denied) == (403, "PERMISSION_DENIED", [{"authorizationError": "USER_PERMISSION_DENIED"}])
    assert "login-customer-id" in denied.json()["error"]["details"][0]["errors"][0]["message"]
    assert failure(api.search_stream(url, gaql, "1234567890", header_values=good))[0] == 403


def test_the_token_endpoint_answers_like_googles(sb: Sandbox) -> None:
    url = base(sb)
    answer = api.token_response(url)
    assert answer.status_code == 200
    body = answer.json()
    # No refresh token in the answer: Google's refresh token does not rotate.
    assert set(body) == {"access_token", "expires_in", "scope", "token_type"}
    assert (body["expires_in"], body["scope"], body["token_type"]) == (ACCESS_TOKEN_SECONDS, SCOPE, "Bearer")
    assert body["access_token"].startswith("ya29")
    refused = api.token_response(url, refresh_token="1//revoked")
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")
    wrong_client = api.token_response(url, client_secret=CLIENT_SECRET + "x")
    assert (wrong_client.status_code, wrong_client.json()["error"]) == (401, "invalid_client")
    # Another host in reality: the API's request log and armed faults leave it out.
    sb.inject("google_ads", "server_error")
    assert api.token_response(url).status_code == 200
    assert sb.requests("google_ads") == []
    assert api.call(sb).status_code == 500


def test_developer_token_and_secrets_are_the_connections(sb: Sandbox) -> None:
    conn: dict[str, Any] = sb.connections()["google_ads"]
    assert conn["extra"]["developer_token"] == DEVELOPER_TOKEN
    assert conn["extra"]["customer_ids"] == [CN, US]
    assert conn["extra"]["login_customer_id"] == MANAGER_ID
    assert conn["password"].startswith("1//")
    assert conn["extra"]["token_url"] == f"{base(sb)}/token"


def test_project_keeps_resource_names_of_the_selected_resources() -> None:
    from sandbox.google_ads.server import parse_query

    row = {"campaign": {"resourceName": "customers/1/campaigns/2", "id": "2", "name": "C"},
           "adGroupAd": {"resourceName": "customers/1/adGroupAds/3~4", "ad": {"id": "4"}},
           "segments": {"date": "2026-11-01"}}  # fmt: skip
    query = parse_query("SELECT campaign.id, segments.date FROM ad_group_ad WHERE segments.date = '2026-11-01'")
    assert project(row, query) == {
        "campaign": {"id": "2", "resourceName": "customers/1/campaigns/2"},
        "segments": {"date": "2026-11-01"},
        "adGroupAd": {"resourceName": "customers/1/adGroupAds/3~4"},
    }
