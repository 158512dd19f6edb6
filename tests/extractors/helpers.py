"""Shared constants and helpers for the extractor tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from extractors.http import RetrySettings
from extractors.landing import read_manifest
from extractors.streams import Window

AS_OF = date(2026, 11, 23)
SHOP = "demo-shop"
META_ACCOUNTS = ["act_1001", "act_2002"]

# Tiny waits keep retries fast; read_timeout stays well above a normal page's latency.
FAST_RETRY = RetrySettings(max_attempts=4, base_wait=0.01, max_wait=2.0, connect_timeout=2.0, read_timeout=10.0)


def set_connections(
    monkeypatch: pytest.MonkeyPatch,
    sb: Any,
    *,
    meta_page_size: int = 500,
    shopify_page_size: int = 250,
    meta_token: str | None = None,
    shopify_token: str | None = None,
) -> None:
    """Point ``meta_ads`` and ``shopify`` at the sandbox through Airflow's env-var connections."""
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


@dataclass
class Landed:
    manifest: dict[str, Any]
    records: list[dict[str, Any]]
    text: str


def read_landed(manifest_path: Any) -> Landed:
    """Read one landed extraction back, checking the manifest's row count against the file."""
    manifest = read_manifest(manifest_path)
    text = (manifest_path.parent / "records.jsonl").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert manifest["row_count"] == len(lines)
    assert manifest["files"] == ["records.jsonl"]
    assert sorted(p.name for p in manifest_path.parent.iterdir()) == ["manifest.json", "records.jsonl"]
    return Landed(manifest, [json.loads(line) for line in lines], text)


def meta_truth(sb: Any, account: str, window: Window) -> list[dict[str, Any]]:
    """Insights rows the world holds for ``window`` (Meta's bounds are inclusive: start..last day)."""
    from sandbox import truth

    return truth.meta_rows(sb.world, account, window.start, window.last_day, AS_OF)


def shopify_truth(sb: Any, window: Window) -> list[dict[str, Any]]:
    """Orders updated in ``[start 00:00Z, end 00:00Z)``, as the API shapes them."""
    from sandbox import truth

    start = datetime.combine(window.start, time(0), tzinfo=UTC)
    end = datetime.combine(window.end, time(0), tzinfo=UTC) - timedelta(seconds=1)
    return truth.orders_updated_between(sb.world, start, end, AS_OF)
