"""Meta Marketing API (ad insights) as the extractors meet it: Graph paths, cursor paging, error bodies.

Errors use real HTTP statuses with Graph's ``{"error": {...}}`` body, and throttling is error code 17
with the ``x-business-use-case-usage`` header, so a client must read the body code, not only the
status, to know whether to back off, retry, refresh a token or give up.

Large reports go the way they go on Graph: a synchronous request for more than ``SYNC_ROW_LIMIT`` rows is
refused (error 100, subcode 1504018, "reduce the amount of data"), and the same parameters POSTed to the
insights edge start an asynchronous report run (``report_run_id``) that is polled on ``/{report_run_id}``
(``async_status``) and read, with the usual cursor paging, from ``/{report_run_id}/insights``.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import os
import re
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, json_response
from sandbox.meta.world import INSIGHT_FIELDS, AdAccount, MetaWorld
from sandbox.world import World

# The token this server accepts. A sandbox-only value: it opens nothing outside this machine, and it goes in
# the Airflow Connection exactly where a real token would.
ACCESS_TOKEN = "sandbox-meta-token-EAAB0000000000000000"

INSIGHTS_PATH = re.compile(r"^/(v\d+\.0)/act_(\d+)/insights/?$")
ACCOUNT_PATH = re.compile(r"^/(v\d+\.0)/act_(\d+)/?$")
REPORT_RUN_PATH = re.compile(r"^/(v\d+\.0)/(\d+)/?$")
REPORT_RESULTS_PATH = re.compile(r"^/(v\d+\.0)/(\d+)/insights/?$")
# More rows than this in one synchronous insights request and Graph asks for less data (or an async job).
SYNC_ROW_LIMIT = 2500
# A report run is "Job Started" on its first status read and "Job Completed" from the second on.
POLLS_TO_COMPLETE = 2
# Graph API versions and the day each stops being served (Meta's version table; None: no end date yet). A
# call to a version past its day is refused with error 2635, one to a version Meta never released with 2500.
VERSION_EXPIRES: dict[str, date | None] = {
    "v21.0": date(2025, 9, 9),
    "v22.0": date(2026, 1, 21),
    "v23.0": date(2026, 6, 9),
    "v24.0": date(2026, 11, 10),
    "v25.0": date(2027, 2, 23),
    "v26.0": None,
    "v27.0": None,
}
DEFAULT_LIMIT = 25
MAX_LIMIT = 500
ALWAYS_RETURNED = ("date_start", "date_stop")  # Meta adds the time bucket to every insights row
# Fields a newer API version might start returning; clients must keep, not choke on, them.
DRIFT_FIELDS = {
    "quality_ranking": "ABOVE_AVERAGE",
    "conversion_rate_ranking": "AVERAGE",
    "video_play_actions": [{"action_type": "video_view", "value": "118"}],
}


class BadParams(ValueError):
    """A request Graph would refuse with error code 100."""


def meta_error(
    status: int,
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    error_type: str = "OAuthException",
    transient: bool | None = None,
    headers: dict[str, str] | None = None,
) -> ApiResponse:
    error: dict[str, Any] = {"message": message, "type": error_type, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient is not None:
        error["is_transient"] = transient
    error["fbtrace_id"] = base64.urlsafe_b64encode(os.urandom(9)).decode()
    return json_response(status, {"error": error}, headers)


def usage_header(account_number: str, call_count: int) -> dict[str, str]:
    """The business-use-case usage header Meta sends with ads calls (percentages of the quota)."""
    usage = {
        account_number: [
            {
                "type": "ads_insights",
                "call_count": call_count,
                "total_cputime": min(call_count, 5),
                "total_time": min(call_count, 5),
                "estimated_time_to_regain_access": 0,
            }
        ]
    }
    return {"x-business-use-case-usage": json.dumps(usage, separators=(",", ":"))}


def encode_cursor(key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        day, ad_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return str(day), str(ad_id)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BadParams(f"Invalid cursor {cursor!r}") from exc


def _account_number(request: ApiRequest) -> str:
    match = INSIGHTS_PATH.match(request.path)
    return match.group(2) if match else "0"


def version_refusal(version: str, today: date) -> ApiResponse | None:
    """Meta's answer to a retired or unknown API version, or None when the version is served."""
    if version not in VERSION_EXPIRES:
        return meta_error(400, 2500, f"Unknown path components: /{version}")
    expires = VERSION_EXPIRES[version]
    current = [v for v, end in VERSION_EXPIRES.items() if end is None or end > today]
    if expires is not None and expires <= today:
        return meta_error(
            400, 2635,
            f"(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: "
            f"{current[-1]}.",
        )  # fmt: skip
    return None


class MetaServer(PlatformServer):
    name = "meta"
    settings_path = ACCOUNT_PATH
    data_faults = (
        "schema_drift", "negative_spend", "empty_page", "fractional_count", "missing_clicks",
        "job_failed",  # the report run this request creates or polls fails
    )  # fmt: skip
    # The insights endpoint's own throttles (code 4 with its insights subcodes), beside ``rate_limit``
    # (code 80000, the ads-insights business-use-case limit); ``too_much_data`` (100/1504018) and
    # ``insights_timeout`` (2/1504038) are Graph's answers to a synchronous request too large to serve.
    extra_response_faults = ("app_rate_limit", "account_rate_limit", "too_much_data", "insights_timeout")

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.meta: MetaWorld = world.part("meta")
        self._runs: dict[str, _ReportRun] = {}
        self._runs_lock = threading.Lock()

    def connection(self) -> dict[str, Any]:
        # The sandbox finishes a report run within two status reads: no need to wait as long as for Graph.
        extra = {"account_ids": [account.id for account in self.meta.accounts], "async_poll_seconds": 0.2}
        return self.http_connection(ACCESS_TOKEN, extra)

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return meta_error(
                400, 80000, "There have been too many calls from this ad-account. Wait a bit and try again.",
                subcode=2446079, transient=True, headers=usage_header(_account_number(request), 100),
            )  # fmt: skip
        if fault in ("app_rate_limit", "account_rate_limit"):
            subcode = 1504022 if fault == "app_rate_limit" else 1504039
            return meta_error(
                400, 4, "(#4) Application request limit reached", subcode=subcode, transient=True,
                headers=usage_header(_account_number(request), 100),
            )  # fmt: skip
        if fault == "too_much_data":
            return too_much_data()
        if fault == "insights_timeout":
            return meta_error(
                500, 2, "Service temporarily unavailable", subcode=1504038, transient=True,
                error_type="FacebookApiException",
            )  # fmt: skip
        if fault == "server_error":
            return meta_error(500, 2, "An unexpected error has occurred. Please retry your request later.",
                              transient=True)  # fmt: skip
        if fault == "token_expired":
            return meta_error(
                400, 190,
                "Error validating access token: Session has expired on Sunday, 22-Nov-26 08:00:00 PST. "
                "The current time is Monday, 23-Nov-26 08:00:00 PST.",
                subcode=463,
            )  # fmt: skip
        raise ValueError(f"no canned response for fault {fault!r}")

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        token = request.param("access_token")
        authorization = request.header("authorization") or ""
        if token is None and authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
        if token != ACCESS_TOKEN:
            return meta_error(400, 190, "Invalid OAuth access token - Cannot parse access token")
        run_match = REPORT_RUN_PATH.match(request.path) or REPORT_RESULTS_PATH.match(request.path)
        if run_match is not None and request.method == "GET":
            return version_refusal(run_match.group(1), as_of.date()) or self._report_run(
                request, run_match, as_of, data_fault
            )
        match = INSIGHTS_PATH.match(request.path) or ACCOUNT_PATH.match(request.path)
        post_insights = request.method == "POST" and match is not None and match.re is INSIGHTS_PATH
        if (request.method != "GET" and not post_insights) or match is None:
            return self._unsupported(request)
        refusal = version_refusal(match.group(1), as_of.date())
        if refusal is not None:
            return refusal
        try:
            account = self.meta.account(match.group(2))
        except KeyError:
            return self._unsupported(request)
        if match.re is ACCOUNT_PATH:
            node = _account_fields(account, request.param("fields"))
            return json_response(200, node, usage_header(account.number, 1))
        try:
            if post_insights:
                return self._start_report_run(request, account, as_of, data_fault)
            return self._insights(request, account.id, account.number, as_of, data_fault, sync=True)
        except BadParams as exc:
            return meta_error(400, 100, f"(#100) {exc}")

    # -- asynchronous report runs ---------------------------------------------------------------------

    def _start_report_run(
        self, request: ApiRequest, account: AdAccount, as_of: datetime, data_fault: str | None
    ) -> ApiResponse:
        # Graph takes the POST's parameters from the query or a form body; both are read, the body winning.
        params = [*request.params, *parse_qsl(request.body.decode(), keep_blank_values=True)]
        check = replace(request, params=params)
        _time_range(check.param("time_range"))  # a bad request fails at creation, as Graph's does
        _fields(check.param("fields"))
        with self._runs_lock:
            run_id = f"{6_000_000_000_000 + len(self._runs) + 1}"
            self._runs[run_id] = _ReportRun(account, params, as_of, failed=data_fault == "job_failed")
        return json_response(200, {"report_run_id": run_id}, usage_header(account.number, 1))

    def _report_run(
        self, request: ApiRequest, match: re.Match[str], as_of: datetime, data_fault: str | None
    ) -> ApiResponse:
        with self._runs_lock:
            run = self._runs.get(match.group(2))
            if run is not None and match.re is REPORT_RUN_PATH:
                run.polls += 1
                if data_fault == "job_failed":
                    run.failed = True
        if run is None:
            return self._unsupported(request)
        if match.re is REPORT_RUN_PATH:
            return json_response(200, run.status(match.group(2)), usage_header(run.account.number, 1))
        if not run.completed:
            return meta_error(400, 100, "(#100) The report run is not complete yet", subcode=1487534)
        # The results are the job's report, read with this request's paging parameters.
        paging = [(k, v) for k, v in request.params if k in ("limit", "after", "access_token")]
        params = [(k, v) for k, v in run.params if k not in ("limit", "after", "access_token")] + paging
        try:
            return self._insights(
                replace(request, params=params), run.account.id, run.account.number, run.as_of, data_fault, sync=False
            )
        except BadParams as exc:
            return meta_error(400, 100, f"(#100) {exc}")

    @staticmethod
    def _unsupported(request: ApiRequest) -> ApiResponse:
        object_id = request.path.strip("/").split("/")[1] if request.path.count("/") > 1 else request.path
        return meta_error(
            400, 100,
            f"Unsupported {request.method.lower()} request. Object with ID '{object_id}' does not exist, "
            "cannot be loaded due to missing permissions, or does not support this operation.",
            subcode=33, error_type="GraphMethodException",
        )  # fmt: skip

    def _insights(
        self, request: ApiRequest, account_id: str, number: str, as_of: datetime, data_fault: str | None, *, sync: bool
    ) -> ApiResponse:
        since, until = _time_range(request.param("time_range"))
        if request.param("level") != "ad":
            raise BadParams("the sandbox serves level=ad only")
        if request.param("time_increment") != "1":
            raise BadParams("the sandbox serves time_increment=1 only")
        fields = _fields(request.param("fields"))
        _attribution_windows(request.param("action_attribution_windows"))
        limit = _limit(request.param("limit"))
        after = request.param("after")

        entries = self.meta.insight_entries(account_id, since, until, as_of)
        if sync and len(entries) > SYNC_ROW_LIMIT:
            return too_much_data()
        start = 0
        if after:
            key = decode_cursor(after)
            # Rows are sorted by (date, ad id): the page starts after the cursor's row, wherever it is.
            start = bisect.bisect_right(entries, key, key=lambda entry: entry.key)
        page = entries[start : start + limit]
        rows = [self._row(self.meta.render(entry, as_of), fields) for entry in page]
        _spoil(rows, data_fault)
        body: dict[str, Any] = {"data": rows}
        if page:
            paging: dict[str, Any] = {
                "cursors": {"before": encode_cursor(page[0].key), "after": encode_cursor(page[-1].key)}
            }
            if start + limit < len(entries):
                # Graph's next URL repeats every parameter, the access token included.
                params = [(k, v) for k, v in request.params if k not in ("after", "before")]
                params.append(("after", encode_cursor(page[-1].key)))
                paging["next"] = f"{request.base_url}{request.path}?{urlencode(params)}"
            body["paging"] = paging
            if data_fault == "empty_page" and "next" in paging:
                body["data"] = []  # a paging lie: no rows, yet a next link
        headers = {
            **usage_header(number, 1),
            "x-fb-ads-insights-throttle": json.dumps(
                {"app_id_util_pct": 0.5, "acc_id_util_pct": 1, "ads_api_access_tier": "standard_access"}
            ),
        }
        return json_response(200, body, headers)

    @staticmethod
    def _row(row: dict[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
        if fields is None:
            return row
        return {key: value for key, value in row.items() if key in fields or key in ALWAYS_RETURNED}


def too_much_data() -> ApiResponse:
    return meta_error(
        400, 100,
        "Please reduce the amount of data you're asking for, then retry your request",
        subcode=1504018, error_type="OAuthException",
    )  # fmt: skip


@dataclass
class _ReportRun:
    """One asynchronous insights report: what it was asked for, and as of when (its rows do not move)."""

    account: AdAccount
    params: list[tuple[str, str]]
    as_of: datetime
    polls: int = 0
    failed: bool = False

    @property
    def completed(self) -> bool:
        return not self.failed and self.polls >= POLLS_TO_COMPLETE

    def status(self, run_id: str) -> dict[str, Any]:
        if self.failed:
            word, percent = "Job Failed", 0
        elif self.completed:
            word, percent = "Job Completed", 100
        else:
            word, percent = "Job Started", 100 * self.polls // POLLS_TO_COMPLETE
        return {"id": run_id, "async_status": word, "async_percent_completion": percent}


def _account_fields(account: AdAccount, fields: str | None) -> dict[str, Any]:
    """The AdAccount node: Graph returns the id and the fields asked for (only ``id`` when none are)."""
    node = {
        "id": account.id,
        "account_id": account.number,
        "name": account.name,
        "currency": account.currency,
        "timezone_name": account.timezone,
    }
    asked = {name.strip() for name in (fields or "").split(",") if name.strip()}
    return {key: value for key, value in node.items() if key == "id" or key in asked}


def _spoil(rows: list[dict[str, Any]], data_fault: str | None) -> None:
    if data_fault == "schema_drift":
        for row in rows:
            row.update(DRIFT_FIELDS)
    elif data_fault == "negative_spend" and rows and "spend" in rows[0]:
        # One bad row in an otherwise good page: the raw-data checks must catch it, not the extractor.
        rows[0]["spend"] = f"-{rows[0]['spend']}"
    elif data_fault == "fractional_count" and rows:
        rows[0]["impressions"] = f"{rows[0]['impressions']}.5"  # a count DuckDB alone would round
    elif data_fault == "missing_clicks" and rows:
        rows[0].pop("clicks", None)  # a requested metric left out: unknown, never 0


def _time_range(raw: str | None) -> tuple[date, date]:
    if not raw:
        raise BadParams('time_range is required, e.g. time_range={"since":"2026-11-01","until":"2026-11-07"}')
    try:
        value = json.loads(raw)
        since, until = date.fromisoformat(value["since"]), date.fromisoformat(value["until"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BadParams(f"Invalid parameter time_range: {raw}") from exc
    if since > until:
        raise BadParams("time_range: since must not be after until")
    return since, until


def _fields(raw: str | None) -> tuple[str, ...] | None:
    if raw is None or not raw.strip():
        return None  # no fields parameter: every field (friendlier than Graph's short default list)
    fields = tuple(name.strip() for name in raw.split(",") if name.strip())
    for name in fields:
        if name not in INSIGHT_FIELDS:
            raise BadParams(f"{name} is not valid for fields param. please check the ads insights reference")
    return fields


ATTRIBUTION_WINDOWS = frozenset({"1d_view", "7d_view", "28d_view", "1d_click", "7d_click", "28d_click"})


def _attribution_windows(raw: str | None) -> None:
    """Refuse attribution windows Graph does not know, as it does (code 100)."""
    if raw is None:
        return
    try:
        windows = json.loads(raw)
    except ValueError as exc:
        raise BadParams(f"Invalid parameter action_attribution_windows: {raw}") from exc
    if not isinstance(windows, list) or not windows or not set(windows) <= ATTRIBUTION_WINDOWS:
        raise BadParams(f"Invalid parameter action_attribution_windows: {raw}")


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError as exc:
        raise BadParams(f"Param limit must be an integer, got {raw!r}") from exc
    if limit < 1:
        raise BadParams("Param limit must be a positive integer")
    return min(limit, MAX_LIMIT)  # Graph quietly pages a too-large limit rather than failing


SERVER = MetaServer
