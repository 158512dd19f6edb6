"""The pipeline's last failure, kept where the summary emails can read it without the build warehouse.

A failed run leaves the serving file as it was, so the serving file alone cannot say why a day is missing.
``run_step`` records each failing pipeline step here (stage, message, time); the "data delayed" alert
names it when it happened after the last publication. One small JSON file under var/, replaced atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warehouse import settings

# The pipeline steps (functions of warehouse.pipeline) by the stage names the design and the alert use.
STAGES = {
    "plan_extractions": "plan",
    "plan_every_stream": "plan",
    "run_extraction_job": "extract",
    "load_and_validate_raw": "load and validate raw",
    "build_marts": "dbt build",
    "validate_built_marts": "validate marts",
    "publish_to_serving": "publish",
}
MESSAGE_CHARS = 400


def status_path() -> Path:
    return settings.var_dir() / "status" / "last_failure.json"


def record_failure(step_name: str, error: BaseException) -> None:
    """Keep ``error`` of the pipeline step ``step_name`` as the latest failure (only one is kept)."""
    message = (str(error).strip().splitlines() or [type(error).__name__])[0][:MESSAGE_CHARS]
    entry = {
        "stage": STAGES.get(step_name, step_name),
        "error": f"{type(error).__name__}: {message}",
        "failed_at": datetime.now(UTC).isoformat(),
    }
    path = status_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as handle:
        json.dump(entry, handle)
    os.replace(handle.name, path)


def last_failure() -> dict[str, Any] | None:
    """The latest recorded failure with ``failed_at`` as an aware datetime, or None."""
    try:
        entry = json.loads(status_path().read_text(encoding="utf-8"))
        entry["failed_at"] = datetime.fromisoformat(entry["failed_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # nothing recorded, or a file from elsewhere: say nothing rather than guess
    return dict(entry)
