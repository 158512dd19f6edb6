"""Writing one extraction into the landing zone, all or nothing.

Layout (docs/interfaces.md, section 2)::

    <landing_root>/<source>/<stream>/account=<account>/window=<start>_<end>/run=<run_id>/
        records.jsonl   one record per line, as received (after PII hashing)
        manifest.json   row count, window, run id, keys

Records stream to disk as they are fetched, inside a hidden temporary folder next to the final one.
Only when every page has arrived and both files are flushed to disk is the folder renamed into place
(a rename within one directory is atomic on POSIX), so a folder whose name a loader can see is always
complete. On any failure the temporary folder, and any empty parent folders this call created, are
removed: a failed extraction leaves the landing zone exactly as it found it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from extractors.catalog import AccountSettings, Stream
from extractors.streams import Window

log = logging.getLogger(__name__)

RECORDS_FILE = "records.jsonl"
MANIFEST_FILE = "manifest.json"
# Loaders look for ``run=*``; the leading dot keeps in-flight and displaced folders out of that glob.
TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class LandingTarget:
    """Where one (source, stream, account, window, run) lands."""

    landing_root: Path
    source: str
    stream: Stream
    account: str
    window: Window
    run_id: str
    # The connection declares the account paused or ended: an empty answer is expected, not a glitch.
    account_paused: bool = False
    # The account's zone and currency as its settings endpoint reported them during this extraction.
    account_settings: AccountSettings | None = None

    def __post_init__(self) -> None:
        for label, value in (("source", self.source), ("account", self.account), ("run_id", self.run_id)):
            # These become path components; a '/' or '..' would write outside the partition folder.
            if not value or "/" in value or "\\" in value or "\x00" in value or value in (".", ".."):
                raise ValueError(f"{label} {value!r} cannot be used as a folder name")

    @property
    def partition_dir(self) -> Path:
        return (
            self.landing_root
            / self.source
            / self.stream.name
            / f"account={self.account}"
            / f"window={self.window.folder_name}"
        )

    @property
    def final_dir(self) -> Path:
        return self.partition_dir / f"run={self.run_id}"


def build_manifest(target: LandingTarget, row_count: int, extracted_at: datetime) -> dict[str, Any]:
    return {
        "source": target.source,
        "stream": target.stream.name,
        "account": target.account,
        "window_start": target.window.start.isoformat(),
        "window_end": target.window.end.isoformat(),
        "row_count": row_count,
        "extracted_at": extracted_at.isoformat(),
        "run_id": target.run_id,
        "primary_key": list(target.stream.primary_key),
        "cursor_field": target.stream.cursor_field,
        "partition_column": target.stream.partition_column,
        "account_paused": target.account_paused,
        "account_settings": (
            {"timezone": target.account_settings.timezone, "currency": target.account_settings.currency}
            if target.account_settings
            else None
        ),
        "files": [RECORDS_FILE],
    }


def _fsync_dir(path: Path) -> None:
    # Makes the rename itself durable; without it a power cut can forget the new directory entry.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_parents(partition_dir: Path, landing_root: Path) -> list[Path]:
    """Create the partition folder; return the folders this call created, deepest first."""
    created: list[Path] = []
    path = partition_dir
    while path != landing_root and not path.exists():
        created.append(path)
        path = path.parent
    partition_dir.mkdir(parents=True, exist_ok=True)
    return created


def _remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            # Not empty: a parallel extraction of another account or window landed there meanwhile.
            break


def _make_temp_dir(target: LandingTarget) -> tuple[Path, list[Path]]:
    # A parallel extraction that failed may be removing an empty parent we are about to use; the
    # second try recreates it.
    for attempt in range(3):
        created = _make_parents(target.partition_dir, target.landing_root)
        temp_dir = target.partition_dir / f"{TEMP_PREFIX}run={target.run_id}-{uuid.uuid4().hex}"
        try:
            temp_dir.mkdir()
            return temp_dir, created
        except FileNotFoundError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _write_records(path: Path, records: Iterable[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            # ensure_ascii=False keeps Chinese campaign names readable and the file smaller.
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    return count


def _publish(temp_dir: Path, final_dir: Path) -> None:
    """Rename the finished folder into place, displacing an earlier landing of the same run id.

    A re-run of the same run id (an Airflow task retry after the files were written) replaces the
    earlier folder: the newest extraction is what the rest of that run loads. The earlier folder is
    first moved aside under a hidden name, so at every instant the visible name is absent or whole.
    """
    displaced: Path | None = None
    if final_dir.exists():
        displaced = final_dir.parent / f"{TEMP_PREFIX}replaced-{final_dir.name}-{uuid.uuid4().hex}"
        os.replace(final_dir, displaced)
        log.warning("replacing an earlier landing of the same run: %s", final_dir)
    os.replace(temp_dir, final_dir)
    _fsync_dir(final_dir.parent)
    if displaced is not None:
        shutil.rmtree(displaced, ignore_errors=True)


def land(target: LandingTarget, records: Iterable[dict[str, Any]], extracted_at: datetime) -> Path:
    """Write ``records`` (consumed lazily) and a manifest for ``target``; return the manifest path.

    If iterating ``records`` raises (the API failed midway), nothing is left behind and the error
    propagates unchanged.
    """
    temp_dir, created_parents = _make_temp_dir(target)
    try:
        row_count = _write_records(temp_dir / RECORDS_FILE, records)
        manifest = build_manifest(target, row_count, extracted_at)
        with (temp_dir / MANIFEST_FILE).open("w", encoding="utf-8") as handle:
            json.dump(manifest, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        _publish(temp_dir, target.final_dir)
    except BaseException:
        shutil.rmtree(temp_dir, ignore_errors=True)
        _remove_if_empty(created_parents)
        raise
    log.info("landed %d records in %s", row_count, target.final_dir)
    return target.final_dir / MANIFEST_FILE


def read_manifest(manifest_path: Path) -> dict[str, Any]:
    """Read a manifest back (for tests and operators)."""
    return json.loads(Path(manifest_path).read_text(encoding="utf-8"))
