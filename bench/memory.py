"""Peak resident memory of the processes a benchmark starts.

``resource.getrusage(RUSAGE_CHILDREN)`` cannot be used here: a child forked from the benchmark process
(which holds the sandbox world, gigabytes) inherits that process's high-water mark, so every child
reports the parent's peak. Sampling each process's own ``VmHWM`` (its peak since exec) does not.
"""

from __future__ import annotations

import threading
from types import TracebackType

import psutil

SAMPLE_SECONDS = 0.2


def _own_peak_mib(process: psutil.Process) -> float:
    # VmHWM: the peak RSS of this process's address space since its exec, in kB.
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakMemory:
    """While open, samples the peak RSS of every process this one started (children, their children).

    ``largest_mib`` is the largest single process's peak; ``tree_mib`` the largest sum of the peaks of the
    processes alive at one sample (an upper bound of their combined footprint).
    """

    def __init__(self) -> None:
        self._root = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)
        self.largest_mib = 0.0
        self.tree_mib = 0.0

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _sample_until_stopped(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(SAMPLE_SECONDS):
                return

    def sample(self) -> None:
        try:
            processes = self._root.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        peaks = []
        for process in processes:
            try:
                peaks.append(_own_peak_mib(process))
            except (FileNotFoundError, ProcessLookupError, psutil.NoSuchProcess):
                continue  # it exited between the listing and the read
        if peaks:
            self.largest_mib = max(self.largest_mib, *peaks)
            self.tree_mib = max(self.tree_mib, sum(peaks))
