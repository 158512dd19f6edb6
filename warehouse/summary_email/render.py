"""Sections → the HTML part (jinja2, CSS inlined by css-inline for mail clients) and the text part.

Both parts are rendered from one list of formatted figures, so they always say the same numbers.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from warehouse.summary_email.config import EmailConfig
from warehouse.summary_email.formatting import MISSING, format_value, percent
from warehouse.summary_email.i18n import text
from warehouse.summary_email.model import Chart, Period, Section

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str  # references each chart as cid:<chart.cid>
    text: str
    charts: tuple[Chart, ...]


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def section_view(section: Section, config: EmailConfig) -> dict[str, Any]:
    """A section with every figure already formatted for the configured locale and currency."""

    def fmt(value: Any, kind: str) -> str:
        if kind == "text":
            return MISSING if value in (None, "") else str(value)
        return format_value(value, kind, config.language, config.currency)

    return {
        "title": section.title,
        "empty_note": section.empty_note,
        "compare_label": section.compare_label,
        "notes": section.notes,
        "tiles": [
            {
                "label": tile.label,
                "value": fmt(tile.value, tile.kind),
                "vs_previous": percent(tile.vs_previous, signed=True),
                # Shown only where the data reaches a year back; a dash there would read as "no change".
                "vs_last_year": None if tile.vs_last_year is None else percent(tile.vs_last_year, signed=True),
                "direction": "up" if (tile.vs_previous or 0) > 0 else "down" if (tile.vs_previous or 0) < 0 else "flat",
            }
            for tile in section.tiles
        ],
        "tables": [
            {
                "title": table.title,
                "columns": [c.label for c in table.columns],
                "numeric": [c.kind != "text" for c in table.columns],
                "rows": [[fmt(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in table.rows],
            }
            for table in section.tables
        ],
        "charts": [{"cid": chart.cid, "title": chart.title} for chart in section.charts],
    }


def render_brief(sections: list[Section], period: Period, config: EmailConfig, *, run_id: str) -> Rendered:
    """The daily brief or the weekly review, by ``period.kind``."""
    import css_inline

    language = config.language
    context = {
        "lang": language,
        "brand": config.brand,
        "heading": text(language, f"heading_{period.kind}"),
        "period": period.label(),
        "vs_previous": text(language, f"vs_previous_{period.kind}"),
        "vs_last_year": text(language, "vs_last_year"),
        "footer": text(language, "published", run_id=run_id, currency=config.currency),
        "sections": [section_view(s, config) for s in sections],
    }
    environment = _environment()
    # One template pair for every period kind: only the words differ.
    html = css_inline.inline(environment.get_template("daily_brief.html").render(context))
    plain = environment.get_template("daily_brief.txt").render(context)
    subject = text(language, f"subject_{period.kind}", brand=config.brand, period=period.label())
    return Rendered(subject, html, plain, tuple(c for s in sections for c in s.charts))


def render_delayed(
    period: Period, last_day: str | None, config: EmailConfig, *, failure: dict[str, Any] | None = None
) -> Rendered:
    """The short note to the alert recipients when the period's data is not published yet: the last
    published day, and the stage that failed when a run failed since then (else the data is just late)."""
    language = config.language
    body = text(language, "delayed_body", period=period.label(), last_day=last_day or text(language, "never"))
    if failure is not None:
        body += "\n" + text(language, "delayed_failure", stage=failure["stage"], error=failure["error"])
    else:
        body += "\n" + text(language, "delayed_no_failure")
    subject = text(language, "subject_delayed", brand=config.brand, period=period.label())
    return Rendered(subject, "", body + "\n", ())


def with_embedded_images(rendered: Rendered) -> str:
    """The HTML with each cid: image replaced by a data URI, so the file opens on its own (previews)."""
    html = rendered.html
    for chart in rendered.charts:
        data = base64.b64encode(chart.png).decode("ascii")
        html = html.replace(f"cid:{chart.cid}", f"data:image/png;base64,{data}")
    return html
