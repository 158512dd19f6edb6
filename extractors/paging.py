"""Paging helpers: generators that fetch one page at a time.

Pages are yielded as they arrive so an extraction holds one page in memory, however long the window.
Both styles guard against a server that hands back a cursor it already gave (a loop would otherwise
fetch forever and land duplicates).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from extractors.errors import MalformedResponse
from extractors.http import HttpClient


@dataclass(frozen=True)
class Page:
    number: int
    records: list[dict[str, Any]]


def _records_of(client: HttpClient, body: dict[str, Any], key: str, url: str) -> list[dict[str, Any]]:
    records = body[key]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise MalformedResponse(client.context, client.safe_url(url), f"'{key}' is not a list of objects")
    return records


def _dig(body: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = body
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _check_not_seen(client: HttpClient, seen: set[str], next_url: str) -> None:
    if next_url in seen:
        raise MalformedResponse(
            client.context, client.safe_url(next_url), "the server returned a page cursor it already gave"
        )
    seen.add(next_url)


def body_next_url_pages(
    client: HttpClient,
    url: str,
    params: Mapping[str, Any],
    *,
    records_key: str = "data",
    next_path: Sequence[str] = ("paging", "next"),
) -> Iterator[Page]:
    """Cursor paging where each body carries the full URL of the next page (Graph API style).

    The next URL already holds every query parameter, so it is followed as is; the last page has no
    next URL.
    """
    seen: set[str] = set()
    next_url: str | None = url
    next_params: Mapping[str, Any] | None = params
    number = 0
    while next_url:
        body, response = client.get_json(next_url, next_params, envelope=(records_key,))
        number += 1
        yield Page(number, _records_of(client, body, records_key, response.url))
        candidate = _dig(body, next_path)
        if candidate is not None and not isinstance(candidate, str):
            raise MalformedResponse(
                client.context, client.safe_url(response.url), f"{'.'.join(next_path)} is not a URL"
            )
        next_url, next_params = candidate or None, None
        if next_url:
            _check_not_seen(client, seen, next_url)


def link_header_pages(client: HttpClient, url: str, params: Mapping[str, Any], *, records_key: str) -> Iterator[Page]:
    """Paging by the ``Link: <...>; rel="next"`` response header (Shopify REST, GitHub style).

    The next link carries only the cursor (and limit): the original filters are baked into the cursor
    and must not be sent again (Shopify answers 400 if they are).
    """
    seen: set[str] = set()
    next_url: str | None = url
    next_params: Mapping[str, Any] | None = params
    number = 0
    while next_url:
        body, response = client.get_json(next_url, next_params, envelope=(records_key,))
        number += 1
        yield Page(number, _records_of(client, body, records_key, response.url))
        next_url, next_params = response.links.get("next", {}).get("url"), None
        if next_url:
            _check_not_seen(client, seen, next_url)


def records(pages: Iterable[Page]) -> Iterator[dict[str, Any]]:
    """Flatten pages into records, still lazily."""
    for page in pages:
        yield from page.records
