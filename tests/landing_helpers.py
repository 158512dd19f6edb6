"""Land hand-made records the way an extractor would, for tests of the stages after extraction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from extractors.catalog import get_source
from extractors.landing import LandingTarget, land
from extractors.streams import Window

EXTRACTED_AT = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def land_records(
    root: Path,
    source: str,
    stream: str,
    account: str,
    start: date,
    end: date,
    run_id: str,
    records: list[dict[str, Any]],
) -> Path:
    """Land ``records`` for (source, stream, account, [start, end), run_id); the stream as the catalog declares it."""
    declared = get_source(source).stream(stream)
    target = LandingTarget(root, source, declared, account, Window(start, end), run_id)
    return land(target, records, EXTRACTED_AT)
