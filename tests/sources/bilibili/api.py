"""Calling the Bilibili sandbox over HTTP: signed requests with the user's token, and the one standard request the
generic sandbox tests (faults, the CLI) make of every server."""

from __future__ import annotations

from typing import Any

import requests

from extractors.bilibili.client import signed_headers
from sandbox import Sandbox
from sandbox.bilibili.server import APP_SECRET, AUTH_CODE, CLIENT_ID

TIMEOUT = 10
SOURCE = "bilibili"
RECORDS_KEY = "list"
SERVER_ERROR_STATUS = 500  # Bilibili's -500 with an HTTP 500; the API's own errors come in HTTP 200
VIEWLIST_PATH = "/arcopen/fn/archive/viewlist"
ARC_STAT_PATH = "/arcopen/fn/data/arc/stat"
USER_STAT_PATH = "/arcopen/fn/data/user/stat"
INFO_PATH = "/arcopen/fn/user/account/info"
REFRESH_PATH = "/x/account-oauth2/v1/refresh_token"
AUTHORIZE_PATH = "/x/account-oauth2/v1/token"


def token(sb: Sandbox) -> str:
    """The access token the sandbox's connection carries."""
    value: str = sb.server(SOURCE).connection()["password"]
    return value


def get(
    base_url: str,
    path: str,
    params: dict[str, Any] | None = None,
    access_token: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> requests.Response:
    """A GET signed as the platform wants it (override or drop headers with ``headers``; a None value drops)."""
    sent = signed_headers(CLIENT_ID, APP_SECRET, b"")
    if access_token is not None:
        sent["access-token"] = access_token
    for name, value in (headers or {}).items():
        if value is None:
            sent.pop(name, None)
        else:
            sent[name] = value
    return requests.get(f"{base_url}{path}", params=params or {}, headers=sent, timeout=timeout)


def get_json(sb: Sandbox, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    """The answer as JSON, checking it came as an HTTP 200 (every answer of the API does)."""
    response = get(sb.url(SOURCE), path, params, kwargs.pop("access_token", token(sb)), **kwargs)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: the first page of five archives."""
    return get(sb.url(SOURCE), VIEWLIST_PATH, {"pn": 1, "ps": 5, "status": "pubed"}, token(sb), timeout=timeout)


def authorize(base_url: str, code: str = AUTH_CODE) -> dict[str, Any]:
    """Exchange the sandbox's authorization code for a token pair, as the end of a consent does."""
    params = {"client_id": CLIENT_ID, "client_secret": APP_SECRET, "grant_type": "authorization_code", "code": code}
    response = requests.post(f"{base_url}{AUTHORIZE_PATH}", params=params, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def refresh(sb: Sandbox, refresh_token: str, secret: str = APP_SECRET) -> dict[str, Any]:
    """The refresh grant as the platform documents it: every field a URL parameter of a POST."""
    params = {
        "client_id": CLIENT_ID,
        "client_secret": secret,
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
    }
    response = requests.post(f"{sb.url(SOURCE)}{REFRESH_PATH}", params=params, timeout=TIMEOUT)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def probe(base_url: str) -> None:
    """One authenticated request to a server started elsewhere (``python -m sandbox serve``) is served."""
    access_token = authorize(base_url)["data"]["access_token"]
    response = get(base_url, VIEWLIST_PATH, {"pn": 1, "ps": 1, "status": "pubed"}, access_token)
    assert response.status_code == 200 and len(response.json()["data"][RECORDS_KEY]) == 1
