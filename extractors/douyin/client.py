"""Douyin's client and readers: the user's access token with refresh, legacy-envelope errors, the video list and
the fans data.

Every answer of the legacy endpoints is an HTTP 200 whose ``data.error_code`` says what happened (0 is success),
so one error table reads them all; newer endpoints put the code in ``err_no``, read as a fallback. An expired
access token (2190008, or 10008 from older gateways) is refreshed once through the shared token store, then the
call is retried; an expired refresh token (10010) fails at once, saying to re-authorize.

The video list has no date filter: it lists pinned posts first, then newest first, so the reader pages until it
meets a post (not pinned) older than the age limit and keeps the posts published by the end of the snapshot day.
The fans data comes as the last 30 Beijing days in one answer, of which the reader keeps the window's days.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from extractors.auth import OAuthRefresh, Placement, TokenEndpoint, TokenRequestFields, TokenResponseFields
from extractors.connections import (
    Connection,
    ConnectionConfigError,
    extra_int,
    required_extra,
    required_field,
)
from extractors.error_table import Action, ErrorTable
from extractors.errors import ConfigurationError, DayNotOver, ExtractContext, MalformedResponse
from extractors.http import HttpClient, RetrySettings
from extractors.paging import Cursor, PageRequest, RecordsAt, paginate
from extractors.streams import Window
from extractors.token_store import TokenSet, pipeline_token_store

VIDEO_LIST_PATH = "/video/list/"
FANS_PATH = "/data/external/user/fans/"
REFRESH_PATH = "/oauth/refresh_token/"
# The account's days are Beijing days (the platform serves mainland China).
TIMEZONE = "Asia/Shanghai"
# /video/list/ takes count 1..20 per page; full pages by default, since quotas count calls.
MAX_COUNT = 20
DEFAULT_COUNT = MAX_COUNT
# The fans data's longest span (date_type 7, 15 or 30 days, ending with the latest day out).
FANS_DAYS = 30
# Douyin's data services only serve videos created in the last 30 days: older posts are not followed.
MAX_POST_AGE_DAYS = 30

QUOTA_USED_UP = 28003017
NO_PERMISSION = 2100007
REFRESH_TOKEN_EXPIRED = 10010
REFRESH_LIMIT = 10020
QUOTA_ADVICE = (
    "the app's daily call quota is used up; retrying within this run cannot help, as the quota resets the next "
    "day: rerun then, or raise the app's quota in the Douyin developer console"
)
NO_PERMISSION_ADVICE = (
    "the connection's token was authorized by another user than this open_id, or lacks the scope; the open_id "
    "must be the one that authorized the app (extra.open_id)"
)
REAUTHORIZE_ADVICE = "the user must authorize the app again and the new refresh token go in the connection"

# Douyin's codes: the legacy endpoints' and the newer /api endpoints'. A code not listed fails fast.
_CODES: dict[int | str, Action] = {
    2190008: Action.REFRESH,  # access token expired: refresh once, then retry
    10008: Action.REFRESH,  # the same from older gateways
    28001008: Action.REFRESH,  # the same, new style
    2190002: Action.AUTH,  # access token invalid (never issued, revoked, another app's)
    28001003: Action.AUTH,  # the same, new style
    REFRESH_TOKEN_EXPIRED: Action.AUTH,  # refresh token expired: a human must re-authorize
    REFRESH_LIMIT: Action.AUTH,  # refresh token renewed too often: a human must re-authorize
    2100004: Action.RETRY,  # system busy
    28001005: Action.RETRY,  # the same, new style
    28003018: Action.RATE_LIMITED,  # too frequent: back off and retry
    QUOTA_USED_UP: Action.FAIL,  # the app's daily quota: see QUOTA_ADVICE
    2100005: Action.FAIL,  # bad parameter: the same request fails again
    28001007: Action.FAIL,  # the same, new style
    NO_PERMISSION: Action.FAIL,  # no permission on this open_id: see NO_PERMISSION_ADVICE
}
_ADVICE: dict[int | str, str] = {
    QUOTA_USED_UP: QUOTA_ADVICE,
    NO_PERMISSION: NO_PERMISSION_ADVICE,
    REFRESH_TOKEN_EXPIRED: REAUTHORIZE_ADVICE,
    REFRESH_LIMIT: REAUTHORIZE_ADVICE,
}
API_ERRORS = ErrorTable(
    code_path="data.error_code",
    fallback_code_paths=("err_no",),
    ok_codes=frozenset({0}),
    codes=_CODES,
    message_paths=("data.description", "err_msg"),
    request_id_paths=("extra.logid", "log_id"),
    advice=_ADVICE,
)
# At the token endpoint every refusal (a bad parameter or client_key included) needs a human: it ends as
# TokenRefreshFailed, saying to re-authorize.
TOKEN_ERRORS = ErrorTable(
    code_path="data.error_code",
    fallback_code_paths=("err_no",),
    ok_codes=frozenset({0}),
    codes={**_CODES, 2100005: Action.AUTH, 10014: Action.AUTH},
    message_paths=("data.description", "err_msg"),
    request_id_paths=("extra.logid", "log_id"),
    advice=_ADVICE,
    unknown_code=Action.AUTH,
)


@dataclass(frozen=True)
class DouyinSettings:
    base_url: str
    client_key: str
    refresh_token: str = field(repr=False)
    access_token: str | None = field(repr=False)
    count: int
    post_max_age_days: int

    @classmethod
    def from_connection(cls, conn: Connection) -> DouyinSettings:
        required_field(conn, "host", "the Open Platform base URL")
        login = required_field(conn, "login", "the developer app's client_key")
        refresh_token = required_extra(conn, "refresh_token", "from the user's authorization")
        return cls(
            base_url=conn.host.rstrip("/"),
            client_key=login,
            refresh_token=refresh_token,
            access_token=conn.password or None,
            count=extra_int(conn, "count", DEFAULT_COUNT, within=(1, MAX_COUNT)),
            post_max_age_days=extra_int(conn, "post_max_age_days", MAX_POST_AGE_DAYS, within=(1, MAX_POST_AGE_DAYS)),
        )


def token_store_key(conn_id: str, refresh_token: str) -> str:
    """The token store's key for a connection's authorization: its id and a fingerprint of its refresh token,
    so a new authorization put in the connection gets a fresh entry instead of the old one's tokens."""
    return f"{conn_id}.{hashlib.sha256(refresh_token.encode()).hexdigest()[:16]}"


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client sending the user's access token in the ``access-token`` header, refreshed through the shared
    store when Douyin says it expired (the refresh takes the client_key and refresh token, no secret)."""
    try:
        settings = DouyinSettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    endpoint = TokenEndpoint(
        url=f"{settings.base_url}{REFRESH_PATH}",
        client_id=settings.client_key,
        client_secret=None,
        body="form",
        request_fields=TokenRequestFields(client_id="client_key"),
        response_fields=TokenResponseFields(path="data", refresh_expires_in="refresh_expires_in"),
        errors=TOKEN_ERRORS,
    )
    auth = OAuthRefresh(
        endpoint,
        placement=Placement.header("access-token"),
        store=pipeline_token_store(),
        key=token_store_key(conn.conn_id, settings.refresh_token),
        # Only seeds an empty store entry; once the entry holds a token, the store's (maybe newer) one wins.
        initial=TokenSet(access_token=settings.access_token, refresh_token=settings.refresh_token),
    )
    return HttpClient(context, retry=retry, classifier=API_ERRORS, auth=auth)


def day_end(day: date) -> datetime:
    """The instant a Beijing day ends, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(TIMEZONE)).astimezone(UTC)


def read_video_snapshots(
    client: HttpClient, conn: Connection, account: str, window: Window
) -> Iterator[dict[str, Any]]:
    """The posts published in the ``post_max_age_days`` up to the end of the window's last (Beijing) day, with
    their lifetime counters as the list shows them now, exactly as the API returned them."""
    settings = DouyinSettings.from_connection(conn)
    until = day_end(window.last_day)
    since = until - timedelta(days=settings.post_max_age_days)
    request = PageRequest(f"{settings.base_url}{VIDEO_LIST_PATH}", {"open_id": account, "cursor": 0,
                                                                     "count": settings.count})  # fmt: skip
    paginator = Cursor(cursor_path="data.cursor", param="cursor", has_more_path="data.has_more")
    pages = paginate(client, request, paginator, RecordsAt("data.list"), envelope=("data",))
    for page in pages:
        for item in page.records:
            created = _created(client, item, request.url)
            if created >= until:
                continue  # published after the snapshot's day
            if created < since:
                if item.get("is_top") is True:
                    continue  # pinned: listed first whatever its age
                return  # newest first: every later post is older still
            yield item


def _created(client: HttpClient, item: dict[str, Any], url: str) -> datetime:
    value = item.get("create_time")
    if isinstance(value, bool) or not isinstance(value, int):
        where = f"item {item.get('item_id')!r}"
        raise MalformedResponse(
            client.context,
            client.safe_url(url),
            f"{where}: create_time {value!r} is not unix seconds; cannot tell its age",
        )
    return datetime.fromtimestamp(value, UTC)


def read_fans_daily(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    """The window's days of the fans data (the last 30 Beijing days out), exactly as the API returned them."""
    settings = DouyinSettings.from_connection(conn)
    body, response = client.get_json(
        f"{settings.base_url}{FANS_PATH}", {"open_id": account, "date_type": FANS_DAYS}, envelope=("data",)
    )
    where = client.safe_url(response.url)
    rows = RecordsAt("data.result_list").extract(client, body, response.url)
    by_day: dict[date, dict[str, Any]] = {}
    for row in rows:
        try:
            day = date.fromisoformat(str(row.get("date")))
        except ValueError:
            raise MalformedResponse(
                client.context, where, f"result_list date {row.get('date')!r} is not a day"
            ) from None
        by_day[day] = row
    if not by_day:
        raise MalformedResponse(client.context, where, "result_list is empty: Douyin names every day, even quiet ones")
    first, latest = min(by_day), max(by_day)
    if window.last_day > latest:
        raise DayNotOver(
            client.context,
            f"Douyin has published fans data up to {latest} so far; {window.last_day} is not out yet "
            "(data is T+1, out around 10:00 Beijing time)",
        )
    if window.start < first:
        raise ConfigurationError(
            client.context,
            f"Douyin serves the fans data of the last {FANS_DAYS} days only (from {first} now): the window's days "
            f"{window.start}..{first - timedelta(days=1)} can no longer be read; extract from {first} on",
        )
    days = [window.start + timedelta(days=i) for i in range(window.days)]
    missing = [day.isoformat() for day in days if day not in by_day]
    if missing:
        raise MalformedResponse(client.context, where, f"result_list leaves out day(s) {', '.join(missing)}")
    for day in days:
        yield by_day[day]
