"""Which (kind, period) was sent, with its Message-ID: a rerun or retry of a sent period sends nothing.

Kept under ``var_dir()/email/`` and not in the serving file, which every publish replaces. A record is
written right after the SMTP server accepted the message; the small window between the two is the only
place a duplicate can come from (at-least-once, never zero-times).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warehouse.settings import var_dir


def ledger_path() -> Path:
    return var_dir() / "email" / "sent.json"


class SendLedger:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or ledger_path()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(f"{self.path.name}.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return list(json.loads(self.path.read_text(encoding="utf-8")).get("sends", []))

    def sends(self) -> list[dict[str, Any]]:
        with self._locked():
            return self._read()

    def find(self, kind: str, period: str) -> dict[str, Any] | None:
        """The latest send of this kind for this period, or None."""
        matches = [s for s in self.sends() if s["kind"] == kind and s["period"] == period]
        return matches[-1] if matches else None

    def record(self, kind: str, period: str, message_id: str, recipients: int) -> dict[str, Any]:
        entry = {
            "kind": kind,
            "period": period,
            "message_id": message_id,
            "recipients": recipients,
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with self._locked():
            sends = self._read()
            sends.append(entry)
            temporary = self.path.with_name(f".{self.path.name}.tmp")
            temporary.write_text(json.dumps({"sends": sends}, indent=2, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
        return entry
