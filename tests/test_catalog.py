"""The catalog is the one list of sources: every declared stream has its raw suite, its dbt source and its
sandbox, and the checked-in dbt sources YAML is what the declarations generate."""

from __future__ import annotations

from devenv.dbt_sources import stale_files
from extractors.catalog import LoadStrategy, resolve, sources, streams
from sandbox.harness import sandboxed_sources
from warehouse import settings


def test_checked_in_dbt_sources_are_generated_from_the_declarations() -> None:
    assert stale_files() == [], "run: python -m devenv.dbt_sources"


def test_every_declared_stream_has_a_raw_suite_a_staging_folder_and_a_sandbox() -> None:
    suites = {path.stem for path in (settings.SUITES_DIR / "raw").glob("*.json")}
    for source, stream in streams():
        assert f"{source.name}__{stream.name}" in suites
        assert (settings.DBT_PROJECT_DIR / "models" / "staging" / source.name).is_dir()
    assert sandboxed_sources() == [source.name for source in sources()]


def test_every_reference_in_a_declaration_resolves_to_a_callable() -> None:
    for source, stream in streams():
        for reference in filter(None, (source.client, stream.reader, stream.prepare)):
            assert callable(resolve(reference)), reference
        if stream.strategy is LoadStrategy.VERSIONED_APPEND:
            assert stream.partition_column in stream.version_key
