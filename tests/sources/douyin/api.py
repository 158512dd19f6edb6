"""Calling the Douyin sandbox over HTTP: the video list and fans requests, the OAuth auth-code exchange and the
refresh, and the one standard request the generic sandbox tests (faults, the CLI) make of every server."""

from __future__ import annotations

from typing import Any

import requests

from sandbox import Sandbox
from sandbox.douyin.server import AUTH_CODE, AUTHORIZE_PATH, CLIENT_KEY, CLIENT_SECRET, FANS_PATH, REFRESH_PATH
from sandbox.douyin.world import ACCOUNT

TIMEOUT = 10
SOURCE = "douyin"
OPEN_ID = ACCOUNT.id
RECORDS_KEY = "list"
SERVER_ERROR_STATUS = 500  # the gateway's 500 (body code 2100004); the API itself answers every error in a 200
VIDEO_LIST_PATH = "/video/list/"


def access_token(sb: Sandbox) -> str:
    """The access token of the authorization the sandbox's connection carries."""
    token: str = sb.connections()[SOURCE]["password"]
    return token


def get(
    base_url: str, path: str, params: dict[str, Any], token: str | None, timeout: float = TIMEOUT
) -> requests.Response:
    headers = {"access-token": token} if token is not None else {}
    return requests.get(f"{base_url}{path}", params=params, headers=headers, timeout=timeout)


def video_list(sb: Sandbox, token: str | None = None, **params: Any) -> dict[str, Any]:
    """One page of the video list as JSON, checking it came as an HTTP 200 (every answer of the API does)."""
    query = {"open_id": OPEN_ID, "cursor": 0, "count": 10, **params}
    response = get(sb.url(SOURCE), VIDEO_LIST_PATH, query, token or access_token(sb))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def fetch_list(sb: Sandbox, count: int = 20) -> tuple[list[dict[str, Any]], int]:
    """Every item of the video list by cursor; returns (items, pages)."""
    items: list[dict[str, Any]] = []
    cursor, pages = 0, 0
    while True:
        data = video_list(sb, cursor=cursor, count=count)["data"]
        assert data["error_code"] == 0, data
        items += data["list"]
        pages += 1
        if not data["has_more"]:
            return items, pages
        cursor = data["cursor"]


def fans(sb: Sandbox, date_type: Any = 30, token: str | None = None) -> dict[str, Any]:
    response = get(sb.url(SOURCE), FANS_PATH, {"open_id": OPEN_ID, "date_type": date_type}, token or access_token(sb))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def authorize(base_url: str) -> dict[str, Any]:
    """Exchange the sandbox's auth code for a fresh token pair: one more, independent authorization."""
    form = {"client_key": CLIENT_KEY, "client_secret": CLIENT_SECRET, "code": AUTH_CODE,
            "grant_type": "authorization_code"}  # fmt: skip
    response = requests.post(f"{base_url}{AUTHORIZE_PATH}", data=form, timeout=TIMEOUT)
    answer = response.json()
    assert response.status_code == 200 and answer["data"]["error_code"] == 0, answer
    data: dict[str, Any] = answer["data"]
    return data


def refresh(base_url: str, refresh_token: str) -> dict[str, Any]:
    """The refresh call as an app makes it (a form, no secret); returns the whole answer."""
    form = {"client_key": CLIENT_KEY, "grant_type": "refresh_token", "refresh_token": refresh_token}
    response = requests.post(f"{base_url}{REFRESH_PATH}", data=form, timeout=TIMEOUT)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: the video list's first page of five items."""
    params = {"open_id": OPEN_ID, "cursor": 0, "count": 5}
    return get(sb.url(SOURCE), VIDEO_LIST_PATH, params, access_token(sb), timeout=timeout)


def probe(base_url: str) -> None:
    """One authenticated request to a server started elsewhere (``python -m sandbox serve``) is served."""
    token = authorize(base_url)["access_token"]
    response = get(base_url, VIDEO_LIST_PATH, {"open_id": OPEN_ID, "cursor": 0, "count": 1}, token)
    assert response.status_code == 200 and len(response.json()["data"][RECORDS_KEY]) == 1
