"""One set of types: a value the raw gate accepts is already of the type staging selects, so it always builds;
a value past the declared precision is refused at load, naming the column, before anything commits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from extractors.catalog import MONEY, get_source
from extractors.landing import LandingTarget, land
from extractors.streams import Window
from tests.landing_helpers import DEFAULT_SETTINGS
from warehouse.dbt_build import run_dbt_build
from warehouse.load import LoadError, load_manifests

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 2))
EDGE = "99999999999999.9999"  # decimal(18,4) holds 14 digits before the point and 4 after
PAST = "999999999999999.0000"  # one digit more


def land_spend(root: Path, account: str, spend: str, run_id: str) -> Path:
    stream = get_source("meta").stream("ads_insights")
    record = {
        "account_id": account[4:], "account_currency": "CNY", "ad_id": "a1", "date_start": "2026-11-01",
        "date_stop": "2026-11-01", "spend": spend, "impressions": "10", "clicks": "1", "inline_link_clicks": "1",
    }  # fmt: skip
    target = LandingTarget(root, "meta", stream, account, WINDOW, run_id, account_settings=DEFAULT_SETTINGS)
    return land(target, [record], datetime(2026, 11, 2, tzinfo=UTC))


def test_spend_at_the_edge_of_the_declared_precision_loads_and_stages_and_one_digit_more_is_refused(
    tmp_path: Path,
) -> None:
    assert get_source("meta").stream("ads_insights").column("spend").type == MONEY == "decimal(18,4)"
    warehouse = tmp_path / "warehouse.duckdb"
    load_manifests(warehouse, [land_spend(tmp_path / "landing", "act_1001", EDGE, "run-1")])
    run_dbt_build(warehouse, select="stg_meta__ad_insights", artifacts_dir=tmp_path / "dbt")
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select spend from staging.stg_meta__ad_insights").fetchall() == [(Decimal(EDGE),)]
    con.close()

    with pytest.raises(LoadError) as refused:
        load_manifests(warehouse, [land_spend(tmp_path / "landing", "act_2002", PAST, "run-2")])
    assert str(refused.value) == (
        "source=meta stream=ads_insights account=act_2002 window=[2026-11-01, 2026-11-02) "
        f"rule=type_holds column=spend type=decimal(18,4): 1 value(s) do not cast losslessly, e.g. '{PAST}'"
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select account, spend from raw.meta__ads_insights").fetchall() == [("act_1001", Decimal(EDGE))]
