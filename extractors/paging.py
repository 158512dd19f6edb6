"""Paging: one loop, many ways of saying "there is another page".

``paginate`` fetches one page at a time and yields it as it arrives, so an extraction holds one page in
memory however long the window. What differs per platform is declared:

- where the records are (``RecordsAt``: ``"data"``, ``"data.list"``, ``"results[*].detail_list"``, or the
  whole body when it is a bare JSON array), and
- how the next request is made (a ``Paginator``): a cursor from the body sent back as a parameter
  (``Cursor``, optionally gated by a ``has_more`` flag), the next URL in the body (``NextUrl``), a page
  number with a total (``PageNumber``), an offset (``OffsetLimit``) or the ``Link`` header
  (``LinkHeader``). Each works for GET (the value goes in the query) and POST (in the JSON or form body).

The loop guards against two server bugs that would otherwise land wrong data silently: handing back a
cursor (or page) it already gave, which would loop forever and land duplicates, and an empty page while
saying there is more, which would quietly end the extraction early.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import requests

from extractors.errors import MalformedResponse
from extractors.http import Classifier, HttpClient, JsonPath, PathSpec, dig, json_path, path_text

Record = dict[str, Any]


@dataclass(frozen=True)
class Page:
    records: list[Record]


@dataclass(frozen=True)
class PageRequest:
    """One page's request: method, URL, query parameters and an optional JSON or form body."""

    url: str
    params: Mapping[str, Any] | None = None
    method: str = "GET"
    json: Any = None
    data: Mapping[str, Any] | None = None

    def location(self, send_in: str) -> str:
        """Where a paging value goes: ``"params"``, ``"json"`` or ``"data"`` (``"auto"``: the body if any)."""
        if send_in != "auto":
            return send_in
        if self.json is not None:
            return "json"
        if self.data is not None:
            return "data"
        return "params"

    def with_value(self, send_in: str, name: PathSpec, value: Any) -> PageRequest:
        """A copy with ``name`` set to ``value``; in a JSON body ``name`` may be a path (``variables.after``)."""
        path = json_path(name)
        where = self.location(send_in)
        if where == "json":
            return replace(self, json=_set_in(self.json if self.json is not None else {}, path, value))
        key = ".".join(path)
        if where == "data":
            return replace(self, data={**(self.data or {}), key: value})
        if where == "params":
            return replace(self, params={**(self.params or {}), key: value})
        raise ValueError(f"send_in must be 'auto', 'params', 'json' or 'data', got {send_in!r}")

    def value(self, send_in: str, name: PathSpec) -> Any:
        """The paging value this request carries (what ``with_value`` set)."""
        path = json_path(name)
        where = self.location(send_in)
        if where == "json":
            return dig(self.json, path)
        source = self.data if where == "data" else self.params
        return (source or {}).get(".".join(path))

    def fingerprint(self) -> str:
        """Identifies the request, to notice a server sending us back to a page we already read."""
        return json.dumps(
            [self.method.upper(), self.url, dict(self.params or {}), self.json, dict(self.data or {})],
            sort_keys=True,
            default=str,
        )


def _set_in(body: Any, path: JsonPath, value: Any) -> Any:
    if not path:
        return value
    if not isinstance(body, Mapping):
        raise ValueError(f"cannot set {'.'.join(path)} in a JSON body that is not an object")
    head, rest = path[0], path[1:]
    return {**body, head: _set_in(body.get(head, {}), rest, value)}


@dataclass(frozen=True)
class RecordsAt:
    """Where a page's records are.

    ``path`` walks objects by key and flattens lists at ``*``: ``"data.list"``, ``"data.data_list"``,
    ``"results[*].detail_list"`` (every result's sub-list, in order), ``"[*].results"`` (each batch of a
    bare array, Google searchStream) or ``""`` (the body is the array of records). What the path reaches
    must be a list of objects. A missing or null key fails (a changed envelope must not read as "no
    data") unless ``optional``: Google leaves ``results`` out of a batch without rows. ``inherit`` copies
    the named fields of the object a ``*`` walked into every record of its sub-list, so a flattened
    WeChat ``detail_list`` row keeps its article's ``msgid``.
    """

    path: PathSpec = "data"
    optional: bool = False
    inherit: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", json_path(self.path))

    @property
    def wants_array(self) -> bool:
        """Whether the body itself is an array (path empty or starting at ``*``)."""
        return not self.path or self.path[0] == "*"

    def extract(self, client: HttpClient, body: Any, url: str) -> list[Record]:
        path = json_path(self.path)
        where = path_text(path) or "the body"

        def broken(what: str) -> MalformedResponse:
            return MalformedResponse(client.context, client.safe_url(url), what)

        current: list[tuple[Any, Mapping[str, Any] | None]] = [(body, None)]
        for depth, part in enumerate(path):
            reached = path_text(path[:depth]) or "the body"
            following: list[tuple[Any, Mapping[str, Any] | None]] = []
            for value, parent in current:
                if part == "*":
                    if not isinstance(value, list):
                        raise broken(f"'{reached}' is not a list")
                    following.extend((item, item if isinstance(item, Mapping) else parent) for item in value)
                    continue
                if not isinstance(value, Mapping):
                    raise broken(f"'{reached}' is not an object")
                if value.get(part) is None:
                    if self.optional:
                        continue
                    state = "null" if part in value else "missing"
                    raise broken(f"'{path_text(path[: depth + 1])}' is {state}; got keys {sorted(value)[:20]}")
                following.append((value[part], parent))
            current = following

        found: list[Record] = []
        for value, parent in current:
            if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                raise broken(f"'{where}' is not a list of objects")
            if not self.inherit or parent is None:
                found.extend(value)
                continue
            for item in value:
                found.append(self._with_parent_fields(item, parent, broken))
        return found

    def _with_parent_fields(
        self, item: Record, parent: Mapping[str, Any], broken: Callable[[str], MalformedResponse]
    ) -> Record:
        inherited = {name: parent[name] for name in self.inherit if name in parent}
        for name, value in inherited.items():
            if name in item and item[name] != value:
                raise broken(f"record field '{name}' differs from its parent's; cannot inherit it")
        return {**inherited, **item}


class Paginator(ABC):
    """How to get from one page's request and answer to the next request (None: this was the last)."""

    def first(self, request: PageRequest) -> PageRequest:
        """The first request, with whatever the paginator must add (page 1, offset 0)."""
        return request

    @abstractmethod
    def next(
        self, client: HttpClient, request: PageRequest, body: Any, response: requests.Response, records: list[Record]
    ) -> PageRequest | None:
        """The next page's request, or None when ``request`` fetched the last page."""


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _count(client: HttpClient, body: Any, path: JsonPath, url: str) -> int | None:
    value = dig(body, path)
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        return int(value)
    except (TypeError, ValueError):
        raise MalformedResponse(client.context, client.safe_url(url), f"'{path_text(path)}' is not a number") from None


@dataclass(frozen=True)
class NextUrl(Paginator):
    """Each body carries the full URL of the next page (Graph API ``paging.next``); followed as is.

    The next URL already holds every query parameter, so none are sent again; a POST keeps its body.
    """

    next_path: PathSpec = ("paging", "next")

    def next(
        self, client: HttpClient, request: PageRequest, body: Any, response: requests.Response, records: list[Record]
    ) -> PageRequest | None:
        path = json_path(self.next_path)
        candidate = dig(body, path)
        if candidate is not None and not isinstance(candidate, str):
            raise MalformedResponse(client.context, client.safe_url(response.url), f"{path_text(path)} is not a URL")
        if not candidate:
            return None
        return replace(request, url=candidate, params=None)


@dataclass(frozen=True)
class LinkHeader(Paginator):
    """The ``Link: <...>; rel="next"`` header (REST APIs in GitHub's style).

    The next link carries only the cursor (and limit): the original filters are baked into the cursor
    and must not be sent again (some platforms answer 400 if they are).
    """

    rel: str = "next"

    def next(
        self, client: HttpClient, request: PageRequest, body: Any, response: requests.Response, records: list[Record]
    ) -> PageRequest | None:
        candidate = response.links.get(self.rel, {}).get("url")
        if not candidate:
            return None
        return replace(request, url=candidate, params=None)


@dataclass(frozen=True)
class Cursor(Paginator):
    """A cursor read from the body and sent back as ``param`` (``pageToken``, ``cursor``, ``variables.after``).

    Without ``has_more_path`` a missing or empty cursor ends the paging (Google ``nextPageToken``). With
    it, the flag decides and a missing cursor while the flag says "more" is an error (Douyin
    ``data.has_more`` + ``data.cursor``, GraphQL ``pageInfo.hasNextPage`` + ``endCursor``).
    """

    cursor_path: PathSpec
    param: PathSpec
    has_more_path: PathSpec | None = None
    send_in: str = "auto"

    def next(
        self, client: HttpClient, request: PageRequest, body: Any, response: requests.Response, records: list[Record]
    ) -> PageRequest | None:
        cursor = dig(body, self.cursor_path)
        if self.has_more_path is not None:
            if not _truthy(dig(body, self.has_more_path)):
                return None
            if cursor is None or cursor == "":
                raise MalformedResponse(
                    client.context,
                    client.safe_url(response.url),
                    f"'{path_text(self.has_more_path)}' says there is more but "
                    f"'{path_text(self.cursor_path)}' gives no cursor",
                )
        elif cursor is None or cursor == "":
            return None
        if isinstance(cursor, Mapping | list):
            raise MalformedResponse(
                client.context,
                client.safe_url(response.url),
                f"'{path_text(self.cursor_path)}' is not a cursor",
            )
        return request.with_value(self.send_in, self.param, cursor)


@dataclass(frozen=True)
class PageNumber(Paginator):
    """Numbered pages: ``param`` counts from ``start`` (1 on TikTok, 0 on Douyin Shop).

    Whether another page exists comes from, in this order: ``has_more_path`` (Taobao ``has_next``),
    ``total_pages_path`` (TikTok/Ocean Engine ``data.page_info.total_page``), ``total_items_path`` with
    ``size`` (``total_number`` / ``page_size``, Xiaohongshu ``total_count``), a short page when ``size`` is
    known, or else an empty page. ``page_path`` is where the server echoes the page it served; a
    different page than asked for is an error, not data.
    """

    param: PathSpec = "page"
    start: int = 1
    size_param: PathSpec | None = None
    size: int | None = None
    total_pages_path: PathSpec | None = None
    total_items_path: PathSpec | None = None
    has_more_path: PathSpec | None = None
    page_path: PathSpec | None = None
    send_in: str = "auto"

    def first(self, request: PageRequest) -> PageRequest:
        first = request.with_value(self.send_in, self.param, self.start)
        if self.size_param is not None and self.size is not None:
            first = first.with_value(self.send_in, self.size_param, self.size)
        return first

    def next(
        self, client: HttpClient, request: PageRequest, body: Any, response: requests.Response, records: list[Record]
    ) -> PageRequest | None:
        page = int(request.value(self.send_in, self.param))
        if self.page_path is not None:
            served = _count(client, body, json_path(self.page_path), response.url)
            if served is not None and served != page:
                raise MalformedResponse(
                    client.context,
                    client.safe_url(response.url),
                    f"asked for page {page}, the server answered page {served}",
                )
        served_pages = page - self.start + 1
        if self.has_more_path is not None:
            more = _truthy(dig(body, self.has_more_path))
        elif self.total_pages_path is not None:
            total_pages = _count(client, body, json_path(self.total_pages_path), response.url) or 0
            more = served_pages < total_pages
        elif self.total_items_path is not None and self.size:
            total_items = _count(client, body, json_path(self.total_items_path), response.url) or 0
            more = served_pages * self.size < total_items
        elif self.size:
            more = len(records) >= self.size
        else:
            more = bool(records)
        return request.with_value(self.send_in, self.param, page + 1) if more else None


@dataclass(frozen=True)
class OffsetLimit(Paginator):
    """Offset and limit: the next offset is this one plus the records received.

    With ``total_path`` the total decides; without it a short page is the last one.
    """

    offset_param: PathSpec = "offset"
    limit_param: PathSpec = "limit"
    limit: int = 100
    start: int = 0
    total_path: PathSpec | None = None
    send_in: str = "auto"

    def first(self, request: PageRequest) -> PageRequest:
        first = request.with_value(self.send_in, self.offset_param, self.start)
        return first.with_value(self.send_in, self.limit_param, self.limit)

    def next(
        self, client: HttpClient, request: PageRequest, body: Any, response: requests.Response, records: list[Record]
    ) -> PageRequest | None:
        offset = int(request.value(self.send_in, self.offset_param)) + len(records)
        if self.total_path is not None:
            total = _count(client, body, json_path(self.total_path), response.url) or 0
            more = offset < total
        else:
            more = len(records) >= self.limit
        return request.with_value(self.send_in, self.offset_param, offset) if more else None


@dataclass(frozen=True)
class SinglePage(Paginator):
    """No paging: the first answer is the whole answer (WeChat datacube, a report download)."""

    def next(
        self, client: HttpClient, request: PageRequest, body: Any, response: requests.Response, records: list[Record]
    ) -> PageRequest | None:
        return None


def paginate(
    client: HttpClient,
    request: PageRequest,
    paginator: Paginator,
    records_at: RecordsAt | PathSpec = "data",
    *,
    envelope: Sequence[str] = (),
    classifier: Classifier | None = None,
) -> Iterator[Page]:
    """Every page of ``request`` as ``paginator`` walks them, with the records at ``records_at``.

    Raises MalformedResponse when the server sends us back to a request we already made, or hands over
    an empty page while saying there is more.
    """
    at = records_at if isinstance(records_at, RecordsAt) else RecordsAt(records_at)
    first = paginator.first(request)
    seen = {first.fingerprint()}
    current: PageRequest | None = first
    while current is not None:
        body, response = client.request_json(
            current.method,
            current.url,
            params=current.params,
            json=current.json,
            data=current.data,
            envelope=envelope,
            allow_array=at.wants_array,
            classifier=classifier,
        )
        page_records = at.extract(client, body, response.url)
        following = paginator.next(client, current, body, response, page_records)
        if following is not None:
            if not page_records:
                raise MalformedResponse(
                    client.context,
                    client.safe_url(response.url),
                    "empty page with a next link: the server says there is more but sent no records",
                )
            fingerprint = following.fingerprint()
            if fingerprint in seen:
                raise MalformedResponse(
                    client.context,
                    client.safe_url(following.url),
                    "the server returned a page cursor it already gave",
                )
            seen.add(fingerprint)
        yield Page(page_records)
        current = following


def body_next_url_pages(
    client: HttpClient,
    url: str,
    params: Mapping[str, Any],
    *,
    records_key: str = "data",
    next_path: Sequence[str] = ("paging", "next"),
) -> Iterator[Page]:
    """Cursor paging where each body carries the full URL of the next page (Graph API style)."""
    return paginate(
        client, PageRequest(url, params), NextUrl(tuple(next_path)), RecordsAt((records_key,)), envelope=(records_key,)
    )


def link_header_pages(client: HttpClient, url: str, params: Mapping[str, Any], *, records_key: str) -> Iterator[Page]:
    """Paging by the ``Link: <...>; rel="next"`` response header (GitHub style)."""
    return paginate(client, PageRequest(url, params), LinkHeader(), RecordsAt((records_key,)), envelope=(records_key,))


def records(pages: Iterable[Page]) -> Iterator[dict[str, Any]]:
    """Flatten pages into records, still lazily."""
    for page in pages:
        yield from page.records
