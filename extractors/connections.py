"""Credentials from an Airflow Connection, or from the same ``AIRFLOW_CONN_<ID>`` env var Airflow reads.

Reading the env var ourselves first keeps tests, scripts and ``make run`` free of Airflow's import cost
and metadata database, while inside a task the same Connection resolves identically; only when no env
var exists do we ask Airflow (which also consults its secrets backends and database).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

# Airflow's convention for JSON-encoded extras inside a connection URI.
URI_EXTRA_KEY = "__extra__"


class ConnectionConfigError(Exception):
    """A connection is missing or unparsable. The message names the conn id, never its secrets."""


@dataclass(frozen=True)
class Connection:
    """What an extractor needs from a connection: where to call, with which secret, plus settings.

    ``host`` is a base URL (``scheme://host[:port][/path]``) whichever form the connection was given in.
    """

    conn_id: str
    host: str
    password: str | None = field(default=None, repr=False)
    login: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        # The default dataclass repr would print the token into any log that prints the object.
        return f"Connection(conn_id={self.conn_id!r}, host={self.host!r}, extra={self.extra!r})"


def env_var_name(conn_id: str) -> str:
    return f"AIRFLOW_CONN_{conn_id.upper()}"


def base_url(conn_type: str | None, host: str | None, port: int | None = None, schema: str | None = None) -> str:
    """Rebuild a base URL from Airflow's split fields (``host`` may already carry the scheme)."""
    host = (host or "").strip()
    if not host:
        return ""
    if "://" not in host:
        scheme = conn_type if conn_type in ("http", "https") else "https"
        host = f"{scheme}://{host}"
    parts = urlsplit(host)
    if port and parts.port is None:
        host = f"{parts.scheme}://{parts.netloc}:{port}{parts.path}"
    if schema:
        host = f"{host.rstrip('/')}/{schema.lstrip('/')}"
    return host.rstrip("/")


def _extra_dict(conn_id: str, extra: Any) -> dict[str, Any]:
    if extra in (None, ""):
        return {}
    if isinstance(extra, str):
        try:
            extra = json.loads(extra)
        except ValueError:
            raise ConnectionConfigError(f"connection '{conn_id}': extra is not valid JSON") from None
    if not isinstance(extra, dict):
        raise ConnectionConfigError(f"connection '{conn_id}': extra must be a JSON object")
    return extra


def parse_json_connection(conn_id: str, value: str) -> Connection:
    """Parse Airflow's JSON connection form, e.g. ``{"conn_type": "http", "host": ..., "password": ...}``."""
    try:
        data = json.loads(value)
    except ValueError:
        raise ConnectionConfigError(f"connection '{conn_id}': {env_var_name(conn_id)} is not valid JSON") from None
    if not isinstance(data, dict):
        raise ConnectionConfigError(f"connection '{conn_id}': JSON form must be an object")
    port = data.get("port")
    return Connection(
        conn_id=conn_id,
        host=base_url(data.get("conn_type"), data.get("host"), int(port) if port else None, data.get("schema")),
        password=data.get("password"),
        login=data.get("login"),
        extra=_extra_dict(conn_id, data.get("extra")),
    )


def parse_uri_connection(conn_id: str, uri: str) -> Connection:
    """Parse Airflow's URI form, ``conn_type://login:password@host:port/schema?extra_key=value``.

    Follows Airflow's rules: user-info and path are percent-decoded, query parameters become extras
    unless a single ``__extra__`` parameter holds them as JSON, and a host may itself carry a scheme
    (``http://:tok@https%3A%2F%2Fexample.com``).
    """
    parts = urlsplit(uri)
    conn_type = parts.scheme.replace("-", "_")
    if not conn_type:
        raise ConnectionConfigError(f"connection '{conn_id}': URI form needs a scheme (conn_type://...)")
    host = unquote(parts.hostname or "")
    if "%3a" in parts.netloc.lower() or "/" in host:
        # An encoded host with its own scheme: urlsplit lower-cases and mangles it, take it verbatim.
        host = unquote(parts.netloc.rsplit("@", 1)[-1])
    try:
        port = parts.port
    except ValueError:
        port = None
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    extra: Any = query.get(URI_EXTRA_KEY, query)
    schema = unquote(parts.path[1:]) if parts.path[1:] else None
    return Connection(
        conn_id=conn_id,
        host=base_url(conn_type, host, port if "://" not in host else None, schema),
        password=unquote(parts.password) if parts.password else None,
        login=unquote(parts.username) if parts.username else None,
        extra=_extra_dict(conn_id, extra),
    )


def parse_connection(conn_id: str, value: str) -> Connection:
    """Parse an ``AIRFLOW_CONN_*`` value in either of Airflow's forms."""
    value = value.strip()
    if value.startswith("{"):
        return parse_json_connection(conn_id, value)
    return parse_uri_connection(conn_id, value)


def _from_airflow(conn_id: str) -> Connection:
    try:
        # Imported here: Airflow is heavy to import and only needed when no env var is set.
        from airflow.sdk import BaseHook
    except ImportError as exc:
        raise ConnectionConfigError(
            f"connection '{conn_id}': {env_var_name(conn_id)} is not set and Airflow is not importable ({exc})"
        ) from None
    try:
        conn = BaseHook.get_connection(conn_id)
    except Exception as exc:
        raise ConnectionConfigError(
            f"connection '{conn_id}' not found: set {env_var_name(conn_id)} or create it in Airflow "
            f"({type(exc).__name__})"
        ) from None
    return Connection(
        conn_id=conn_id,
        host=base_url(conn.conn_type, conn.host, conn.port, conn.schema),
        password=conn.password,
        login=conn.login,
        extra=_extra_dict(conn_id, conn.extra_dejson),
    )


def get_connection(conn_id: str) -> Connection:
    """The connection ``conn_id``: from ``AIRFLOW_CONN_<CONN_ID>`` if set, else from Airflow."""
    value = os.environ.get(env_var_name(conn_id))
    if value:
        return parse_connection(conn_id, value)
    return _from_airflow(conn_id)


def extra_str_list(conn: Connection, key: str) -> list[str]:
    """A list setting from extra; URI-form extras arrive as strings, so accept JSON or comma lists."""
    value = conn.extra.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                raise ConnectionConfigError(f"connection '{conn.conn_id}': extra.{key} is not a JSON list") from None
        else:
            value = [item for item in (part.strip() for part in text.split(",")) if item]
    if not isinstance(value, list):
        raise ConnectionConfigError(f"connection '{conn.conn_id}': extra.{key} must be a list")
    return [str(item) for item in value]


def extra_int(conn: Connection, key: str, default: int, *, within: tuple[int, int] | None = None) -> int:
    """``extra[key]`` as an integer; ``within`` is the inclusive range the platform accepts (a page size)."""
    value = conn.extra.get(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConnectionConfigError(f"connection '{conn.conn_id}': extra.{key} must be an integer") from None
    if within is not None and not within[0] <= number <= within[1]:
        raise ConnectionConfigError(f"connection '{conn.conn_id}': extra.{key} must be {within[0]}..{within[1]}")
    return number


def extra_str(conn: Connection, key: str, default: str | None = None) -> str | None:
    value = conn.extra.get(key, default)
    return None if value is None else str(value)


def required_extra(conn: Connection, key: str, what: str) -> str:
    """``extra.<key>``, or a ConnectionConfigError saying which connection lacks it and ``what`` it holds."""
    value = extra_str(conn, key)
    if not value:
        raise ConnectionConfigError(f"connection '{conn.conn_id}' has no extra.{key} ({what})")
    return value


def required_field(conn: Connection, name: str, what: str) -> str:
    """A connection's ``host`` or ``login``, or a ConnectionConfigError naming the connection and ``what`` it is."""
    value = getattr(conn, name)
    if not value:
        raise ConnectionConfigError(f"connection '{conn.conn_id}' has no {name} ({what})")
    return str(value)
