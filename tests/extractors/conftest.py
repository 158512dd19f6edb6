"""One sandbox (both platform servers) for the whole extractor suite, plus connections pointing at it.

Connections are set through the same ``AIRFLOW_CONN_*`` env vars a deployment would use, so the code
under test resolves credentials exactly as it does in Airflow.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from extractors.http import RetrySettings
from extractors.landing import read_manifest

AS_OF = date(2026, 11, 23)
SHOP = "demo-shop"
META_ACCOUNTS = ["act_1001", "act_2002"]

# Tiny waits keep retries fast; read_timeout stays well above a normal page's latency.
FAST_RETRY = RetrySettings(max_attempts=4, base_wait=0.01, max_wait=2.0, connect_timeout=2.0, read_timeout=10.0)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    from sandbox import Sandbox

    sb = Sandbox(seed=42, scale=1.0, as_of=AS_OF)
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def sb(sandbox: Any) -> Iterator[Any]:
    """The shared sandbox with a clean request log, and no fault left armed by a failing test."""
    for server in ("meta", "shopify"):
        sandbox.reset_requests(server)
    yield sandbox
    for server in ("meta", "shopify"):
        sandbox.clear_faults(server)


def set_connections(
    monkeypatch: pytest.MonkeyPatch,
    sb: Any,
    *,
    meta_page_size: int = 500,
    shopify_page_size: int = 250,
    meta_token: str | None = None,
    shopify_token: str | None = None,
) -> None:
    from sandbox import credentials

    monkeypatch.setenv(
        "AIRFLOW_CONN_META_ADS",
        json.dumps(
            {
                "conn_type": "http",
                "host": sb.meta_url,
                "password": meta_token or credentials.META_ACCESS_TOKEN,
                "extra": {"account_ids": META_ACCOUNTS, "api_version": "v21.0", "page_size": meta_page_size},
            }
        ),
    )
    monkeypatch.setenv(
        "AIRFLOW_CONN_SHOPIFY",
        json.dumps(
            {
                "conn_type": "http",
                "host": sb.shopify_url,
                "password": shopify_token or credentials.SHOPIFY_ACCESS_TOKEN,
                "extra": {"shop": SHOP, "api_version": "2025-01", "page_size": shopify_page_size},
            }
        ),
    )


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Connections with small pages, so a one-week window already spans several pages."""
    set_connections(monkeypatch, sb, meta_page_size=50, shopify_page_size=20)
    return sb


@pytest.fixture
def landing_root(tmp_path: Path) -> Path:
    root = tmp_path / "landing"
    root.mkdir()
    return root


@dataclass
class Landed:
    manifest: dict[str, Any]
    records: list[dict[str, Any]]
    text: str


def read_landed(manifest_path: Path) -> Landed:
    """Read one landed extraction back, checking the manifest against the file on the way."""
    manifest = read_manifest(manifest_path)
    text = (manifest_path.parent / "records.jsonl").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert manifest["row_count"] == len(lines)
    assert manifest["files"] == ["records.jsonl"]
    return Landed(manifest, [json.loads(line) for line in lines], text)


def all_files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*"))
