"""Apply the JSON suites in expectations/suites/ to tables in the warehouse.

Great Expectations' SQL datasource does not work on DuckDB, so each suite names a query; its result is read
into a DataFrame and validated with GX's pandas engine. A suite file holds:

    name, source, stream      what the failure message names
    query                     SQL with $run_ids (a list) / $window_start / $window_end parameters; a raw
                              suite may leave it out: it then checks the typed columns of its raw table
                              (declared in the catalog) for the rows of the runs being loaded
    partition_columns         columns that name the partition of a failing row
    sensitive_columns         columns whose values never appear in a message (PII checks): only counts
                              and partitions are shown
    expectations              [{"type": "expect_...", "kwargs": {...}}]; kwargs may use
                              {"$PARAMETER": "window_start" | "window_last" | "window_end"}
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import duckdb

log = logging.getLogger(__name__)

SAMPLE_SIZE = 5


class ValidationFailed(RuntimeError):
    """At least one rule failed; the message names suite, source, stream, partition and rule."""


@dataclass(frozen=True)
class Suite:
    path: Path
    name: str
    source: str
    stream: str
    query: str
    partition_columns: list[str]
    sensitive_columns: list[str]
    expectations: list[dict[str, Any]]

    @classmethod
    def read(cls, path: Path) -> Suite:
        spec = json.loads(path.read_text())
        return cls(
            path=path,
            name=spec["name"],
            source=spec["source"],
            stream=spec["stream"],
            query=spec.get("query") or _raw_table_query(spec["source"], spec["stream"]),
            partition_columns=spec.get("partition_columns", []),
            sensitive_columns=spec.get("sensitive_columns", []),
            expectations=spec["expectations"],
        )


@dataclass
class SuiteOutcome:
    suite: Suite
    rows: int
    failures: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures


def load_suites(folder: Path) -> list[Suite]:
    return [Suite.read(p) for p in sorted(folder.glob("*.json"))]


def _raw_table_query(source: str, stream: str) -> str:
    """Every typed column of the stream's raw table (no JSON parsing) for the runs being checked."""
    from extractors.catalog import raw_table_name

    return f"select * exclude (record) from {raw_table_name(source, stream)} where list_contains($run_ids, _run_id)"


def validate(
    con: duckdb.DuckDBPyConnection,
    suites: list[Suite],
    *,
    run_ids: list[str],
    window_start: date,
    window_end: date,
) -> list[SuiteOutcome]:
    """Run every suite; raise ValidationFailed listing every failed rule of every suite."""
    import pandas as pd

    query_params = {"run_ids": list(run_ids), "window_start": window_start, "window_end": window_end}
    # DuckDB dates arrive in pandas as Timestamps, which refuse to compare with datetime.date.
    expectation_params = {
        "window_start": pd.Timestamp(window_start),
        "window_last": pd.Timestamp(window_end - timedelta(days=1)),
        # The end as an instant, for timestamps: a local date can run ahead of UTC (Asia/Shanghai).
        "window_end": pd.Timestamp(window_end, tz="UTC"),
    }
    outcomes = []
    scope = f"run={','.join(run_ids)} window=[{window_start}, {window_end})"
    for suite in suites:
        frame = con.execute(suite.query, _used(suite.query, query_params)).df()
        outcome = _validate_frame(suite, frame, expectation_params, scope)
        log.info("suite %s: %d rows, %d failed rules", suite.name, outcome.rows, len(outcome.failures))
        outcomes.append(outcome)
    failures = [f for o in outcomes for f in o.failures]
    if failures:
        raise ValidationFailed("validation failed:\n" + "\n".join(failures))
    return outcomes


def _used(query: str, params: Mapping[str, Any]) -> dict[str, Any]:
    # DuckDB rejects named parameters a statement does not use.
    return {k: v for k, v in params.items() if f"${k}" in query}


def _validate_frame(suite: Suite, frame: Any, expectation_params: dict[str, Any], scope: str) -> SuiteOutcome:
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    context = gx.get_context(mode="ephemeral")
    _quiet(context)
    batch_definition = (
        context.data_sources.add_pandas("frames")
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe("whole")
    )
    gx_suite = gx.ExpectationSuite(name=suite.name)
    for spec in suite.expectations:
        config = ExpectationConfiguration(type=spec["type"], kwargs=spec["kwargs"])
        gx_suite.add_expectation(config.to_domain_obj())
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    # Most runs pass: a yes/no pass computes far fewer metrics (no unexpected values, rows or indexes), and
    # only a failed one is validated again in full, for the message's partitions and sample values.
    result = batch.validate(gx_suite, result_format="BOOLEAN_ONLY", expectation_parameters=expectation_params)
    if result.success:
        return SuiteOutcome(suite=suite, rows=len(frame))
    result = batch.validate(
        gx_suite,
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": suite.partition_columns,
            "partial_unexpected_count": SAMPLE_SIZE,
        },
        expectation_parameters=expectation_params,
    )
    failures = sorted(_describe(suite, item, len(frame), scope) for item in result.results if not item.success)
    return SuiteOutcome(suite=suite, rows=len(frame), failures=failures)


def _quiet(context: Any) -> None:
    """Progress bars would flood Airflow task logs with one line per metric."""
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False)


def _describe(suite: Suite, item: Any, rows: int, scope: str) -> str:
    config = item.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    rule = f"{config.type}({', '.join(f'{k}={v}' for k, v in kwargs.items())})"
    head = f"- suite={suite.name} source={suite.source} stream={suite.stream} {scope} rule={rule}"
    error = _raised(item.exception_info)
    if error:
        return f"{head}: could not be evaluated: {error}"
    result = item.result or {}
    if result.get("unexpected_count") is None:
        return f"{head} partition=all rows checked: observed {result.get('observed_value')!r}"
    partitions = _partitions(suite, result.get("unexpected_index_list") or [])
    if _columns_of(kwargs) & set(suite.sensitive_columns):
        # The failing values are the leak itself: a log line or alert must not repeat them.
        sample = "values withheld (sensitive column)"
    else:
        sample = ", ".join(_plain(v) for v in (result.get("partial_unexpected_list") or [])[:SAMPLE_SIZE])
    return f"{head} partition={partitions}: {result['unexpected_count']} of {rows} rows unexpected, e.g. {sample}"


def _columns_of(kwargs: dict[str, Any]) -> set[str]:
    names = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *kwargs.get("column_list", [])]
    return {n for n in names if n}


def _plain(value: Any) -> str:
    """Values as an operator would write them: 2026-11-02, not Timestamp(...) or np.int64(...)."""
    if isinstance(value, tuple):
        return "(" + ", ".join(_plain(v) for v in value) + ")"
    try:
        if hasattr(value, "item") and not isinstance(value, str):
            value = value.item()
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime()
    except (ValueError, OverflowError):
        # A timestamp past Python's datetime range (milliseconds read as seconds): show it as it is.
        return str(value)
    if isinstance(value, datetime) and value.time() == time(0) and value.tzinfo is None:
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _raised(info: Any) -> str | None:
    """GX nests exception details per metric; find the first one that was raised."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        found = _raised(value)
        if found:
            return found
    return None


def _partitions(suite: Suite, index_list: list[Any]) -> str:
    seen: list[str] = []
    for entry in index_list:
        if not isinstance(entry, dict):
            continue
        label = "/".join(f"{c}={_plain(entry.get(c))}" for c in suite.partition_columns)
        if label not in seen:
            seen.append(label)
    shown = ", ".join(seen[:SAMPLE_SIZE])
    more = f" (+{len(seen) - SAMPLE_SIZE} more)" if len(seen) > SAMPLE_SIZE else ""
    return (shown + more) or "unknown"
