"""Constants and helpers every part of the suite shares (fixtures live in tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from extractors.http import RetrySettings
from extractors.landing import read_manifest

# The shared sandbox's "now".
AS_OF = date(2026, 11, 23)

# Tiny waits keep retries fast; read_timeout stays well above a normal page's latency.
FAST_RETRY = RetrySettings(max_attempts=4, base_wait=0.01, max_wait=2.0, connect_timeout=2.0, read_timeout=10.0)

# A PII HMAC secret for code that hashes without a connection (fixtures written straight into raw).
TEST_PII_SECRET = b"test-only-pii-hmac-secret-0123456789abcdef0123456789abcdef"


def set_connections(
    monkeypatch: pytest.MonkeyPatch,
    sb: Any,
    *,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    password: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Point every source's connection at the sandbox through Airflow's ``AIRFLOW_CONN_<ID>`` env vars.

    The connections are the sandbox's own (``Sandbox.connections()``); ``extra`` merges settings into one
    source's extra (``{"<source>": {"page_size": 50}}``), ``password`` replaces a source's token. The
    connections that belong to no source (``pii_hashing``, the PII HMAC secret) are set as the sandbox gives
    them. Returns the connections as set, by connection id.
    """
    from devenv.airflow_env import connection_variables
    from extractors.catalog import get_source
    from extractors.pii import PII_CONN_ID

    extra, password = dict(extra or {}), dict(password or {})
    unknown = (set(extra) | set(password)) - set(sb.names)
    assert not unknown, f"no sandboxed source {sorted(unknown)}; sandboxed: {sb.names}"
    connections = sb.connections()
    assert PII_CONN_ID in connections, "extraction refuses to land PII without its hashing key"
    for name in sb.names:
        conn_id = get_source(name).conn_id
        conn = dict(connections[conn_id])
        conn["extra"] = {**conn.get("extra", {}), **extra.get(name, {})}
        if name in password:
            conn["password"] = password[name]
        connections[conn_id] = conn
    for variable, value in connection_variables(connections).items():
        monkeypatch.setenv(variable, value)
    return connections


@dataclass
class Landed:
    manifest: dict[str, Any]
    records: list[dict[str, Any]]
    text: str


def read_landed(manifest_path: Path) -> Landed:
    """Read one landed extraction back, checking the manifest's row count against the file."""
    manifest = read_manifest(manifest_path)
    text = (manifest_path.parent / "records.jsonl").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert manifest["row_count"] == len(lines)
    assert manifest["files"] == ["records.jsonl"]
    assert sorted(p.name for p in manifest_path.parent.iterdir()) == ["manifest.json", "records.jsonl"]
    return Landed(manifest, [json.loads(line) for line in lines], text)


class Delivered(NamedTuple):
    """One ad's delivery on one account-local day as its platform's truth has it: what every ad mart must show
    for it (``clicks`` in the design's sense: link clicks where the platform separates them)."""

    account_id: str
    currency: str
    day: date
    spend: Decimal
    impressions: int
    clicks: int


def spend_by_account_day(delivered: list[Delivered]) -> dict[tuple[str, date], Decimal]:
    """Native spend per (account, day) of ``delivered``."""
    totals: dict[tuple[str, date], Decimal] = {}
    for row in delivered:
        key = (row.account_id, row.day)
        totals[key] = totals.get(key, Decimal("0.00")) + row.spend
    return totals
