"""Asynchronous report jobs as one reusable step: create, poll until done (bounded), read the results.

Large reports on several platforms (TikTok and Ocean Engine async reports, Google's and the Graph API's
report runs) are not answered in the request: the platform hands back a job id, works for seconds to minutes,
then serves the result. ``run_job`` owns the waiting (bounded polls with backoff, an injectable sleep
for tests) and the failure messages (naming the job id and its last status); a ``ReportJob`` says how
one platform creates, polls and reads. ``HttpReportJob`` declares the common shape as data.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from extractors.errors import JobFailed, JobTimedOut, MalformedResponse
from extractors.http import HttpClient, PathSpec, dig
from extractors.paging import Page, PageRequest, Paginator, RecordsAt, SinglePage, paginate, records

log = logging.getLogger(__name__)

JOB_ID = "{job_id}"


class JobState(Enum):
    PENDING = "pending"  # queued or running: poll again
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class JobStatus:
    """One poll's reading: the state, the platform's own status word, and the poll's body for the reader."""

    state: JobState
    status: str
    detail: str = ""
    body: Any = field(default=None, repr=False)


@dataclass(frozen=True)
class JobPolling:
    """How long to wait for a job: ``max_polls`` polls, each after a wait growing from ``first_wait``.

    The defaults wait about 25 minutes in all before giving up, which a slow report queue needs; tests
    pass tiny waits and a recording ``sleep``.
    """

    max_polls: int = 40
    first_wait: float = 2.0
    max_wait: float = 60.0
    factor: float = 1.5

    def __post_init__(self) -> None:
        if self.max_polls < 1:
            raise ValueError("max_polls must be >= 1")
        if self.first_wait < 0 or self.max_wait < 0 or self.factor < 1:
            raise ValueError("waits must be >= 0 and factor >= 1")

    def wait_before(self, poll: int) -> float:
        """Seconds to wait before poll number ``poll`` (counting from 1)."""
        return min(self.max_wait, self.first_wait * self.factor ** (poll - 1))


class ReportJob(ABC):
    """One platform's asynchronous report: how to create it, read its status and read its results."""

    @abstractmethod
    def create(self, client: HttpClient) -> Any:
        """Start the job; its id as the platform gave it (a number stays a number for later calls)."""

    @abstractmethod
    def poll(self, client: HttpClient, job_id: Any) -> JobStatus:
        """The job's state now."""

    @abstractmethod
    def read(self, client: HttpClient, job_id: Any, status: JobStatus) -> Iterator[Page]:
        """The finished job's results, page by page."""


def run_job(
    client: HttpClient,
    job: ReportJob,
    *,
    polling: JobPolling | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Page]:
    """Create ``job``, wait for it and yield its result pages.

    Raises ``JobFailed`` when the platform reports the job failed and ``JobTimedOut`` when it is still not
    done after ``polling.max_polls`` polls; both name the job id and its last status.
    """
    polling = polling or JobPolling()
    job_id = job.create(client)
    log.info("%s: report job %s created", client.context.describe(), job_id)
    waited = 0.0
    last = "unknown"
    for poll in range(1, polling.max_polls + 1):
        wait = polling.wait_before(poll)
        sleep(wait)
        waited += wait
        status = job.poll(client, job_id)
        last = status.status
        if status.state is JobState.DONE:
            log.info("%s: report job %s done after %d polls", client.context.describe(), job_id, poll)
            yield from job.read(client, job_id, status)
            return
        if status.state is JobState.FAILED:
            raise JobFailed(client.context, str(job_id), status.status, client.redact(status.detail))
    raise JobTimedOut(client.context, str(job_id), last, polling.max_polls, waited)


def run_job_records(
    client: HttpClient,
    job: ReportJob,
    *,
    polling: JobPolling | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[dict[str, Any]]:
    """``run_job`` flattened into records, lazily."""
    return records(run_job(client, job, polling=polling, sleep=sleep))


def fill_job_id(request: PageRequest, job_id: Any) -> PageRequest:
    """``request`` with ``{job_id}`` replaced in its URL and in its parameter and body values.

    A value that is exactly ``{job_id}`` takes the id as the platform gave it (a number stays a number
    in a JSON body); inside longer text the id is written as text.
    """

    def fill(value: Any) -> Any:
        if value == JOB_ID:
            return job_id
        if isinstance(value, str):
            return value.replace(JOB_ID, str(job_id))
        if isinstance(value, Mapping):
            return {key: fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return [fill(item) for item in value]
        return value

    return replace(
        request,
        url=request.url.replace(JOB_ID, str(job_id)),
        params=fill(request.params) if request.params is not None else None,
        json=fill(request.json) if request.json is not None else None,
        data=fill(request.data) if request.data is not None else None,
    )


@dataclass(frozen=True)
class HttpReportJob(ReportJob):
    """The usual async report, declared: a create call that returns an id, a status call, a result call.

    ``status_request`` and ``result_request`` may hold ``{job_id}`` in their URL or values. The status
    word at ``status_path`` is looked up in ``done`` and ``failed`` (anything else means "not yet").
    ``result_url_path`` takes the result URL from the final poll's body instead (a download link).
    Requests go through the client, so auth, retries and the error table apply to each of them.
    """

    create_request: PageRequest
    job_id_path: PathSpec
    status_request: PageRequest
    status_path: PathSpec
    done: frozenset[str]
    failed: frozenset[str]
    result_request: PageRequest
    result_records: RecordsAt = field(default_factory=RecordsAt)
    result_paginator: Paginator = field(default_factory=SinglePage)
    result_url_path: PathSpec | None = None
    detail_path: PathSpec | None = None

    def create(self, client: HttpClient) -> Any:
        request = self.create_request
        body, response = client.request_json(
            request.method, request.url, params=request.params, json=request.json, data=request.data
        )
        job_id = dig(body, self.job_id_path)
        if job_id is None or isinstance(job_id, Mapping | list) or job_id == "":
            raise MalformedResponse(client.context, client.safe_url(response.url), "no report job id in the answer")
        return job_id

    def poll(self, client: HttpClient, job_id: Any) -> JobStatus:
        request = fill_job_id(self.status_request, job_id)
        body, response = client.request_json(
            request.method, request.url, params=request.params, json=request.json, data=request.data
        )
        status = dig(body, self.status_path)
        if status is None:
            raise MalformedResponse(
                client.context, client.safe_url(response.url), f"no status for report job {job_id} in the answer"
            )
        word = str(status)
        detail = str(dig(body, self.detail_path) or "") if self.detail_path is not None else ""
        if word in self.done:
            return JobStatus(JobState.DONE, word, detail, body)
        if word in self.failed:
            return JobStatus(JobState.FAILED, word, detail, body)
        return JobStatus(JobState.PENDING, word, detail)

    def read(self, client: HttpClient, job_id: Any, status: JobStatus) -> Iterator[Page]:
        request = fill_job_id(self.result_request, job_id)
        if self.result_url_path is not None:
            url = dig(status.body, self.result_url_path)
            if not isinstance(url, str) or not url:
                raise MalformedResponse(
                    client.context, client.safe_url(request.url), f"report job {job_id} is done but has no result URL"
                )
            request = replace(request, url=url)
        return paginate(client, request, self.result_paginator, self.result_records)
