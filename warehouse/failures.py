"""Which failures a retry cannot fix, so the DAG fails them at once instead of spending its retries.

A rule that failed, a value that does not cast, marts from an unfinished build, a missing connection
setting, a hole in the coverage ledger or a warehouse another process keeps locked fail the same way on
every retry: retrying only delays the alert. A 5xx storm, a rate limit outlasting the client's own
backoff, or a day not yet over may pass later, so those keep Airflow's retries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def fails_fast(error: BaseException) -> bool:
    from expectations.runner import ValidationFailed
    from extractors.connections import ConnectionConfigError
    from extractors.errors import ExtractError
    from warehouse.coverage import CoverageGap
    from warehouse.dbt_build import BuildIncomplete, DbtBuildFailed
    from warehouse.load import LoadError, WarehouseLocked

    if isinstance(error, ExtractError):
        return not error.retryable
    permanent = (
        LoadError,
        ValidationFailed,
        DbtBuildFailed,
        # Marts from a build that did not finish: rerun dbt_build, do not retry publishing them.
        BuildIncomplete,
        CoverageGap,
        WarehouseLocked,
        ConnectionConfigError,
        # Bad parameters or configuration (a fill range after the interval, an unknown source).
        ValueError,
        KeyError,
        TypeError,
    )
    return isinstance(error, permanent)


def run_step(step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a step inside an Airflow task; what ``fails_fast`` names fails it at once, message kept.

    A failing pipeline step (a function of ``warehouse.pipeline``) is also recorded as the pipeline's last
    failure, so the "data delayed" alert can name the stage.
    """
    from airflow.sdk.exceptions import AirflowFailException

    try:
        return step(*args, **kwargs)
    except Exception as error:
        if getattr(step, "__module__", "") == "warehouse.pipeline":
            from warehouse.run_status import record_failure

            record_failure(step.__name__, error)
        if fails_fast(error):
            raise AirflowFailException(f"{type(error).__name__}: {error}") from error
        raise
