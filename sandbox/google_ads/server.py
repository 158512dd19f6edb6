"""The Google Ads API (REST) as the extractors meet it: GAQL over searchStream, its OAuth token endpoint, and
its error bodies.

What a client must get right, quirks included:

- ``POST /{version}/customers/{customer_id}/googleAds:searchStream`` with ``{"query": "<GAQL>"}`` answers a
  JSON **array** of batches ``{"results": [GoogleAdsRow...], "fieldMask", "requestId"}`` of at most
  ``batch_rows`` rows each; a batch without rows leaves ``results`` out. Field names come back in
  lowerCamelCase objects (``metrics.costMicros``), int64 values as JSON strings, doubles as JSON numbers,
  an unset field (an ad without a name) not at all, and ad-days without activity are absent.
- GAQL is parsed: only the selected fields come back (with the ``resourceName`` of each resource the row
  touches), ``segments.date`` may only be selected with a finite date filter (``BETWEEN``, ``DURING``, or
  both bounds), and a bad query is a 400 ``INVALID_ARGUMENT`` carrying a ``GoogleAdsFailure`` queryError.
- ``POST .../googleAds:search`` pages the same rows with ``pageToken``/``nextPageToken``; the extractor reads
  the customer's settings (``FROM customer``) through it, so the fault queue passes it by like every
  platform's settings read.
- ``GET /{version}/customers:listAccessibleCustomers`` lists what the user reaches directly (the manager).
- Auth: ``Authorization: Bearer`` with an access token from ``POST /token`` (standing in for
  ``https://oauth2.googleapis.com/token``: refresh-token grant, ``expires_in`` 3599, no new refresh token, since
  Google's refresh tokens do not rotate), a ``developer-token`` header, and ``login-customer-id``: the
  customers are reached through the manager account, so without it the answer is Google's
  ``USER_PERMISSION_DENIED``.
- Errors are non-2xx ``{"error": {code, message, status, details: [GoogleAdsFailure]}}``; quota errors
  advertise ``retryDelay``; a stream that breaks after its first batch ends with an element carrying
  ``error`` inside the HTTP 200.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from sandbox.google_ads.world import MANAGER_ID, GoogleAdsWorld, customer_fields
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, json_response
from sandbox.token_server import TokenAuthority, TokenCheck, TokenPolicy
from sandbox.world import World

# Sandbox-only credentials: they open nothing outside this machine, and they go in the Airflow Connection
# exactly where real ones would. Google refresh tokens start "1//".
CLIENT_ID = "sandbox-google-ads.apps.googleusercontent.com"
CLIENT_SECRET = "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cret"
REFRESH_TOKEN = "1//sandbox-google-ads-refresh-token-0000000000"
DEVELOPER_TOKEN = "sandbox-developer-token-000000000"

TOKEN_PATH = "/token"
ACCESS_TOKEN_SECONDS = 3599  # what Google's token endpoint answers as expires_in
SCOPE = "https://www.googleapis.com/auth/adwords"
# The versions this sandbox serves; any other is refused like a path the API does not have.
VERSIONS = ("v22", "v23", "v24", "v25", "v26")
DEFAULT_VERSION = "v22"
# The real API sends up to 10,000 rows per stream batch and per search page.
BATCH_ROWS = 10_000
# What the quota error asks a client to wait. Google says tens of seconds; the sandbox keeps it short so that
# tests and `make run` stay fast while a client that ignored it (retrying after its own 10 ms) still shows.
RETRY_DELAY_SECONDS = 0.2

SEARCH_PATH = re.compile(r"^/(v\d+)/customers/(\d+)/googleAds:(searchStream|search)$")
SETTINGS_PATH = re.compile(r"^/(v\d+)/customers/(\d+)/googleAds:search$")
LIST_CUSTOMERS_PATH = re.compile(r"^/(v\d+)/customers:listAccessibleCustomers$")
VERSION_PREFIX = re.compile(r"^/(v\d+)/")

# GAQL field -> where the row carries it (lowerCamelCase), per resource the sandbox serves.
_CUSTOMER_FIELDS = ("customer.id", "customer.currency_code", "customer.time_zone", "customer.descriptive_name")
RESOURCE_FIELDS: dict[str, tuple[str, ...]] = {
    "ad_group_ad": (
        *_CUSTOMER_FIELDS[:3],
        "customer.resource_name",
        "campaign.resource_name", "campaign.id", "campaign.name",
        "ad_group.resource_name", "ad_group.id", "ad_group.name",
        "ad_group_ad.resource_name", "ad_group_ad.ad.resource_name", "ad_group_ad.ad.id", "ad_group_ad.ad.name",
        "segments.date",
        "metrics.cost_micros", "metrics.impressions", "metrics.clicks", "metrics.conversions",
        "metrics.conversions_value",
    ),
    "customer": (*_CUSTOMER_FIELDS, "customer.resource_name"),
}  # fmt: skip
# The main resource of each query: its resource name comes back even when not selected.
MAIN_RESOURCE = {"ad_group_ad": "adGroupAd", "customer": "customer"}
DURING = ("TODAY", "YESTERDAY", "LAST_7_DAYS", "LAST_14_DAYS", "LAST_30_DAYS", "THIS_MONTH", "LAST_MONTH")
PARAMETERS = frozenset({"include_drafts", "omit_unselected_resource_names"})
# Fields a newer API version might start returning; clients must keep, not choke on, them.
DRIFT_FIELDS = {"metrics": {"videoViews": "0", "interactionRate": 0.031}, "adGroupAd": {"status": "ENABLED"}}


def camel(gaql_field: str) -> str:
    """``ad_group_ad.ad.resource_name`` -> ``adGroupAd.ad.resourceName``: GAQL names as the JSON answer spells them."""
    return ".".join(
        part.split("_")[0] + "".join(word.title() for word in part.split("_")[1:]) for part in gaql_field.split(".")
    )


# -- errors ----------------------------------------------------------------------------------------------------

HTTP_STATUS = {
    "INVALID_ARGUMENT": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "RESOURCE_EXHAUSTED": 429,
    "INTERNAL": 500,
    "UNAVAILABLE": 503,
}


def request_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")


def error_body(
    status: str, message: str, errors: list[dict[str, Any]] | None = None, version: str = DEFAULT_VERSION
) -> dict[str, Any]:
    """``{"error": {...}}`` with a GoogleAdsFailure in ``details`` when there are Google Ads errors to report."""
    error: dict[str, Any] = {"code": HTTP_STATUS[status], "message": message, "status": status}
    if errors:
        error["details"] = [
            {
                "@type": f"type.googleapis.com/google.ads.googleads.{version}.errors.GoogleAdsFailure",
                "errors": errors,
                "requestId": request_id(),
            }
        ]
    return {"error": error}


def google_error(
    status: str, message: str, errors: list[dict[str, Any]] | None = None, version: str = DEFAULT_VERSION
) -> ApiResponse:
    return json_response(HTTP_STATUS[status], error_body(status, message, errors, version))


def ads_error(family: str, code: str, message: str, **details: Any) -> dict[str, Any]:
    """One GoogleAdsError: the family is the key of ``errorCode`` (``{"quotaError": "RESOURCE_EXHAUSTED"}``)."""
    error: dict[str, Any] = {"errorCode": {family: code}, "message": message}
    if details:
        error["details"] = details
    return error


class BadQuery(ValueError):
    """A request Google refuses with 400 INVALID_ARGUMENT and one GoogleAdsError."""

    def __init__(self, code: str, message: str, family: str = "queryError") -> None:
        super().__init__(message)
        self.error = ads_error(family, code, message)


# -- GAQL ------------------------------------------------------------------------------------------------------

_QUERY = re.compile(
    r"^\s*SELECT\s+(?P<select>.+?)\s+FROM\s+(?P<resource>\w+)"
    r"(?:\s+WHERE\s+(?P<where>.+?))?(?:\s+ORDER\s+BY\s+(?P<order>.+?))?"
    r"(?:\s+LIMIT\s+(?P<limit>\S+))?(?:\s+PARAMETERS\s+(?P<parameters>.+?))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_BETWEEN = re.compile(r"\bsegments\.date\s+BETWEEN\s+'([^']*)'\s+AND\s+'([^']*)'", re.IGNORECASE)
_COMPARISON = re.compile(r"^segments\.date\s*(>=|<=|=|>|<)\s*'([^']*)'$", re.IGNORECASE)
_DURING = re.compile(r"^segments\.date\s+DURING\s+(\w+)$", re.IGNORECASE)


@dataclass
class Query:
    """What the sandbox understood of one GAQL query."""

    resource: str
    fields: tuple[str, ...]
    since: date | None = None
    until: date | None = None
    during: str | None = None
    limit: int | None = None
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def segmented_by_date(self) -> bool:
        return "segments.date" in self.fields

    def date_range(self, today: date) -> tuple[date, date] | None:
        """The inclusive date range the filter allows (``today`` in the customer's zone), None when unbounded."""
        since, until = self.since, self.until
        if self.during is not None:
            since, until = during_range(self.during, today)
        return (since, until) if since is not None and until is not None else None


def during_range(constant: str, today: date) -> tuple[date, date]:
    """GAQL's relative ranges; ``LAST_n_DAYS`` ends yesterday, like Google's."""
    if constant == "TODAY":
        return today, today
    if constant == "YESTERDAY":
        return today - timedelta(days=1), today - timedelta(days=1)
    if constant.startswith("LAST_") and constant.endswith("_DAYS"):
        days = int(constant[5:-5])
        return today - timedelta(days=days), today - timedelta(days=1)
    first = today.replace(day=1)
    if constant == "THIS_MONTH":
        return first, today
    last_month_end = first - timedelta(days=1)
    return last_month_end.replace(day=1), last_month_end


def parse_query(text: str) -> Query:
    """Enough GAQL for the sandbox: fields, resource, date conditions joined by AND, LIMIT, PARAMETERS."""
    if not re.match(r"^\s*SELECT\b", text, re.IGNORECASE):
        raise BadQuery("EXPECTED_SELECT", "Expected SELECT at the start of the query.")
    match = _QUERY.match(text)
    if match is None:
        raise BadQuery("EXPECTED_FROM", "Expected FROM after the selected fields.")
    resource = match["resource"].lower()
    if resource not in RESOURCE_FIELDS:
        raise BadQuery("BAD_RESOURCE_TYPE_IN_FROM_CLAUSE", f"Invalid resource type in the FROM clause: '{resource}'.")
    fields = tuple(name.strip().lower() for name in match["select"].split(","))
    for name in fields:
        if name not in RESOURCE_FIELDS[resource]:
            raise BadQuery("UNRECOGNIZED_FIELD", f"Unrecognized field in the query: '{name}'.")
    if len(set(fields)) != len(fields):
        raise BadQuery("BAD_FIELD_NAME", "A field is selected more than once.")
    if resource == "ad_group_ad" and "segments.date" not in fields:
        # Google would sum each ad over the range; the sandbox serves ad-days only and says so.
        raise BadQuery("QUERY_ERROR", "The sandbox serves ad_group_ad segmented by segments.date only.")
    query = Query(resource, fields)
    if match["where"]:
        _apply_where(query, match["where"])
    if match["limit"]:
        if not match["limit"].isdigit() or int(match["limit"]) < 1:
            raise BadQuery("BAD_LIMIT_VALUE", f"Invalid LIMIT value: '{match['limit']}'.")
        query.limit = int(match["limit"])
    if match["parameters"]:
        for pair in match["parameters"].split(","):
            name, _, value = (part.strip() for part in pair.partition("="))
            if name not in PARAMETERS or value.lower() not in ("true", "false"):
                raise BadQuery("BAD_PARAMETER_NAME", f"Parameter unknown or not supported: '{pair.strip()}'.")
            query.parameters[name] = value.lower()
    if query.segmented_by_date and query.during is None and (query.since is None or query.until is None):
        raise BadQuery(
            "EXPECTED_FILTERS_ON_DATE_RANGE",
            "Filters on the date range are expected: a query selecting segments.date needs a finite date range "
            "in the WHERE clause (BETWEEN, DURING, or both bounds).",
        )
    return query


def _date(text: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise BadQuery("BAD_VALUE", f"Invalid date value '{text}': expected YYYY-MM-DD.")


def _apply_where(query: Query, where: str) -> None:
    # BETWEEN's own AND would split the clause wrongly, so BETWEEN conditions are taken out first.
    for since, until in _BETWEEN.findall(where):
        _bound(query, ">=", since)
        _bound(query, "<=", until)
    rest = _BETWEEN.sub("", where)
    conditions = [part.strip() for part in re.split(r"\bAND\b", rest, flags=re.IGNORECASE) if part.strip()]
    for condition in conditions:
        compared = _COMPARISON.match(condition)
        during = _DURING.match(condition)
        if compared:
            _bound(query, compared[1], compared[2])
        elif during:
            constant = during[1].upper()
            if constant not in DURING:
                raise BadQuery("BAD_ENUM_CONSTANT", f"Invalid DURING constant '{during[1]}'.")
            query.during = constant
        else:
            # GAQL allows much more; the sandbox filters on the date only and says so rather than ignore it.
            raise BadQuery("BAD_OPERATOR", f"The sandbox filters on segments.date only, got: '{condition}'.")
    if query.since and query.until and query.since > query.until:
        raise BadQuery("DATE_RANGE_TOO_NARROW", "The date range's start date is after its end date.")


def _bound(query: Query, operator: str, text: str) -> None:
    day = _date(text)
    if operator in (">=", ">", "="):
        start = day + timedelta(days=1) if operator == ">" else day
        query.since = max(query.since, start) if query.since else start
    if operator in ("<=", "<", "="):
        end = day - timedelta(days=1) if operator == "<" else day
        query.until = min(query.until, end) if query.until else end


def project(row: dict[str, Any], query: Query) -> dict[str, Any]:
    """The row with only the selected fields, plus the resource names Google returns beside them."""
    out: dict[str, Any] = {}
    paths = [camel(name) for name in query.fields]
    if query.parameters.get("omit_unselected_resource_names") != "true":
        # Every resource a selected field belongs to comes with its resource name, and the main one always.
        owners = {path.rsplit(".", 1)[0] for path in paths} | {MAIN_RESOURCE[query.resource]}
        paths += [f"{owner}.resourceName" for owner in sorted(owners)]
    for path in paths:
        value: Any = row
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue  # proto3 JSON: an unset field is left out
        target = out
        *parents, last = path.split(".")
        for key in parents:
            target = target.setdefault(key, {})
        target[last] = value
    return out


# -- the server ------------------------------------------------------------------------------------------------


class GoogleAdsServer(PlatformServer):
    name = "google_ads"
    # The customer settings read goes through googleAds:search; data through googleAds:searchStream.
    settings_path = SETTINGS_PATH
    data_faults = ("schema_drift", "negative_cost", "missing_clicks", "fractional_micros", "stream_error")
    extra_response_faults = ("unavailable", "developer_token_not_approved", "permission_denied")

    def __init__(
        self,
        world: World,
        clock: Clock,
        *,
        batch_rows: int = BATCH_ROWS,
        retry_delay_seconds: float = RETRY_DELAY_SECONDS,
        **options: Any,
    ) -> None:
        super().__init__(world, clock, **options)
        self.google: GoogleAdsWorld = world.part("google_ads")
        self.batch_rows = batch_rows
        self.retry_delay_seconds = retry_delay_seconds
        policy = TokenPolicy(
            path=TOKEN_PATH,
            access_ttl=ACCESS_TOKEN_SECONDS,
            return_refresh_token=False,
            refresh_expires_in_name=None,
            response_extra={"scope": SCOPE, "token_type": "Bearer"},
        )
        self.tokens = TokenAuthority(policy, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, prefix="ya29")
        # The authority issues random refresh tokens; the published REFRESH_TOKEN stands for the one issued
        # here, so a client in another process (``python -m sandbox serve``) can authenticate too.
        self._issued_refresh_token: str = self.tokens.issue()["refresh_token"]

    def connection(self) -> dict[str, Any]:
        extra = {
            "token_url": f"{self.url}{TOKEN_PATH}",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "developer_token": DEVELOPER_TOKEN,
            "login_customer_id": MANAGER_ID,
            "customer_ids": [account.id for account in self.google.accounts],
        }
        return self.http_connection(REFRESH_TOKEN, extra)

    # -- dispatch --------------------------------------------------------------------------------------------

    def serve(self, request: ApiRequest) -> tuple[ApiResponse, float]:
        # The token endpoint stands for oauth2.googleapis.com, another host than the Ads API: faults armed for
        # the API and the API's request log are not its business (``tokens.refresh_calls`` counts its calls).
        if request.path.rstrip("/") == TOKEN_PATH:
            return self._token(request), 0.0
        return super().serve(request)

    def _token(self, request: ApiRequest) -> ApiResponse:
        if request.method != "POST":
            return json_response(405, {"error": "invalid_request", "error_description": "POST required"})
        fields = parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        if ("refresh_token", REFRESH_TOKEN) in fields:
            fields = [(k, self._issued_refresh_token if v == REFRESH_TOKEN else v) for k, v in fields]
            request = replace(request, body=urlencode(fields).encode())
        answer = self.tokens.handle(request)
        assert answer is not None  # the path is the authority's
        return answer

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        version = _version(request.path)
        if fault == "rate_limit":
            delay = f"{self.retry_delay_seconds:g}s"
            return google_error(
                "RESOURCE_EXHAUSTED",
                "Too many requests. Retry in a little while.",
                [ads_error(
                    "quotaError", "RESOURCE_EXHAUSTED",
                    f"Too many requests. Retry in {delay}.",
                    quotaErrorDetails={"rateScope": "DEVELOPER", "rateName": "Number of operations for basic access",
                                       "retryDelay": delay},
                )],
                version,
            )  # fmt: skip
        if fault == "server_error":
            return google_error(
                "INTERNAL",
                "Internal error encountered.",
                [ads_error("internalError", "INTERNAL_ERROR", "An internal error has occurred.")],
                version,
            )
        if fault == "unavailable":
            return google_error("UNAVAILABLE", "The service is currently unavailable.")
        if fault == "token_expired":
            # The token the request carries really expires, so a client that retried it unchanged fails again.
            self.tokens.expire_access_tokens([_bearer(request) or ""])
            return self._unauthenticated("OAUTH_TOKEN_EXPIRED", version)
        if fault == "developer_token_not_approved":
            return google_error(
                "PERMISSION_DENIED",
                "The caller does not have permission",
                [ads_error(
                    "authorizationError", "DEVELOPER_TOKEN_NOT_APPROVED",
                    "The developer token is only approved for use with test accounts. To access non-test accounts, "
                    "apply for Basic or Standard access.",
                )],
                version,
            )  # fmt: skip
        if fault == "permission_denied":
            return self._permission_denied(version)
        raise ValueError(f"no canned response for fault {fault!r}")

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        version = _version(request.path)
        search = SEARCH_PATH.match(request.path)
        listing = LIST_CUSTOMERS_PATH.match(request.path)
        if (search is None and listing is None) or version not in VERSIONS:
            return google_error(
                "NOT_FOUND",
                f"The requested URL {request.path} was not found on this server (this API serves "
                f"{', '.join(VERSIONS)}).",
            )
        if (search and request.method != "POST") or (listing and request.method != "GET"):
            return google_error("NOT_FOUND", f"Method {request.method} is not allowed on {request.path}.")
        refused = self._authenticate(request, version)
        if refused is not None:
            return refused
        if listing is not None:
            return json_response(200, {"resourceNames": [f"customers/{MANAGER_ID}"]})
        assert search is not None
        customer_id, method = search.group(2), search.group(3)
        login = request.header("login-customer-id")
        if login != MANAGER_ID or customer_id not in {account.id for account in self.google.accounts}:
            return self._permission_denied(version)
        try:
            body = _json_body(request)
            query = parse_query(body["query"])
            rows = self._rows(customer_id, query, as_of)
            if method == "search":
                return self._search_page(rows, query, body.get("pageToken"))
        except BadQuery as exc:
            return google_error("INVALID_ARGUMENT", "Request contains an invalid argument.", [exc.error], version)
        return self._stream(rows, query, data_fault, version)

    # -- auth ------------------------------------------------------------------------------------------------

    def _authenticate(self, request: ApiRequest, version: str) -> ApiResponse | None:
        token = _bearer(request)
        check = self.tokens.check(token)
        if check is TokenCheck.EXPIRED:
            return self._unauthenticated("OAUTH_TOKEN_EXPIRED", version)
        if check is not TokenCheck.VALID:
            return self._unauthenticated("OAUTH_TOKEN_INVALID" if token else "NOT_ADS_USER", version)
        if request.header("developer-token") != DEVELOPER_TOKEN:
            # Since v19.1 an invalid (or missing) developer token has its own code.
            return google_error(
                "UNAUTHENTICATED",
                "Request is missing required authentication credential.",
                [ads_error("authenticationError", "DEVELOPER_TOKEN_INVALID", "The developer token is not valid.")],
                version,
            )
        return None

    @staticmethod
    def _unauthenticated(code: str, version: str) -> ApiResponse:
        return google_error(
            "UNAUTHENTICATED",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
            "valid authentication credential.",
            [ads_error("authenticationError", code, "Authentication of the request failed.")],
            version,
        )

    @staticmethod
    def _permission_denied(version: str) -> ApiResponse:
        return google_error(
            "PERMISSION_DENIED",
            "The caller does not have permission",
            [ads_error(
                "authorizationError", "USER_PERMISSION_DENIED",
                "User doesn't have permission to access customer. Note: If you're accessing a client customer, the "
                "manager's customer id must be set in the 'login-customer-id' header.",
            )],
            version,
        )  # fmt: skip

    # -- answers ---------------------------------------------------------------------------------------------

    def _rows(self, customer_id: str, query: Query, as_of: datetime) -> list[dict[str, Any]]:
        customer = self.google.account(customer_id)
        if query.resource == "customer":
            full = [{"customer": {**customer_fields(customer), "descriptiveName": customer.name}}]
        else:
            # DURING ranges are relative to today on the customer's clock.
            window = query.date_range(as_of.astimezone(ZoneInfo(customer.timezone)).date())
            assert window is not None  # parse_query refuses ad-days without a finite range
            full = self.google.rows(customer_id, window[0], window[1], as_of)
        rows = [project(row, query) for row in full]
        return rows[: query.limit] if query.limit else rows

    def _stream(self, rows: list[dict[str, Any]], query: Query, data_fault: str | None, version: str) -> ApiResponse:
        _spoil(rows, data_fault)
        mask = ",".join(camel(name) for name in query.fields)
        batches: list[dict[str, Any]] = []
        for start in range(0, len(rows), self.batch_rows):
            batches.append(
                {"results": rows[start : start + self.batch_rows], "fieldMask": mask, "requestId": request_id()}
            )
        if not batches:
            batches.append({"fieldMask": mask, "requestId": request_id()})  # no rows: no ``results`` at all
        if data_fault == "stream_error":
            # The stream broke after its first batch: the status (200) was sent long ago, so the error comes as
            # the array's last element.
            failure = error_body(
                "INTERNAL", "Internal error encountered.",
                [ads_error("internalError", "TRANSIENT_ERROR", "The stream was interrupted. Retry the request.")],
                version,
            )  # fmt: skip
            batches = [*batches[:1], failure]
        return json_response(200, batches)

    def _search_page(self, rows: list[dict[str, Any]], query: Query, page_token: Any) -> ApiResponse:
        offset = _decode_page_token(page_token) if page_token else 0
        page = rows[offset : offset + self.batch_rows]
        body: dict[str, Any] = {"fieldMask": ",".join(camel(name) for name in query.fields), "requestId": request_id()}
        if page:
            body["results"] = page
        if offset + self.batch_rows < len(rows):
            body["nextPageToken"] = base64.urlsafe_b64encode(
                json.dumps({"offset": offset + self.batch_rows}).encode()
            ).decode()
        return json_response(200, body)


def _spoil(rows: list[dict[str, Any]], data_fault: str | None) -> None:
    """One bad row in an otherwise good answer: the raw checks must catch it, not the extractor."""
    metrics = rows[0].get("metrics", {}) if rows else {}
    if data_fault == "schema_drift":
        for row in rows:
            for resource, fields in DRIFT_FIELDS.items():
                row.setdefault(resource, {}).update(fields)
    elif data_fault == "negative_cost" and "costMicros" in metrics:
        metrics["costMicros"] = f"-{metrics['costMicros']}"
    elif data_fault == "missing_clicks":
        metrics.pop("clicks", None)  # a selected metric left out: unknown, never 0
    elif data_fault == "fractional_micros" and "costMicros" in metrics:
        metrics["costMicros"] = f"{metrics['costMicros']}.5"  # an int64 that is not one


def _version(path: str) -> str:
    match = VERSION_PREFIX.match(path)
    return match.group(1) if match else DEFAULT_VERSION


def _bearer(request: ApiRequest) -> str | None:
    authorization = request.header("authorization") or ""
    return authorization[7:].strip() if authorization.lower().startswith("bearer ") else None


def _json_body(request: ApiRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise BadQuery("REQUIRED", "Invalid JSON payload received.", family="fieldError") from None
    if not isinstance(body, dict) or not isinstance(body.get("query"), str) or not body["query"].strip():
        raise BadQuery("REQUIRED", "The required field 'query' was not present.", family="fieldError")
    return body


def _decode_page_token(token: Any) -> int:
    try:
        offset = json.loads(base64.urlsafe_b64decode(str(token)))["offset"]
        if isinstance(offset, int) and offset >= 0:
            return offset
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    raise BadQuery("INVALID_PAGE_TOKEN", "Invalid page token.", family="requestError")


SERVER = GoogleAdsServer
