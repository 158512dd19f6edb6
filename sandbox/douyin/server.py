"""Douyin's Open Platform (抖音开放平台) as the extractors meet it: the user's video list, the user's fans data and
OAuth with 15-day access tokens.

Quirks kept, because an extractor must survive each:

- The legacy endpoints (``/video/*``, ``/data/external/*``, ``/oauth/*``) answer HTTP 200 whatever happened, in
  ``{"data": {"error_code": 0, "description": "", ...payload}, "extra": {"error_code", "description",
  "sub_error_code", "sub_description", "logid", "now"}}``: ``data.error_code`` says what happened. Only the
  ``server_error`` fault is an HTTP 500 (a gateway failing, with the body code of a busy system inside).
- The user's access token goes in the ``access-token`` header and the user's ``open_id`` in the query; a token
  covers the one user who authorized it (another ``open_id`` is refused, 2100007).
- Access tokens last 15 days and refresh tokens 30. ``POST /oauth/refresh_token/`` (form: ``client_key``,
  ``grant_type=refresh_token``, ``refresh_token``; no secret) issues a new access token and hands the same
  refresh token back with what is left of its 30 days: a refresh never extends it. An expired access token is
  2190008 (10008 from older gateways, the ``token_expired`` fault), an unknown one 2190002, an expired or
  unknown refresh token 10010.
- ``GET /video/list/?open_id&cursor&count``: pinned posts (``is_top``) first, then newest first; ``count`` is
  1..20 (default 10); ``data.cursor`` is an opaque number to send back, ``data.has_more`` says whether to.
  Deleted posts are gone from the list. ``create_time`` is unix seconds; ``statistics`` has no save counter.
- ``GET /data/external/user/fans/?open_id&date_type=7|15|30``: the last 7, 15 or 30 Beijing days, oldest first.
  Data is T+1: a day appears at 10:00 Beijing time the next day (``READY_HOUR``).
- Codes [recall where the reference does not list them]: 28003018 too frequent, 28003017 the app's daily quota
  used up, 2100004 system busy, 2100005 bad parameter, 2100007 no permission, 10014 unknown client_key.

Token lifetimes run on the world's clock, so moving the sandbox 16 days on expires the access tokens the way
real time would, and 31 days on the refresh tokens too.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qsl

from sandbox.douyin.world import READY_HOUR, DouyinWorld
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, json_response
from sandbox.token_server import TokenAuthority, TokenCheck, TokenPolicy
from sandbox.world import World

# The sandbox developer app and the code its consent page hands out. Sandbox-only values: they open nothing
# outside this machine, and they go in the Airflow Connection exactly where real ones would.
CLIENT_KEY = "awsandboxdouyin7c1e"
CLIENT_SECRET = "sandbox-douyin-client-secret-4f09b2"
AUTH_CODE = "sandbox-douyin-auth-code"

VIDEO_LIST_PATH = "/video/list/"
FANS_PATH = "/data/external/user/fans/"
REFRESH_PATH = "/oauth/refresh_token/"
AUTHORIZE_PATH = "/oauth/access_token/"

OK = 0
ACCESS_TOKEN_EXPIRED = 2190008
ACCESS_TOKEN_EXPIRED_OLD = 10008
ACCESS_TOKEN_INVALID = 2190002
REFRESH_TOKEN_EXPIRED = 10010
CLIENT_KEY_WRONG = 10014
SYSTEM_BUSY = 2100004
PARAMETER_ERROR = 2100005
NO_PERMISSION = 2100007
TOO_FREQUENT = 28003018
QUOTA_USED_UP = 28003017

ACCESS_TTL = 15 * 86400
REFRESH_TTL = 30 * 86400
DEFAULT_COUNT = 10
MAX_COUNT = 20
DATE_TYPES = (7, 15, 30)
# Cursor values above every create_time (in ms) place pinned posts before the others.
_PINNED_CURSOR_BASE = 9_000_000_000_000
# Fields a newer API version might start returning; clients must keep, not choke on, them.
DRIFT_ITEM = {"is_private": False, "item_type": "aweme"}
DRIFT_STATISTICS = {"collect_count_visible": False, "live_watch_count": 0}
DRIFT_FANS = {"active_fans": 0}


class Refusal(Exception):
    """A request the API answers with an error code in the legacy envelope."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def envelope(
    code: int,
    description: str,
    payload: dict[str, Any] | None = None,
    status: int = 200,
    now: datetime | None = None,
) -> ApiResponse:
    """The legacy envelope: the code in ``data`` and again in ``extra``, beside a log id and the server's time
    (``now``, the world's clock; the wall clock where none is at hand)."""
    now = now or datetime.now().astimezone()
    extra = {
        "error_code": code,
        "description": description,
        "sub_error_code": 0,
        "sub_description": "",
        "logid": f"{now:%Y%m%d%H%M%S}{secrets.token_hex(9).upper()}",
        "now": int(now.timestamp() * 1000),
    }
    body = {"data": {"error_code": code, "description": description, **(payload or {})}, "extra": extra}
    return json_response(status, body)


def _token_error(kind: str, message: str) -> ApiResponse:
    code = {"invalid_grant": REFRESH_TOKEN_EXPIRED, "invalid_client": CLIENT_KEY_WRONG}.get(kind, PARAMETER_ERROR)
    if kind == "invalid_grant":
        message = "refresh_token已过期 (the refresh token expired or is unknown): the user must authorize again"
    return envelope(code, message)


POLICY = TokenPolicy(
    path=REFRESH_PATH,
    access_ttl=float(ACCESS_TTL),
    refresh_ttl=float(REFRESH_TTL),
    rotate_refresh=False,  # the same refresh token comes back, its 30 days not extended
    return_refresh_token=True,
    client_id_field="client_key",
    client_secret_field=None,  # Douyin's refresh takes no secret
    response_path=("data",),
    refresh_expires_in_name="refresh_expires_in",
    error=_token_error,
    delay=0.1,  # a token call takes a moment; it also makes concurrent refreshes overlap
)


class DouyinServer(PlatformServer):
    name = "douyin"
    data_faults = ("schema_drift", "empty_page", "negative_count", "missing_counter", "fractional_count")
    # The API's own busy answer (in an HTTP 200) and the app's daily quota running out.
    extra_response_faults = ("system_busy", "daily_quota")

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.douyin: DouyinWorld = world.part("douyin")
        self.tokens = TokenAuthority(
            POLICY, client_id=CLIENT_KEY, client_secret=CLIENT_SECRET, now=lambda: self.clock.now().timestamp(),
            prefix="act.dy",
        )  # fmt: skip
        # The brand's authorization the sandbox's connection carries (as if its owner had consented).
        self._initial = self.tokens.issue()

    @property
    def open_id(self) -> str:
        return self.douyin.accounts[0].id

    def connection(self) -> dict[str, Any]:
        return {
            "conn_type": "http",
            "host": self.url,
            "login": CLIENT_KEY,
            "password": self._initial["access_token"],
            "extra": {"refresh_token": self._initial["refresh_token"], "open_id": self.open_id},
        }

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return envelope(TOO_FREQUENT, "请求过于频繁 (too many requests), please retry later")
        if fault == "server_error":
            return envelope(SYSTEM_BUSY, "系统繁忙，请稍后再试 (system busy)", status=500)
        if fault == "system_busy":
            return envelope(SYSTEM_BUSY, "系统繁忙，请稍后再试 (system busy)")
        if fault == "token_expired":
            return envelope(ACCESS_TOKEN_EXPIRED_OLD, "access_token过期 (the access token expired)")
        if fault == "daily_quota":
            return envelope(QUOTA_USED_UP, "应用当日调用量已用完 (the app's daily quota is used up)")
        raise ValueError(f"no canned response for fault {fault!r}")

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        path = request.path.rstrip("/") + "/"
        try:
            if path in (AUTHORIZE_PATH, REFRESH_PATH):
                if request.method != "POST":
                    raise Refusal(PARAMETER_ERROR, f"{path} takes POST")
                return self._authorize(request) if path == AUTHORIZE_PATH else self._refresh(request)
            if path not in (VIDEO_LIST_PATH, FANS_PATH):
                return envelope(PARAMETER_ERROR, f"no API {request.method} {request.path}", status=404)
            if request.method != "GET":
                raise Refusal(PARAMETER_ERROR, f"{path} takes GET")
            state = self.tokens.check(request.header("access-token"))
            if state is TokenCheck.EXPIRED:
                return envelope(ACCESS_TOKEN_EXPIRED, "access_token过期,请刷新或重新授权 (the access token expired)")
            if state is TokenCheck.UNKNOWN:
                return envelope(ACCESS_TOKEN_INVALID, "access_token无效 (the access-token header is missing or wrong)")
            open_id = request.param("open_id")
            if not open_id:
                raise Refusal(PARAMETER_ERROR, "open_id is required")
            if open_id != self.open_id:
                raise Refusal(NO_PERMISSION, f"the access token was not authorized by open_id {open_id}")
            if path == VIDEO_LIST_PATH:
                return self._video_list(request, as_of, data_fault)
            return self._fans(request, as_of, data_fault)
        except Refusal as refusal:
            return envelope(refusal.code, refusal.message)

    # -- OAuth -----------------------------------------------------------------------------------------

    def _authorize(self, request: ApiRequest) -> ApiResponse:
        """The auth-code grant: what the app does once the user consented, here with the sandbox's code."""
        fields = dict(parse_qsl(request.body.decode("utf-8", "replace")))
        if fields.get("client_key") != CLIENT_KEY or fields.get("client_secret") != CLIENT_SECRET:
            return envelope(CLIENT_KEY_WRONG, "client_key or client_secret is wrong")
        if fields.get("grant_type") != "authorization_code" or fields.get("code") != AUTH_CODE:
            return envelope(PARAMETER_ERROR, "grant_type must be authorization_code, with a valid code")
        pair = self.tokens.issue()
        return envelope(OK, "", self._token_payload(pair["access_token"], pair["refresh_token"], REFRESH_TTL))

    def _refresh(self, request: ApiRequest) -> ApiResponse:
        answer = self.tokens.handle(request)
        assert answer is not None  # the path is the authority's
        body = json.loads(answer.body)
        if "extra" in body:  # an error, already in the legacy envelope
            return answer
        data = body["data"]
        payload = self._token_payload(data["access_token"], data["refresh_token"], data["refresh_expires_in"])
        return envelope(OK, "", payload)

    def _token_payload(self, access: str, refresh: str, refresh_expires_in: int) -> dict[str, Any]:
        return {
            "access_token": access,
            "expires_in": ACCESS_TTL,
            "refresh_token": refresh,
            "refresh_expires_in": refresh_expires_in,
            "open_id": self.open_id,
            "scope": "user_info,video.list.bind,data.external.user",
        }

    # -- the video list --------------------------------------------------------------------------------

    def _video_list(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        count = _integer(request, "count", DEFAULT_COUNT, 1, MAX_COUNT)
        cursor = _integer(request, "cursor", 0, 0, None)
        listed = self.douyin.listed(self.open_id, as_of)
        pins = {post.id for post in self.douyin.pinned(self.open_id)}
        pinned = sum(1 for post in listed if post.id in pins)
        keyed = list(zip(_cursors(listed, pinned), listed, strict=True))
        following = [(key, post) for key, post in keyed if cursor == 0 or key < cursor]
        served, rest = following[:count], following[count:]
        items = [self.douyin.render_item(post, as_of) for _, post in served]
        has_more = bool(rest)
        next_cursor = served[-1][0] if served else cursor
        if data_fault == "empty_page" and has_more:
            items = []  # a paging lie: no items, yet more to come
        _spoil_items(items, data_fault)
        return envelope(OK, "", {"list": items, "cursor": next_cursor, "has_more": has_more}, now=as_of)

    # -- fans ------------------------------------------------------------------------------------------

    def _fans(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        raw = request.param("date_type")
        if raw is None or not raw.isdigit() or int(raw) not in DATE_TYPES:
            raise Refusal(PARAMETER_ERROR, f"date_type must be one of 7, 15, 30; got {raw!r}")
        rows = self.douyin.fans_rows(self.open_id, last_ready_day(as_of), int(raw))
        # The fans answer is one page of every day: a data fault spoils every row, so it reaches any window.
        for row in rows:
            if data_fault == "negative_count":
                row["new_fans"] = -row["new_fans"] - 1
            elif data_fault == "missing_counter":
                row.pop("total_fans")
            elif data_fault == "fractional_count":
                row["new_fans"] += 0.5
            elif data_fault == "schema_drift":
                row.update(DRIFT_FANS)
        return envelope(OK, "", {"result_list": rows}, now=as_of)


def last_ready_day(as_of: datetime) -> date:
    """The latest Beijing day whose data is out at ``as_of`` (T+1, from ``READY_HOUR`` the next morning)."""
    from sandbox.formats import SHANGHAI

    local = as_of.astimezone(SHANGHAI)
    day = local.date() - timedelta(days=1)
    return day if local.time() >= time(READY_HOUR) else day - timedelta(days=1)


def _cursors(listed: list[Any], pinned: int) -> list[int]:
    """The cursor that resumes after each listed post: pinned posts get values above every other, in their
    order; the rest their create time in ms, less their place among posts of the same second, so the values
    fall strictly in the list's order."""
    keys: list[int] = []
    for index, post in enumerate(listed):
        if index < pinned:
            keys.append(_PINNED_CURSOR_BASE + (pinned - index))
            continue
        key = int(post.published_at.timestamp()) * 1000 + 999
        if index > pinned and keys[-1] <= key:  # the post before it went out in the same second
            key = keys[-1] - 1
        keys.append(key)
    return keys


def _spoil_items(items: list[dict[str, Any]], data_fault: str | None) -> None:
    if not items:
        return
    first = items[0]["statistics"]
    if data_fault == "schema_drift":
        for item in items:
            item.update(DRIFT_ITEM)
            item["statistics"].update(DRIFT_STATISTICS)
    elif data_fault == "negative_count":
        # One bad item in an otherwise good page: the raw-data checks must catch it, not the extractor.
        first["play_count"] = -first["play_count"] - 1
    elif data_fault == "missing_counter":
        first.pop("digg_count")  # a counter left out: unknown, never 0
    elif data_fault == "fractional_count":
        first["play_count"] += 0.5  # a count DuckDB alone would round


def _integer(request: ApiRequest, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.param(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        limit = f"{low}..{high}" if high is not None else f">= {low}"
        raise Refusal(PARAMETER_ERROR, f"{name} must be an integer {limit}, got {raw!r}")
    return int(raw)


SERVER = DouyinServer
