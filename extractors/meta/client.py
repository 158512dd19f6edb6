"""Meta's client and reader: Graph API auth, error codes, and the ``ads_insights`` request.

Meta reports errors with real HTTP statuses but says *which* error in the body's Graph error code
(a rate limit is an HTTP 400 with code 17), so it gets its own classifier.

Large accounts: a window is read in chunks of at most ``chunk_days`` days. A chunk is asked for
synchronously unless the whole window is longer than ``sync_max_days`` (a backfill); when Graph refuses a
synchronous request as too much data (error 100/1504018) or times out on it (2/1504038), that chunk is read
as an asynchronous report run instead: ``POST …/insights`` → poll ``/{report_run_id}`` until
``async_status`` is "Job Completed" → page through ``/{report_run_id}/insights``. Both paths return the same
rows.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from extractors.account_settings import fetch_account_settings
from extractors.catalog import AccountSettings
from extractors.connections import Connection, ConnectionConfigError, extra_int, extra_str, extra_str_list
from extractors.errors import ConfigurationError, ExtractContext, WindowTooLarge
from extractors.graph_api import (  # noqa: F401 - re-exported: Meta's callers and tests import them from here
    RATE_LIMIT_CODES,
    TOKEN_ERROR_CODES,
    TRANSIENT_CODES,
    buc_wait_seconds,
    classify_graph_response,
    graph_error,
)
from extractors.http import HttpClient, RetrySettings, Verdict
from extractors.jobs import HttpReportJob, JobPolling, run_job_records
from extractors.meta.source import ADS_INSIGHTS, SOURCE
from extractors.paging import NextUrl, PageRequest, RecordsAt, body_next_url_pages, records
from extractors.streams import Window
from extractors.windows import read_in_chunks

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 500
# A month per request keeps a daily run (28-day lookback) to one request per account; longer windows (a
# backfill) are read as async report runs, which Graph recommends for large reports.
DEFAULT_CHUNK_DAYS = 31
DEFAULT_SYNC_MAX_DAYS = 31
DEFAULT_POLL_SECONDS = 2.0
# Meta's own default: a conversion within 7 days of a click or 1 day of a view of the ad.
DEFAULT_ATTRIBUTION_WINDOWS = ("7d_click", "1d_view")

# Graph API error codes (rate limits, token, transient) live in extractors.graph_api, shared with Instagram;
# /docs/marketing-api/error-reference adds the insights edge's own below.
# (code, subcode) Graph answers a synchronous insights request with when it is too much to serve at once:
# "reduce the amount of data" and the insights query timing out. Retrying the same request cannot help; an
# async report run can.
TOO_LARGE_ERRORS = frozenset({(100, 1504018), (2, 1504038)})
REPORT_RUN_DONE = frozenset({"Job Completed"})
REPORT_RUN_FAILED = frozenset({"Job Failed", "Job Skipped"})

# Exactly the fields the declaration types: asking for what we load, and loading what we ask for.
ADS_INSIGHTS_FIELDS = tuple(column.name for column in ADS_INSIGHTS.columns)


@dataclass(frozen=True)
class MetaSettings:
    base_url: str
    access_token: str = field(repr=False)
    api_version: str
    page_size: int
    attribution_windows: tuple[str, ...] = DEFAULT_ATTRIBUTION_WINDOWS
    chunk_days: int = DEFAULT_CHUNK_DAYS
    sync_max_days: int = DEFAULT_SYNC_MAX_DAYS
    poll_seconds: float = DEFAULT_POLL_SECONDS

    @classmethod
    def from_connection(cls, conn: Connection) -> MetaSettings:
        if not conn.host:
            raise ConnectionConfigError(f"connection '{conn.conn_id}' has no host (the Graph API base URL)")
        if not conn.password:
            raise ConnectionConfigError(f"connection '{conn.conn_id}' has no password (the access token)")
        page_size = extra_int(conn, "page_size", DEFAULT_PAGE_SIZE)
        chunk_days = extra_int(conn, "chunk_days", DEFAULT_CHUNK_DAYS)
        sync_max_days = extra_int(conn, "sync_max_days", DEFAULT_SYNC_MAX_DAYS)
        for name, value in (("page_size", page_size), ("chunk_days", chunk_days), ("sync_max_days", sync_max_days)):
            if value < 1:
                raise ConnectionConfigError(f"connection '{conn.conn_id}': extra.{name} must be >= 1")
        poll_seconds = conn.extra.get("async_poll_seconds", DEFAULT_POLL_SECONDS)
        if isinstance(poll_seconds, bool) or not isinstance(poll_seconds, int | float) or poll_seconds < 0:
            raise ConnectionConfigError(f"connection '{conn.conn_id}': extra.async_poll_seconds must be a number >= 0")
        return cls(
            base_url=conn.host.rstrip("/"),
            access_token=conn.password,
            api_version=extra_str(conn, "api_version", SOURCE.api_version) or SOURCE.api_version,
            page_size=page_size,
            attribution_windows=tuple(extra_str_list(conn, "action_attribution_windows"))
            or DEFAULT_ATTRIBUTION_WINDOWS,
            chunk_days=chunk_days,
            sync_max_days=sync_max_days,
            poll_seconds=float(poll_seconds),
        )


def classify_meta_response(response: requests.Response) -> Verdict:
    """Read a Graph API response (``extractors.graph_api``), with the insights edge's "too much data" answers."""
    return classify_graph_response(response, too_large=TOO_LARGE_ERRORS)


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client that authenticates by Bearer header, so the token is not in any URL we build."""
    try:
        settings = MetaSettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    return HttpClient(
        context,
        retry=retry,
        classifier=classify_meta_response,
        headers={"Authorization": f"Bearer {settings.access_token}"},
        secrets=[settings.access_token],
    )


def account_path(account: str) -> str:
    return account if account.startswith("act_") else f"act_{account}"


def read_account_settings(client: HttpClient, conn: Connection, account: str) -> AccountSettings:
    """The ad account's ``timezone_name`` (its reporting days end at midnight there) and ``currency``."""
    settings = MetaSettings.from_connection(conn)
    return fetch_account_settings(
        client,
        f"{settings.base_url}/{settings.api_version}/{account_path(account)}",
        params={"fields": "timezone_name,currency"},
        timezone_path=("timezone_name",),
        currency_path=("currency",),
    )


def read_ads_insights(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    """Daily ad-level insights for ``window``, chunk by chunk, synchronously or as async report runs."""
    settings = MetaSettings.from_connection(conn)
    backfill = window.days > settings.sync_max_days
    return read_in_chunks(
        window,
        lambda chunk: _read_chunk(client, settings, account, chunk, asynchronous=backfill),
        max_days=settings.chunk_days,
    )


def _read_chunk(
    client: HttpClient, settings: MetaSettings, account: str, chunk: Window, *, asynchronous: bool
) -> Iterator[dict[str, Any]]:
    if not asynchronous:
        yielded = False
        try:
            for record in records(
                body_next_url_pages(
                    client, _insights_url(settings, account), _insights_params(settings, chunk), records_key="data"
                )
            ):
                yielded = True
                yield record
            return
        except WindowTooLarge as refused:
            if yielded:
                raise  # reading it again as a job would hand over those records twice
            log.info("%s: %s; reading %s as an async report run", client.context.describe(), refused.detail, chunk)
    yield from run_job_records(
        client, _report_run(settings, account, chunk), polling=JobPolling(first_wait=settings.poll_seconds)
    )


def _insights_url(settings: MetaSettings, account: str) -> str:
    return f"{settings.base_url}/{settings.api_version}/{account_path(account)}/insights"


def _insights_params(settings: MetaSettings, window: Window) -> dict[str, Any]:
    """The insights request for ``window``; Meta's ``time_range`` bounds are inclusive dates."""
    return {
        "level": "ad",
        "time_increment": 1,
        "time_range": json.dumps(
            {"since": window.start.isoformat(), "until": window.last_day.isoformat()}, separators=(",", ":")
        ),
        "fields": ",".join(ADS_INSIGHTS_FIELDS),
        # Which click and view windows credit a conversion to the ad; the marts' docs name the default.
        "action_attribution_windows": json.dumps(settings.attribution_windows, separators=(",", ":")),
        "limit": settings.page_size,
    }


def _report_run(settings: MetaSettings, account: str, window: Window) -> HttpReportJob:
    """The same request as an async report run: POSTed to the insights edge, read from the run's own."""
    version = f"{settings.base_url}/{settings.api_version}"
    return HttpReportJob(
        create_request=PageRequest(
            _insights_url(settings, account), method="POST", data=_insights_params(settings, window)
        ),
        job_id_path="report_run_id",
        status_request=PageRequest(f"{version}/{{job_id}}", {"fields": "async_status,async_percent_completion"}),
        status_path="async_status",
        done=REPORT_RUN_DONE,
        failed=REPORT_RUN_FAILED,
        result_request=PageRequest(f"{version}/{{job_id}}/insights", {"limit": settings.page_size}),
        result_records=RecordsAt("data"),
        result_paginator=NextUrl(("paging", "next")),
    )
