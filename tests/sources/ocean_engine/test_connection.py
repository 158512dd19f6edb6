"""Ocean Engine's connection: what it must carry (named when missing), what it never shows, and the token store
entry it names."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from extractors.connections import Connection, parse_connection
from extractors.errors import ConfigurationError, ExtractContext
from extractors.http import RetrySettings
from extractors.ocean_engine.client import OceanEngineSettings, make_client, token_store_key
from extractors.streams import Window

CONTEXT = ExtractContext(
    "ocean_engine", "ad_report_daily", "1768310000000101", Window(date(2026, 11, 1), date(2026, 11, 2)), "ocean_engine"
)
FULL = {
    "conn_type": "http",
    "host": "https://ad.oceanengine.com/",
    "login": "1790000000000042",
    "password": "at-secret-1",
    "extra": {"app_secret": "app-secret-2", "refresh_token": "rt-secret-3", "advertiser_ids": ["1768310000000101"]},
}


def conn(**changes: object) -> Connection:
    """FULL with settings changed (None removes one); extra's keys are changed inside extra."""
    value = json.loads(json.dumps(FULL))
    for key, item in changes.items():
        target = value["extra"] if key in ("app_secret", "refresh_token", "page_size") else value
        if item is None:
            target.pop(key, None)
        else:
            target[key] = item
    return parse_connection("ocean_engine", json.dumps(value))


def test_a_full_connection_reads_and_hides_its_secrets() -> None:
    settings = OceanEngineSettings.from_connection(conn())
    assert (settings.base_url, settings.app_id, settings.page_size, settings.api_version) == (
        "https://ad.oceanengine.com", "1790000000000042", 1000, "v3.0",
    )  # fmt: skip
    assert settings.access_token == "at-secret-1" and settings.refresh_token == "rt-secret-3"
    assert not any(s in repr(settings) for s in ("at-secret-1", "app-secret-2", "rt-secret-3"))


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"host": None}, "has no host"),
        ({"login": None}, "has no login (the developer app's app_id)"),
        ({"app_secret": None}, "has no extra.app_secret"),
        ({"refresh_token": None}, "has no extra.refresh_token"),
        ({"page_size": 1001}, "extra.page_size must be 1..1000"),
    ],
)
def test_a_missing_setting_fails_naming_it(
    change: dict, named: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MW_TOKEN_DIR", str(tmp_path))
    with pytest.raises(ConfigurationError, match=re.escape(named)) as info:
        make_client(conn(**change), CONTEXT, RetrySettings())
    assert info.value.retryable is False
    assert not any(s in str(info.value) for s in ("at-secret-1", "app-secret-2", "rt-secret-3"))


def test_the_store_entry_is_named_by_the_connection_and_its_authorization() -> None:
    first = token_store_key("ocean_engine", "rt-secret-3")
    assert first == token_store_key("ocean_engine", "rt-secret-3")
    assert first.startswith("ocean_engine.") and len(first) == len("ocean_engine.") + 16
    assert "rt-secret-3" not in first
    assert token_store_key("ocean_engine", "rt-another") != first
