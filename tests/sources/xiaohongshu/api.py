"""Calling the Xiaohongshu sandbox over HTTP: the POST JSON calls of 聚光 (the note report, the note list) and 蒲公英,
the OAuth consent and refresh steps, and the one standard request the generic sandbox tests (faults, the CLI) make of
every server."""

from __future__ import annotations

from datetime import date
from typing import Any

import requests

from sandbox import Sandbox
from sandbox.xiaohongshu.server import (
    APP_ID,
    APP_SECRET,
    AUTHORIZE_PATH,
    COLLABORATIONS_PATH,
    JG_AUTH_CODE,
    NOTE_LIST_PATH,
    PGY_AUTH_CODE,
    REFRESH_PATH,
    REPORT_PATH,
)
from sandbox.xiaohongshu.world import ACCOUNT, ADVERTISER_ID

TIMEOUT = 10
SOURCE = "xiaohongshu"
ADVERTISER = ADVERTISER_ID
BRAND = ACCOUNT.id
RECORDS_KEY = "data_list"
METHOD = "POST"  # every call of the API is a POST with a JSON body
SERVER_ERROR_STATUS = 500  # the gateway's 500 (errorCode 500); the API itself answers every error in a 200


def tokens(sb: Sandbox) -> dict[str, str]:
    """The access tokens of the two authorizations the sandbox's connection carries: {"jg": ..., "pgy": ...}."""
    conn = sb.connections()[SOURCE]
    return {"jg": conn["password"], "pgy": conn["extra"]["pgy_access_token"]}


def post(
    base_url: str, path: str, body: dict[str, Any], token: str | None, timeout: float = TIMEOUT
) -> requests.Response:
    """POST ``body`` as JSON to ``path`` (a full path, ``/api/open/...``) with ``token`` in ``Access-Token``."""
    headers = {"Access-Token": token} if token is not None else {}
    return requests.post(f"{base_url}{path}", json=body, headers=headers, timeout=timeout)


def answer(response: requests.Response) -> dict[str, Any]:
    """The JSON of an answer, checking it came as an HTTP 200 (every business answer of the API does)."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def report(sb: Sandbox, since: date, until: date, token: str | None = None, **fields: Any) -> dict[str, Any]:
    body = {"advertiser_id": int(ADVERTISER), "start_date": since.isoformat(), "end_date": until.isoformat(),
            "time_unit": "DAY", "page_num": 1, "page_size": 100, **fields}  # fmt: skip
    return answer(post(sb.url(SOURCE), REPORT_PATH, body, token or tokens(sb)["jg"]))


def fetch_report(sb: Sandbox, since: date, until: date, page_size: int = 100) -> tuple[list[dict[str, Any]], int]:
    """Every row of the report for ``[since, until]`` by page number; returns (rows, pages)."""
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        data = report(sb, since, until, page_num=page, page_size=page_size)["data"]
        rows += data.get("data_list", [])
        if page * page_size >= int(data["total_count"]):
            return rows, page
        page += 1


def note_list(sb: Sandbox, since: date, until: date, token: str | None = None, **fields: Any) -> dict[str, Any]:
    body = {"advertiser_id": int(ADVERTISER), "note_type": 1, "page": 1, "page_size": 100, "base_only": True,
            "create_start_time": since.isoformat(), "create_end_time": until.isoformat(), **fields}  # fmt: skip
    return answer(post(sb.url(SOURCE), NOTE_LIST_PATH, body, token or tokens(sb)["jg"]))


def collaborations(sb: Sandbox, since: date, until: date, token: str | None = None, **fields: Any) -> dict[str, Any]:
    body = {"user_id": BRAND, "date_type": 2, "start_time": since.isoformat(), "end_time": until.isoformat(),
            "page_num": 1, "page_size": 100, **fields}  # fmt: skip
    return answer(post(sb.url(SOURCE), COLLABORATIONS_PATH, body, token or tokens(sb)["pgy"]))


def authorize(base_url: str, platform: str = "jg") -> dict[str, Any]:
    """Exchange the sandbox's consent code of ``platform`` (jg 聚光, pgy 蒲公英) for a fresh token pair."""
    code = {"jg": JG_AUTH_CODE, "pgy": PGY_AUTH_CODE}[platform]
    body = {"app_id": int(APP_ID), "secret": APP_SECRET, "auth_code": code}
    got = answer(requests.post(f"{base_url}{AUTHORIZE_PATH}", json=body, timeout=TIMEOUT))
    assert got["success"] is True, got
    data: dict[str, Any] = got["data"]
    return data


def refresh(base_url: str, refresh_token: str, secret: str = APP_SECRET) -> dict[str, Any]:
    """The refresh call as an app makes it (JSON: app_id, secret, refresh_token); returns the whole answer."""
    body = {"app_id": int(APP_ID), "secret": secret, "refresh_token": refresh_token}
    return answer(requests.post(f"{base_url}{REFRESH_PATH}", json=body, timeout=TIMEOUT))


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: the first page of five rows of the note report for 2026-11-01..07."""
    body = {"advertiser_id": int(ADVERTISER), "start_date": "2026-11-01", "end_date": "2026-11-07",
            "time_unit": "DAY", "page_num": 1, "page_size": 5}  # fmt: skip
    return post(sb.url(SOURCE), REPORT_PATH, body, tokens(sb)["jg"], timeout=timeout)


def probe(base_url: str) -> None:
    """One authenticated request to a server started elsewhere (``python -m sandbox serve``) is served."""
    token = authorize(base_url)["access_token"]
    body = {"advertiser_id": int(ADVERTISER), "start_date": "2026-11-01", "end_date": "2026-11-07",
            "time_unit": "DAY", "page_num": 1, "page_size": 1}  # fmt: skip
    got = answer(post(base_url, REPORT_PATH, body, token))
    assert got["success"] is True and len(got["data"][RECORDS_KEY]) == 1
