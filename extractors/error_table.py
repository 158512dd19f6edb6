"""Declarative error tables: what a platform's HTTP statuses and body codes mean, as data.

Half the platforms we read answer errors inside an HTTP 200 (``{"code": 40100}`` from TikTok and Ocean
Engine, ``{"errcode": 42001}`` from WeChat, ``{"error_response": {...}}`` from Taobao, GraphQL
``errors[].extensions.code``), the others with real statuses. Rather than one hand-written classifier
per platform, a source declares where its code lives, which codes mean success and what each other code
asks us to do; ``ErrorTable.classify`` turns that into the ``Verdict`` the HTTP client acts on. Example::

    TIKTOK_ERRORS = ErrorTable(
        code_path="code",
        ok_codes=frozenset({0}),
        message_paths=("message",),
        request_id_paths=("request_id",),
        codes={40100: Action.RATE_LIMITED, 40105: Action.AUTH, 40102: Action.REFRESH, 50000: Action.RETRY},
    )
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import requests

from extractors.http import (
    OK,
    Outcome,
    PathSpec,
    Verdict,
    body_snippet,
    classify_by_status,
    dig,
    dig_all,
    json_path,
    parse_json,
    path_text,
    retry_after_seconds,
)

Code = int | str

# Long platform messages are cut: the code says what happened, the text only helps a human.
_MESSAGE_LIMIT = 300
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


class Action(Enum):
    """What a source wants done about one status or code; each maps to one client ``Outcome``."""

    RETRY = "retry"  # transient: back off and try again
    RATE_LIMITED = "rate limited"  # back off at least as long as the platform asks
    REFRESH = "refresh"  # the access token expired: refresh it, then try once more
    TOO_LARGE = "too large"  # the window is too large: split it (extractors.windows)
    FAIL = "fail"  # fatal: retrying cannot help (bad parameter, no permission)
    AUTH = "auth"  # the credentials are wrong or revoked: fail fast, a human must act

    @property
    def outcome(self) -> Outcome:
        return _OUTCOMES[self]


_OUTCOMES = {
    Action.RETRY: Outcome.TRANSIENT,
    Action.RATE_LIMITED: Outcome.RATE_LIMITED,
    Action.REFRESH: Outcome.REFRESH,
    Action.TOO_LARGE: Outcome.TOO_LARGE,
    Action.FAIL: Outcome.FATAL,
    Action.AUTH: Outcome.AUTH,
}


def duration_seconds(value: Any) -> float | None:
    """Seconds from a wait as platforms write it: ``60``, ``"60"``, ``"60s"``, ``"1.5s"``, ``{"seconds": "60"}``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return max(0.0, float(value))
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match is None:
            return None
        return float(match.group(1)) * _UNIT_SECONDS[(match.group(2) or "s").lower()]
    if isinstance(value, Mapping) and "seconds" in value:
        # The proto3 JSON form of google.protobuf.Duration when it is not written as a string.
        seconds = duration_seconds(value.get("seconds"))
        nanos = value.get("nanos") or 0
        if seconds is None or not isinstance(nanos, int | float):
            return None
        return seconds + float(nanos) / 1e9
    return None


def _same(a: Any, b: Any) -> bool:
    # ``True == 1`` in Python; a platform's ``success: true`` must not match a code 1, nor the reverse.
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _variants(code: Any) -> list[Any]:
    """A code and its other spelling: platforms send ``40100`` or ``"40100"`` for the same code."""
    variants = [code]
    if isinstance(code, str) and re.fullmatch(r"-?\d+", code.strip()):
        variants.append(int(code.strip()))
    elif isinstance(code, int) and not isinstance(code, bool):
        variants.append(str(code))
    return variants


def _lookup(exact: Mapping[Code, Action], prefixes: Mapping[str, Action], code: Any) -> Action | None:
    for variant in _variants(code):
        for key, action in exact.items():
            if _same(key, variant):
                return action
    if isinstance(code, str):
        # Longest prefix first, so "isp.top-remote" can override "isp.".
        for prefix in sorted(prefixes, key=len, reverse=True):
            if code.startswith(prefix):
                return prefixes[prefix]
    return None


def _member(values: Iterable[Any], code: Any) -> bool:
    return any(_same(value, variant) for value in values for variant in _variants(code))


@dataclass(frozen=True)
class _BodyError:
    code: Any
    sub_code: Any
    element: Any


@dataclass(frozen=True)
class ErrorTable:
    """One platform's error vocabulary. Every field is data; ``wait_from`` is the one escape hatch.

    Body codes (checked in every JSON body, 2xx or not, and in each element of a bare JSON array):

    - ``code_path``: where the code lives (``"code"``, ``"data.error_code"``, ``"error_response.code"``,
      ``"errors[*].extensions.code"``); ``fallback_code_paths`` are tried when it holds nothing. No code
      in a 2xx body means success, so success bodies without an envelope (WeChat's ``{"list": [...]}``)
      pass.
    - ``ok_codes``: codes that mean success (``{0}``). Every other code is an error; an empty set makes
      any code an error (Taobao's ``error_response`` exists only on failure).
    - ``ok_path`` / ``ok_values``: a success flag that wins over the code when present (Xiaohongshu's
      ``success: true``); the code then only says which error it is.
    - ``codes`` / ``code_prefixes``: the action per code, exact or by string prefix; ``sub_code_path``
      with ``sub_codes`` / ``sub_code_prefixes`` is consulted first (Taobao's ``sub_code: "isp.*"``).
    - ``unknown_code``: the action for an error code the table does not list (in a 2xx body; in an
      error status the status decides).

    ``status`` maps HTTP statuses to actions for answers without a listed code; unlisted statuses fall
    back to ``classify_by_status`` (429 rate limited, 5xx retried, 401/403 auth, else fatal).
    ``message_paths`` and ``request_id_paths`` say where the platform's text and trace id are, for the
    error message. ``wait_paths`` say where the body advertises a wait (Google's ``retryDelay: "60s"``);
    ``Retry-After`` is always honoured, and the longest advertised wait wins. ``advice`` adds, per code, what
    a human should do to the error message, where the platform's own text does not say it (a used-up daily
    quota: rerun tomorrow).
    """

    code_path: PathSpec = ()
    ok_codes: frozenset[Any] = frozenset()
    codes: Mapping[Code, Action] = field(default_factory=dict)
    code_prefixes: Mapping[str, Action] = field(default_factory=dict)
    fallback_code_paths: tuple[PathSpec, ...] = ()
    ok_path: PathSpec | None = None
    ok_values: frozenset[Any] = frozenset({True})
    sub_code_path: PathSpec | None = None
    sub_codes: Mapping[Code, Action] = field(default_factory=dict)
    sub_code_prefixes: Mapping[str, Action] = field(default_factory=dict)
    unknown_code: Action = Action.FAIL
    status: Mapping[int, Action] = field(default_factory=dict)
    message_paths: tuple[PathSpec, ...] = ()
    request_id_paths: tuple[PathSpec, ...] = ()
    wait_paths: tuple[PathSpec, ...] = ()
    wait_from: Callable[[Any], float | None] | None = None
    advice: Mapping[Code, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Normalized once so every lookup walks tuples, whatever spelling the source used.
        set_ = object.__setattr__
        set_(self, "code_path", json_path(self.code_path))
        set_(self, "fallback_code_paths", tuple(json_path(p) for p in self.fallback_code_paths))
        set_(self, "ok_path", None if self.ok_path is None else json_path(self.ok_path))
        set_(self, "sub_code_path", None if self.sub_code_path is None else json_path(self.sub_code_path))
        set_(self, "message_paths", tuple(json_path(p) for p in self.message_paths))
        set_(self, "request_id_paths", tuple(json_path(p) for p in self.request_id_paths))
        set_(self, "wait_paths", tuple(json_path(p) for p in self.wait_paths))

    def __call__(self, response: requests.Response) -> Verdict:
        return self.classify(response)

    def classify(self, response: requests.Response) -> Verdict:
        """The verdict for one response: a listed body code first, then the status."""
        status = response.status_code
        body, parse_error = parse_json(response)
        found = self._body_error(body) if parse_error is None else None
        if found is None:
            if 200 <= status < 300:
                # Includes a 2xx body that is not JSON: ``request_json`` reports that as malformed.
                return OK
            return self._by_status(response)

        detail = self._describe(status, found)
        action = None
        if found.sub_code is not None:
            action = _lookup(self.sub_codes, self.sub_code_prefixes, found.sub_code)
        if action is None and found.code is not None:
            action = _lookup(self.codes, self.code_prefixes, found.code)
        if action is None and not 200 <= status < 300:
            action = self.status.get(status)
            if action is None:
                fallback = classify_by_status(response)
                return Verdict(fallback.outcome, detail, fallback.wait_seconds)
        if action is None:
            action = self.unknown_code
        wait = self._wait(found.element, response) if action in (Action.RETRY, Action.RATE_LIMITED) else None
        return Verdict(action.outcome, detail, wait)

    # -- reading bodies --------------------------------------------------------------------------

    def _has_body_codes(self) -> bool:
        return bool(self.code_path or self.fallback_code_paths or self.ok_path)

    def _codes_in(self, element: Any) -> list[Any]:
        for path in (self.code_path, *self.fallback_code_paths):
            if path:
                found = [code for code in dig_all(element, path) if not isinstance(code, Mapping | list)]
                if found:
                    return found
        return []

    def _body_error(self, body: Any) -> _BodyError | None:
        if not self._has_body_codes():
            return None
        # A bare array (Google Ads searchStream) fails when any of its elements carries an error.
        elements = [item for item in body if isinstance(item, Mapping)] if isinstance(body, list) else [body]
        for element in elements:
            if not isinstance(element, Mapping):
                continue
            codes = self._codes_in(element)
            if self.ok_path is not None:
                flag = dig(element, self.ok_path)
                if flag is None or _member(self.ok_values, flag):
                    continue
                code = codes[0] if codes else None
            else:
                errors = [code for code in codes if not _member(self.ok_codes, code)]
                if not errors:
                    continue
                # GraphQL lists several errors; the first one the table knows decides.
                known = [code for code in errors if _lookup(self.codes, self.code_prefixes, code) is not None]
                code = (known or errors)[0]
            sub_code = dig(element, self.sub_code_path) if self.sub_code_path else None
            return _BodyError(code, sub_code, element)
        return None

    def _describe(self, status: int, found: _BodyError) -> str:
        parts = [f"HTTP {status}"]
        if found.code is not None:
            parts.append(f"code {found.code}")
        if found.sub_code is not None:
            parts.append(f"sub_code {found.sub_code}")
        if found.code is None and found.sub_code is None and self.ok_path is not None:
            parts.append(f"{path_text(self.ok_path)}={dig(found.element, self.ok_path)!r}")
        detail = ", ".join(parts)
        messages: list[str] = []
        for path in self.message_paths:
            for text in dig_all(found.element, path):
                text = " ".join(str(text).split())
                if text and text not in messages:
                    messages.append(text)
        if messages:
            message = "; ".join(messages)
            if len(message) > _MESSAGE_LIMIT:
                message = message[:_MESSAGE_LIMIT] + "..."
            detail += f": {message}"
        for path in self.request_id_paths:
            trace = dig(found.element, path)
            if trace is not None and not isinstance(trace, Mapping | list):
                detail += f" [{path[-1]} {trace}]"
                break
        advice = [text for code, text in self.advice.items() if found.code is not None and _member([code], found.code)]
        if advice:
            detail += f"; {advice[0]}"
        return detail

    def _wait(self, element: Any, response: requests.Response) -> float | None:
        waits = [retry_after_seconds(response)]
        for path in self.wait_paths:
            waits.extend(duration_seconds(value) for value in dig_all(element, path))
        if self.wait_from is not None:
            waits.append(self.wait_from(element))
        known = [wait for wait in waits if wait is not None]
        return max(known) if known else None

    def _by_status(self, response: requests.Response) -> Verdict:
        action = self.status.get(response.status_code)
        if action is None:
            return classify_by_status(response)
        detail = f"HTTP {response.status_code}: {body_snippet(response)}"
        wait = retry_after_seconds(response) if action in (Action.RETRY, Action.RATE_LIMITED) else None
        return Verdict(action.outcome, detail, wait)
