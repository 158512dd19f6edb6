"""Bilibili's client and readers: the signed ``x-bili-*`` headers, OAuth with single-use refresh tokens, body-code
errors in HTTP 200, the archive list read newest first down to the age cut-off, and one data call per archive.

Every ``/arcopen/fn/`` request carries the user's token in an ``access-token`` header and a signature of the
``x-bili-*`` headers keyed with the app secret (``BilibiliSignature``), made afresh for every attempt (a new nonce
and timestamp), so a retried request is never a replay. Errors are a non-zero ``code`` in an HTTP 200, read by one
error table; 127001 (the token is not valid) refreshes once through the shared token store, the refresh answer's
``expires_in`` being an expiry time, not a lifetime (``AbsoluteExpiryTokenEndpoint``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from datetime import time as day_time
from typing import Any
from zoneinfo import ZoneInfo

from extractors.auth import Chain, OAuthRefresh, Placement, TokenEndpoint, TokenResponseFields
from extractors.catalog import AccountSettings
from extractors.connections import (
    Connection,
    ConnectionConfigError,
    extra_int,
    extra_str,
    required_extra,
    required_field,
)
from extractors.error_table import Action, ErrorTable
from extractors.errors import ConfigurationError, ExtractContext, MalformedResponse
from extractors.http import HttpClient, PreparedCall, RetrySettings, compact_json, dig
from extractors.paging import PageNumber, PageRequest, RecordsAt, paginate
from extractors.streams import Window
from extractors.token_store import TokenSet, pipeline_token_store

log = logging.getLogger(__name__)

DEFAULT_TOKEN_URL = "https://api.bilibili.com/x/account-oauth2/v1/refresh_token"
ACCOUNT_INFO_PATH = "/arcopen/fn/user/account/info"
VIEWLIST_PATH = "/arcopen/fn/archive/viewlist"
ARC_STAT_PATH = "/arcopen/fn/data/arc/stat"
USER_STAT_PATH = "/arcopen/fn/data/user/stat"
# Bilibili's accounts report Beijing days; the Open Platform has no zone setting.
TIMEZONE = "Asia/Shanghai"
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE  # the call quota counts calls, not rows
DEFAULT_MAX_AGE_DAYS = 30
SIGNATURE_VERSION = "2.0"
SIGNATURE_METHOD = "HMAC-SHA256"

BUSINESS_ERROR = 127200
CALL_LIMIT = 127009
NO_API_PERMISSION = 127007
SCOPE_NOT_AUTHORIZED = 127011
AUTH_ERROR = 127012
ARCHIVE_DELETED = 127107
NO_SUCH_ARCHIVE = 127124
SIGNATURE_ADVICE = (
    "the request's signature was refused: check the connection's login (client_id) and extra.app_secret against "
    "the app in the Bilibili Open Platform console, and this machine's clock"
)
PERMISSION_ADVICE = (
    "the developer app has not been granted this API's permission (scope): apply for it in the Bilibili Open "
    "Platform console (应用管理 → 接口权限)"
)
SCOPE_ADVICE = (
    "the user's authorization does not include this API's scope: have the account re-authorize the app with "
    "the data scopes, and put the new refresh token in the connection"
)
BUSINESS_ADVICE = "Bilibili reports a business error on its side (业务异常): contact the Open Platform"

# Bilibili's status codes (开放平台 状态码). A code not listed fails fast.
_CODES: dict[int | str, Action] = {
    -500: Action.RETRY,  # server error
    127201: Action.RETRY,  # system busy
    CALL_LIMIT: Action.RATE_LIMITED,  # API call limit reached: back off and retry
    127001: Action.REFRESH,  # access_token not valid (expired, or replaced by a refresh elsewhere)
    127000: Action.AUTH,  # auth parameters missing
    127004: Action.AUTH,  # client_id invalid
    AUTH_ERROR: Action.AUTH,  # authentication (signature) error
    SCOPE_NOT_AUTHORIZED: Action.AUTH,  # the user did not authorize this API
    127005: Action.FAIL,  # the developer is not certified
    127006: Action.FAIL,  # the app is not certified
    NO_API_PERMISSION: Action.FAIL,
    127100: Action.FAIL,  # parameter error: the same request fails again
    BUSINESS_ERROR: Action.FAIL,
    ARCHIVE_DELETED: Action.FAIL,
    NO_SUCH_ARCHIVE: Action.FAIL,
}
_ADVICE: dict[int | str, str] = {
    AUTH_ERROR: SIGNATURE_ADVICE,
    127004: SIGNATURE_ADVICE,
    NO_API_PERMISSION: PERMISSION_ADVICE,
    SCOPE_NOT_AUTHORIZED: SCOPE_ADVICE,
    BUSINESS_ERROR: BUSINESS_ADVICE,
}
API_ERRORS = ErrorTable(
    code_path="code",
    ok_codes=frozenset({0}),
    codes=_CODES,
    message_paths=("message",),
    request_id_paths=("request_id",),
    advice=_ADVICE,
)
# An archive deleted between the list and its data call is an answer (it is gone), not a failure.
STAT_ERRORS = replace(API_ERRORS, ok_codes=frozenset({0, ARCHIVE_DELETED, NO_SUCH_ARCHIVE}))
# At the token endpoint every refusal is the authorization's or the app's: a human must act.
TOKEN_ERRORS = ErrorTable(
    code_path="code",
    ok_codes=frozenset({0}),
    codes={
        -500: Action.RETRY,
        127201: Action.RETRY,
        CALL_LIMIT: Action.RATE_LIMITED,
        122000: Action.AUTH,  # client_id wrong
        122001: Action.AUTH,  # client_secret wrong
        122002: Action.AUTH,  # code not found
        122007: Action.AUTH,  # refresh token invalid: used already, or revoked
        127100: Action.AUTH,
    },
    message_paths=("message",),
    request_id_paths=("request_id",),
)


@dataclass(frozen=True)
class BilibiliSettings:
    base_url: str
    client_id: str
    app_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_token: str | None = field(repr=False)
    token_url: str
    openid: str
    page_size: int
    max_age_days: int

    @classmethod
    def from_connection(cls, conn: Connection) -> BilibiliSettings:
        required_field(conn, "host", "the data API's base URL, https://member.bilibili.com")
        login = required_field(conn, "login", "the developer app's client_id")
        app_secret = required_extra(conn, "app_secret", "the developer app's secret")
        refresh_token = required_extra(conn, "refresh_token", "from the account's authorization")
        openid = required_extra(conn, "openid", "the account that authorized the app")
        return cls(
            base_url=conn.host.rstrip("/"),
            client_id=login,
            app_secret=app_secret,
            refresh_token=refresh_token,
            access_token=conn.password or None,
            token_url=extra_str(conn, "token_url", DEFAULT_TOKEN_URL) or DEFAULT_TOKEN_URL,
            openid=openid,
            page_size=extra_int(conn, "page_size", DEFAULT_PAGE_SIZE, within=(1, MAX_PAGE_SIZE)),
            max_age_days=extra_int(conn, "post_max_age_days", DEFAULT_MAX_AGE_DAYS, within=(1, 365)),
        )

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


# -- auth ------------------------------------------------------------------------------------------------


def signature(headers: Mapping[str, str], secret: str) -> str:
    """The ``Authorization`` value: hex HMAC-SHA256 (keyed with the app secret) of the ``x-bili-*`` headers,
    sorted by name and written ``name:value`` one per line."""
    text = "\n".join(f"{name}:{headers[name]}" for name in sorted(headers) if name.startswith("x-bili-"))
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_headers(
    client_id: str, secret: str, body: bytes, *, timestamp: float | None = None, nonce: str | None = None
) -> dict[str, str]:
    """Every header the signature scheme adds to a request with ``body`` (empty for a GET)."""
    headers = {
        "x-bili-accesskeyid": client_id,
        "x-bili-content-md5": hashlib.md5(body).hexdigest(),
        "x-bili-signature-method": SIGNATURE_METHOD,
        "x-bili-signature-nonce": nonce or uuid.uuid4().hex,
        "x-bili-signature-version": SIGNATURE_VERSION,
        "x-bili-timestamp": str(int(time.time() if timestamp is None else timestamp)),
    }
    return {**headers, "Authorization": signature(headers, secret)}


class BilibiliSignature:
    """The app's signature on every attempt: a fresh nonce and timestamp each time, over the exact body sent."""

    def __init__(self, client_id: str, secret: str, clock: Callable[[], float] = time.time) -> None:
        self.client_id = client_id
        self._secret = secret
        self._clock = clock

    def __repr__(self) -> str:
        return f"BilibiliSignature(client_id={self.client_id!r})"

    def apply(self, call: PreparedCall, http: HttpClient) -> None:
        if call.form is not None:
            raise ValueError("Bilibili's signature covers JSON bodies; this request has a form")
        body = call.content
        if body is None and call.json_body is not None:
            body = compact_json(call.json_body)
            call.content = body
            call.headers["Content-Type"] = "application/json"
        call.headers.update(signed_headers(self.client_id, self._secret, body or b"", timestamp=self._clock()))

    def refresh(self, failed: PreparedCall, http: HttpClient) -> bool:
        return False

    def secrets(self) -> Iterable[str]:
        return (self._secret,)


def expiry_time(value: Any, now: float) -> float | None:
    """When a token ends, from an ``expires_in`` that is an expiry time in unix seconds (Bilibili's), or a
    lifetime in seconds should an answer ever send one (anything before 2001 cannot be an expiry time)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int | float) or value <= 0:
        return None
    return float(value) if value > 1_000_000_000 else now + float(value)


@dataclass(frozen=True)
class AbsoluteExpiryTokenEndpoint(TokenEndpoint):
    """Bilibili's refresh endpoint: ``data.expires_in`` is when the new access token ends, not how long it lives
    (the shared endpoint would add it to now and never refresh ahead of expiry)."""

    def _parse(self, http: HttpClient, body: Any, url: str, current: TokenSet | None, now: float) -> TokenSet:
        tokens = super()._parse(http, body, url, current, now)
        return replace(tokens, expires_at=expiry_time(dig(body, ("data", "expires_in")), now))


def token_store_key(conn_id: str, refresh_token: str) -> str:
    """The token store's key for a connection's authorization: its id and a fingerprint of its refresh token, so a
    new authorization put in the connection starts a new entry instead of losing to the dead pair of the last."""
    return f"{conn_id}.{hashlib.sha256(refresh_token.encode()).hexdigest()[:16]}"


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client signing every request and sending the user's token in ``access-token``, refreshed through the
    shared store so a rotated refresh token is what every other task and the next run use."""
    try:
        settings = BilibiliSettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    endpoint = AbsoluteExpiryTokenEndpoint(
        url=settings.token_url,
        client_id=settings.client_id,
        client_secret=settings.app_secret,
        # The document lists the fields as URL parameters, with no body.
        body="query",
        response_fields=TokenResponseFields(path="data"),
        errors=TOKEN_ERRORS,
    )
    token = OAuthRefresh(
        endpoint,
        placement=Placement.header("access-token"),
        store=pipeline_token_store(),
        key=token_store_key(conn.conn_id, settings.refresh_token),
        # Only seeds an empty store entry; once the entry holds a pair, the store's (maybe rotated) pair wins.
        initial=TokenSet(access_token=settings.access_token, refresh_token=settings.refresh_token),
    )
    auth = Chain(token, BilibiliSignature(settings.client_id, settings.app_secret))
    return HttpClient(context, retry=retry, classifier=API_ERRORS, auth=auth)


# -- readers ---------------------------------------------------------------------------------------------


def read_account_settings(client: HttpClient, conn: Connection, account: str) -> AccountSettings:
    """Beijing days, once ``user/account/info`` confirms the connection's token is the account's own."""
    settings = BilibiliSettings.from_connection(conn)
    body, response = client.get_json(settings.url(ACCOUNT_INFO_PATH), envelope=("data",))
    openid = dig(body, "data.openid")
    if not isinstance(openid, str) or not openid:
        raise MalformedResponse(client.context, client.safe_url(response.url), "user info without data.openid")
    if openid != account:
        raise ConfigurationError(
            client.context,
            f"the token on connection '{conn.conn_id}' was authorized by openid {openid}, not by account {account}: "
            "have the account itself authorize the app and put its refresh token in the connection",
        )
    return AccountSettings(timezone=TIMEZONE)


def _day_start(day: Any) -> float:
    return datetime.combine(day, day_time(0), tzinfo=ZoneInfo(TIMEZONE)).timestamp()


def young_archives(client: HttpClient, settings: BilibiliSettings, window: Window) -> list[dict[str, Any]]:
    """The published archives of the ``max_age_days`` Beijing days ending with the window's last day.

    The list comes newest first, so reading stops at the first page that reaches past the cut-off. That order is
    not documented: every page is checked to be newest first, and an answer that is not fails the extraction
    rather than stopping early on a list that might go on with younger archives.
    """
    since = _day_start(window.last_day - timedelta(days=settings.max_age_days - 1))
    until = _day_start(window.end)
    paginator = PageNumber(
        param="pn",
        start=1,
        size_param="ps",
        size=settings.page_size,
        total_items_path="data.page.total",
        page_path="data.page.pn",
    )
    request = PageRequest(settings.url(VIEWLIST_PATH), {"status": "pubed"})
    found: list[dict[str, Any]] = []
    previous: int | None = None
    for page in paginate(client, request, paginator, RecordsAt("data.list"), envelope=("data",)):
        reached_cutoff = False
        for item in page.records:
            ptime = item.get("ptime")
            if isinstance(ptime, bool) or not isinstance(ptime, int):
                raise MalformedResponse(
                    client.context, VIEWLIST_PATH, f"archive {item.get('resource_id')!r} has no ptime (unix seconds)"
                )
            if previous is not None and ptime > previous:
                raise MalformedResponse(
                    client.context,
                    VIEWLIST_PATH,
                    f"the archive list is not newest first (ptime {ptime} after {previous}): reading cannot stop at "
                    "the age cut-off",
                )
            previous = ptime
            if ptime < since:
                reached_cutoff = True
                break
            if ptime < until:  # later ones belong to the next day's snapshot
                found.append(item)
        if reached_cutoff:
            break
    return found


def read_archive_snapshots(
    client: HttpClient, conn: Connection, account: str, window: Window
) -> Iterator[dict[str, Any]]:
    """Each young archive's list item with its ``data/arc/stat`` answer under ``stat``, as the API returned both."""
    settings = BilibiliSettings.from_connection(conn)
    for item in young_archives(client, settings, window):
        resource_id = item.get("resource_id")
        if not isinstance(resource_id, str) or not resource_id:
            raise MalformedResponse(client.context, VIEWLIST_PATH, "an archive without a resource_id")
        body, response = client.request_json(
            "GET",
            settings.url(ARC_STAT_PATH),
            params={"resource_id": resource_id},
            envelope=("code",),
            classifier=STAT_ERRORS,
        )
        if body["code"] in (ARCHIVE_DELETED, NO_SUCH_ARCHIVE):
            log.warning(
                "%s: archive %s was deleted after it was listed; left out", client.context.describe(), resource_id
            )
            continue
        stat = body.get("data")
        if not isinstance(stat, dict):
            raise MalformedResponse(client.context, client.safe_url(response.url), "archive data without a data object")
        yield {**item, "stat": stat}


def read_user_stat_snapshots(
    client: HttpClient, conn: Connection, account: str, window: Window
) -> Iterator[dict[str, Any]]:
    """The account's totals now (``data/user/stat``): one record, as the API returned it."""
    settings = BilibiliSettings.from_connection(conn)
    body, response = client.get_json(settings.url(USER_STAT_PATH), envelope=("data",))
    data = body["data"]
    if not isinstance(data, dict):
        raise MalformedResponse(client.context, client.safe_url(response.url), "user data without a data object")
    yield data
