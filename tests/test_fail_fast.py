"""A failure no retry can fix fails its task at once (the DAG maps it to AirflowFailException, keeping the
message); one that may pass later keeps Airflow's retries. A warehouse another process keeps locked is
reported after a bounded wait, naming the lock holder, instead of waiting on for minutes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from expectations.runner import ValidationFailed
from extractors.connections import ConnectionConfigError
from extractors.errors import (
    AuthError,
    ConfigurationError,
    DayNotOver,
    ExtractContext,
    MalformedResponse,
    RateLimitExhausted,
    RetryBudgetExhausted,
)
from extractors.streams import Window
from warehouse.coverage import CoverageGap
from warehouse.dbt_build import BuildIncomplete, DbtBuildFailed
from warehouse.failures import fails_fast, run_step
from warehouse.load import LoadError, WarehouseLocked, connect

CONTEXT = ExtractContext("meta", "ads_insights", "act_1001", Window(date(2026, 11, 1), date(2026, 11, 2)), "meta_ads")

PERMANENT = [
    LoadError("source=meta ... rule=type_holds column=spend"),
    ValidationFailed("rule=expect_column_values_to_be_between"),
    DbtBuildFailed("test fx_rate_is_known failed"),
    BuildIncomplete(
        "rule=build_complete: marts.orders was built by another build",
        build_id="b2",
        status="running",
        stale={"marts.orders": "b1"},
    ),
    CoverageGap(["rule=coverage_within_reach"], date(2026, 11, 1)),
    WarehouseLocked("rule=warehouse_writable"),
    ConnectionConfigError("connection 'pii_hashing' not found"),
    ConfigurationError(CONTEXT, "no extra.account_ids"),
    AuthError(CONTEXT, "token expired"),
    MalformedResponse(CONTEXT, "http://x", "invalid JSON"),
    ValueError("fill range start 2026-11-20 is not before the data interval's end"),
]
TRANSIENT = [
    RetryBudgetExhausted(CONTEXT, 4, "HTTP 503"),
    RateLimitExhausted(CONTEXT, 4, "HTTP 429"),
    DayNotOver(CONTEXT, "2026-11-22 in America/Los_Angeles is complete only at 2026-11-23T08:00:00+00:00"),
    OSError("No space left on device"),
]


@pytest.mark.parametrize("error", PERMANENT, ids=lambda e: type(e).__name__)
def test_a_failure_a_retry_cannot_fix_fails_fast(error: Exception) -> None:
    assert fails_fast(error) is True


@pytest.mark.parametrize("error", TRANSIENT, ids=lambda e: type(e).__name__)
def test_a_failure_that_may_pass_later_is_retried(error: Exception) -> None:
    assert fails_fast(error) is False


def test_a_dag_task_fails_a_permanent_failure_at_once_and_lets_a_transient_one_retry() -> None:
    from airflow.sdk.exceptions import AirflowFailException

    run = run_step

    def refuse() -> None:
        raise LoadError("source=shopify stream=orders account=shop rule=currency_is_account_currency")

    with pytest.raises(AirflowFailException) as failed:
        run(refuse)
    assert str(failed.value) == "LoadError: source=shopify stream=orders account=shop rule=currency_is_account_currency"

    def storm() -> None:
        raise RetryBudgetExhausted(CONTEXT, 4, "HTTP 503")

    with pytest.raises(RetryBudgetExhausted):
        run(storm)
    assert run(lambda x: x + 1, 41) == 42


def test_a_warehouse_locked_by_another_process_is_reported_after_a_bounded_wait(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    hold = f"import duckdb, time; c = duckdb.connect({str(warehouse)!r}); print('open', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseLocked) as locked:
            connect(warehouse, lock_wait=1.0)
    finally:
        holder.kill()
        holder.wait()
    message = str(locked.value)
    assert message.startswith(f"{warehouse} rule=warehouse_writable: another process holds its write lock: ")
    assert f"PID {holder.pid}" in message
    assert fails_fast(locked.value)
    connect(warehouse).close()  # free again once the holder is gone
