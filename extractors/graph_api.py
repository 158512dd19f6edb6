"""What every Graph API source shares (Meta's Marketing API, Instagram's Graph API): reading Graph error bodies.

Graph answers errors with real HTTP statuses, but *which* error it is sits in the body's ``error.code`` (a rate
limit is an HTTP 400 with code 17, an expired token an HTTP 400 with code 190), so a client must read the body,
not only the status, to know whether to back off, retry, give up or ask a human for a new token. Codes from
developers.facebook.com/docs/graph-api/overview/rate-limiting and /docs/graph-api/guides/error-handling.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import requests

from extractors.http import OK, Outcome, Verdict, classify_by_status, retry_after_seconds

# 4 app, 17 user, 32 page, 613 custom throttling; 80000..80014 the business-use-case limits (80002 Instagram).
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
# 190 the token is invalid or expired, 102 the session is.
TOKEN_ERROR_CODES = frozenset({190, 102})
# Code 2 is "temporary issue due to downtime"; code 1 is "unknown error", which Meta documents as usually
# temporary ("wait and retry"), so both are retried. ``is_transient`` covers the rest.
TRANSIENT_CODES = frozenset({1, 2})


def buc_wait_seconds(header_value: str | None) -> float | None:
    """Seconds until access returns, from ``x-business-use-case-usage``.

    The header maps business ids to usage entries whose ``estimated_time_to_regain_access`` is in
    MINUTES; the longest one wins because any throttled use case blocks our calls.
    """
    if not header_value:
        return None
    try:
        usage = json.loads(header_value)
    except ValueError:
        return None
    minutes: list[float] = []
    if isinstance(usage, dict):
        for entries in usage.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                if isinstance(entry, dict):
                    try:
                        minutes.append(float(entry.get("estimated_time_to_regain_access") or 0))
                    except (TypeError, ValueError):
                        continue
    return max(minutes) * 60.0 if minutes else None


def graph_error(response: requests.Response) -> dict[str, Any] | None:
    """The ``error`` object of a Graph API error body, if the body is one."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


def describe_graph_error(status: int, error: dict[str, Any]) -> str:
    """``HTTP 400, Graph error code 190 subcode 463 (OAuthException): … [fbtrace_id …]``, for messages."""
    code, subcode = error.get("code"), error.get("error_subcode")
    return (
        f"HTTP {status}, Graph error code {code}"
        + (f" subcode {subcode}" if subcode is not None else "")
        + f" ({error.get('type', 'error')}): {error.get('message', '')}"
        + (f" [fbtrace_id {error['fbtrace_id']}]" if error.get("fbtrace_id") else "")
    )


def classify_graph_response(
    response: requests.Response, *, too_large: Collection[tuple[Any, Any]] = frozenset()
) -> Verdict:
    """Read a Graph API response: body error code first, HTTP status when there is no Graph error.

    ``too_large`` lists the (code, subcode) pairs an endpoint answers when a request asks for too much at once
    (Meta's insights: 100/1504018, 2/1504038): the caller then asks for less.
    """
    if 200 <= response.status_code < 300:
        return OK
    error = graph_error(response)
    if error is None:
        return classify_by_status(response)
    code = error.get("code")
    subcode = error.get("error_subcode")
    detail = describe_graph_error(response.status_code, error)
    if (code, subcode) in too_large:
        return Verdict(Outcome.TOO_LARGE, detail)
    if code in RATE_LIMIT_CODES:
        waits = [
            w
            for w in (
                buc_wait_seconds(response.headers.get("x-business-use-case-usage")),
                retry_after_seconds(response),
            )
            if w is not None
        ]
        return Verdict(Outcome.RATE_LIMITED, detail, max(waits) if waits else None)
    if code in TOKEN_ERROR_CODES:
        return Verdict(Outcome.AUTH, detail)
    if code in TRANSIENT_CODES or error.get("is_transient") is True:
        return Verdict(Outcome.TRANSIENT, detail, retry_after_seconds(response))
    return Verdict(Outcome.FATAL, detail)
