"""Xiaohongshu's open API gateway (``/api/open``) as the extractors meet it: 聚光's offline note report and note list,
蒲公英's post-campaign data, and OAuth for both platforms.

Quirks kept, because an extractor must survive each:

- Every call is a POST with a JSON body and the token in the ``Access-Token`` header. Business answers are HTTP 200
  ``{"success": bool, "code", "msg", "data", "request_id"}``: ``success`` says whether it worked, ``code`` which
  error it is. The gateway answers its own refusals without the flag, as ``{"errorCode", "errorMsg",
  "request_id"}``: a missing or unknown token (``errorCode`` 401, in an HTTP 200) and throttling (429, the
  ``rate_limit`` fault, also in an HTTP 200); its own failure is an HTTP 500 with ``errorCode`` 500.
- Numbers come as JSON numbers or strings, row by row (``"click": "12"``, ``"fee": "3.50"``, ``total_count`` too);
  ``fee`` and prices are yuan. Ids are text: notes and users 24 hex characters, advertisers and orders digits.
- An authorization is one platform's: 聚光 tokens (``platform_type`` 1) open ``/jg/*``, 蒲公英 ones (2) open
  ``/pgy/*``; the other platform's token is refused (40007). Access tokens live ``ACCESS_TTL`` and refresh tokens
  ``REFRESH_TTL`` on the world's clock. ``POST /oauth2/refresh_token`` (JSON ``{app_id, secret, refresh_token}``)
  answers a new pair and kills the refresh token it used; its ``data`` carries ``access_token_expires_in``,
  ``refresh_token_expires_in``, ``user_id``, ``approval_advertisers`` and ``platform_type``. ``POST
  /oauth2/access_token`` with ``{app_id, secret, auth_code}`` is the consent step (``JG_AUTH_CODE``,
  ``PGY_AUTH_CODE``).
- ``/jg/data/report/offline/note``: ``{advertiser_id, start_date, end_date, time_unit: "DAY", page_num,
  page_size ≤ 1000}`` → ``data: {data_list, total_count}``; ``data_list`` is left out when nothing matched; at most
  ``MAX_SPAN_DAYS`` per request (40008 beyond); days not out yet (T+1 at ``READY_HOUR``) are simply absent.
- ``/jg/note/list``: ``{advertiser_id, note_type: 1, page, page_size ≤ 100, create_start_time, create_end_time}``
  → ``data: {notes, total}``, newest first, deleted notes gone.
- ``/pgy/note/post/data``: ``{user_id (the brand's), date_type: 1 | 2, start_time, end_time, page_num,
  page_size ≤ 100}`` → ``data: {datas, total, page_num, page_size, total_page}``, at most ``MAX_SPAN_DAYS`` per
  request; every row's figures are as of ``date_key`` (the last day out).
- Codes [recall: not from a published table]: 40001 bad parameter, 40002 no permission on the advertiser or user,
  40003 invalid access token, 40004 expired access token, 40005 dead refresh token, 40006 wrong app id or secret,
  40007 another platform's token, 40008 date range too large, 40100 too frequent, 50000 system busy.
"""

from __future__ import annotations

import json
import secrets
import threading
from datetime import date, datetime
from typing import Any

from sandbox.content import WORLD_START
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, RequestLog, json_response
from sandbox.token_server import TokenAuthority, TokenCheck, TokenPolicy
from sandbox.world import World
from sandbox.xiaohongshu.world import (
    ACCOUNT,
    ADVERTISER_ID,
    ADVERTISER_NAME,
    ZONE,
    XiaohongshuWorld,
    last_ready_day,
)

# The sandbox developer app and its consent codes. Sandbox-only values: they open nothing outside this machine, and
# they go in the Airflow Connection exactly where real ones would.
APP_ID = "4417203591"
APP_SECRET = "sandbox-xiaohongshu-app-secret-9c27e1"
JG_AUTH_CODE = "sandbox-xhs-auth-code-jg"
PGY_AUTH_CODE = "sandbox-xhs-auth-code-pgy"

BASE_PATH = "/api/open"
REFRESH_PATH = f"{BASE_PATH}/oauth2/refresh_token"
AUTHORIZE_PATH = f"{BASE_PATH}/oauth2/access_token"
REPORT_PATH = f"{BASE_PATH}/jg/data/report/offline/note"
NOTE_LIST_PATH = f"{BASE_PATH}/jg/note/list"
COLLABORATIONS_PATH = f"{BASE_PATH}/pgy/note/post/data"
JG_PATHS = (REPORT_PATH, NOTE_LIST_PATH)
PGY_PATHS = (COLLABORATIONS_PATH,)

OK = 0
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
GATEWAY_UNAUTHORIZED = 401
GATEWAY_THROTTLED = 429
GATEWAY_ERROR = 500

JG, PGY = 1, 2  # platform_type
ACCESS_TTL = 4 * 3600  # [recall] a few hours
REFRESH_TTL = 30 * 86400
MAX_SPAN_DAYS = 30
REPORT_MAX_PAGE = 1000
LIST_MAX_PAGE = 100
DEFAULT_PAGE_SIZE = 20
# Fields a newer API version might start returning; clients must keep, not choke on, them.
DRIFT_ROW = {"search_cmt_click": 0, "new_metric_v2": "0"}


class Refusal(Exception):
    """A request the API answers with ``success: false`` and a code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def request_id() -> str:
    return secrets.token_hex(16)


def envelope(code: int, message: str, data: Any = None, status: int = 200) -> ApiResponse:
    """The business answer: ``success`` true exactly when ``code`` is 0."""
    body = {"success": code == OK, "code": code, "msg": message or "成功", "data": data, "request_id": request_id()}
    return json_response(status, body)


def gateway_error(code: int, message: str, status: int = 200) -> ApiResponse:
    """The gateway's own refusal: no ``success`` flag, the code under ``errorCode``."""
    return json_response(status, {"errorCode": code, "errorMsg": message, "request_id": request_id()})


def _token_error(kind: str, message: str) -> ApiResponse:
    if kind == "invalid_grant":
        return envelope(REFRESH_TOKEN_INVALID, "refresh_token 无效或已过期 (invalid, expired or already used)")
    if kind == "invalid_client":
        return envelope(APP_CREDENTIALS_WRONG, "app_id 或 secret 错误 (wrong app_id or secret)")
    return envelope(PARAMETER_ERROR, f"参数错误: {message}")


def _policy(platform_type: int) -> TokenPolicy:
    approved = (
        [{"advertiser_id": int(ADVERTISER_ID), "advertiser_name": ADVERTISER_NAME}] if platform_type == JG else []
    )
    return TokenPolicy(
        path=REFRESH_PATH,
        access_ttl=float(ACCESS_TTL),
        refresh_ttl=float(REFRESH_TTL),
        rotate_refresh=True,  # a refresh issues a new refresh token and kills the one it used
        client_id_field="app_id",
        client_secret_field="secret",
        grant_type_field=None,
        response_path=("data",),
        response_extra={
            "success": True,
            "code": OK,
            "msg": "成功",
            "data": {
                "user_id": ACCOUNT.id,
                "approval_role_type": 4,  # a brand
                "role_type": 1,  # a brand developer
                "platform_type": platform_type,
                "approval_advertisers": approved,
            },
        },
        access_token_name="access_token",
        refresh_token_name="refresh_token",
        expires_in_name="access_token_expires_in",
        refresh_expires_in_name="refresh_token_expires_in",
        delay=0.05,  # a token call takes a moment; it also makes concurrent refreshes overlap
        error=_token_error,
    )


class _BodyLog(RequestLog):
    """The request log, plus the JSON body of every data request answered (the paging lives in the body)."""

    def __init__(self) -> None:
        super().__init__()
        self._bodies: list[tuple[str, dict[str, Any]]] = []
        self._body_lock = threading.Lock()

    def add_body(self, path: str, body: dict[str, Any]) -> None:
        with self._body_lock:
            self._bodies.append((path, body))

    def bodies(self) -> list[tuple[str, dict[str, Any]]]:
        with self._body_lock:
            return list(self._bodies)

    def clear(self) -> None:
        super().clear()
        with self._body_lock:
            self._bodies.clear()


class XiaohongshuServer(PlatformServer):
    name = "xiaohongshu"
    data_faults = ("schema_drift", "empty_page", "negative_count", "missing_counter", "fractional_count")
    # The API's own busy answer (success false, in an HTTP 200).
    extra_response_faults = ("system_busy",)

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.log: _BodyLog = _BodyLog()
        self.xhs: XiaohongshuWorld = world.part("xiaohongshu")
        self.tokens = {
            platform: TokenAuthority(
                _policy(platform),
                client_id=APP_ID,
                client_secret=APP_SECRET,
                now=lambda: self.clock.now().timestamp(),
                prefix=f"xhs.{'jg' if platform == JG else 'pgy'}",
            )
            for platform in (JG, PGY)
        }
        # The brand's authorizations the sandbox's connection carries (as if its owner had consented to both).
        self._initial = {platform: authority.issue() for platform, authority in self.tokens.items()}
        self._expire_lock = threading.Lock()
        self._expire_after: int | None = None

    # -- what tests use --------------------------------------------------------------------------------------

    @property
    def refresh_calls(self) -> int:
        return sum(authority.refresh_calls for authority in self.tokens.values())

    def expire_token_after(self, requests: int) -> None:
        """Expire the access token of the data request that follows the next ``requests`` ones, as if it ran out
        mid-extraction (that request is answered 40004)."""
        with self._expire_lock:
            self._expire_after = requests

    def bodies(self, path: str | None = None) -> list[dict[str, Any]]:
        """The JSON bodies of the data requests answered (of one path: ``/jg/note/list``), in order."""
        wanted = f"{BASE_PATH}{path}" if path and not path.startswith(BASE_PATH) else path
        return [body for at, body in self.log.bodies() if wanted is None or at == wanted]

    def connection(self) -> dict[str, Any]:
        jg, pgy = self._initial[JG], self._initial[PGY]
        return {
            "conn_type": "http",
            "host": f"{self.url}{BASE_PATH}",
            "login": APP_ID,
            "password": jg["access_token"],
            "extra": {
                "secret": APP_SECRET,
                "advertiser_id": ADVERTISER_ID,
                "refresh_token": jg["refresh_token"],
                "brand_user_id": ACCOUNT.id,
                "pgy_access_token": pgy["access_token"],
                "pgy_refresh_token": pgy["refresh_token"],
            },
        }

    # -- dispatch --------------------------------------------------------------------------------------------

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return gateway_error(GATEWAY_THROTTLED, "请求过于频繁，请稍后再试 (too many requests)")
        if fault == "server_error":
            return gateway_error(GATEWAY_ERROR, "服务内部错误 (gateway error)", status=500)
        if fault == "token_expired":
            return envelope(ACCESS_TOKEN_EXPIRED, "access_token 已过期 (the access token expired)")
        if fault == "system_busy":
            return envelope(SYSTEM_BUSY, "系统繁忙，请稍后重试 (system busy)")
        raise ValueError(f"no canned response for fault {fault!r}")

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        path = request.path.rstrip("/")
        try:
            if path not in (REFRESH_PATH, AUTHORIZE_PATH, *JG_PATHS, *PGY_PATHS):
                return gateway_error(404, f"no API {request.method} {request.path}", status=404)
            if request.method != "POST":
                raise Refusal(PARAMETER_ERROR, f"{path} takes POST with a JSON body")
            body = _json_body(request)
            if path == REFRESH_PATH:
                return self._refresh(request, body)
            if path == AUTHORIZE_PATH:
                return self._authorize(body)
            token = request.header("Access-Token")
            platform, state = self._check(token)
            if state is TokenCheck.UNKNOWN:
                return gateway_error(GATEWAY_UNAUTHORIZED, "Unauthorized: Access-Token 缺失或无效 (missing or unknown)")
            if state is TokenCheck.EXPIRED or self._expires_now(platform, token):
                return envelope(ACCESS_TOKEN_EXPIRED, "access_token 已过期，请刷新 (the access token expired)")
            wanted = JG if path in JG_PATHS else PGY
            if platform != wanted:
                raise Refusal(WRONG_PLATFORM, f"this API takes a {'聚光' if wanted == JG else '蒲公英'} access token")
            self.log.add_body(path, body)
            if path == REPORT_PATH:
                return self._report(body, as_of, data_fault)
            if path == NOTE_LIST_PATH:
                return self._note_list(body, as_of, data_fault)
            return self._collaborations(body, as_of, data_fault)
        except Refusal as refusal:
            return envelope(refusal.code, refusal.message)

    def _check(self, token: str | None) -> tuple[int | None, TokenCheck]:
        for platform, authority in self.tokens.items():
            state = authority.check(token)
            if state is not TokenCheck.UNKNOWN:
                return platform, state
        return None, TokenCheck.UNKNOWN

    def _expires_now(self, platform: int | None, token: str | None) -> bool:
        with self._expire_lock:
            if self._expire_after is None:
                return False
            if self._expire_after > 0:
                self._expire_after -= 1
                return False
            self._expire_after = None
        if platform is not None and token:
            self.tokens[platform].expire_access_tokens([token])
        return True

    # -- OAuth -----------------------------------------------------------------------------------------------

    def _refresh(self, request: ApiRequest, body: dict[str, Any]) -> ApiResponse:
        presented = str(body.get("refresh_token") or "")
        pgy = self.tokens[PGY]
        authority = pgy if presented and pgy.refresh_token_alive(presented) else self.tokens[JG]
        answer = authority.handle(request)
        assert answer is not None  # the path is the authorities'
        payload = json.loads(answer.body)
        payload["request_id"] = request_id()
        return json_response(answer.status, payload)

    def _authorize(self, body: dict[str, Any]) -> ApiResponse:
        """The auth-code grant: what the app does once the brand consented, here with the sandbox's codes."""
        if str(body.get("app_id")) != APP_ID or body.get("secret") != APP_SECRET:
            return envelope(APP_CREDENTIALS_WRONG, "app_id 或 secret 错误 (wrong app_id or secret)")
        platform = {JG_AUTH_CODE: JG, PGY_AUTH_CODE: PGY}.get(str(body.get("auth_code")))
        if platform is None:
            return envelope(PARAMETER_ERROR, "auth_code 无效 (unknown or used auth code)")
        pair = self.tokens[platform].issue()
        data = {
            **_policy(platform).response_extra["data"],
            "access_token": pair["access_token"],
            "access_token_expires_in": ACCESS_TTL,
            "refresh_token": pair["refresh_token"],
            "refresh_token_expires_in": REFRESH_TTL,
        }
        return envelope(OK, "成功", data)

    # -- 聚光 ------------------------------------------------------------------------------------------------

    def _advertiser(self, body: dict[str, Any]) -> None:
        value = body.get("advertiser_id")
        if value is None or str(value) == "":
            raise Refusal(PARAMETER_ERROR, "advertiser_id 不能为空 (advertiser_id is required)")
        if str(value) != ADVERTISER_ID:
            raise Refusal(NO_PERMISSION, f"无权限访问该广告主 (the authorization does not cover advertiser {value})")

    def _report(self, body: dict[str, Any], as_of: datetime, data_fault: str | None) -> ApiResponse:
        self._advertiser(body)
        if body.get("time_unit", "DAY") != "DAY":
            raise Refusal(PARAMETER_ERROR, "this sandbox serves time_unit DAY only")
        start, end = _day(body, "start_date"), _day(body, "end_date")
        _check_span(start, end)
        page, size = _paging(body, "page_num", REPORT_MAX_PAGE)
        rows = self.xhs.report_rows(start, min(end, last_ready_day(as_of)))
        served = [self.xhs.render_report_row(row) for row in rows[(page - 1) * size : page * size]]
        more = page * size < len(rows)
        if data_fault == "empty_page" and more:
            served = []  # a paging lie: no rows, yet the total says there are more
        _spoil(served, data_fault, "click", "like")
        data: dict[str, Any] = {"total_count": str(len(rows)) if len(rows) % 2 else len(rows)}
        if served or data_fault == "empty_page":
            data["data_list"] = served  # left out when nothing matched
        return envelope(OK, "成功", data)

    def _note_list(self, body: dict[str, Any], as_of: datetime, data_fault: str | None) -> ApiResponse:
        self._advertiser(body)
        if int(str(body.get("note_type", 1))) != 1:
            raise Refusal(PARAMETER_ERROR, "this sandbox lists the brand's own notes (note_type 1) only")
        since = _day(body, "create_start_time") if body.get("create_start_time") else WORLD_START
        until = _day(body, "create_end_time") if body.get("create_end_time") else as_of.astimezone(ZONE).date()
        page, size = _paging(body, "page", LIST_MAX_PAGE)
        notes = self.xhs.notes_listed(since, until, as_of)
        served = [self.xhs.render_note(post) for post in notes[(page - 1) * size : page * size]]
        if data_fault == "empty_page" and page * size < len(notes):
            served = []
        _spoil(served, data_fault, "create_time", "title")
        return envelope(OK, "成功", {"notes": served, "total": len(notes)})

    # -- 蒲公英 ----------------------------------------------------------------------------------------------

    def _collaborations(self, body: dict[str, Any], as_of: datetime, data_fault: str | None) -> ApiResponse:
        user = body.get("user_id")
        if not user:
            raise Refusal(PARAMETER_ERROR, "user_id 不能为空 (the brand's user_id is required)")
        if user != ACCOUNT.id:
            raise Refusal(NO_PERMISSION, f"无权限访问该品牌数据 (the authorization does not cover user {user})")
        if int(str(body.get("date_type", 2))) != 2:
            raise Refusal(PARAMETER_ERROR, "this sandbox filters by note publish time (date_type 2) only")
        start, end = _day(body, "start_time"), _day(body, "end_time")
        _check_span(start, end)
        page, size = _paging(body, "page_num", LIST_MAX_PAGE)
        data_day = last_ready_day(as_of)
        found = self.xhs.collaborations_published(start, min(end, data_day))
        served = [self.xhs.render_collaboration(c, data_day) for c in found[(page - 1) * size : page * size]]
        total_page = max(1, -(-len(found) // size))
        if data_fault == "empty_page" and page < total_page:
            served = []
        _spoil(served, data_fault, "read_num", "like_num")
        data = {"datas": served, "total": len(found), "page_num": page, "page_size": size, "total_page": total_page}
        return envelope(OK, "成功", data)


def _json_body(request: ApiRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        body = json.loads(request.body)
    except ValueError:
        raise Refusal(PARAMETER_ERROR, "请求体不是合法的 JSON (the body is not JSON)") from None
    if not isinstance(body, dict):
        raise Refusal(PARAMETER_ERROR, "请求体必须是 JSON 对象 (the body must be a JSON object)")
    return body


def _day(body: dict[str, Any], name: str) -> date:
    value = body.get(name)
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Refusal(PARAMETER_ERROR, f"{name} 格式错误，应为 yyyy-MM-dd (got {value!r})") from None


def _check_span(start: date, end: date) -> None:
    if end < start:
        raise Refusal(PARAMETER_ERROR, f"结束时间不能早于开始时间 ({start} .. {end})")
    if (end - start).days + 1 > MAX_SPAN_DAYS:
        raise Refusal(
            RANGE_TOO_LARGE, f"时间跨度不能超过{MAX_SPAN_DAYS}天 ({start} .. {end} is {(end - start).days + 1} days)"
        )


def _paging(body: dict[str, Any], page_name: str, max_size: int) -> tuple[int, int]:
    raw_page, raw_size = body.get(page_name, 1), body.get("page_size", DEFAULT_PAGE_SIZE)
    try:
        page, size = int(str(raw_page)), int(str(raw_size))
    except ValueError:
        raise Refusal(PARAMETER_ERROR, f"{page_name} and page_size must be integers") from None
    if page < 1 or not 1 <= size <= max_size:
        raise Refusal(PARAMETER_ERROR, f"{page_name} must be >= 1 and page_size 1..{max_size} (got {page}, {size})")
    return page, size


def _spoil(rows: list[dict[str, Any]], data_fault: str | None, counter: str, dropped: str) -> None:
    """Spoil the first row of a page (one bad row in an otherwise good page: the raw checks must catch it)."""
    if not rows or data_fault is None:
        return
    first = rows[0]
    if data_fault == "schema_drift":
        for row in rows:
            row.update(DRIFT_ROW)
    elif data_fault == "negative_count":
        first[counter] = -int(first[counter]) - 1
    elif data_fault == "missing_counter":
        first.pop(dropped)
    elif data_fault == "fractional_count":
        first[counter] = int(first[counter]) + 0.5  # a count DuckDB alone would round


SERVER = XiaohongshuServer
