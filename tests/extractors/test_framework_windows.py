"""Window splitting (day caps and "too large" answers) and asynchronous report jobs, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from extractors.error_table import Action, ErrorTable
from extractors.errors import JobFailed, JobTimedOut, WindowTooLarge
from extractors.jobs import HttpReportJob, JobPolling, fill_job_id, run_job, run_job_records
from extractors.paging import PageNumber, PageRequest, SinglePage, paginate, records
from extractors.streams import Window
from extractors.windows import halve, read_in_chunks, split_window
from sandbox.http_base import ApiRequest, json_response
from tests.extractors.framework_servers import CONTEXT, RoutedServer, body_json, client

TIKTOK = ErrorTable(
    code_path="code",
    ok_codes=frozenset({0}),
    message_paths=("message",),
    codes={40002: Action.TOO_LARGE, 40100: Action.RATE_LIMITED, 50000: Action.RETRY},
)


def days(window: Window) -> list[date]:
    return [window.start + timedelta(days=n) for n in range(window.days)]


# -- split_window --------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [1, 2, 7, 30, 31, 92])
@pytest.mark.parametrize("max_days", [1, 2, 3, 7, 30, 100])
def test_split_window_covers_the_window_exactly_with_consecutive_chunks(length: int, max_days: int) -> None:
    window = Window(date(2026, 10, 1), date(2026, 10, 1) + timedelta(days=length))
    chunks = split_window(window, max_days)
    assert chunks[0].start == window.start and chunks[-1].end == window.end
    assert all(a.end == b.start for a, b in zip(chunks, chunks[1:], strict=False))
    assert all(1 <= chunk.days <= max_days for chunk in chunks)
    assert [day for chunk in chunks for day in days(chunk)] == days(window)
    assert len(chunks) == -(-length // max_days)


def test_split_window_examples() -> None:
    window = Window(date(2026, 11, 1), date(2026, 12, 2))  # 31 days
    assert [c.days for c in split_window(window, 7)] == [7, 7, 7, 7, 3]
    assert split_window(window, 31) == [window]
    assert str(split_window(window, 30)[-1]) == "[2026-12-01, 2026-12-02)"
    with pytest.raises(ValueError, match="max_days must be >= 1"):
        split_window(window, 0)
    assert halve(Window(date(2026, 11, 1), date(2026, 11, 6))) == (
        Window(date(2026, 11, 1), date(2026, 11, 3)),
        Window(date(2026, 11, 3), date(2026, 11, 6)),
    )
    with pytest.raises(ValueError):
        halve(Window(date(2026, 11, 1), date(2026, 11, 2)))


# -- read_in_chunks against a platform that refuses large windows ----------------------------------------


def daily_report(limit_days: int) -> Any:
    """A TikTok-shaped report that answers code 40002 for a range longer than ``limit_days`` (inclusive dates)."""

    def report(request: ApiRequest) -> Any:
        start = date.fromisoformat(request.param("start_date") or "")
        end = date.fromisoformat(request.param("end_date") or "")
        span = (end - start).days + 1
        if span > limit_days:
            return json_response(200, {"code": 40002, "message": f"time range of {span} days is too large"})
        rows = [{"stat_time_day": f"{start + timedelta(days=n)} 00:00:00"} for n in range(span)]
        return json_response(200, {"code": 0, "data": {"list": rows}})

    return report


def reader(http: Any, url: str) -> Any:
    def read(chunk: Window) -> Iterator[dict[str, Any]]:
        params = {"start_date": chunk.start.isoformat(), "end_date": chunk.last_day.isoformat()}
        return records(paginate(http, PageRequest(url, params), SinglePage(), "data.list"))

    return read


def test_chunks_that_are_too_large_are_halved_until_they_fit(server: RoutedServer) -> None:
    server.route("GET", "/report", daily_report(limit_days=2))
    window = Window(date(2026, 11, 1), date(2026, 11, 11))  # 10 days
    with client(classifier=TIKTOK) as http:
        got = list(read_in_chunks(window, reader(http, f"{server.url}/report"), max_days=7))
    assert [row["stat_time_day"][:10] for row in got] == [d.isoformat() for d in days(window)]
    asked = [tuple(p.split("start_date=")[1].split("&end_date=")) for p in server.paths()]
    assert asked == [
        ("2026-11-01", "2026-11-07"),  # 7 days: too large
        ("2026-11-01", "2026-11-03"),  # 3 days: too large
        ("2026-11-01", "2026-11-01"),
        ("2026-11-02", "2026-11-03"),
        ("2026-11-04", "2026-11-07"),  # 4 days: too large
        ("2026-11-04", "2026-11-05"),
        ("2026-11-06", "2026-11-07"),
        ("2026-11-08", "2026-11-10"),  # the second 7-day chunk is only 3 days: too large
        ("2026-11-08", "2026-11-08"),
        ("2026-11-09", "2026-11-10"),
    ]


def test_a_day_that_is_still_too_large_fails_naming_it(server: RoutedServer) -> None:
    server.route("GET", "/report", daily_report(limit_days=0))
    window = Window(date(2026, 11, 1), date(2026, 11, 3))
    with client(classifier=TIKTOK) as http, pytest.raises(WindowTooLarge) as info:
        list(read_in_chunks(window, reader(http, f"{server.url}/report")))
    message = str(info.value)
    assert "even the one-day window [2026-11-01, 2026-11-02) is too large" in message
    assert "code 40002: time range of 1 days is too large" in message
    assert len(server.paths()) == 2  # the whole window, then its first day


def test_a_chunk_that_fails_after_yielding_records_is_not_split() -> None:
    calls: list[Window] = []

    def read(chunk: Window) -> Iterator[int]:
        calls.append(chunk)
        yield 1
        raise WindowTooLarge(CONTEXT, "http://127.0.0.1/report", "too large on page 2")

    window = Window(date(2026, 11, 1), date(2026, 11, 5))
    got: list[int] = []
    with pytest.raises(WindowTooLarge, match="too large on page 2"):
        got.extend(read_in_chunks(window, read))
    assert got == [1] and calls == [window]  # halves would have yielded the first record again


# -- asynchronous report jobs -----------------------------------------------------------------------------


class ReportJobs:
    """TikTok-shaped async reports: create a task, check it, download its pages."""

    def __init__(self, server: RoutedServer, statuses: dict[int, list[str]], rows: int = 12) -> None:
        self.statuses = statuses
        self.rows = [{"ad_id": str(n), "spend": f"{n}.00"} for n in range(rows)]
        self.polls: dict[int, int] = {}
        self.created: list[Any] = []
        self.next_id = iter(sorted(statuses))
        base = "/open_api/v1.3/report/task"
        server.route("POST", f"{base}/create/", self.create)
        server.route("GET", f"{base}/check/", self.check)
        server.route("POST", f"{base}/download/", self.download)
        self.url = f"{server.url}{base}"

    def create(self, request: ApiRequest) -> Any:
        self.created.append(body_json(request))
        return json_response(200, {"code": 0, "message": "OK", "data": {"task_id": next(self.next_id)}})

    def check(self, request: ApiRequest) -> Any:
        task = int(request.param("task_id") or 0)
        self.polls[task] = self.polls.get(task, 0) + 1
        script = self.statuses[task]
        status = script[min(self.polls[task], len(script)) - 1]
        data = {"task_id": task, "status": status}
        if status == "FAILED":
            data["message"] = "the report exceeds 10k ads"
        if status == "SUCCESS":
            data["file_url"] = f"{request.base_url}/open_api/v1.3/report/task/download/"
        return json_response(200, {"code": 0, "message": "OK", "data": data})

    def download(self, request: ApiRequest) -> Any:
        body = body_json(request)
        if not isinstance(body["task_id"], int):  # the id keeps the type the platform gave it
            return json_response(200, {"code": 40001, "message": "task_id must be a number"})
        page, size = body["page"], 5
        rows = self.rows[(page - 1) * size : page * size]
        total_page = -(-len(self.rows) // size)
        return json_response(
            200, {"code": 0, "data": {"list": rows, "page_info": {"page": page, "total_page": total_page}}}
        )

    def job(self, **changes: Any) -> HttpReportJob:
        options: dict[str, Any] = dict(
            create_request=PageRequest(
                f"{self.url}/create/", method="POST", json={"advertiser_id": "1", "report_type": "BASIC"}
            ),
            job_id_path="data.task_id",
            status_request=PageRequest(f"{self.url}/check/", {"advertiser_id": "1", "task_id": "{job_id}"}),
            status_path="data.status",
            done=frozenset({"SUCCESS"}),
            failed=frozenset({"FAILED", "CANCELED"}),
            result_request=PageRequest(f"{self.url}/download/", method="POST", json={"task_id": "{job_id}"}),
            result_records="data.list",
            result_paginator=PageNumber(total_pages_path="data.page_info.total_page", page_path="data.page_info.page"),
            detail_path="data.message",
        )
        options.update(changes)
        return HttpReportJob(**options)


def test_a_job_is_created_polled_until_done_and_read_page_by_page(server: RoutedServer) -> None:
    jobs = ReportJobs(server, {7001: ["QUEUING", "PROCESSING", "SUCCESS"]})
    waits: list[float] = []
    polling = JobPolling(max_polls=5, first_wait=0.5, max_wait=1.0, factor=1.5)
    with client(classifier=TIKTOK) as http:
        got = list(run_job_records(http, jobs.job(), polling=polling, sleep=waits.append))
    assert got == jobs.rows
    assert jobs.polls == {7001: 3} and jobs.created == [{"advertiser_id": "1", "report_type": "BASIC"}]
    assert waits == [0.5, 0.75, 1.0]  # grows by 1.5, capped at max_wait
    assert len([p for p in server.paths() if "download" in p]) == 3  # 12 rows in pages of 5


def test_the_result_url_can_come_from_the_final_poll(server: RoutedServer) -> None:
    jobs = ReportJobs(server, {7004: ["SUCCESS"]})
    job = jobs.job(
        result_request=PageRequest("unused", method="POST", json={"task_id": "{job_id}"}),
        result_url_path="data.file_url",
    )
    with client(classifier=TIKTOK) as http:
        pages = list(run_job(http, job, polling=JobPolling(first_wait=0.0), sleep=lambda s: None))
    assert [len(page.records) for page in pages] == [5, 5, 2]


def test_a_failed_job_names_its_id_status_and_reason(server: RoutedServer) -> None:
    jobs = ReportJobs(server, {7002: ["QUEUING", "FAILED"]})
    with client(classifier=TIKTOK) as http, pytest.raises(JobFailed) as info:
        list(run_job(http, jobs.job(), polling=JobPolling(first_wait=0.0), sleep=lambda s: None))
    assert "report job 7002 failed with status 'FAILED': the report exceeds 10k ads" in str(info.value)
    assert (info.value.job_id, info.value.status) == ("7002", "FAILED")
    assert jobs.polls == {7002: 2}
    assert not [p for p in server.paths() if "download" in p]


def test_a_job_that_never_finishes_gives_up_after_the_bounded_polls(server: RoutedServer) -> None:
    jobs = ReportJobs(server, {7003: ["QUEUING", "PROCESSING"]})
    waits: list[float] = []
    polling = JobPolling(max_polls=4, first_wait=1.0, max_wait=2.0, factor=2.0)
    with client(classifier=TIKTOK) as http, pytest.raises(JobTimedOut) as info:
        list(run_job(http, jobs.job(), polling=polling, sleep=waits.append))
    assert str(info.value).endswith("report job 7003 not done after 4 polls over 7.0 s; last status 'PROCESSING'")
    assert info.value.retryable is True
    assert jobs.polls == {7003: 4} and waits == [1.0, 2.0, 2.0, 2.0]
    assert not [p for p in server.paths() if "download" in p]


def test_job_ids_are_filled_into_urls_and_values() -> None:
    request = PageRequest(
        "http://x/jobs/{job_id}/result", {"id": "{job_id}", "note": "job {job_id}"}, json={"ids": ["{job_id}"]}
    )
    filled = fill_job_id(request, 42)
    assert filled.url == "http://x/jobs/42/result"
    assert filled.params == {"id": 42, "note": "job 42"} and filled.json == {"ids": [42]}
