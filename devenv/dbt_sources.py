"""Write each source's dbt ``sources:`` YAML from the catalog, so dbt and the loader cannot drift apart.

    python -m devenv.dbt_sources           # rewrite dbt_project/models/staging/<source>/_<source>__sources.yml
    python -m devenv.dbt_sources --check   # exit 1 naming each file that is not current (tests run this)

The files are checked in (dbt reads them, and a reviewer sees a change to a raw table in the diff); a test
fails when one is out of date with its declaration.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from extractors.catalog import LoadStrategy, Source, sources
from warehouse.raw_tables import RawTable
from warehouse.settings import DBT_PROJECT_DIR

HEADER = "# Generated from extractors/{name}/source.py by `python -m devenv.dbt_sources`; do not edit.\n"
STRATEGY_NOTE = {
    LoadStrategy.RESTATED_WINDOW: "A load replaces the account's rows whose {partition} falls in the landed window.",
    LoadStrategy.VERSIONED_APPEND: "Every version is kept; a load replaces only the ({keys}) versions it brings.",
    LoadStrategy.SNAPSHOT: "A load replaces the account's snapshot for {partition} (the window's last day).",
}
BOOKKEEPING = (
    ("record", "The API record as landed (PII hashed), every field kept (JSON)."),
    ("_run_id", "The extraction run that landed the row."),
    ("_window_start", "First day of the landed window (inclusive)."),
    ("_window_end", "End of the landed window (exclusive)."),
    ("_extracted_at", "When the extraction ran."),
    ("_loaded_at", "When the load wrote the row; source freshness is measured on it."),
)


def sources_yaml(source: Source) -> str:
    tables = []
    for stream in source.streams:
        table = RawTable(source, stream)
        keys = set(table.required_columns)
        columns: list[dict[str, Any]] = [
            {"name": "account", "description": f"The account the extraction asked for ({source.accounts.extra_key}).",
             "data_type": "varchar", "data_tests": ["not_null"]},
        ]  # fmt: skip
        for column in stream.columns:
            entry: dict[str, Any] = {"name": column.name, "description": column.description, "data_type": column.type}
            if column.name in keys:
                entry["data_tests"] = ["not_null"]
            columns.append(entry)
        columns += [{"name": name, "description": text} for name, text in BOOKKEEPING]
        note = STRATEGY_NOTE[stream.strategy].format(
            partition=stream.partition_column, keys=", ".join(stream.version_key)
        )
        tables.append(
            {
                "name": stream.name,
                "identifier": table.name.split(".", 1)[1],
                "description": f"{stream.description} {note}",
                "columns": columns,
            }
        )
    document = {
        "version": 2,
        "sources": [
            {
                "name": source.name,
                "description": source.description,
                "schema": "raw",
                "config": {
                    "loaded_at_field": "_loaded_at",
                    "freshness": {
                        "warn_after": {"count": 36, "period": "hour"},
                        "error_after": {"count": 72, "period": "hour"},
                    },
                },
                "tables": tables,
            }
        ],
    }
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
    return HEADER.format(name=source.name) + body


def sources_path(source: Source, project_dir: Path = DBT_PROJECT_DIR) -> Path:
    return project_dir / "models" / "staging" / source.name / f"_{source.name}__sources.yml"


def stale_files(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    stale = []
    for source in sources():
        path = sources_path(source, project_dir)
        if not path.exists() or path.read_text() != sources_yaml(source):
            stale.append(path)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report files that are not current")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"out of date: {path} (run python -m devenv.dbt_sources)", file=sys.stderr)
        return 1 if stale else 0
    for source in sources():
        path = sources_path(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sources_yaml(source))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
