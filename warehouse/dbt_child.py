"""dbt's command line, run in a child process that dies with its parent.

``python -m warehouse.dbt_child build ...`` is ``dbt build ...`` with one difference: on Linux the process asks
the kernel to kill it when the task process that started it dies, even by SIGKILL (Airflow's last resort
for a task that will not stop), so no orphaned dbt keeps writing to the warehouse behind the next run.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_PID_VARIABLE = "MW_DBT_PARENT_PID"


def die_with_parent(parent: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: the process group the parent kills on a clean stop still applies
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the signal was armed


def main() -> int:
    die_with_parent(int(os.environ.pop(PARENT_PID_VARIABLE, str(os.getppid()))))
    from dbt.cli.main import cli

    sys.argv = ["dbt", *sys.argv[1:]]
    result = cli()
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
