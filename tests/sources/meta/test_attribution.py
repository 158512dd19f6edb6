"""Which attribution window credits a conversion is configured, sent on every insights request and written in
the marts' docs: Meta's default (7-day click, 1-day view) unless the connection says otherwise; a window Graph
does not know is refused with code 100 and fails the extraction at once."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from extractors.errors import ApiError
from extractors.run import extract_partition
from extractors.streams import Window
from tests.helpers import FAST_RETRY, set_connections

WINDOW = Window(date(2026, 11, 20), date(2026, 11, 21))


def windows_sent(sb: Any) -> list[list[str]]:
    return [
        json.loads(parse_qs(urlsplit(path).query)["action_attribution_windows"][0])
        for _, path, _ in sb.data_requests("meta")
        if "action_attribution_windows" in path
    ]


def test_the_default_and_a_configured_attribution_window_are_sent(
    sb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    set_connections(monkeypatch, sb)
    extract_partition("meta", "ads_insights", "act_1001", WINDOW, "r1", tmp_path, retry=FAST_RETRY)
    assert windows_sent(sb) == [["7d_click", "1d_view"]]
    sb.reset_requests()
    set_connections(monkeypatch, sb, extra={"meta": {"action_attribution_windows": ["28d_click"]}})
    extract_partition("meta", "ads_insights", "act_1001", WINDOW, "r2", tmp_path, retry=FAST_RETRY)
    assert windows_sent(sb) == [["28d_click"]]


def test_an_unknown_attribution_window_fails_at_once(sb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    set_connections(monkeypatch, sb, extra={"meta": {"action_attribution_windows": ["3d_click"]}})
    with pytest.raises(ApiError, match="Graph error code 100"):
        extract_partition("meta", "ads_insights", "act_1001", WINDOW, "r1", tmp_path, retry=FAST_RETRY)
    assert len(sb.data_requests("meta")) == 1
