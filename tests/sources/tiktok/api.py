"""Calling the TikTok sandbox over HTTP: the report request with its JSON-encoded parameters, and the one
standard request the generic sandbox tests (faults, the CLI) make of every server."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import requests

from sandbox import Sandbox
from sandbox.tiktok.server import ACCESS_TOKEN

TIMEOUT = 10
SOURCE = "tiktok"
ADVERTISER = "7301940000000000011"
# The standard request: five report rows of one day.
DAY = date(2026, 11, 20)
RECORDS_KEY = "list"
SERVER_ERROR_STATUS = 503  # the gateway's 503; the API itself answers every error in an HTTP 200
REPORT_PATH = "/open_api/v1.3/report/integrated/get/"
INFO_PATH = "/open_api/v1.3/advertiser/info/"
METRICS = ["spend", "impressions", "clicks", "complete_payment", "total_complete_payment_rate", "campaign_id"]


def report_params(since: date, until: date, advertiser: str = ADVERTISER, **extra: Any) -> dict[str, Any]:
    """A valid report request; ``extra`` overrides or adds parameters (None drops one)."""
    params: dict[str, Any] = {
        "advertiser_id": advertiser,
        "service_type": "AUCTION",
        "report_type": "BASIC",
        "data_level": "AUCTION_AD",
        "dimensions": json.dumps(["ad_id", "stat_time_day"]),
        "metrics": json.dumps(METRICS),
        "start_date": since.isoformat(),
        "end_date": until.isoformat(),
        "page": 1,
        "page_size": 100,
        **extra,
    }
    return {key: value for key, value in params.items() if value is not None}


def get(base_url: str, path: str, params: dict[str, Any], token: str | None = ACCESS_TOKEN, **kwargs: Any) -> Any:
    headers = {"Access-Token": token} if token is not None else {}
    return requests.get(f"{base_url}{path}", params=params, headers=headers, timeout=kwargs.get("timeout", TIMEOUT))


def get_report(sb: Sandbox, params: dict[str, Any], token: str | None = ACCESS_TOKEN) -> dict[str, Any]:
    """The report's answer as JSON, checking it came as an HTTP 200 (every answer of the API does)."""
    response = get(sb.url(SOURCE), REPORT_PATH, params, token)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def fetch_report(sb: Sandbox, since: date, until: date, **extra: Any) -> tuple[list[dict], int]:
    """Every row of the report by page number; returns (rows, pages)."""
    rows: list[dict] = []
    page = 1
    while True:
        body = get_report(sb, report_params(since, until, page=page, **extra))
        assert body["code"] == 0, body
        rows.extend(body["data"]["list"])
        if page >= body["data"]["page_info"]["total_page"]:
            return rows, page
        page += 1


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: one page of five rows."""
    return get(sb.url(SOURCE), REPORT_PATH, report_params(DAY, DAY, page_size=5), timeout=timeout)


def probe(base_url: str) -> None:
    """One authenticated request to a server started elsewhere (``python -m sandbox serve``) is served."""
    response = get(base_url, REPORT_PATH, report_params(DAY, DAY, page_size=1))
    assert response.status_code == 200 and len(response.json()["data"][RECORDS_KEY]) == 1
