"""Instagram's Graph API (Facebook Login: ``graph.facebook.com/vNN.0``) as the extractors meet it: the business
account's media edge, media insights, account insights and the user node.

Quirks kept, because an extractor must survive each:

- Errors use real HTTP statuses with Graph's ``{"error": {message, type, code, error_subcode, fbtrace_id}}``:
  190 (subcode 463) an expired token, 4 the app's call limit, 80002 the Instagram business-use-case limit (with
  ``X-Business-Use-Case-Usage``), 2 a temporary failure (HTTP 500), 100 a bad parameter. Versions follow
  Meta's table (``sandbox.meta.server.VERSION_EXPIRES``).
- ``GET /{ig-user-id}/media?fields=…&limit=`` lists every media, newest first, ``limit`` 25 by default and quietly
  capped at 100, ``{data, paging: {cursors: {before, after}, next}}``; ``next`` is absent on the last page.
- ``GET /{media-id}/insights?metric=…`` answers lifetime metrics as ``{data: [{name, period, values: [{value}],
  title, description, id}]}``. ``impressions``, ``plays``, ``video_views``, ``clips_replays_count`` and
  ``ig_reels_aggregated_all_plays_count`` were retired (v21/v22, every version since 2025-04-21): asking for one
  is error 100. A media with too few viewers answers ``(#10) Not enough viewers for the media to show insights``
  (HTTP 400), which is a fact about the media, not a failure of the request.
- ``GET /{ig-user-id}/insights?metric=follower_count&period=day&since=&until=`` (unix seconds): the new followers
  of each day whose period ends in ``(since, until]``, at most 30 days (2,592,000 s) apart, today never, a day
  only once it is out (``world.FOLLOWER_LAG``); no value at all is ``{"data": []}``, never a 0. Its ``paging``
  holds ``previous``/``next`` links to the neighbouring time ranges: following ``next`` walks into the future.
- ``GET /{ig-user-id}?fields=followers_count,media_count``: the live counts.
- ``GET /refresh_access_token?grant_type=ig_refresh_token&access_token=`` renews a long-lived token that is still
  valid: ``{access_token, token_type: "bearer", expires_in: 5184000}`` (60 days). Renewed tokens are signed with
  their end, so any server of the sandbox accepts them until then (on the world's clock) and 190 after; an
  expired token cannot be renewed (190). The renewal passes armed faults by, as an account settings read does.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from sandbox.content import Post
from sandbox.http_base import (
    TRANSPORT_FAULTS,
    ApiRequest,
    ApiResponse,
    Clock,
    FaultQueue,
    PlatformServer,
    json_response,
)
from sandbox.instagram.world import (
    INSIGHT_METRICS,
    MEDIA_FIELDS,
    METRIC_TITLES,
    NOT_ENOUGH_VIEWERS_SUBCODE,
    InstagramWorld,
)
from sandbox.meta.server import meta_error, version_refusal
from sandbox.world import World

# The token this server accepts. A sandbox-only value: it opens nothing outside this machine, and it goes in the
# Airflow Connection exactly where a real long-lived token would.
ACCESS_TOKEN = "sandbox-instagram-token-IGQV0000000000000000"

REFRESH_PATH = re.compile(r"^/refresh_access_token/?$")
TOKEN_LIFETIME = timedelta(days=60)
_SIGNING_KEY = b"sandbox-instagram-token-signing-key"  # sandbox-only: signs the renewed tokens it hands out
MEDIA_PATH = re.compile(r"^/(v\d+\.0)/(\d+)/media/?$")
INSIGHTS_PATH = re.compile(r"^/(v\d+\.0)/(\d+)/insights/?$")
NODE_PATH = re.compile(r"^/(v\d+\.0)/(\d+)/?$")
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_RANGE_SECONDS = 30 * 86400
# Retired media metrics and the version that dropped them (every version since 2025-01-08 / 2025-04-21).
RETIRED_METRICS = {
    "video_views": "v21.0",
    "plays": "v22.0",
    "impressions": "v22.0",
    "clips_replays_count": "v22.0",
    "ig_reels_aggregated_all_plays_count": "v22.0",
}
USER_FIELDS = ("id", "username", "name", "followers_count", "follows_count", "media_count")
# Fields a newer API version might start returning on media; clients must keep, not choke on, them.
DRIFT_FIELDS = {"media_url": "https://scontent.cdninstagram.com/v/sandbox.jpg", "is_shared_to_feed": True,
                "alt_text": None}  # fmt: skip


def issue_token(expires_at: datetime) -> str:
    """A long-lived token valid until ``expires_at`` (world clock), verifiable without remembering it."""
    end = int(expires_at.timestamp())
    signature = hmac.new(_SIGNING_KEY, str(end).encode(), hashlib.sha256).hexdigest()[:24]
    return f"IGQWR{end}x{signature}"


def token_valid(token: str | None, as_of: datetime) -> bool | None:
    """True for a usable token, False for one of ours that has expired, None for a token we never issued."""
    if token == ACCESS_TOKEN:
        return True
    match = re.fullmatch(r"IGQWR(\d+)x([0-9a-f]{24})", token or "")
    if match is None:
        return None
    expected = hmac.new(_SIGNING_KEY, match.group(1).encode(), hashlib.sha256).hexdigest()[:24]
    if not hmac.compare_digest(expected, match.group(2)):
        return None
    return as_of.timestamp() < int(match.group(1))


def session_expired(as_of: datetime) -> ApiResponse:
    return meta_error(
        400, 190, f"Error validating access token: Session has expired. The current time is {as_of.isoformat()}.",
        subcode=463,
    )  # fmt: skip


class BadParams(ValueError):
    """A request Graph refuses with error code 100."""


def not_enough_viewers() -> ApiResponse:
    return meta_error(
        400, 10, "(#10) Not enough viewers for the media to show insights", subcode=NOT_ENOUGH_VIEWERS_SUBCODE,
        transient=False,
    )  # fmt: skip


def encode_cursor(post: Post) -> str:
    key = [post.published_at.isoformat(), post.id]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        moment, media_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return str(moment), str(media_id)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BadParams(f"Invalid cursor {cursor!r}") from exc


class _Faults(FaultQueue):
    """The fault queue, whose ``clear`` also drops insights faults popped but not yet applied."""

    def __init__(self, known: tuple[str, ...], deferred: list[str]) -> None:
        super().__init__(known)
        self._deferred = deferred

    def clear(self) -> None:
        super().clear()
        self._deferred.clear()


class InstagramServer(PlatformServer):
    name = "instagram"
    data_faults = (
        "schema_drift", "empty_page", "negative_count", "fractional_count", "missing_like_count",
        # These two spoil the next media insights answer, whichever request pops them.
        "missing_views", "not_enough_viewers",
    )  # fmt: skip
    # ``rate_limit`` is the app's limit (code 4); this is Instagram's business-use-case limit (code 80002).
    extra_response_faults = ("business_use_case_limit",)

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.ig: InstagramWorld = world.part("instagram")
        self._insights_faults: list[str] = []
        self.faults = _Faults(TRANSPORT_FAULTS + self.extra_response_faults + self.data_faults, self._insights_faults)

    def connection(self) -> dict[str, Any]:
        return self.http_connection(ACCESS_TOKEN, {"ig_user_ids": [account.id for account in self.ig.accounts]})

    def is_settings_request(self, path: str) -> bool:
        """The token renewal opens an extraction like a settings read: armed faults pass it by."""
        return REFRESH_PATH.match(urlsplit(path).path) is not None

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            usage = json.dumps({"call_count": 100, "total_cputime": 40, "total_time": 45})
            return meta_error(400, 4, "(#4) Application request limit reached", transient=True,
                              headers={"x-app-usage": usage})  # fmt: skip
        if fault == "business_use_case_limit":
            account = self.ig.accounts[0].id
            buc = {account: [{"type": "instagram", "call_count": 100, "total_cputime": 12, "total_time": 20,
                                "estimated_time_to_regain_access": 0}]}  # fmt: skip
            return meta_error(
                400, 80002, "There have been too many calls to this Instagram account. Wait a bit and try again.",
                subcode=2446079, transient=True, headers={"x-business-use-case-usage": json.dumps(buc)},
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
        if data_fault in ("missing_views", "not_enough_viewers"):
            self._insights_faults.append(data_fault)
            data_fault = None
        token = request.param("access_token")
        authorization = request.header("authorization") or ""
        if token is None and authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
        if not token:
            return meta_error(
                400, 2500, "An active access token must be used to query information about the current user."
            )
        valid = token_valid(token, as_of)
        if valid is None:
            return meta_error(400, 190, "Invalid OAuth access token - Cannot parse access token")
        if not valid:
            return session_expired(as_of)
        if REFRESH_PATH.match(request.path):
            return self._refresh(request, as_of)
        match = MEDIA_PATH.match(request.path) or INSIGHTS_PATH.match(request.path) or NODE_PATH.match(request.path)
        if match is None or request.method != "GET":
            return _unsupported(request)
        refusal = version_refusal(match.group(1), as_of.date())
        if refusal is not None:
            return refusal
        node_id = match.group(2)
        try:
            if match.re is INSIGHTS_PATH and self.ig.post(node_id) is not None:
                return self._media_insights(request, node_id, as_of, data_fault)
            account = next((a for a in self.ig.accounts if a.id == node_id), None)
            if account is None:
                return _unsupported(request)
            if match.re is MEDIA_PATH:
                return self._media(request, account.id, as_of, data_fault)
            if match.re is INSIGHTS_PATH:
                return self._account_insights(request, account.id, as_of, data_fault)
            return self._user(request, account.id, as_of, data_fault)
        except BadParams as exc:
            return meta_error(400, 100, f"(#100) {exc}")

    @staticmethod
    def _refresh(request: ApiRequest, as_of: datetime) -> ApiResponse:
        if request.param("grant_type") != "ig_refresh_token":
            return meta_error(400, 100, "(#100) grant_type must be ig_refresh_token")
        token = issue_token(as_of + TOKEN_LIFETIME)
        return json_response(
            200, {"access_token": token, "token_type": "bearer", "expires_in": int(TOKEN_LIFETIME.total_seconds())}
        )

    # -- the media edge --------------------------------------------------------------------------------

    def _media(self, request: ApiRequest, account_id: str, as_of: datetime, data_fault: str | None) -> ApiResponse:
        fields = _fields(request.param("fields"), MEDIA_FIELDS, "Media", default=("id",))
        limit = _limit(request.param("limit"))
        posts = self.ig.media(account_id, as_of)
        start = 0
        after = request.param("after")
        if after:
            moment, media_id = decode_cursor(after)
            # Newest first: the page starts at the first media older than the cursor's, wherever it went.
            start = next(
                (i for i, p in enumerate(posts) if (p.published_at.isoformat(), p.id) < (moment, media_id)),
                len(posts),
            )
        page = posts[start : start + limit]
        rows = [_pick(self.ig.media_node(post, as_of), fields) for post in page]
        _spoil_media(rows, data_fault)
        body: dict[str, Any] = {"data": rows}
        if page:
            paging: dict[str, Any] = {"cursors": {"before": encode_cursor(page[0]), "after": encode_cursor(page[-1])}}
            if start + limit < len(posts):
                # Graph's next URL repeats every parameter, the access token included.
                params = [(k, v) for k, v in request.params if k not in ("after", "before")]
                params.append(("after", encode_cursor(page[-1])))
                paging["next"] = f"{request.base_url}{request.path}?{urlencode(params)}"
            body["paging"] = paging
            if data_fault == "empty_page" and "next" in paging:
                body["data"] = []  # a paging lie: no media, yet a next link
        return json_response(200, body)

    def _media_insights(
        self, request: ApiRequest, media_id: str, as_of: datetime, data_fault: str | None
    ) -> ApiResponse:
        post = self.ig.post(media_id)
        if post is None or not post.exists_at(as_of):
            return _unsupported(request)
        metrics = _metrics(request.param("metric"))
        period = request.param("period")
        if period not in (None, "lifetime"):
            raise BadParams("period must be one of the following values: lifetime")
        fault = self._insights_faults.pop(0) if self._insights_faults else None
        values = self.ig.insights(post, as_of)
        if values is None or fault == "not_enough_viewers":
            return not_enough_viewers()
        if data_fault == "negative_count":
            values = {**values, "views": -values["views"]}
        data = [
            {
                "name": name,
                "period": "lifetime",
                "values": [{"value": values[name]}],
                "title": METRIC_TITLES[name],
                "description": f"The number of {METRIC_TITLES[name].lower()} of your media.",
                "id": f"{media_id}/insights/{name}/lifetime",
            }
            for name in metrics
            if not (fault == "missing_views" and name == "views")
        ]
        return json_response(200, {"data": data})

    # -- the account -----------------------------------------------------------------------------------

    def _account_insights(
        self, request: ApiRequest, account_id: str, as_of: datetime, data_fault: str | None
    ) -> ApiResponse:
        metric = request.param("metric")
        if not metric:
            raise BadParams("The parameter metric is required")
        if metric != "follower_count":
            if metric in RETIRED_METRICS or metric == "impressions":
                raise BadParams(f"metric[0] {metric} is no longer supported; use views with metric_type=total_value")
            raise BadParams("metric[0] must be one of the following values: follower_count")
        if request.param("period") != "day":
            raise BadParams("follower_count supports period=day only")
        until = _unix(request, "until", int(as_of.timestamp()))
        since = _unix(request, "since", until - 2 * 86400)
        if until <= since:
            raise BadParams("since must be before until")
        if until - since > MAX_RANGE_SECONDS:
            raise BadParams(f"There cannot be more than 30 days ({MAX_RANGE_SECONDS} s) between since and until")
        since_at, until_at = datetime.fromtimestamp(since, UTC), datetime.fromtimestamp(until, UTC)
        days = self.ig.follower_count_days(account_id, since_at, until_at, as_of)
        values = [self.ig.follower_count_value(account_id, day) for day in days]
        if data_fault == "negative_count" and values:
            values[0]["value"] = -values[0]["value"]
        span = until - since
        base = [(k, v) for k, v in request.params if k not in ("since", "until")]
        here = f"{request.base_url}{request.path}"
        paging = {
            "previous": f"{here}?{urlencode([*base, ('since', since - span), ('until', since)])}",
            "next": f"{here}?{urlencode([*base, ('since', until), ('until', until + span)])}",
        }
        if not values:
            return json_response(200, {"data": [], "paging": paging})  # no data is an empty set, never a 0
        metric_node = {
            "name": "follower_count",
            "period": "day",
            "values": values,
            "title": "Follower Count",
            "description": "Total number of unique accounts following this profile",
            "id": f"{account_id}/insights/follower_count/day",
        }
        return json_response(200, {"data": [metric_node], "paging": paging})

    def _user(self, request: ApiRequest, account_id: str, as_of: datetime, data_fault: str | None) -> ApiResponse:
        fields = _fields(request.param("fields"), USER_FIELDS, "User", default=("id",))
        account = self.ig.account(account_id)
        followers = self.ig.followers_count(account_id, as_of)
        if data_fault == "negative_count":
            followers = -followers
        node: dict[str, Any] = {
            "id": account.id,
            "username": account.name,
            "name": "Brand Official",
            "followers_count": followers,
            "follows_count": 312,
            "media_count": self.ig.media_count(account_id, as_of),
        }
        return json_response(200, _pick(node, fields))


def _unsupported(request: ApiRequest) -> ApiResponse:
    object_id = request.path.strip("/").split("/")[1] if request.path.count("/") > 1 else request.path
    return meta_error(
        400, 100,
        f"Unsupported {request.method.lower()} request. Object with ID '{object_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this operation.",
        subcode=33, error_type="GraphMethodException",
    )  # fmt: skip


def _fields(raw: str | None, known: tuple[str, ...], node: str, *, default: tuple[str, ...]) -> tuple[str, ...]:
    if raw is None or not raw.strip():
        return default  # Graph answers only the id when no fields are asked for
    fields = tuple(name.strip() for name in raw.split(",") if name.strip())
    for name in fields:
        if name not in known:
            raise BadParams(f"Tried accessing nonexisting field ({name}) on node type (Instagram{node})")
    return fields


def _pick(node: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if key == "id" or key in fields}


def _metrics(raw: str | None) -> tuple[str, ...]:
    if raw is None or not raw.strip():
        raise BadParams("The parameter metric is required")
    metrics = tuple(name.strip() for name in raw.split(",") if name.strip())
    for index, name in enumerate(metrics):
        if name in RETIRED_METRICS:
            raise BadParams(
                f"Starting from version {RETIRED_METRICS[name]} and above, the {name} metric is no longer supported. "
                "Please use views instead."
            )
        if name not in INSIGHT_METRICS:
            raise BadParams(f"metric[{index}] must be one of the following values: {', '.join(INSIGHT_METRICS)}")
    return metrics


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


def _unix(request: ApiRequest, name: str, default: int) -> int:
    raw = request.param(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadParams(f"Param {name} must be a unix timestamp, got {raw!r}") from None


def _spoil_media(rows: list[dict[str, Any]], data_fault: str | None) -> None:
    """Spoil every media of the page: which of them an extraction keeps depends on its window."""
    for row in rows:
        if data_fault == "schema_drift":
            row.update(DRIFT_FIELDS)
        elif data_fault == "negative_count" and "like_count" in row:
            row["like_count"] = -row["like_count"] - 1
        elif data_fault == "fractional_count" and "like_count" in row:
            row["like_count"] = f"{row['like_count']}.5"  # a count DuckDB alone would round
        elif data_fault == "missing_like_count":
            row.pop("like_count", None)  # a requested counter left out: unknown, never 0


SERVER = InstagramServer
