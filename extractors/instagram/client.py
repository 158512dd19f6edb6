"""Instagram's client and readers: Graph API auth and errors (shared with Meta), the media edge, media and account
insights, the user node.

Graph reports errors with real HTTP statuses and says which in the body's code (``extractors.graph_api``): 4, 17,
32, 613 and 80002 are throttling (backed off and retried), 190 an invalid or expired token (fails at once: the
long-lived token must be replaced in the connection), 1 and 2 temporary. One answer is not a failure: a media
with too few viewers answers ``(#10) Not enough viewers for the media to show insights``; its record lands with
that error under ``insights_error`` and its insight counters null (unknown, never 0).

Tokens: long-lived tokens last about 60 days and are renewed with ``GET /refresh_access_token?grant_type=
ig_refresh_token`` while still valid (an expired one cannot be). When the connection says when its token ends
(``extra.token_expires_at``), the client renews it through the shared token store once fewer than
``extra.refresh_days_before_expiry`` (10) days remain, and every later task and run takes the renewed token from
the store. Without that date the token is used as it is.

Posts: the media edge lists every media newest first, so the reader pages until a page reaches media older than
``max_post_age_days`` before the end of the snapshot day, keeps the media published in that span, and asks each
for its lifetime insights. Followers: ``follower_count`` spans at most 30 days per request (2,592,000 s between
``since`` and ``until``), so a window is read in chunks of 29 Pacific days (a day can be 25 hours long); its
``paging.next`` points at the next time range, never at more of the same answer, so it is not followed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from extractors.auth import OAuthRefresh, Placement, TokenEndpoint, TokenResponseFields
from extractors.connections import Connection, ConnectionConfigError, extra_int, extra_str, required_field
from extractors.errors import (
    AuthError,
    ConfigurationError,
    CredentialsUnavailable,
    ExtractContext,
    MalformedResponse,
    TokenRefreshFailed,
)
from extractors.graph_api import classify_graph_response, graph_error
from extractors.http import OK, HttpClient, RetrySettings, Verdict
from extractors.instagram.source import SOURCE, TIMEZONE
from extractors.paging import NextUrl, PageRequest, RecordsAt, paginate
from extractors.streams import Window
from extractors.token_store import TokenSet, pipeline_token_store
from extractors.windows import read_in_chunks

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE  # the media edge's largest page: fewest calls against the rate limit
DEFAULT_MAX_POST_AGE_DAYS = 30
# 30 days per request at most, counted in seconds: 29 Pacific days always fit, 30 do not across a DST change.
FOLLOWER_DAYS_PER_REQUEST = 29

MEDIA_FIELDS = ("id", "timestamp", "media_type", "media_product_type", "permalink", "caption", "like_count",
                "comments_count")  # fmt: skip
# Lifetime media metrics (v22+: views replaced impressions, plays and video_views, which now answer errors).
MEDIA_METRICS = ("reach", "views", "likes", "comments", "shares", "saved")
ACCOUNT_FIELDS = ("followers_count", "media_count")
NOT_ENOUGH_VIEWERS = 10  # Graph's code for "(#10) Not enough viewers for the media to show insights"
REFRESH_PATH = "refresh_access_token"  # unversioned, as on graph.instagram.com
DEFAULT_REFRESH_DAYS_BEFORE_EXPIRY = 10


@dataclass(frozen=True)
class InstagramSettings:
    base_url: str
    access_token: str = field(repr=False)
    api_version: str
    page_size: int
    max_post_age_days: int
    token_expires_at: datetime | None = None
    refresh_days_before_expiry: int = DEFAULT_REFRESH_DAYS_BEFORE_EXPIRY

    @classmethod
    def from_connection(cls, conn: Connection) -> InstagramSettings:
        where = f"connection '{conn.conn_id}'"
        required_field(conn, "host", "the Graph API base URL")
        if not conn.password:
            raise ConnectionConfigError(f"{where} has no password (the Instagram account's access token)")
        expires = extra_str(conn, "token_expires_at")
        token_expires_at = None
        if expires:
            try:
                token_expires_at = datetime.fromisoformat(expires.replace("Z", "+00:00"))
            except ValueError:
                raise ConnectionConfigError(f"{where}: extra.token_expires_at is not an ISO-8601 time") from None
            if token_expires_at.tzinfo is None:
                raise ConnectionConfigError(f"{where}: extra.token_expires_at needs its offset (Z or +00:00)")
        return cls(
            base_url=conn.host.rstrip("/"),
            access_token=conn.password,
            api_version=extra_str(conn, "api_version", SOURCE.api_version) or SOURCE.api_version,
            page_size=extra_int(conn, "page_size", DEFAULT_PAGE_SIZE, within=(1, MAX_PAGE_SIZE)),
            max_post_age_days=extra_int(conn, "max_post_age_days", DEFAULT_MAX_POST_AGE_DAYS, within=(1, 365)),
            token_expires_at=token_expires_at,
            refresh_days_before_expiry=extra_int(
                conn, "refresh_days_before_expiry", DEFAULT_REFRESH_DAYS_BEFORE_EXPIRY, within=(1, 59)
            ),
        )

    def url(self, *parts: str) -> str:
        return "/".join((self.base_url, self.api_version, *parts))


@dataclass(frozen=True)
class LongLivedTokenRefresh(TokenEndpoint):
    """Instagram's renewal: the long-lived token itself is presented (no app id, no secret, no refresh token) and a
    new long-lived token comes back with its ``expires_in``; it is both the next access token and what the next
    renewal presents."""

    def fetch(self, http: HttpClient, current: TokenSet | None, now: float) -> TokenSet:
        if current is None or not current.refresh_token:
            raise CredentialsUnavailable("no long-lived token is stored for this connection")
        params = {"grant_type": "ig_refresh_token", "access_token": current.refresh_token}
        try:
            body, response = http.request_json(
                "GET", self.url, params=params, classifier=classify_graph_response, authenticate=False
            )
        except AuthError as exc:
            raise TokenRefreshFailed(
                http.context, f"Instagram refused to renew the long-lived token: {exc.detail}"
            ) from None
        return self._parse(http, body, response.url, current, now)


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client that authenticates by Bearer header (the token is in no URL we build), renewing the long-lived
    token through the shared token store when the connection says when it ends."""
    try:
        settings = InstagramSettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    if settings.token_expires_at is None:
        return HttpClient(
            context,
            retry=retry,
            classifier=classify_graph_response,
            headers={"Authorization": f"Bearer {settings.access_token}"},
            secrets=[settings.access_token],
        )
    endpoint = LongLivedTokenRefresh(
        url=f"{settings.base_url}/{REFRESH_PATH}",
        client_id="",
        # The renewed token answers as access_token and is also what the next renewal presents.
        response_fields=TokenResponseFields(refresh_token="access_token", refresh_expires_in="expires_in"),
    )
    auth = OAuthRefresh(
        endpoint,
        placement=Placement.bearer(),
        store=pipeline_token_store(),
        key=token_store_key(conn.conn_id, settings.access_token),
        # Seeds an empty store entry only; once it holds a renewed token, the store's wins.
        initial=TokenSet(
            access_token=settings.access_token,
            refresh_token=settings.access_token,
            expires_at=settings.token_expires_at.timestamp(),
            refresh_expires_at=settings.token_expires_at.timestamp(),
        ),
        skew_seconds=settings.refresh_days_before_expiry * 86400.0,
    )
    return HttpClient(context, retry=retry, classifier=classify_graph_response, auth=auth)


def token_store_key(conn_id: str, token: str) -> str:
    """The store's key: the connection id and a cut SHA-256 of the token put in it, so a new token typed into the
    connection gets an entry of its own instead of losing to what an older one left in the store."""
    return f"{conn_id}.{hashlib.sha256(token.encode()).hexdigest()[:16]}"


def local_midnight(day: date) -> datetime:
    """The instant ``day`` begins on Instagram's clock (America/Los_Angeles), in UTC."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(TIMEZONE)).astimezone(UTC)


def parse_graph_time(client: HttpClient, url: str, value: Any, what: str) -> datetime:
    """A Graph timestamp (``2026-11-20T18:05:00+0000``) as an aware datetime; MalformedResponse otherwise."""
    try:
        moment = datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        raise MalformedResponse(client.context, client.safe_url(url), f"{what}: {value!r} is not a timestamp") from None
    return moment.astimezone(UTC)


# -- posts ------------------------------------------------------------------------------------------------


def _insights_answer(response: requests.Response) -> Verdict:
    """Graph's classification, except that "not enough viewers" is an answer about the media, read by the caller."""
    error = graph_error(response)
    if error is not None and error.get("code") == NOT_ENOUGH_VIEWERS:
        return OK
    return classify_graph_response(response)


def read_media_insights(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    """Every media published in the ``max_post_age_days`` before the end of the window's last day (Pacific), newest
    first, each with its lifetime insights: the figures as the API has them now."""
    settings = InstagramSettings.from_connection(conn)
    ends = local_midnight(window.end)
    since = ends - timedelta(days=settings.max_post_age_days)
    request = PageRequest(
        settings.url(account, "media"), {"fields": ",".join(MEDIA_FIELDS), "limit": settings.page_size}
    )
    for page in paginate(client, request, NextUrl(("paging", "next")), RecordsAt("data"), envelope=("data",)):
        reached_older = False
        for media in page.records:
            published = parse_graph_time(client, request.url, media.get("timestamp"), "media timestamp")
            if published < since:
                reached_older = True
            elif published < ends:
                yield {**media, **_media_insights(client, settings, media)}
        if reached_older:
            return  # newest first: every later page is older still


def _media_insights(client: HttpClient, settings: InstagramSettings, media: dict[str, Any]) -> dict[str, Any]:
    """``{"insights": {metric: value}}``, or ``{"insights": None, "insights_error": {...}}`` for (#10)."""
    media_id = str(media.get("id") or "")
    if not media_id.isdigit():
        raise MalformedResponse(client.context, client.safe_url(settings.url(media_id)), f"media id {media_id!r}")
    url = settings.url(media_id, "insights")
    body, response = client.request_json(
        "GET", url, params={"metric": ",".join(MEDIA_METRICS), "period": "lifetime"}, classifier=_insights_answer
    )
    if isinstance(body.get("error"), dict):
        log.info("%s: media %s has no insights: %s", client.context.describe(), media_id, body["error"].get("message"))
        return {"insights": None, "insights_error": body["error"]}
    data = body.get("data")
    if not isinstance(data, list):
        raise MalformedResponse(client.context, client.safe_url(response.url), "no insights list at data")
    insights: dict[str, Any] = {}
    for metric in data:
        values = metric.get("values") if isinstance(metric, dict) else None
        if not isinstance(values, list) or len(values) != 1 or not isinstance(values[0], dict):
            raise MalformedResponse(
                client.context, client.safe_url(response.url), "a lifetime metric without exactly one value"
            )
        insights[str(metric.get("name"))] = values[0].get("value")
    return {"insights": insights}


# -- followers --------------------------------------------------------------------------------------------


def read_follower_count(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    """One record per day of ``window`` that has a follower_count value; a day without one has no record."""
    settings = InstagramSettings.from_connection(conn)
    url = settings.url(account, "insights")

    def read(chunk: Window) -> Iterator[dict[str, Any]]:
        params = {
            "metric": "follower_count",
            "period": "day",
            "since": int(local_midnight(chunk.start).timestamp()),
            "until": int(local_midnight(chunk.end).timestamp()),
        }
        body, response = client.get_json(url, params, envelope=("data",))
        where = client.safe_url(response.url)
        if not isinstance(body["data"], list):
            raise MalformedResponse(client.context, where, "data is not a list")
        for metric in body["data"]:
            if not isinstance(metric, dict) or metric.get("name") != "follower_count":
                continue
            if not isinstance(metric.get("values"), list):
                raise MalformedResponse(client.context, where, "follower_count without a values list")
            for value in metric["values"]:
                day = _period_day(client, where, value)
                if chunk.start <= day < chunk.end:
                    yield {"name": metric["name"], "period": metric.get("period"), **value, "day": day.isoformat()}

    return read_in_chunks(window, read, max_days=FOLLOWER_DAYS_PER_REQUEST)


def _period_day(client: HttpClient, where: str, value: Any) -> date:
    """The Pacific day a ``period=day`` value covers: the one its ``end_time`` closes.

    Read 12 hours before ``end_time``, so an end at 07:00 UTC (UTC-7, as Graph has long dated them, also in
    winter) and one at 08:00 UTC (Pacific midnight in winter) give the same day.
    """
    if not isinstance(value, dict):
        raise MalformedResponse(client.context, where, "a follower_count value is not an object")
    ends = parse_graph_time(client, where, value.get("end_time"), "follower_count end_time")
    return (ends - timedelta(hours=12)).astimezone(ZoneInfo(TIMEZONE)).date()


def read_account(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    """The user node's followers_count and media_count, once: the snapshot for the window's last day."""
    settings = InstagramSettings.from_connection(conn)
    body, response = client.get_json(settings.url(account), {"fields": ",".join(ACCOUNT_FIELDS)})
    if str(body.get("id")) != account:
        raise MalformedResponse(
            client.context, client.safe_url(response.url), f"the user node is {body.get('id')!r}, not {account}"
        )
    yield body
