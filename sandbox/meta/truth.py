"""Ground truth for Meta: what the insights API would report, computed from the world, never through HTTP.

Tests reconcile marts against these numbers; because they bypass the server, a paging or retry bug in an
extractor shows up as a mismatch instead of being reproduced on both sides.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sandbox.formats import as_utc
from sandbox.meta.world import MetaWorld


def spend_by_account_day(
    meta: MetaWorld, since: date, until: date, as_of: date | datetime
) -> dict[tuple[str, date], Decimal]:
    """Spend in the account's currency per (account id like "act_1001", local day), days with delivery."""
    moment = as_utc(as_of)
    totals: dict[tuple[str, date], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for account in meta.accounts:
        for entry in meta.insight_entries(account.id, since, until, moment):
            totals[(account.id, entry.day)] += entry.spend
    return dict(totals)


def insight_rows(
    meta: MetaWorld, account_id: str, since: date, until: date, as_of: date | datetime
) -> list[dict[str, Any]]:
    """Every insights row (all fields) for ``[since, until]`` as reported at ``as_of``, by (date, ad id)."""
    return meta.insights(account_id, since, until, as_of)
