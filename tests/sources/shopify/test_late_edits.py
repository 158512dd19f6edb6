"""Late edits arrive: orders are asked for "updated since the window's start" with no upper bound, so an order
refunded after the run's window lands with its refund and raw keeps it as the order's newest version; a
version older than the window is still refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors.run import extract_partition
from extractors.streams import Window
from tests.helpers import FAST_RETRY, read_landed
from tests.sources.shopify.helpers import SHOP, land_orders, order, shopify_truth
from warehouse.load import LoadError, load_manifests

WINDOW = Window(date(2026, 11, 18), date(2026, 11, 20))
WINDOW_END = datetime(2026, 11, 20, tzinfo=UTC)


def test_an_order_edited_after_the_window_arrives_with_its_edit(
    connections: Any, landing_root: Path, tmp_path: Path
) -> None:
    manifest = extract_partition("shopify", "orders", SHOP, WINDOW, "late", landing_root, retry=FAST_RETRY)
    landed = read_landed(manifest)
    truth = {order["id"]: order for order in shopify_truth(connections, WINDOW)}
    assert {order["id"]: order["updated_at"] for order in landed.records} == {
        order_id: order["updated_at"] for order_id, order in truth.items()
    }
    later = [o for o in truth.values() if datetime.fromisoformat(o["updated_at"]) >= WINDOW_END and o["refunds"]]
    assert later, "the sandbox must hold orders refunded after the window"

    warehouse = tmp_path / "w.duckdb"
    load_manifests(warehouse, [manifest])
    con = duckdb.connect(str(warehouse), read_only=True)
    refunded = dict(
        con.execute(
            "select order_id, financial_status from raw.shopify__orders where updated_at >= $end", {"end": WINDOW_END}
        ).fetchall()
    )
    assert {o["id"]: o["financial_status"] for o in later}.items() <= refunded.items()


def test_a_version_older_than_the_window_is_refused(tmp_path: Path) -> None:
    older = order(7, "2026-11-01T10:00:00+08:00", "2026-11-17T10:00:00+08:00")
    manifest = land_orders(tmp_path / "l", "shop", WINDOW.start, WINDOW.end, "r1", [older])
    with pytest.raises(LoadError) as refused:
        load_manifests(tmp_path / "w.duckdb", [manifest])
    assert str(refused.value) == (
        "source=shopify stream=orders account=shop window=[2026-11-18, 2026-11-20) "
        "rule=updated_at_not_before_window: versions older than the window: 2026-11-17 02:00:00+00:00 (1 rows)"
    )
