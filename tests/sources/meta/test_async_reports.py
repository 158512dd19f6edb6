"""Large Meta reports: windows read in chunks, and the asynchronous report run Graph offers when a synchronous
insights request is too much (error 100/1504018) or times out (2/1504038), or the window is a long backfill.
Over real HTTP against the sandbox; the rows are checked against the world's truth, so the async path must
return exactly what the sync path does."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests

from extractors.errors import JobFailed
from extractors.run import extract_partition
from extractors.streams import Window
from sandbox.meta.server import ACCESS_TOKEN, SYNC_ROW_LIMIT
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.meta.api import meta_params, meta_url
from tests.sources.meta.helpers import meta_truth

WEEK = Window(date(2026, 11, 1), date(2026, 11, 8))
FAST_POLLS = {"async_poll_seconds": 0.01, "page_size": 100}


def extract(sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, window: Window, **extra: Any) -> Any:
    set_connections(monkeypatch, sb, extra={"meta": {**FAST_POLLS, **extra}})
    return read_landed(
        extract_partition("meta", "ads_insights", "act_1001", window, "async-test", landing_root, retry=FAST_RETRY)
    )


def calls(sb: Any) -> list[tuple[str, str, int]]:
    """(method, path without query, status) of the data requests."""
    return [(method, path.split("?")[0], status) for method, path, status in sb.data_requests("meta")]


@pytest.mark.parametrize("refusal", ["too_much_data", "insights_timeout"])
def test_a_refused_sync_request_is_read_as_a_report_run_with_the_same_rows(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path, refusal: str
) -> None:
    sb.inject("meta", refusal)
    landed = extract(sb, monkeypatch, landing_root, WEEK)

    assert landed.records == meta_truth(sb, "act_1001", WEEK)
    made = calls(sb)
    assert made[0] == ("GET", "/v27.0/act_1001/insights", 400 if refusal == "too_much_data" else 500)
    assert made[1] == ("POST", "/v27.0/act_1001/insights", 200)  # not retried as sync: a retry cannot help
    run_id = next(path.split("/")[2] for method, path, _ in made[2:] if method == "GET")
    assert made[2:4] == [("GET", f"/v27.0/{run_id}", 200)] * 2  # "Job Started", then "Job Completed"
    result_pages = made[4:]
    assert result_pages == [("GET", f"/v27.0/{run_id}/insights", 200)] * -(-len(landed.records) // 100)


def test_the_sandbox_refuses_a_sync_request_for_more_rows_than_it_serves_at_once(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    """No fault armed: a five-month window in one synchronous request is more than Graph would serve."""
    window = Window(date(2026, 5, 1), date(2026, 10, 1))
    truth = meta_truth(sb, "act_1001", window)
    assert len(truth) > SYNC_ROW_LIMIT

    landed = extract(sb, monkeypatch, landing_root, window, chunk_days=200, sync_max_days=200, page_size=500)

    assert landed.records == truth
    assert [method for method, _, _ in calls(sb)][:2] == ["GET", "POST"]
    assert calls(sb)[0][2] == 400


def test_a_backfill_goes_straight_to_report_runs_one_per_chunk(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    window = Window(date(2026, 10, 1), date(2026, 10, 22))  # 21 days: three chunks of seven
    landed = extract(sb, monkeypatch, landing_root, window, chunk_days=7, sync_max_days=14)

    assert landed.records == meta_truth(sb, "act_1001", window)
    created = [path for method, path, _ in sb.data_requests("meta") if method == "POST"]
    assert len(created) == 3
    assert not any(method == "GET" and path.startswith("/v27.0/act_1001/insights") for method, path, _ in calls(sb))


def test_a_short_window_in_chunks_stays_synchronous(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    landed = extract(sb, monkeypatch, landing_root, WEEK, chunk_days=3, page_size=500)

    assert landed.records == meta_truth(sb, "act_1001", WEEK)
    ranges = [path.split("time_range=")[1].split("&")[0] for _, path, _ in sb.data_requests("meta")]
    assert [requests.utils.unquote(r) for r in ranges] == [
        '{"since":"2026-11-01","until":"2026-11-03"}',
        '{"since":"2026-11-04","until":"2026-11-06"}',
        '{"since":"2026-11-07","until":"2026-11-07"}',
    ]


def test_a_failed_report_run_fails_the_extraction_naming_the_run(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    sb.inject("meta", "job_failed")
    with pytest.raises(JobFailed) as failed:
        extract(sb, monkeypatch, landing_root, WEEK, sync_max_days=3)
    message = str(failed.value)
    assert message.startswith("meta/ads_insights account=act_1001 window=[2026-11-01, 2026-11-08): ")
    assert failed.value.job_id.startswith("6000000") and failed.value.job_id in message
    assert "Job Failed" in message
    assert list(landing_root.iterdir()) == []


def test_report_run_endpoints_answer_like_graph(sb: Any) -> None:
    base = sb.url("meta")
    auth = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
    params = meta_params(date(2026, 11, 20), date(2026, 11, 20))
    params.pop("access_token")
    created = requests.post(meta_url(sb), data=params, headers=auth, timeout=10)
    assert created.status_code == 200
    run_id = created.json()["report_run_id"]

    early = requests.get(f"{base}/v27.0/{run_id}/insights", headers=auth, timeout=10)
    assert early.status_code == 400 and early.json()["error"]["code"] == 100
    statuses = [requests.get(f"{base}/v27.0/{run_id}", headers=auth, timeout=10).json() for _ in range(2)]
    assert [s["async_status"] for s in statuses] == ["Job Started", "Job Completed"]
    assert statuses[1] == {"id": run_id, "async_status": "Job Completed", "async_percent_completion": 100}
    rows = requests.get(f"{base}/v27.0/{run_id}/insights", headers=auth, params={"limit": 500}, timeout=10)
    assert rows.json()["data"] == meta_truth(sb, "act_1001", Window(date(2026, 11, 20), date(2026, 11, 21)))

    unknown = requests.get(f"{base}/v27.0/6999999999999", headers=auth, timeout=10)
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == 100
    bad = requests.post(meta_url(sb), data={**params, "time_range": "last week"}, headers=auth, timeout=10)
    assert bad.status_code == 400 and "time_range" in bad.json()["error"]["message"]
