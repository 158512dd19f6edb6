"""Calling the Ocean Engine sandbox over HTTP: the report request with its JSON-encoded parameters, the OAuth
auth-code exchange, and the one standard request the generic sandbox tests (faults, the CLI) make of every
server."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import requests

from sandbox import Sandbox
from sandbox.ocean_engine.server import APP_ID, APP_SECRET, AUTH_CODE, AUTHORIZE_PATH, REFRESH_PATH

TIMEOUT = 10
SOURCE = "ocean_engine"
ADVERTISER = "1768310000000101"
# The standard request: five report rows of one day.
DAY = date(2026, 11, 20)
RECORDS_KEY = "rows"
SERVER_ERROR_STATUS = 500  # the gateway's 500 (body code 50000); the API itself answers every error in a 200
REPORT_PATH = "/open_api/v3.0/report/custom/get/"
INFO_PATH = "/open_api/2/advertiser/info/"
DIMENSIONS = ["stat_time_day", "cdp_project_id", "cdp_project_name", "cdp_promotion_id", "cdp_promotion_name"]
METRICS = ["stat_cost", "show_cnt", "click_cnt", "convert_cnt", "active_pay_amount"]


def report_params(since: date, until: date, advertiser: str = ADVERTISER, **extra: Any) -> dict[str, Any]:
    """A valid report request; ``extra`` overrides or adds parameters (None drops one)."""
    params: dict[str, Any] = {
        "advertiser_id": advertiser,
        "data_topic": "BASIC_DATA",
        "dimensions": json.dumps(DIMENSIONS),
        "metrics": json.dumps(METRICS),
        "filters": "[]",
        "order_by": "[]",
        "start_time": since.isoformat(),
        "end_time": until.isoformat(),
        "page": 1,
        "page_size": 100,
        **extra,
    }
    return {key: value for key, value in params.items() if value is not None}


def access_token(sb: Sandbox) -> str:
    """The access token of the authorization the sandbox's connection carries."""
    token: str = sb.connections()["ocean_engine"]["password"]
    return token


def get_report(base_url: str, token: str | None, params: dict[str, Any], timeout: float = TIMEOUT) -> requests.Response:
    headers = {"Access-Token": token} if token is not None else {}
    return requests.get(f"{base_url}{REPORT_PATH}", params=params, headers=headers, timeout=timeout)


def fetch_report(sb: Sandbox, token: str, since: date, until: date, **extra: Any) -> tuple[list[dict], int]:
    """Every row of the report by page number; returns (rows, pages)."""
    rows: list[dict] = []
    page = 1
    while True:
        response = get_report(sb.url(SOURCE), token, report_params(since, until, page=page, **extra))
        body = response.json()
        assert response.status_code == 200 and body["code"] == 0, body
        rows.extend(body["data"]["rows"])
        if page >= body["data"]["page_info"]["total_page"]:
            return rows, page
        page += 1


def authorize(base_url: str) -> dict[str, Any]:
    """Exchange the sandbox's auth code for a fresh token pair: one more, independent authorization."""
    body = {"app_id": APP_ID, "secret": APP_SECRET, "grant_type": "auth_code", "auth_code": AUTH_CODE}
    response = requests.post(f"{base_url}{AUTHORIZE_PATH}", json=body, timeout=TIMEOUT)
    answer = response.json()
    assert response.status_code == 200 and answer["code"] == 0, answer
    data: dict[str, Any] = answer["data"]
    return data


def refresh(base_url: str, refresh_token: str) -> dict[str, Any]:
    """The refresh call as an app makes it; returns the whole answer (code, message, data)."""
    body = {"app_id": APP_ID, "secret": APP_SECRET, "grant_type": "refresh_token", "refresh_token": refresh_token}
    response = requests.post(f"{base_url}{REFRESH_PATH}", json=body, timeout=TIMEOUT)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: one page of five rows."""
    return get_report(sb.url(SOURCE), access_token(sb), report_params(DAY, DAY, page_size=5), timeout=timeout)


def probe(base_url: str) -> None:
    """One authenticated request to a server started elsewhere (``python -m sandbox serve``) is served."""
    token = authorize(base_url)["access_token"]
    response = get_report(base_url, token, report_params(DAY, DAY, page_size=1))
    assert response.status_code == 200 and len(response.json()["data"][RECORDS_KEY]) == 1
