"""A metric the Graph API did not send is unknown, never 0: a record that leaves out a required field (or sends
it as null) is refused at load naming the field, and nothing of the run reaches raw; an optional field
(the action lists, which the API leaves out when there were no actions) may be absent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.sources.meta.helpers import land_insights, meta_row
from warehouse.load import LoadError, load_manifests

NOV1, NOV2 = date(2026, 11, 1), date(2026, 11, 2)
LABEL = "source=meta stream=ads_insights account=act_1001 window=[2026-11-01, 2026-11-02)"


def without(record: dict, key: str) -> dict:
    return {k: v for k, v in record.items() if k != key}


@pytest.mark.parametrize("field", ["clicks", "inline_link_clicks", "impressions", "spend", "account_currency"])
def test_a_record_without_a_required_metric_is_refused_naming_the_field(tmp_path: Path, field: str) -> None:
    rows = [meta_row("a1", "2026-11-01", "10.00"), without(meta_row("a2", "2026-11-01", "5.00"), field)]
    manifest = land_insights(tmp_path / "landing", "act_1001", NOV1, NOV2, "r1", rows)
    with pytest.raises(LoadError) as refused:
        load_manifests(tmp_path / "w.duckdb", [manifest])
    assert str(refused.value) == (
        f"{LABEL} rule=required field missing: {field}: 1 of 2 rows "
        f"(column {field}; declare it optional if the platform may leave it out)"
    )
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'").fetchone() == (0,)


def test_a_required_metric_sent_as_null_is_refused_too(tmp_path: Path) -> None:
    record = {**meta_row("a1", "2026-11-01", "10.00"), "clicks": None}
    manifest = land_insights(tmp_path / "landing", "act_1001", NOV1, NOV2, "r1", [record])
    with pytest.raises(LoadError, match="rule=required field missing: clicks: 1 of 1 rows"):
        load_manifests(tmp_path / "w.duckdb", [manifest])


def test_absent_action_lists_load_as_null(tmp_path: Path) -> None:
    rows = [meta_row("a1", "2026-11-01", "10.00", actions=[{"action_type": "purchase", "value": "2"}])]
    rows.append(meta_row("a2", "2026-11-01", "3.00"))  # no actions, no action_values: none that day
    load_manifests(tmp_path / "w.duckdb", [land_insights(tmp_path / "landing", "act_1001", NOV1, NOV2, "r1", rows)])
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute(
        "select ad_id, actions::varchar, action_values is null from raw.meta__ads_insights order by ad_id"
    ).fetchall() == [("a1", '[{"action_type":"purchase","value":"2"}]', True), ("a2", None, True)]
