"""The TikTok sandbox's own faults: the platform's error bodies (in HTTP 200) and the rows it spoils."""

from __future__ import annotations

from datetime import date

from sandbox import Sandbox
from sandbox.tiktok.server import DRIFT_METRICS
from tests.sources.tiktok.api import call, fetch_report, get_report, report_params
from tests.sources.tiktok.helpers import SOURCE

DAY = date(2026, 11, 20)


def test_throttling_system_errors_and_revoked_tokens_are_codes_in_an_http_200(sb: Sandbox) -> None:
    for fault, code, words in [
        ("rate_limit", 40100, "QPS limit"),
        ("system_error", 50000, "System error"),
        ("token_expired", 40105, "revoked"),
    ]:
        sb.inject(SOURCE, fault)
        response = call(sb)
        assert response.status_code == 200
        body = response.json()
        assert body["code"] == code and words in body["message"] and body["data"] == {}
        assert call(sb).json()["code"] == 0  # one request each


def test_server_error_is_the_gateways_503_page(sb: Sandbox) -> None:
    sb.inject(SOURCE, "server_error")
    response = call(sb)
    assert response.status_code == 503 and response.headers["Content-Type"] == "text/html"
    assert response.text.startswith("<html>")


def test_data_faults_spoil_one_page(sb: Sandbox) -> None:
    clean = get_report(sb, report_params(DAY, DAY, page_size=5))["data"]["list"]
    for fault in ("negative_spend", "fractional_count", "missing_spend", "schema_drift"):
        sb.inject(SOURCE, fault)
        spoiled = get_report(sb, report_params(DAY, DAY, page_size=5))["data"]["list"]
        first, rest = spoiled[0]["metrics"], spoiled[1:]
        if fault == "negative_spend":
            assert first["spend"] == "-" + clean[0]["metrics"]["spend"] and rest == clean[1:]
        elif fault == "fractional_count":
            assert first["impressions"] == clean[0]["metrics"]["impressions"] + ".5" and rest == clean[1:]
        elif fault == "missing_spend":
            assert "spend" not in first and rest == clean[1:]
        else:
            assert all(
                row["metrics"] == {**old["metrics"], **DRIFT_METRICS} for row, old in zip(spoiled, clean, strict=True)
            )


def test_empty_page_is_a_paging_lie_on_a_page_with_more_behind_it(sb: Sandbox) -> None:
    rows, pages = fetch_report(sb, DAY, DAY, page_size=5)
    sb.inject(SOURCE, "empty_page")
    body = get_report(sb, report_params(DAY, DAY, page_size=5))
    assert body["data"]["list"] == [] and body["data"]["page_info"]["total_page"] == pages > 1
    sb.inject(SOURCE, "empty_page")  # the last page has nothing behind it: served whole
    last = get_report(sb, report_params(DAY, DAY, page=pages, page_size=5))["data"]["list"]
    assert last == rows[(pages - 1) * 5 :]
