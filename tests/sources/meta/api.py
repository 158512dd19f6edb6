"""Calling the Meta insights sandbox over HTTP: small clients that follow paging.next to the end, and the
one standard request the generic sandbox tests (faults, the CLI) make of every server."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import requests

from sandbox import Sandbox
from sandbox.meta.server import ACCESS_TOKEN

TIMEOUT = 10
# The standard request: five insights rows of one day.
DAY = date(2026, 11, 20)
RECORDS_KEY = "data"
SERVER_ERROR_STATUS = 500  # Graph's 500 with error code 2


def meta_params(since: date, until: date, **extra: Any) -> dict[str, Any]:
    return {
        "access_token": ACCESS_TOKEN,
        "level": "ad",
        "time_increment": "1",
        "time_range": json.dumps({"since": since.isoformat(), "until": until.isoformat()}),
        **extra,
    }


def meta_url(sb: Sandbox, account: str = "act_1001", version: str = "v27.0") -> str:
    return insights_url(sb.url("meta"), account, version)


def insights_url(base_url: str, account: str = "act_1001", version: str = "v27.0") -> str:
    return f"{base_url}/{version}/{account}/insights"


def fetch_meta(sb: Sandbox, account: str, since: date, until: date, **extra: Any) -> tuple[list[dict], int]:
    """All rows by following paging.next; returns (rows, pages)."""
    response = requests.get(meta_url(sb, account), params=meta_params(since, until, **extra), timeout=TIMEOUT)
    rows, pages = [], 0
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        rows.extend(body["data"])
        pages += 1
        next_url = body.get("paging", {}).get("next")
        if not next_url:
            return rows, pages
        response = requests.get(next_url, timeout=TIMEOUT)


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: one page of five rows."""
    return requests.get(meta_url(sb), params=meta_params(DAY, DAY, limit=5), timeout=timeout)


def probe(base_url: str) -> None:
    """One authenticated request to a server started elsewhere (``python -m sandbox serve``) is served."""
    response = requests.get(insights_url(base_url), params=meta_params(DAY, DAY, limit=1), timeout=TIMEOUT)
    assert response.status_code == 200 and len(response.json()["data"]) == 1
