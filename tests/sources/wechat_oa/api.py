"""Calling the WeChat sandbox over HTTP: a token from stable_token, then datacube POSTs; and the one standard
request the generic sandbox tests (faults, the CLI) make of every server."""

from __future__ import annotations

from datetime import date
from typing import Any

import requests

from sandbox import Sandbox
from sandbox.wechat_oa.server import APP_SECRETS

TIMEOUT = 10
SOURCE = "wechat_oa"
APPID = "wx5b1c0e8a3f2d4c61"
METHOD = "POST"  # every datacube call is a POST
SERVER_ERROR_STATUS = 503  # the gateway's; the API itself answers every error in an HTTP 200
RECORDS_KEY = "list"
DAY = date(2026, 11, 20)


def token(base_url: str, appid: str = APPID, secret: str | None = None, force_refresh: bool = False) -> Any:
    body = {"grant_type": "client_credential", "appid": appid, "secret": secret or APP_SECRETS[appid],
            "force_refresh": force_refresh}  # fmt: skip
    return requests.post(f"{base_url}/cgi-bin/stable_token", json=body, timeout=TIMEOUT).json()


def datacube(base_url: str, name: str, begin: date, end: date, access_token: str, timeout: float = TIMEOUT) -> Any:
    return requests.post(
        f"{base_url}/datacube/{name}",
        params={"access_token": access_token},
        json={"begin_date": begin.isoformat(), "end_date": end.isoformat()},
        timeout=timeout,
    )


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: one day of the follower totals (the token call before it is passed by armed faults,
    as an account settings read is)."""
    base = sb.url(SOURCE)
    return datacube(base, "getusercumulate", DAY, DAY, token(base)["access_token"], timeout=timeout)


def probe(base_url: str) -> None:
    """One authenticated request to a server started elsewhere (``python -m sandbox serve``) is answered."""
    access_token = token(base_url)["access_token"]
    response = datacube(base_url, "getusercumulate", DAY, DAY, access_token)
    assert response.status_code == 200 and len(response.json()[RECORDS_KEY]) == 1
