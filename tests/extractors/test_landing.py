"""Landing is all or nothing: a visible folder is whole, a failure leaves no trace. For every declared stream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from extractors.catalog import Source, Stream, streams
from extractors.landing import LandingTarget, land, read_manifest
from extractors.streams import Window

WINDOW = Window(date(2026, 10, 25), date(2026, 11, 23))
EXTRACTED_AT = datetime(2026, 11, 23, 6, 0, 1, tzinfo=UTC)
STREAMS = pytest.mark.parametrize(("source", "stream"), streams(), ids=lambda v: v.name)


def target(root: Path, source: Source, stream: Stream, run_id: str = "run-1", account: str = "acct_1") -> LandingTarget:
    return LandingTarget(root, source.name, stream, account, WINDOW, run_id)


def rows(n: int) -> Iterator[dict]:
    # Landing does not look inside records: they are written as they come.
    for i in range(n):
        yield {"id": str(i), "day": "2026-11-01", "campaign_name": "双11 预热"}


@STREAMS
def test_lands_the_documented_layout_and_manifest(tmp_path: Path, source: Source, stream: Stream) -> None:
    manifest_path = land(target(tmp_path, source, stream), rows(3), EXTRACTED_AT)
    folder = tmp_path / f"{source.name}/{stream.name}/account=acct_1/window=2026-10-25_2026-11-23/run=run-1"
    assert manifest_path == folder / "manifest.json"
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "records.jsonl"]
    assert read_manifest(manifest_path) == {
        "source": source.name,
        "stream": stream.name,
        "account": "acct_1",
        "window_start": "2026-10-25",
        "window_end": "2026-11-23",
        "row_count": 3,
        "extracted_at": "2026-11-23T06:00:01+00:00",
        "run_id": "run-1",
        "primary_key": list(stream.primary_key),
        "cursor_field": stream.cursor_field,
        "partition_column": stream.partition_column,
        "account_paused": False,
        "account_settings": None,
        "files": ["records.jsonl"],
    }
    lines = (folder / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(rows(3))
    assert "双11" in lines[0]  # stored as UTF-8, not \\u escapes


@STREAMS
def test_an_empty_extraction_still_lands_so_the_loader_can_clear_the_partition(
    tmp_path: Path, source: Source, stream: Stream
) -> None:
    manifest_path = land(target(tmp_path, source, stream), iter(()), EXTRACTED_AT)
    assert read_manifest(manifest_path)["row_count"] == 0
    assert (manifest_path.parent / "records.jsonl").read_text() == ""


@STREAMS
def test_failure_midway_leaves_nothing_under_the_landing_root(tmp_path: Path, source: Source, stream: Stream) -> None:
    def broken() -> Iterator[dict]:
        yield from rows(5)
        raise RuntimeError("API died on page 2")

    with pytest.raises(RuntimeError, match="page 2"):
        land(target(tmp_path, source, stream), broken(), EXTRACTED_AT)
    assert list(tmp_path.iterdir()) == []


@STREAMS
def test_failure_keeps_folders_that_hold_other_extractions(tmp_path: Path, source: Source, stream: Stream) -> None:
    land(target(tmp_path, source, stream, account="acct_2"), rows(1), EXTRACTED_AT)

    def broken() -> Iterator[dict]:
        raise RuntimeError("boom")
        yield {}

    with pytest.raises(RuntimeError):
        land(target(tmp_path, source, stream, account="acct_1"), broken(), EXTRACTED_AT)
    stream_dir = tmp_path / source.name / stream.name
    assert [p.name for p in stream_dir.iterdir()] == ["account=acct_2"]


@STREAMS
def test_records_are_written_while_they_are_fetched(tmp_path: Path, source: Source, stream: Stream) -> None:
    # Seen from inside the generator: earlier records are already in the temp file, so a long
    # window is never held in memory, and the final folder does not exist yet.
    seen_sizes: list[int] = []
    t = target(tmp_path, source, stream)

    def watched() -> Iterator[dict]:
        for i, row in enumerate(rows(3000)):
            if i == 2999:
                temp = next(t.partition_dir.glob(".tmp-*"))
                seen_sizes.append((temp / "records.jsonl").stat().st_size)
                assert not t.final_dir.exists()
            yield row

    land(t, watched(), EXTRACTED_AT)
    assert seen_sizes[0] > 0


@STREAMS
def test_rerun_of_the_same_run_id_replaces_the_folder_whole(tmp_path: Path, source: Source, stream: Stream) -> None:
    land(target(tmp_path, source, stream), rows(5), EXTRACTED_AT)
    manifest_path = land(target(tmp_path, source, stream), rows(2), EXTRACTED_AT)
    assert read_manifest(manifest_path)["row_count"] == 2
    assert len((manifest_path.parent / "records.jsonl").read_text().splitlines()) == 2
    # No hidden leftovers either.
    assert [p.name for p in target(tmp_path, source, stream).partition_dir.iterdir()] == ["run=run-1"]


@pytest.mark.parametrize("bad", ["../escape", "a/b", "..", ""])
def test_path_components_cannot_escape_the_partition(tmp_path: Path, bad: str) -> None:
    source, stream = streams()[0]
    with pytest.raises(ValueError):
        target(tmp_path, source, stream, run_id=bad)
    with pytest.raises(ValueError):
        target(tmp_path, source, stream, account=bad)
