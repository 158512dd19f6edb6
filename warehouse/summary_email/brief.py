"""The daily brief and the weekly review end to end: which period, is it published, compose, send once, record.

Both share everything below; only the ``Period`` differs (one day, or Monday..Sunday in the configured
time zone), and the weekly review adds the month's pacing. Reads only the serving file (opened read-only;
``_pipeline.publication`` says what it holds), never the build warehouse. The DAG tasks call
``run_daily_brief`` and ``run_weekly_review``; ``make run`` and ``make preview-email`` call ``preview``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from warehouse import settings
from warehouse.summary_email.config import EmailConfig, load_config
from warehouse.summary_email.ledger import SendLedger
from warehouse.summary_email.model import Period, Section
from warehouse.summary_email.render import Rendered, render_brief, render_delayed, with_embedded_images
from warehouse.summary_email.sections import section_builder

DAILY = "daily_brief"
WEEKLY = "weekly"
DELAYED = "data_delayed"
LEDGER_KINDS = {"daily": DAILY, "weekly": WEEKLY}  # Period.kind -> the send ledger's kind


@dataclass(frozen=True)
class PublicationInfo:
    run_id: str
    last_day: date  # the last day of the published data interval
    published_at: datetime


def expected_day(now: datetime, config: EmailConfig) -> date:
    """The brief at any time of a day covers the day before, in the brief's time zone."""
    return expected_period("daily", now, config).end


def expected_period(kind: str, now: datetime, config: EmailConfig) -> Period:
    """The last complete day, or Monday..Sunday week, before ``now`` in the configured time zone."""
    return Period.completed_before(kind, now.astimezone(config.zone).date())


def read_publication(con: Any) -> PublicationInfo | None:
    try:
        row = con.execute("select run_id, data_interval_end, published_at from _pipeline.publication").fetchone()
    except Exception:  # a serving file from before publications were recorded: treat as unpublished
        return None
    if not row:
        return None
    return PublicationInfo(run_id=str(row[0]), last_day=row[1] - timedelta(days=1), published_at=row[2])


def failure_since(publication: PublicationInfo | None) -> dict[str, Any] | None:
    """The pipeline's last recorded failure if it happened after the publication (else it is old news)."""
    from warehouse.run_status import last_failure

    failure = last_failure()
    if failure is None or publication is None:
        return failure
    published_at = publication.published_at
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=UTC)
    return failure if failure["failed_at"] > published_at else None


def build_sections(con: Any, period: Period, config: EmailConfig) -> list[Section]:
    sections = [section_builder(name)(con, period, config) for name in config.sections]
    if period.kind == "weekly":
        from warehouse.summary_email import pacing, promotion

        sections.append(pacing.build(con, period, config))
        in_progress = promotion.build(con, period, config)
        if in_progress is not None:
            sections.append(in_progress)
    return sections


def compose(
    serving: Path, period: Period | None, config: EmailConfig, *, kind: str = "daily"
) -> tuple[PublicationInfo | None, Rendered | None]:
    """(what is published, the brief or review for ``period``: None if its last day is not published yet).

    ``period`` None means the last complete period of ``kind`` the publication holds.
    """
    import duckdb

    if not serving.exists():
        return None, None
    con = duckdb.connect(str(serving), read_only=True)
    try:
        publication = read_publication(con)
        if publication is None:
            return None, None
        period = period or Period.completed_before(kind, publication.last_day + timedelta(days=1))
        if publication.last_day < period.end:
            return publication, None
        sections = build_sections(con, period, config)
    finally:
        con.close()
    return publication, render_brief(sections, period, config, run_id=publication.run_id)


def run_daily_brief(*, now: datetime, **options: Any) -> dict[str, Any]:
    """Send the brief for the day before ``now`` once; if that day is not published, alert once instead."""
    return run_summary("daily", now=now, **options)


def run_weekly_review(*, now: datetime, **options: Any) -> dict[str, Any]:
    """Send the review of the last complete Monday..Sunday before ``now`` once; alert once if its Sunday is
    not published."""
    return run_summary("weekly", now=now, **options)


def run_summary_task(period_kind: str, params: dict[str, Any], dag_run: Any) -> dict[str, Any]:
    """What a summary DAG's task does: send this period's email once, failing fast where a retry cannot help.

    The period is taken from the run's own time (its logical date where it has one: a scheduled run or one
    triggered for a date; an asset-triggered run has none and uses the time it was queued for), so a rerun
    days later still covers the period it was scheduled for. A bad configuration or a missing SMTP
    connection fails at once; an SMTP outage is retried.
    """
    import pendulum

    from warehouse.failures import run_step

    now = getattr(dag_run, "logical_date", None) or getattr(dag_run, "run_after", None) or pendulum.now("UTC")
    return run_step(run_summary, period_kind, now=now, force=bool(params["force"]))


def run_summary(
    period_kind: str,
    *,
    now: datetime,
    force: bool = False,
    config: EmailConfig | None = None,
    serving: Path | None = None,
    ledger: SendLedger | None = None,
    conn_id: str | None = None,
) -> dict[str, Any]:
    """Send the ``period_kind`` (daily | weekly) email for the last complete period before ``now`` once."""
    from warehouse.summary_email.message import build_message
    from warehouse.summary_email.send import SMTP_CONN_ID, send_message

    config = config or load_config()
    ledger = ledger or SendLedger()
    period = expected_period(period_kind, now, config)
    publication, rendered = compose(serving or settings.serving_path(), period, config, kind=period_kind)
    if rendered is None:
        kind, recipients = DELAYED, config.alert_recipients
        last_day = publication.last_day.isoformat() if publication else None
        rendered = render_delayed(period, last_day, config, failure=failure_since(publication))
    else:
        kind, recipients = LEDGER_KINDS[period_kind], config.recipients
    previous = ledger.find(kind, period.key)
    if previous and not force:
        return {"status": "already_sent", "kind": kind, "period": period.key, "message_id": previous["message_id"]}
    message = build_message(rendered, sender=config.sender, recipients=recipients)
    send_message(message, conn_id or SMTP_CONN_ID)
    entry = ledger.record(kind, period.key, str(message["Message-ID"]), len(recipients))
    return {"status": "sent", "kind": kind, "period": period.key, "message_id": entry["message_id"]}


PREVIEW_FILES = {"daily": "daily_brief.html", "weekly": "weekly_review.html"}


def preview(kind: str, config: EmailConfig, *, serving: Path | None = None, out: Path | None = None) -> Path | None:
    """Render the last published ``kind`` period to one HTML file (images as data URIs, so it opens on its
    own in a browser) beside its text part; None when nothing of that period is published."""
    _publication, rendered = compose(serving or settings.serving_path(), None, config, kind=kind)
    if rendered is None:
        return None
    out = out or settings.var_dir() / "email" / PREVIEW_FILES[kind]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(with_embedded_images(rendered), encoding="utf-8")
    out.with_suffix(".txt").write_text(rendered.text, encoding="utf-8")
    return out


def print_previews(config: EmailConfig) -> bool:
    """Render both previews and print where they are; whether any was rendered."""
    rendered = False
    for kind, label in (("daily", "daily brief"), ("weekly", "weekly review")):
        path = preview(kind, config)
        print(f"{label} preview (open in a browser): {path}" if path else f"no {label}: nothing published for it")
        rendered = rendered or path is not None
    return rendered


def preview_config() -> EmailConfig:
    """``$MW_EMAIL_CONFIG`` if set, else the sandbox's own config in ``devenv/email_config.json``."""
    import json
    import os

    from warehouse.summary_email.config import CONFIG_ENV, parse_config

    if os.environ.get(CONFIG_ENV):
        return load_config()
    path = settings.REPO_ROOT / "devenv" / "email_config.json"
    return parse_config(json.loads(path.read_text(encoding="utf-8")))


def main() -> int:
    """``make preview-email``: re-render the latest brief and review from the serving file, no pipeline run."""
    return 0 if print_previews(preview_config()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
