"""The machinery of the bad-input table (``tests/test_bad_inputs.py``): a case, the ways to spoil a record or
its landing, and the messages' rule prefixes.

Each source lists its own cases in ``tests/sources/<source>/bad_inputs.py`` with:

- ``PARTITION``: (stream, account, window start, window end) the spoiled record is landed as;
- ``SETTINGS``: the ``AccountSettings`` its account's settings endpoint reported;
- ``base()``: one valid record as the API returns it;
- ``CASES``: ``Case``s spoiling that record or its landing;
- ``PAGE_LIES``: (stream, account, fault) a sandbox page fault that must fail the extraction;
- ``SERVED_SPOILS``: (stream, account, fault, expected message parts) a bad value the sandbox serves.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.catalog import AccountSettings

TYPE = "rule=type_holds column="
MISSING = "rule=required field missing: "


@dataclass(frozen=True)
class Case:
    """One malformed input: how the valid record is spoiled, and what must happen.

    ``refused`` holds the rule and field the message must name; ``accepted`` is (typed column, value) the
    raw table must hold.
    """

    id: str
    source: str
    spoil: Callable[[dict], None] | None = None
    refused: tuple[str, ...] = ()
    accepted: tuple[str, Any] | None = None
    records: Callable[[dict], list[dict]] | None = None  # several records from the spoiled one
    landing: Callable[[Path], None] | None = None  # spoils the landed files instead
    settings: AccountSettings | None = None  # what the account's settings endpoint reported, if not the usual


def setting(key: str, value: Any) -> Callable[[dict], None]:
    def spoil(record: dict) -> None:
        target = record
        *parents, last = key.split(".")
        for parent in parents:
            target = target[parent]
        target[last] = value

    return spoil


def dropping(key: str) -> Callable[[dict], None]:
    def spoil(record: dict) -> None:
        target = record
        *parents, last = key.split(".")
        for parent in parents:
            target = target[parent]
        del target[last]

    return spoil


def twice(record: dict) -> list[dict]:
    return [record, copy.deepcopy(record)]


def cut_manifest(manifest: Path) -> None:
    manifest.write_text(manifest.read_text()[:40])


def manifest_without(key: str) -> Callable[[Path], None]:
    def spoil(manifest: Path) -> None:
        body = json.loads(manifest.read_text())
        del body[key]
        manifest.write_text(json.dumps(body))

    return spoil


def manifest_row_count(count: int) -> Callable[[Path], None]:
    def spoil(manifest: Path) -> None:
        body = json.loads(manifest.read_text())
        body["row_count"] = count
        manifest.write_text(json.dumps(body))

    return spoil


def records_cut(manifest: Path) -> None:
    records = manifest.parent / "records.jsonl"
    records.write_text(records.read_text()[:-30])
