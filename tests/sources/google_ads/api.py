"""Calling the Google Ads sandbox over HTTP: the OAuth refresh-token grant, GAQL through searchStream and
search, and the one standard request the generic sandbox tests (faults, the CLI) make of every server.

The standard request is ``GET customers:listAccessibleCustomers``: the generic tests expect a GET answered by a
JSON object, and searchStream is a POST answered by an array. Its token comes from the token endpoint, which
stands for another host (oauth2.googleapis.com): armed faults and the request log leave it out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import requests

from sandbox import Sandbox
from sandbox.google_ads.server import CLIENT_ID, CLIENT_SECRET, DEVELOPER_TOKEN, REFRESH_TOKEN, TOKEN_PATH
from sandbox.google_ads.world import MANAGER_ID
from tests.sources.google_ads.helpers import CN

TIMEOUT = 10
VERSION = "v22"
SERVER_ERROR_STATUS = 500  # Google's 500 INTERNAL
DAY = date(2026, 11, 20)
FIELDS = (
    "customer.id, customer.currency_code, campaign.id, campaign.name, ad_group.id, ad_group_ad.ad.id, "
    "ad_group_ad.ad.name, segments.date, metrics.cost_micros, metrics.impressions, metrics.clicks, "
    "metrics.conversions, metrics.conversions_value"
)


def token_response(base_url: str, refresh_token: str = REFRESH_TOKEN, **changes: str) -> requests.Response:
    form = {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": refresh_token,
        **changes,
    }
    return requests.post(f"{base_url}{TOKEN_PATH}", data=form, timeout=TIMEOUT)


def access_token(base_url: str) -> str:
    response = token_response(base_url)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def headers(base_url: str, *, token: str | None = None, login: str | None = MANAGER_ID) -> dict[str, str]:
    found = {"Authorization": f"Bearer {token or access_token(base_url)}", "developer-token": DEVELOPER_TOKEN}
    if login is not None:
        found["login-customer-id"] = login
    return found


def query(since: date, until: date, fields: str = FIELDS) -> str:
    return f"SELECT {fields} FROM ad_group_ad WHERE segments.date BETWEEN '{since}' AND '{until}'"


def search_stream(
    base_url: str,
    gaql: str,
    customer: str = CN,
    *,
    version: str = VERSION,
    header_values: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> requests.Response:
    url = f"{base_url}/{version}/customers/{customer}/googleAds:searchStream"
    return requests.post(url, json={"query": gaql}, headers=header_values or headers(base_url), timeout=timeout)


def search(base_url: str, gaql: str, customer: str = CN, page_token: str | None = None) -> requests.Response:
    body: dict[str, Any] = {"query": gaql}
    if page_token:
        body["pageToken"] = page_token
    url = f"{base_url}/{VERSION}/customers/{customer}/googleAds:search"
    return requests.post(url, json=body, headers=headers(base_url), timeout=TIMEOUT)


def stream_rows(response: requests.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return [row for batch in response.json() for row in batch.get("results", [])]


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: the customers the user reaches directly."""
    base = sb.url("google_ads")
    url = f"{base}/{VERSION}/customers:listAccessibleCustomers"
    return requests.get(url, headers=headers(base, login=None), timeout=timeout)


def probe(base_url: str) -> None:
    """One authenticated data request to a server started elsewhere (``python -m sandbox serve``) is served."""
    rows = stream_rows(search_stream(base_url, query(DAY, DAY)))
    assert rows and all(row["segments"]["date"] == DAY.isoformat() for row in rows)
