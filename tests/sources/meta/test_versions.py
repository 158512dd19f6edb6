"""Graph API versions as Meta serves them: the declared default is one Meta serves today, a retired version is
refused with error 2635 (and the extractor fails at once, naming it), a version Meta never released with 2500."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests

from extractors.catalog import get_source
from extractors.errors import ApiError
from extractors.run import extract_partition
from extractors.streams import Window
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.meta.api import TIMEOUT, meta_params, meta_url
from tests.sources.meta.helpers import meta_truth

WINDOW = Window(date(2026, 11, 20), date(2026, 11, 22))


def graph_error(sb: Any, version: str) -> tuple[int, dict]:
    response = requests.get(
        meta_url(sb, version=version), params=meta_params(WINDOW.start, WINDOW.start), timeout=TIMEOUT
    )
    return response.status_code, response.json().get("error", {})


def test_a_retired_version_is_refused_with_2635_naming_the_latest(sb: Any) -> None:
    status, error = graph_error(sb, "v24.0")  # ended 2026-11-10; the sandbox's today is 2026-11-23
    assert (status, error["code"]) == (400, 2635)
    assert error["message"] == (
        "(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: v27.0."
    )
    assert graph_error(sb, "v99.0")[1]["code"] == 2500
    sb.set_as_of(date(2027, 3, 1))  # v25.0 ends on 2027-02-23
    assert graph_error(sb, "v25.0")[1]["code"] == 2635


def test_the_declared_version_is_served_and_a_retired_one_fails_the_extraction_at_once(
    sb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    set_connections(monkeypatch, sb)
    landed = read_landed(
        extract_partition("meta", "ads_insights", "act_1001", WINDOW, "r1", tmp_path, retry=FAST_RETRY)
    )
    assert landed.records == meta_truth(sb, "act_1001", WINDOW)
    assert all(f"/{get_source('meta').api_version}/" in path for _, path, _ in sb.data_requests("meta"))

    sb.reset_requests()
    set_connections(monkeypatch, sb, extra={"meta": {"api_version": "v21.0"}})
    with pytest.raises(ApiError) as failure:
        extract_partition("meta", "ads_insights", "act_1001", WINDOW, "r2", tmp_path, retry=FAST_RETRY)
    assert str(failure.value).startswith("meta/ads_insights account=act_1001 window=[2026-11-20, 2026-11-22): ")
    assert "Graph error code 2635" in str(failure.value) and "latest version: v27.0" in str(failure.value)
    assert failure.value.retryable is False
    assert len(sb.requests("meta")) == 1  # the account settings read already names the retired version
