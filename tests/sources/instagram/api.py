"""Calling the Instagram sandbox over HTTP: Graph paths with a Bearer token; and the one standard request the
generic sandbox tests (faults, the CLI) make of every server."""

from __future__ import annotations

from typing import Any

import requests

from sandbox import Sandbox
from sandbox.instagram.server import ACCESS_TOKEN

TIMEOUT = 10
SOURCE = "instagram"
IG_USER = "17841405822304914"
VERSION = "v27.0"
SERVER_ERROR_STATUS = 500  # Graph's own: HTTP 500 with error code 2
RECORDS_KEY = "data"
FIELDS = "id,timestamp,media_type,media_product_type,permalink,caption,like_count,comments_count"


def get(base_url: str, path: str, params: dict[str, Any] | None = None, token: str | None = ACCESS_TOKEN,
        timeout: float = TIMEOUT) -> requests.Response:  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return requests.get(f"{base_url}/{VERSION}/{path}", params=params, headers=headers, timeout=timeout)


def media_page(sb: Sandbox, limit: int = 5, **params: Any) -> requests.Response:
    return get(sb.url(SOURCE), f"{IG_USER}/media", {"fields": FIELDS, "limit": limit, **params})


def every_media(sb: Sandbox, limit: int = 25) -> tuple[list[dict[str, Any]], int]:
    """Every media by following paging.next; returns (media, pages)."""
    response = media_page(sb, limit)
    found: list[dict[str, Any]] = []
    pages = 0
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        found.extend(body["data"])
        pages += 1
        following = body.get("paging", {}).get("next")
        if not following:
            return found, pages
        response = requests.get(following, headers={"Authorization": f"Bearer {ACCESS_TOKEN}"}, timeout=TIMEOUT)


def insights(sb: Sandbox, media_id: str, metric: str = "reach,views,likes,comments,shares,saved") -> requests.Response:
    return get(sb.url(SOURCE), f"{media_id}/insights", {"metric": metric, "period": "lifetime"})


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: one page of five media."""
    return get(sb.url(SOURCE), f"{IG_USER}/media", {"fields": FIELDS, "limit": 5}, timeout=timeout)


def probe(base_url: str) -> None:
    """One authenticated request to a server started elsewhere (``python -m sandbox serve``) is served."""
    response = get(base_url, f"{IG_USER}/media", {"fields": FIELDS, "limit": 1})
    assert response.status_code == 200 and len(response.json()[RECORDS_KEY]) == 1
