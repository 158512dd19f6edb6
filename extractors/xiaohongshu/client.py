"""Xiaohongshu's client and readers: two authorizations of one app (聚光 and 蒲公英) refreshed through the shared token
store, two error shapes, and the three POST JSON endpoints, paged by page number and read in 30-day pieces.

Every business answer is an HTTP 200 ``{success, code, msg, data, request_id}``: ``success`` says whether it worked
and ``code`` which error it is. The gateway in front answers its own refusals (an unknown token, throttling, its own
failures) as ``{errorCode, errorMsg}`` without a ``success`` flag, so those are read first (``EnvelopeErrors``). An
expired access token is refreshed once, which also rotates the refresh token; a refused refresh fails at once.

The readers:

- the offline note report (``/jg/data/report/offline/note``): ``data.data_list`` paged by ``page_num`` up to
  ``data.total_count``, at most ``REPORT_MAX_DAYS`` per request (a longer window is read in pieces, halved further if
  the API still calls one too large); an empty answer leaves ``data_list`` out. The data is T+1: a window whose last
  day has no row at all is not out yet (``DayNotOver``), unless the advertiser is listed as paused;
- the note list (``/jg/note/list``, the brand's own notes, ``note_type`` 1): ``data.notes`` paged by ``page`` up to
  ``data.total``, filtered on the notes' creation day;
- 蒲公英's post-campaign data (``/pgy/note/post/data``, ``date_type`` 2: by note publish day): ``data.datas`` paged by
  ``page_num`` up to ``data.total_page`` (the server echoes the page), at most ``PGY_MAX_DAYS`` per request. Each row
  says which day its figures are as of (``date_key``): one earlier than the snapshot day means not out yet.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import requests

from extractors.auth import OAuthRefresh, Placement, TokenEndpoint, TokenRequestFields, TokenResponseFields
from extractors.connections import (
    Connection,
    ConnectionConfigError,
    extra_int,
    extra_str,
    extra_str_list,
    required_extra,
    required_field,
)
from extractors.error_table import Action, ErrorTable
from extractors.errors import ConfigurationError, DayNotOver, ExtractContext, MalformedResponse
from extractors.http import HttpClient, Outcome, RetrySettings, Verdict
from extractors.paging import PageNumber, PageRequest, RecordsAt, paginate, records
from extractors.run import PAUSED_ACCOUNTS_KEY
from extractors.streams import Window
from extractors.token_store import TokenSet, pipeline_token_store
from extractors.windows import read_in_chunks
from extractors.xiaohongshu.source import COLLABORATION_SNAPSHOTS

log = logging.getLogger(__name__)

REFRESH_PATH = "/oauth2/refresh_token"
REPORT_PATH = "/jg/data/report/offline/note"
NOTE_LIST_PATH = "/jg/note/list"
COLLABORATIONS_PATH = "/pgy/note/post/data"
# Mainland China only: days are Beijing days, money is yuan.
TIMEZONE = "Asia/Shanghai"
CURRENCY = "CNY"
# Inclusive days per request: 蒲公英 documents 30 (start_time..end_time); 聚光's offline report is read the same way.
REPORT_MAX_DAYS = 30
PGY_MAX_DAYS = 30
# Largest pages: the report takes 1000, the note list and 蒲公英 100. Full pages by default: quotas count calls.
MAX_PAGE_SIZE = 1000
MAX_LIST_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE
DEFAULT_POST_MAX_AGE_DAYS = 30
MAX_POST_AGE_DAYS = 90
# The brand's own notes in the note list (2 would be the collaboration notes it may promote).
OWN_NOTES = 1
# 蒲公英's date_type: 2 filters on the note's publish time (1 on the order's creation).
BY_PUBLISH_TIME = 2

# Streams read with the 蒲公英 authorization (platform_type 2); every other one uses 聚光's (platform_type 1).
PGY_STREAMS = frozenset({COLLABORATION_SNAPSHOTS.name})

# Business codes (in ``code`` beside ``success: false``). [recall: the sandbox's table; check against the 聚光 docs.]
PARAMETER_ERROR = 40001
NO_PERMISSION = 40002
ACCESS_TOKEN_INVALID = 40003
ACCESS_TOKEN_EXPIRED = 40004
REFRESH_TOKEN_INVALID = 40005
APP_CREDENTIALS_WRONG = 40006
WRONG_PLATFORM = 40007
RANGE_TOO_LARGE = 40008
TOO_FREQUENT = 40100
SYSTEM_BUSY = 50000
# Gateway codes (in ``errorCode``, no ``success`` flag).
GATEWAY_UNAUTHORIZED = 401
GATEWAY_THROTTLED = 429

REAUTHORIZE_ADVICE = (
    "the refresh token is dead (expired after 30 days, already used, or revoked): a human must authorize the app "
    "again (ad.xiaohongshu.com/aurora/openApiAuth) and put the new refresh token in the connection"
)
SECRET_ADVICE = "the app_id (login) or the app secret (extra.secret) is wrong: copy both from the developer console"
NO_PERMISSION_ADVICE = (
    "the authorization does not cover this advertiser (or brand user id): extra.advertiser_id and extra.brand_user_id "
    "must be among the ones the authorizing account approved"
)
WRONG_PLATFORM_ADVICE = (
    "the token is another platform's: 聚光 streams take the 聚光 authorization (password, extra.refresh_token), "
    "collaboration_snapshots the 蒲公英 one (extra.pgy_access_token, extra.pgy_refresh_token)"
)
GATEWAY_TOKEN_ADVICE = "the gateway does not know the access token: put a current one in the connection, or none"

_CODES: dict[int | str, Action] = {
    ACCESS_TOKEN_EXPIRED: Action.REFRESH,  # refresh once, then retry
    ACCESS_TOKEN_INVALID: Action.AUTH,  # never issued, revoked, another app's
    REFRESH_TOKEN_INVALID: Action.AUTH,  # a human must re-authorize
    APP_CREDENTIALS_WRONG: Action.AUTH,  # a human must fix the app's credentials
    WRONG_PLATFORM: Action.FAIL,  # the connection pairs the stream with the wrong authorization
    NO_PERMISSION: Action.FAIL,  # the advertiser is not covered: see NO_PERMISSION_ADVICE
    PARAMETER_ERROR: Action.FAIL,  # the same request fails again
    RANGE_TOO_LARGE: Action.TOO_LARGE,  # read the window in smaller pieces
    TOO_FREQUENT: Action.RATE_LIMITED,  # back off and retry
    SYSTEM_BUSY: Action.RETRY,
}
_ADVICE: dict[int | str, str] = {
    REFRESH_TOKEN_INVALID: REAUTHORIZE_ADVICE,
    APP_CREDENTIALS_WRONG: SECRET_ADVICE,
    NO_PERMISSION: NO_PERMISSION_ADVICE,
    WRONG_PLATFORM: WRONG_PLATFORM_ADVICE,
}


@dataclass(frozen=True)
class EnvelopeErrors(ErrorTable):
    """Xiaohongshu's business table (the ``success`` flag) after its gateway's (``errorCode``).

    The framework's table with ``ok_path`` takes a body without the flag for a success, whatever other code it
    holds, and the gateway's refusals carry no flag: they are read first with a table of their own.
    """

    gateway: ErrorTable | None = None

    def classify(self, response: requests.Response) -> Verdict:
        if self.gateway is not None:
            verdict = self.gateway.classify(response)
            if verdict.outcome is not Outcome.OK:
                return verdict
        return super().classify(response)


GATEWAY_ERRORS = ErrorTable(
    code_path="errorCode",
    ok_codes=frozenset({0}),
    codes={
        GATEWAY_UNAUTHORIZED: Action.AUTH,
        GATEWAY_THROTTLED: Action.RATE_LIMITED,
        500: Action.RETRY,
        502: Action.RETRY,
        503: Action.RETRY,
    },
    message_paths=("errorMsg",),
    request_id_paths=("request_id",),
    advice={GATEWAY_UNAUTHORIZED: GATEWAY_TOKEN_ADVICE},
)
API_ERRORS = EnvelopeErrors(
    ok_path="success",
    code_path="code",
    codes=_CODES,
    message_paths=("msg", "message"),
    request_id_paths=("request_id",),
    advice=_ADVICE,
    gateway=GATEWAY_ERRORS,
)
# At the token endpoint every refusal needs a human (a bad parameter there is a bad app id or secret): it ends as
# TokenRefreshFailed, with the advice that says what to fix.
TOKEN_ERRORS = EnvelopeErrors(
    ok_path="success",
    code_path="code",
    codes={**_CODES, PARAMETER_ERROR: Action.AUTH},
    message_paths=("msg", "message"),
    request_id_paths=("request_id",),
    advice=_ADVICE,
    unknown_code=Action.AUTH,
    gateway=GATEWAY_ERRORS,
)


@dataclass(frozen=True)
class XiaohongshuSettings:
    base_url: str
    app_id: str
    secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_token: str | None = field(repr=False)
    pgy_refresh_token: str | None = field(repr=False)
    pgy_access_token: str | None = field(repr=False)
    brand_user_id: str | None
    page_size: int
    post_max_age_days: int

    @classmethod
    def from_connection(cls, conn: Connection) -> XiaohongshuSettings:
        required_field(conn, "host", "the API base URL, https://adapi.xiaohongshu.com/api/open")
        login = required_field(conn, "login", "the developer app's app_id")
        secret = required_extra(conn, "secret", "the developer app's secret")
        refresh_token = required_extra(conn, "refresh_token", "from the 聚光 authorization")
        return cls(
            base_url=conn.host.rstrip("/"),
            app_id=login,
            secret=secret,
            refresh_token=refresh_token,
            access_token=conn.password or None,
            pgy_refresh_token=extra_str(conn, "pgy_refresh_token") or None,
            pgy_access_token=extra_str(conn, "pgy_access_token") or None,
            brand_user_id=extra_str(conn, "brand_user_id") or None,
            page_size=extra_int(conn, "page_size", DEFAULT_PAGE_SIZE, within=(1, MAX_PAGE_SIZE)),
            post_max_age_days=extra_int(
                conn, "post_max_age_days", DEFAULT_POST_MAX_AGE_DAYS, within=(1, MAX_POST_AGE_DAYS)
            ),
        )

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    @property
    def list_page_size(self) -> int:
        return min(self.page_size, MAX_LIST_PAGE_SIZE)


def token_store_key(conn_id: str, platform: str, refresh_token: str) -> str:
    """The token store's key for one authorization of a connection: its id, the platform (``jg`` 聚光, ``pgy``
    蒲公英) and a fingerprint of the refresh token the connection carries, so a new authorization put in the
    connection gets a fresh entry instead of the dead pair of the old one."""
    return f"{conn_id}.{platform}.{hashlib.sha256(refresh_token.encode()).hexdigest()[:16]}"


def authorization(settings: XiaohongshuSettings, conn: Connection, stream: str) -> tuple[str, str, str | None]:
    """(platform, refresh token, access token) of the authorization that serves ``stream``."""
    if stream not in PGY_STREAMS:
        return "jg", settings.refresh_token, settings.access_token
    if not settings.pgy_refresh_token:
        raise ConnectionConfigError(
            f"connection '{conn.conn_id}' has no extra.pgy_refresh_token: {stream} reads 蒲公英, which takes an "
            "authorization of its own (platform_type 2)"
        )
    return "pgy", settings.pgy_refresh_token, settings.pgy_access_token


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client sending the stream's platform's access token in the ``Access-Token`` header, refreshed (and its
    refresh token rotated) through the shared store when the API says it expired."""
    try:
        settings = XiaohongshuSettings.from_connection(conn)
        platform, refresh_token, access_token = authorization(settings, conn, context.stream)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    endpoint = TokenEndpoint(
        url=settings.url(REFRESH_PATH),
        client_id=settings.app_id,
        client_secret=settings.secret,
        grant_type=None,  # the body is {app_id, secret, refresh_token}, nothing else
        body="json",
        request_fields=TokenRequestFields(client_id="app_id", client_secret="secret"),
        response_fields=TokenResponseFields(
            path="data", expires_in="access_token_expires_in", refresh_expires_in="refresh_token_expires_in"
        ),
        # The app id is a number in the API's JSON.
        extra={"app_id": int(settings.app_id)} if settings.app_id.isdigit() else {},
        errors=TOKEN_ERRORS,
    )
    auth = OAuthRefresh(
        endpoint,
        placement=Placement.header("Access-Token"),
        store=pipeline_token_store(),
        key=token_store_key(conn.conn_id, platform, refresh_token),
        # Only seeds an empty store entry; once the entry holds a pair, the store's (maybe rotated) pair wins.
        initial=TokenSet(access_token=access_token, refresh_token=refresh_token),
    )
    return HttpClient(context, retry=retry, classifier=API_ERRORS, auth=auth)


def _advertiser(client: HttpClient, account: str) -> int:
    if not account.isdigit():
        raise ConfigurationError(client.context, f"advertiser id {account!r} in extra.advertiser_id is not a number")
    return int(account)


def read_note_report_daily(
    client: HttpClient, conn: Connection, account: str, window: Window
) -> Iterator[dict[str, Any]]:
    """The window's note-days of the offline note report, every page of every 30-day piece, as the API returned
    them; the window's last day must be out (T+1)."""
    settings = XiaohongshuSettings.from_connection(conn)
    advertiser = _advertiser(client, account)
    url = settings.url(REPORT_PATH)
    paginator = PageNumber(
        param="page_num", start=1, size_param="page_size", size=settings.page_size, total_items_path="data.total_count"
    )
    # An empty answer leaves data_list out; whether the window is out is told by its last day below.
    rows_at = RecordsAt("data.data_list", optional=True)

    def read(piece: Window) -> Iterator[dict[str, Any]]:
        body = {
            "advertiser_id": advertiser,
            "start_date": piece.start.isoformat(),
            "end_date": piece.last_day.isoformat(),  # inclusive
            "time_unit": "DAY",
        }
        pages = paginate(client, PageRequest(url, method="POST", json=body), paginator, rows_at, envelope=("data",))
        return records(pages)

    last_day = window.last_day.isoformat()
    last_day_seen = False
    for row in read_in_chunks(window, read, max_days=REPORT_MAX_DAYS):
        last_day_seen = last_day_seen or str(row.get("time")) == last_day
        yield row
    if not last_day_seen and account not in extra_str_list(conn, PAUSED_ACCOUNTS_KEY):
        raise DayNotOver(
            client.context,
            f"聚光's note report holds no row for {last_day} yet (the data is T+1, out by 09:00 Beijing time); "
            f"if the advertiser is paused, list it in extra.{PAUSED_ACCOUNTS_KEY} of connection '{conn.conn_id}'",
        )


def read_note_list(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    """The brand's notes created from the window's start (or ``post_max_age_days`` before its last day, if that is
    earlier) through its last day and not deleted, every page, as the API returned them."""
    settings = XiaohongshuSettings.from_connection(conn)
    advertiser = _advertiser(client, account)
    since = min(window.start, window.last_day - timedelta(days=settings.post_max_age_days - 1))
    body = {
        "advertiser_id": advertiser,
        "note_type": OWN_NOTES,
        "base_only": True,
        "create_start_time": since.isoformat(),
        "create_end_time": window.last_day.isoformat(),  # inclusive
    }
    paginator = PageNumber(
        param="page", start=1, size_param="page_size", size=settings.list_page_size, total_items_path="data.total"
    )
    request = PageRequest(settings.url(NOTE_LIST_PATH), method="POST", json=body)
    yield from records(paginate(client, request, paginator, RecordsAt("data.notes"), envelope=("data",)))


def read_collaboration_snapshots(
    client: HttpClient, conn: Connection, account: str, window: Window
) -> Iterator[dict[str, Any]]:
    """The collaborations whose note went out in the ``post_max_age_days`` up to the window's last day, with their
    lifetime figures as 蒲公英 has them now, every page of every 30-day piece, as the API returned them."""
    settings = XiaohongshuSettings.from_connection(conn)
    if not settings.brand_user_id:
        raise ConfigurationError(
            client.context,
            f"connection '{conn.conn_id}' has no extra.brand_user_id (the brand's Xiaohongshu user id, which 蒲公英 "
            "reports the collaborations for)",
        )
    until = window.last_day
    since = until - timedelta(days=settings.post_max_age_days - 1)
    url = settings.url(COLLABORATIONS_PATH)
    paginator = PageNumber(
        param="page_num",
        start=1,
        size_param="page_size",
        size=settings.list_page_size,
        total_pages_path="data.total_page",
        page_path="data.page_num",
    )

    def read(piece: Window) -> Iterator[dict[str, Any]]:
        body = {
            "user_id": settings.brand_user_id,
            "date_type": BY_PUBLISH_TIME,
            "start_time": piece.start.isoformat(),
            "end_time": piece.last_day.isoformat(),  # inclusive
        }
        pages = paginate(
            client, PageRequest(url, method="POST", json=body), paginator, "data.datas", envelope=("data",)
        )
        return records(pages)

    checked = False
    for row in read_in_chunks(Window(since, until + timedelta(days=1)), read, max_days=PGY_MAX_DAYS):
        if not checked:
            as_of = _date_key(client, row, url)
            if as_of < until:
                raise DayNotOver(
                    client.context,
                    f"蒲公英's figures are as of {as_of} so far; {until} is not out yet (the data is T+1)",
                )
            if as_of > until:
                log.info("%s: 蒲公英's figures are as of %s, after the snapshot day", client.context.describe(), as_of)
            checked = True
        yield row


def _date_key(client: HttpClient, row: dict[str, Any], url: str) -> date:
    value = str(row.get("date_key"))
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError(value)
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise MalformedResponse(
            client.context, client.safe_url(url), f"date_key {row.get('date_key')!r} is not a yyyyMMdd day"
        ) from None
