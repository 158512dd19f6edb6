"""Ocean Engine's Open API (巨量引擎 / 巨量广告) as the extractors meet it: the v3 custom report, advertiser info,
and OAuth with rotating refresh tokens.

Quirks kept, because an extractor must survive each:

- The API answers HTTP 200 whatever happened; ``code`` says what (0 is success), beside ``message``,
  ``request_id`` and ``data``. (Only the ``server_error`` fault is a 5xx: the gateway in front of the API failing.)
- GET parameters that are lists or objects are JSON-encoded (``dimensions``, ``metrics``, ``filters``,
  ``order_by``, ``advertiser_ids``, ``fields``), and ``filters`` must be sent even when empty (``[]``).
- The report's metric values are strings; project and promotion ids are 19-digit strings, past 2^53; money is
  yuan; days are Beijing days; promotions without activity are absent; a day shows while it runs and its cost
  keeps moving until the next morning (``sandbox.ocean_engine.world``).
- ``start_time``..``end_time`` spans at most 30 days and ``page_size`` is 1..1000 (else 40001).
- The access token goes in the ``Access-Token`` header and lives 24 h, the refresh token 30 days, and each
  refresh rotates both: the refresh token used is dead from then on (40107).

Token lifetimes run on the world's clock, so moving the sandbox a day on expires the access tokens the way a day
of real time would, and 31 days on the refresh tokens too.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import threading
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sandbox.code_envelope import Refusal, code_envelope
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, json_response
from sandbox.ocean_engine.world import COMPANY, DIMENSIONS, METRICS, OceanEngineWorld, ReportDay, metric_values
from sandbox.token_server import TokenAuthority, TokenCheck, TokenPolicy, body_code_errors
from sandbox.world import World

# The sandbox developer app and the code its consent page hands out. Sandbox-only values: they open nothing
# outside this machine, and they go in the Airflow Connection exactly where real ones would.
APP_ID = "1790000000000042"
APP_SECRET = "sandbox-ocean-engine-app-secret-5b1e0c"
# Real auth codes are single-use and expire in minutes; the sandbox's may be exchanged any number of times,
# each exchange being one more independent authorization (its own token pair).
AUTH_CODE = "sandbox-ocean-engine-auth-code"

REPORT_PATH = re.compile(r"^/open_api/v3\.0/report/custom/get/?$")
ADVERTISER_INFO_PATH = re.compile(r"^/open_api/2/advertiser/info/?$")
REFRESH_PATH = "/open_api/oauth2/refresh_token/"
AUTHORIZE_PATH = "/open_api/oauth2/access_token/"

# Return codes (Ocean Engine's appendix of codes).
OK = 0
PARAMETER_ERROR = 40001
NO_PERMISSION = 40002
TOO_FREQUENT = 40100
ACCESS_TOKEN_EXPIRED = 40102
REFRESH_TOKEN_EXPIRED = 40103
ACCESS_TOKEN_EMPTY = 40104
ACCESS_TOKEN_WRONG = 40105
REFRESH_TOKEN_INVALID = 40107
SYSTEM_ERROR = 50000
DAILY_QUOTA_EXCEEDED = 61002

ACCESS_TTL = 86400
REFRESH_TTL = 30 * 86400
POLICY = TokenPolicy(
    path=REFRESH_PATH,
    access_ttl=float(ACCESS_TTL),
    refresh_ttl=float(REFRESH_TTL),
    rotate_refresh=True,
    client_id_field="app_id",
    client_secret_field="secret",
    response_path=("data",),
    response_extra={"code": OK, "message": "OK"},
    error=body_code_errors(
        {"invalid_grant": REFRESH_TOKEN_INVALID, "invalid_client": PARAMETER_ERROR, "invalid_request": PARAMETER_ERROR}
    ),
    # A token call takes a moment on the real platform too; it also makes concurrent refreshes overlap.
    delay=0.2,
)

REPORT_DATA_TOPIC = "BASIC_DATA"
MAX_DAYS = 30
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000
ADVERTISER_FIELDS = ("id", "name", "company", "role", "status", "create_time")
# Fields a newer API version might start returning; clients must keep, not choke on, them.
DRIFT_DIMENSIONS = {"cdp_project_status": "PROJECT_STATUS_ENABLE"}
DRIFT_METRICS = {"attribution_convert_cnt": "0", "deep_convert_cnt": "0"}


def bad_params(message: str) -> Refusal:
    return Refusal(PARAMETER_ERROR, message)


def request_id() -> str:
    return secrets.token_hex(16).upper()


def envelope(code: int, message: str, data: Any = None, status: int = 200) -> ApiResponse:
    return code_envelope(code, message, request_id(), data, status)


class OceanEngineServer(PlatformServer):
    name = "ocean_engine"
    settings_path = ADVERTISER_INFO_PATH
    data_faults = ("schema_drift", "empty_page", "negative_cost", "missing_cost", "fractional_count")
    # The API's own system error (50000 in an HTTP 200) and the developer's daily quota running out.
    extra_response_faults = ("system_error", "daily_quota")

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.ocean: OceanEngineWorld = world.part("ocean_engine")
        self.tokens = TokenAuthority(
            POLICY, client_id=APP_ID, client_secret=APP_SECRET, now=lambda: self.clock.now().timestamp(), prefix="oe"
        )
        # When each refresh token issued ends: the authority says only "dead", Ocean Engine says which (40103).
        self._refresh_ends: dict[str, float] = {}
        self._lock = threading.Lock()
        # The advertisers' authorization the sandbox's connection carries (as if a human had consented).
        self._initial = self._issue()

    def connection(self) -> dict[str, Any]:
        return {
            "conn_type": "http",
            "host": self.url,
            "login": APP_ID,
            "password": self._initial["access_token"],
            "extra": {
                "app_secret": APP_SECRET,
                "refresh_token": self._initial["refresh_token"],
                "advertiser_ids": [advertiser.id for advertiser in self.ocean.accounts],
            },
        }

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return envelope(TOO_FREQUENT, "Too many requests, please try again later. 请求过于频繁")
        if fault == "server_error":
            return envelope(SYSTEM_ERROR, "Internal service error", status=500)
        if fault == "system_error":
            return envelope(SYSTEM_ERROR, "System error, please try again later. 系统错误")
        if fault == "token_expired":
            return envelope(ACCESS_TOKEN_EXPIRED, "The access token has expired. access_token已过期")
        if fault == "daily_quota":
            return envelope(
                DAILY_QUOTA_EXCEEDED, "The developer's daily request quota is used up. 开发者当日调用量已达上限"
            )
        raise ValueError(f"no canned response for fault {fault!r}")

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        path = request.path.rstrip("/") + "/"
        if path in (AUTHORIZE_PATH, REFRESH_PATH):
            if request.method != "POST":
                return envelope(PARAMETER_ERROR, f"{path} takes POST")
            return self._authorize(request) if path == AUTHORIZE_PATH else self._refresh(request)
        token = request.header("Access-Token")
        if not token:
            return envelope(ACCESS_TOKEN_EMPTY, "The Access-Token header is empty")
        state = self.tokens.check(token)
        if state is TokenCheck.EXPIRED:
            return envelope(ACCESS_TOKEN_EXPIRED, "The access token has expired. access_token已过期")
        if state is TokenCheck.UNKNOWN:
            return envelope(ACCESS_TOKEN_WRONG, "The access token is incorrect")
        try:
            if request.method == "GET" and REPORT_PATH.match(request.path):
                return self._report(request, as_of, data_fault)
            if request.method == "GET" and ADVERTISER_INFO_PATH.match(request.path):
                return self._advertiser_info(request)
        except Refusal as refusal:
            return envelope(refusal.code, refusal.message)
        return envelope(PARAMETER_ERROR, f"no API {request.method} {request.path}", status=404)

    # -- OAuth -----------------------------------------------------------------------------------------

    def _issue(self) -> dict[str, Any]:
        pair = self.tokens.issue()
        with self._lock:
            self._refresh_ends[pair["refresh_token"]] = pair["refresh_expires_at"]
        return pair

    def _authorize(self, request: ApiRequest) -> ApiResponse:
        """The auth-code grant: what the app does once a human consented, here with the sandbox's code."""
        fields = _json_body(request)
        if fields.get("app_id") != APP_ID or fields.get("secret") != APP_SECRET:
            return envelope(PARAMETER_ERROR, "app_id or secret is incorrect")
        if fields.get("grant_type") != "auth_code" or fields.get("auth_code") != AUTH_CODE:
            return envelope(PARAMETER_ERROR, "grant_type must be auth_code, with a valid auth_code")
        pair = self._issue()
        data = {
            "access_token": pair["access_token"],
            "expires_in": ACCESS_TTL,
            "refresh_token": pair["refresh_token"],
            "refresh_token_expires_in": REFRESH_TTL,
            "advertiser_ids": [int(advertiser.id) for advertiser in self.ocean.accounts],
        }
        return envelope(OK, "OK", data)

    def _refresh(self, request: ApiRequest) -> ApiResponse:
        presented = _json_body(request).get("refresh_token")
        with self._lock:
            ends = self._refresh_ends.get(presented) if isinstance(presented, str) else None
        if ends is not None and ends <= self.clock.now().timestamp():
            return envelope(REFRESH_TOKEN_EXPIRED, "The refresh token has expired, please authorize again")
        answer = self.tokens.handle(request)
        assert answer is not None  # the path is the authority's
        body = json.loads(answer.body)
        if body.get("code") == OK:
            data = body["data"]
            with self._lock:
                self._refresh_ends[data["refresh_token"]] = (
                    self.clock.now().timestamp() + data["refresh_token_expires_in"]
                )
        body.setdefault("request_id", request_id())
        return json_response(answer.status, body)

    # -- the report ------------------------------------------------------------------------------------

    def _report(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        advertiser_id = self._advertiser_id(request.param("advertiser_id"))
        if request.param("data_topic") != REPORT_DATA_TOPIC:
            raise bad_params(f"data_topic must be {REPORT_DATA_TOPIC} (the sandbox serves the basic data topic)")
        dimensions = _names(request, "dimensions", DIMENSIONS)
        if not {"stat_time_day", "cdp_promotion_id"} <= set(dimensions):
            raise bad_params("the sandbox serves promotion x day rows: dimensions need stat_time_day, cdp_promotion_id")
        metrics = _names(request, "metrics", METRICS)
        if not metrics:
            raise bad_params("metrics must not be empty")
        if _json_param(request, "filters", required=True) != []:
            raise bad_params("the sandbox serves filters=[] only")
        if _json_param(request, "order_by", required=False) not in (None, []):
            raise bad_params("the sandbox serves order_by=[] only")
        start, end = _day(request, "start_time"), _day(request, "end_time")
        if start > end:
            raise bad_params("start_time must not be after end_time")
        if (end - start).days + 1 > MAX_DAYS:
            raise bad_params(f"the time span between start_time and end_time must not exceed {MAX_DAYS} days")
        page = _integer(request, "page", 1, 1, None)
        page_size = _integer(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)

        days = self.ocean.report_days(advertiser_id, start, end, as_of)
        total_page = math.ceil(len(days) / page_size)
        served = days[(page - 1) * page_size : page * page_size]
        rows = [_picked(self.ocean.render(day), dimensions, metrics) for day in served]
        _spoil(rows, data_fault)
        if data_fault == "empty_page" and page < total_page:
            rows = []  # a paging lie: no rows, yet more pages
        totals = _totals(days)
        data = {
            "rows": rows,
            "total_metrics": {name: totals[name] for name in metrics},
            "page_info": {"page": page, "page_size": page_size, "total_number": len(days), "total_page": total_page},
        }
        return envelope(OK, "OK", data)

    def _advertiser_id(self, raw: str | None) -> str:
        if not raw or not raw.isdigit():
            raise bad_params(f"advertiser_id must be a number, got {raw!r}")
        try:
            return self.ocean.account(raw).id
        except KeyError:
            raise Refusal(NO_PERMISSION, f"No permission to operate advertiser {raw}") from None

    def _advertiser_info(self, request: ApiRequest) -> ApiResponse:
        ids = _json_param(request, "advertiser_ids", required=True)
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_params("advertiser_ids must be a list of 1 to 100 advertiser ids")
        # One id without permission fails the whole request, as on the platform.
        advertisers = [self.ocean.account(self._advertiser_id(str(value))) for value in ids]
        fields = _json_param(request, "fields", required=False) or list(ADVERTISER_FIELDS)
        if not isinstance(fields, list) or not set(fields) <= set(ADVERTISER_FIELDS):
            raise bad_params(f"fields must be a list of {', '.join(ADVERTISER_FIELDS)}")
        found = []
        for advertiser in advertisers:
            node = {
                "id": int(advertiser.id),  # advertiser ids fit in 2^53, and the API sends them as numbers
                "name": advertiser.name,
                "company": COMPANY,
                "role": "ROLE_ADVERTISER",
                "status": "STATUS_ENABLE",
                "create_time": "2024-01-02 10:00:00",
            }
            found.append({key: value for key, value in node.items() if key == "id" or key in fields})
        return envelope(OK, "OK", {"list": found})


def _json_body(request: ApiRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _json_param(request: ApiRequest, name: str, *, required: bool) -> Any:
    raw = request.param(name)
    if raw is None:
        if required:
            raise bad_params(f"{name} is required (send [] when empty)")
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise bad_params(f"{name} must be JSON, got {raw!r}") from None


def _names(request: ApiRequest, name: str, known: tuple[str, ...]) -> list[str]:
    value = _json_param(request, name, required=True)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_params(f"{name} must be a JSON list of field names")
    unknown = [item for item in value if item not in known]
    if unknown:
        raise bad_params(f"{name}: unknown field(s) {', '.join(unknown)}")
    return value


def _day(request: ApiRequest, name: str) -> date:
    raw = request.param(name)
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        raise bad_params(f"{name} must be a date (YYYY-MM-DD), got {raw!r}") from None


def _integer(request: ApiRequest, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.param(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        limit = f"{low}..{high}" if high is not None else f">= {low}"
        raise bad_params(f"{name} must be an integer {limit}, got {raw!r}")
    return int(raw)


def _picked(row: dict[str, Any], dimensions: list[str], metrics: list[str]) -> dict[str, Any]:
    return {
        "dimensions": {name: row["dimensions"][name] for name in dimensions},
        "metrics": {name: row["metrics"][name] for name in metrics},
    }


def _totals(days: list[ReportDay]) -> dict[str, str]:
    return metric_values(
        sum((day.cost for day in days), Decimal("0.00")),
        sum(day.shows for day in days),
        sum(day.clicks for day in days),
        sum(day.converts for day in days),
        sum((day.pay_amount for day in days), Decimal("0.00")),
    )


def _spoil(rows: list[dict[str, Any]], data_fault: str | None) -> None:
    if not rows:
        return
    first = rows[0]["metrics"]
    if data_fault == "schema_drift":
        for row in rows:
            row["dimensions"].update(DRIFT_DIMENSIONS)
            row["metrics"].update(DRIFT_METRICS)
    elif data_fault == "negative_cost" and "stat_cost" in first:
        # One bad row in an otherwise good page: the raw-data checks must catch it, not the extractor.
        first["stat_cost"] = f"-{first['stat_cost']}"
    elif data_fault == "missing_cost":
        first.pop("stat_cost", None)  # a requested metric left out: unknown, never 0
    elif data_fault == "fractional_count" and "show_cnt" in first:
        first["show_cnt"] = f"{first['show_cnt']}.5"  # a count DuckDB alone would round


SERVER = OceanEngineServer
