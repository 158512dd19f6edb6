"""TikTok's Marketing API (v1.3) as the extractors meet it: the synchronous integrated report and advertiser info.

Quirks kept, because an extractor must survive each:

- The API answers HTTP 200 whatever happened; ``code`` says what (0 is success), beside ``message``,
  ``request_id`` and ``data``: 40100 QPS limit, 40104 no token, 40105 token incorrect or revoked, 40001 no
  permission on the advertiser, 40002 parameter error, 50000 system error. Only the ``server_error`` fault is a
  5xx: the gateway in front of the API failing, with a page that is not JSON.
- The token goes in an ``Access-Token`` header, not ``Authorization: Bearer``. It never expires (revocation
  ends it), so the ``token_expired`` fault answers what a revoked token gets: 40105.
- List parameters are JSON-encoded in the query (``dimensions='["ad_id","stat_time_day"]'``, ``metrics``,
  ``advertiser_ids``, ``fields``); a comma list is a parameter error.
- ``start_date``..``end_date`` (inclusive) spans at most 30 days for a daily report, and ``page_size`` is
  1..1000 (default 10); beyond either, 40002.
- Rows are ``{"dimensions": {...}, "metrics": {...}}``; every metric value is a string, attribute metrics
  (``campaign_name``...) included; ``stat_time_day`` is ``"YYYY-MM-DD 00:00:00"`` in the advertiser's zone; ads
  without activity are absent. Paging is ``data.page_info`` {page, page_size, total_number, total_page}.
"""

from __future__ import annotations

import json
import math
import re
import secrets
from datetime import date, datetime
from typing import Any

from sandbox.ad_delivery import AdAccount
from sandbox.code_envelope import Refusal, code_envelope
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer
from sandbox.tiktok.world import ATTRIBUTES, DEFAULT_METRICS, DIMENSIONS, METRICS, TikTokWorld
from sandbox.world import World

# The token this server accepts. A sandbox-only value: it opens nothing outside this machine, and it goes in the
# Airflow Connection exactly where a real token would.
ACCESS_TOKEN = "sandbox-tiktok-access-token-7f3a9c1e5b2d4068"

REPORT_PATH = re.compile(r"^/open_api/v1\.3/report/integrated/get/?$")
ADVERTISER_INFO_PATH = re.compile(r"^/open_api/v1\.3/advertiser/info/?$")

# Return codes (the Marketing API's code appendix).
OK = 0
NO_PERMISSION = 40001
PARAMETER_ERROR = 40002
QPS_LIMIT = 40100
TOKEN_EMPTY = 40104
TOKEN_WRONG = 40105
SYSTEM_ERROR = 50000

MAX_DAYS = 30
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000
MAX_ADVERTISER_IDS = 100
ADVERTISER_FIELDS = (
    "advertiser_id", "name", "company", "country", "currency", "timezone", "display_timezone", "status", "role",
)  # fmt: skip
DEFAULT_ADVERTISER_FIELDS = ("advertiser_id", "name", "currency", "timezone")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Fields a newer API version might start returning; clients must keep, not choke on, them.
DRIFT_METRICS = {"real_time_conversion": "0", "skan_conversion": "0", "engaged_view": "118"}


def bad_params(message: str) -> Refusal:
    return Refusal(PARAMETER_ERROR, message)


def envelope(code: int, message: str, data: Any = None, status: int = 200) -> ApiResponse:
    # TikTok's request ids start with the time of the request; the rest only has to be unique.
    request_id = f"{datetime.now():%Y%m%d%H%M%S}{secrets.token_hex(10).upper()}"
    return code_envelope(code, message, request_id, data, status)


def gateway_error() -> ApiResponse:
    """What the load balancer in front of the API answers when the service behind it is down."""
    page = b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>503</body></html>"
    return ApiResponse(503, page, {"Content-Type": "text/html"})


class TikTokServer(PlatformServer):
    name = "tiktok"
    settings_path = ADVERTISER_INFO_PATH
    data_faults = ("schema_drift", "empty_page", "negative_spend", "fractional_count", "missing_spend")
    # The API's own system error: code 50000 inside an HTTP 200 (``server_error`` is the gateway's 503).
    extra_response_faults = ("system_error",)

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.tiktok: TikTokWorld = world.part("tiktok")

    def connection(self) -> dict[str, Any]:
        return self.http_connection(ACCESS_TOKEN, {"advertiser_ids": [a.id for a in self.tiktok.accounts]})

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return envelope(QPS_LIMIT, "App reaches the QPS limit. Please retry later.")
        if fault == "server_error":
            return gateway_error()
        if fault == "system_error":
            return envelope(SYSTEM_ERROR, "System error, please try again later.")
        if fault == "token_expired":
            return envelope(TOKEN_WRONG, "Access token is incorrect or has been revoked.")
        raise ValueError(f"no canned response for fault {fault!r}")

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        token = request.header("Access-Token")
        if not token:
            return envelope(TOKEN_EMPTY, "Access token is null, please check the Access-Token header.")
        if token != ACCESS_TOKEN:
            return envelope(TOKEN_WRONG, "Access token is incorrect or has been revoked.")
        try:
            if REPORT_PATH.match(request.path):
                self._only_get(request)
                return self._report(request, as_of, data_fault)
            if ADVERTISER_INFO_PATH.match(request.path):
                self._only_get(request)
                return self._advertiser_info(request)
        except Refusal as refusal:
            return envelope(refusal.code, refusal.message)
        return envelope(PARAMETER_ERROR, f"no API {request.method} {request.path}", status=404)

    @staticmethod
    def _only_get(request: ApiRequest) -> None:
        if request.method != "GET":
            raise bad_params(f"{request.path} takes GET, not {request.method}")

    # -- the integrated report ---------------------------------------------------------------------------

    def _report(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        advertiser = self._advertiser(_required(request, "advertiser_id"))
        if (request.param("service_type") or "AUCTION") != "AUCTION":
            raise bad_params("the sandbox serves service_type AUCTION only")
        if _required(request, "report_type") != "BASIC":
            raise bad_params("the sandbox serves report_type BASIC only")
        if _required(request, "data_level") != "AUCTION_AD":
            raise bad_params("the sandbox serves data_level AUCTION_AD only")
        dimensions = _json_list(request, "dimensions")
        if dimensions is None:
            raise bad_params("dimensions: Missing data for required field.")
        if sorted(dimensions) != sorted(DIMENSIONS):
            raise bad_params(f"the sandbox serves dimensions {json.dumps(list(DIMENSIONS))} only")
        metrics = _json_list(request, "metrics") or list(DEFAULT_METRICS)
        for name in metrics:
            if name not in METRICS and name not in ATTRIBUTES:
                raise bad_params(f"metrics: Invalid metric: {name}")
        start, end = _date(request, "start_date"), _date(request, "end_date")
        if end < start:
            raise bad_params("end_date must not be earlier than start_date")
        if (end - start).days + 1 > MAX_DAYS:
            raise bad_params(f"The time span between start_date and end_date can not exceed {MAX_DAYS} days")
        page = _int(request, "page", 1, 1, None)
        page_size = _int(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)

        days = self.tiktok.report_days(advertiser.id, start, end, as_of)
        total_page = math.ceil(len(days) / page_size)
        served = days[(page - 1) * page_size : page * page_size]
        rows = [self.tiktok.render(reported, metrics) for reported in served]
        if data_fault == "empty_page" and page < total_page:
            rows = []  # a paging lie: no rows, yet more pages
        _spoil(rows, data_fault)
        page_info = {"page": page, "page_size": page_size, "total_number": len(days), "total_page": total_page}
        return envelope(OK, "OK", {"list": rows, "page_info": page_info})

    def _advertiser(self, advertiser_id: str) -> AdAccount:
        if not advertiser_id.isdigit():
            raise bad_params(f"advertiser_id: Not a valid integer: {advertiser_id!r}")
        for account in self.tiktok.accounts:
            if account.id == advertiser_id:  # the full id only: the delivery's short code is no advertiser id
                return account
        raise Refusal(NO_PERMISSION, f"No permission to operate advertiser {advertiser_id}.")

    # -- advertiser info -------------------------------------------------------------------------------------

    def _advertiser_info(self, request: ApiRequest) -> ApiResponse:
        ids = _json_list(request, "advertiser_ids")
        if not ids:
            raise bad_params("advertiser_ids: Missing data for required field.")
        if len(ids) > MAX_ADVERTISER_IDS:
            raise bad_params(f"advertiser_ids: Length must be between 1 and {MAX_ADVERTISER_IDS}.")
        fields = _json_list(request, "fields") or list(DEFAULT_ADVERTISER_FIELDS)
        for name in fields:
            if name not in ADVERTISER_FIELDS:
                raise bad_params(f"fields: Invalid field: {name}")
        listed = []
        for advertiser_id in ids:
            values = _advertiser_values(self._advertiser(advertiser_id))
            listed.append({name: values[name] for name in ("advertiser_id", *fields)})
        return envelope(OK, "OK", {"list": listed})


def _advertiser_values(account: AdAccount) -> dict[str, Any]:
    offset = "-08:00" if account.timezone == "America/Los_Angeles" else "+08:00"
    return {
        "advertiser_id": account.id,
        "name": account.name,
        "company": "Brand Commerce Ltd.",
        "country": "US" if account.timezone.startswith("America/") else "CN",
        "currency": account.currency,
        "timezone": account.timezone,
        "display_timezone": f"(UTC{offset}) {account.timezone}",
        "status": "STATUS_ENABLE",
        "role": "ROLE_ADVERTISER",
    }


def _spoil(rows: list[dict[str, Any]], data_fault: str | None) -> None:
    if not rows:
        return
    first = rows[0]["metrics"]
    if data_fault == "schema_drift":
        for row in rows:
            row["metrics"].update(DRIFT_METRICS)
    elif data_fault == "negative_spend" and "spend" in first:
        # One bad row in an otherwise good page: the raw-data checks must catch it, not the extractor.
        first["spend"] = f"-{first['spend']}"
    elif data_fault == "fractional_count" and "impressions" in first:
        first["impressions"] = f"{first['impressions']}.5"  # a count DuckDB alone would round
    elif data_fault == "missing_spend":
        first.pop("spend", None)  # a requested metric left out: unknown, never 0


def _required(request: ApiRequest, name: str) -> str:
    value = request.param(name)
    if not value:
        raise bad_params(f"{name}: Missing data for required field.")
    return value


def _json_list(request: ApiRequest, name: str) -> list[str] | None:
    """A list parameter, JSON-encoded as TikTok wants it; None when it is absent."""
    raw = request.param(name)
    if raw is None or not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        raise bad_params(f'{name}: must be a JSON-encoded list, e.g. ["ad_id","stat_time_day"]; got {raw!r}') from None
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise bad_params(f"{name}: must be a JSON-encoded list of strings; got {raw!r}")
    return [str(item) for item in value]


def _date(request: ApiRequest, name: str) -> date:
    raw = _required(request, name)
    try:
        if not _DATE.match(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise bad_params(f"{name}: Not a valid date (YYYY-MM-DD): {raw!r}") from None


def _int(request: ApiRequest, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.param(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_params(f"{name}: Not a valid integer: {raw!r}") from None
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise bad_params(f"{name}: Must be {bounds}.")
    return value


SERVER = TikTokServer
