"""The bad-input table: malformed inputs across every source, each either refused before the load commits
with a message naming source, stream, partition, rule and field, or accepted with the right value. None
crashes (any other exception fails its case), none hangs, none is silently changed, and a refused load
leaves raw exactly as it was.

Each case spoils one valid record (or its landing, or a page the sandbox serves) in one way. The cases are
each source's own (``tests/sources/<source>/bad_inputs.py``); this file runs them all.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pytest

from expectations.runner import ValidationFailed
from extractors.catalog import sources
from extractors.errors import ExtractError
from tests.bad_input_cases import Case
from tests.helpers import FAST_RETRY, set_connections
from tests.landing_helpers import land_records
from tests.sources import source_module
from warehouse import pipeline, settings
from warehouse.load import LoadError

D = date.fromisoformat


def _tables() -> dict[str, ModuleType]:
    found = {}
    for source in sources():
        module = source_module(source.name, "bad_inputs")
        if module is not None:
            found[source.name] = module
    return found


TABLES = _tables()
CASES: list[Case] = [case for module in TABLES.values() for case in module.CASES]
PAGE_LIES = [(source, *lie) for source, module in TABLES.items() for lie in module.PAGE_LIES]
SERVED_SPOILS = [(source, *spoil) for source, module in TABLES.items() for spoil in module.SERVED_SPOILS]


def _land(tmp_path: Path, case: Case) -> Path:
    table = TABLES[case.source]
    stream, account, start, end = table.PARTITION
    record = table.base()
    if case.spoil is not None:
        case.spoil(record)
    records = case.records(record) if case.records else [record]
    manifest = land_records(
        tmp_path / "landing",
        case.source,
        stream,
        account,
        start,
        end,
        "bad",
        records,
        settings=case.settings or table.SETTINGS,
    )
    if case.landing is not None:
        case.landing(manifest)
    return manifest


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_malformed_input_is_refused_naming_rule_and_field_or_kept_right(
    case: Case, tmp_path: Path, var_dir: Path
) -> None:
    manifest = _land(tmp_path, case)
    source = case.source
    stream, account, _, _ = TABLES[source].PARTITION
    if case.refused:
        with pytest.raises((LoadError, ValidationFailed)) as refused:
            pipeline.load_and_validate_raw([str(manifest)])
        message = str(refused.value)
        partition = (f"account={account}",) if "manifest" not in case.id else ()
        for part in (source, stream, *partition, *case.refused):
            assert part in message, f"{part!r} not in: {message}"
        # Nothing of the refused load reached raw.
        con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
        try:
            held = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'").fetchone()
        finally:
            con.close()
        assert held == (0,)
    else:
        assert case.accepted is not None
        pipeline.load_and_validate_raw([str(manifest)])
        column, expected = case.accepted
        con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
        try:
            con.execute("set TimeZone = 'UTC'")
            (value,) = con.execute(f"select {column} from raw.{source}__{stream}").fetchone()  # type: ignore[misc]
        finally:
            con.close()
        got = str(value) if column == "updated_at" else value
        assert got == expected


@pytest.mark.parametrize(("source", "stream", "account", "fault"), PAGE_LIES)
def test_a_page_that_lies_fails_the_extraction_naming_the_partition(
    sb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str, stream: str, account: str, fault: str
) -> None:
    """A cut-off page, or an empty page with a next link (250 orders dropped, were it believed)."""
    from extractors.run import extract_partition
    from extractors.streams import Window

    set_connections(monkeypatch, sb, extra={source: {"page_size": 50}})
    sb.inject(source, fault, times=1)
    with pytest.raises(ExtractError) as failed:
        extract_partition(
            source, stream, account, Window(D("2026-11-01"), D("2026-11-08")), "lie", tmp_path, retry=FAST_RETRY,
            complete_as_of=sb.as_of,
        )  # fmt: skip
    message = str(failed.value)
    assert message.startswith(f"{source}/{stream} account={account} window=[2026-11-01, 2026-11-08): ")
    assert ("malformed response" if fault == "malformed" else "empty page with a next link") in message
    assert failed.value.retryable is False
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("source", "stream", "account", "fault", "expected"), SERVED_SPOILS)
def test_a_bad_value_the_platform_serves_is_refused_before_the_load_commits(
    sb: Any,
    monkeypatch: pytest.MonkeyPatch,
    var_dir: Path,
    source: str,
    stream: str,
    account: str,
    fault: str,
    expected: tuple[str, ...],
) -> None:
    """The sandbox spoils one record of a page; extraction lands it as received, the load refuses it."""
    from extractors.run import extract_partition
    from extractors.streams import Window

    set_connections(monkeypatch, sb)
    sb.inject(source, fault, times=1)
    manifest = extract_partition(
        source, stream, account, Window(D("2026-11-01"), D("2026-11-04")), "spoiled", settings.landing_root(),
        retry=FAST_RETRY, complete_as_of=sb.as_of,  # the sandbox's now, as a DAG run's interval end would be
    )  # fmt: skip
    with pytest.raises(LoadError) as refused:
        pipeline.load_and_validate_raw([str(manifest)])
    message = str(refused.value)
    for part in (f"source={source} stream={stream} account={account} window=[2026-11-01, 2026-11-04)", *expected):
        assert part in message, f"{part!r} not in: {message}"
    assert not settings.warehouse_path().exists() or _raw_tables(settings.warehouse_path()) == 0


def _raw_tables(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        (count,) = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    return int(count)


def test_the_table_covers_at_least_sixty_inputs_and_every_source() -> None:
    assert len(CASES) + len(PAGE_LIES) + len(SERVED_SPOILS) >= 60
    assert set(TABLES) == {source.name for source in sources()}
    assert all({case.source for case in module.CASES} == {source} for source, module in TABLES.items())
