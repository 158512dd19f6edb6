"""The bad-input table: malformed inputs across every source, each either refused before the load commits
with a message naming source, stream, partition, rule and field, or accepted with the right value. None
crashes (any other exception fails its case), none hangs, none is silently changed, and a refused load
leaves raw exactly as it was.

Each case spoils one valid record (or its landing, or a page the sandbox serves) in one way.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from expectations.runner import ValidationFailed
from extractors.catalog import AccountSettings
from extractors.errors import ExtractError
from tests.helpers import FAST_RETRY, set_connections
from tests.landing_helpers import land_records
from tests.sources.meta.helpers import meta_row
from tests.sources.shopify.helpers import order
from warehouse import pipeline, settings
from warehouse.load import LoadError

D = date.fromisoformat
META = ("meta", "ads_insights", "act_1001", D("2026-11-01"), D("2026-11-02"))
SHOPIFY = ("shopify", "orders", "demo-shop", D("2026-11-01"), D("2026-11-02"))
SETTINGS = {"meta": AccountSettings("Asia/Shanghai", "CNY"), "shopify": AccountSettings("Asia/Shanghai", "CNY")}


def meta_base() -> dict[str, Any]:
    return meta_row("a1", "2026-11-01", "10.00", ad_name="Spring sale", campaign_name="Evergreen")


def shopify_base() -> dict[str, Any]:
    return order(
        5000000000001,
        "2026-11-01T10:00:00+08:00",
        "2026-11-01T12:00:00+08:00",
        name="#1001",
        test=False,
        customer={"id": 7000000000001, "created_at": "2026-01-01T00:00:00+08:00"},
        refunds=[{"id": 1, "transactions": [{"kind": "refund", "status": "success", "amount": "5.00"}]}],
    )


def setting(key: str, value: Any) -> Callable[[dict], None]:
    def spoil(record: dict) -> None:
        target = record
        *parents, last = key.split(".")
        for parent in parents:
            target = target[parent]
        target[last] = value

    return spoil


def dropping(key: str) -> Callable[[dict], None]:
    def spoil(record: dict) -> None:
        target = record
        *parents, last = key.split(".")
        for parent in parents:
            target = target[parent]
        del target[last]

    return spoil


def refund_transaction_without(field: str) -> Callable[[dict], None]:
    def spoil(record: dict) -> None:
        del record["refunds"][0]["transactions"][0][field]

    return spoil


@dataclass(frozen=True)
class Case:
    """One malformed input: how the valid record is spoiled, and what must happen.

    ``refused`` holds the rule and field the message must name; ``accepted`` is (typed column, value) the
    raw table must hold.
    """

    id: str
    source: str
    spoil: Callable[[dict], None] | None = None
    refused: tuple[str, ...] = ()
    accepted: tuple[str, Any] | None = None
    records: Callable[[dict], list[dict]] | None = None  # several records from the spoiled one
    landing: Callable[[Path], None] | None = None  # spoils the landed files instead
    settings: AccountSettings | None = None  # what the account's settings endpoint reported, if not the usual


def twice(record: dict) -> list[dict]:
    return [record, copy.deepcopy(record)]


def cut_manifest(manifest: Path) -> None:
    manifest.write_text(manifest.read_text()[:40])


def manifest_without(key: str) -> Callable[[Path], None]:
    def spoil(manifest: Path) -> None:
        body = json.loads(manifest.read_text())
        del body[key]
        manifest.write_text(json.dumps(body))

    return spoil


def manifest_row_count(count: int) -> Callable[[Path], None]:
    def spoil(manifest: Path) -> None:
        body = json.loads(manifest.read_text())
        body["row_count"] = count
        manifest.write_text(json.dumps(body))

    return spoil


def records_cut(manifest: Path) -> None:
    records = manifest.parent / "records.jsonl"
    records.write_text(records.read_text()[:-30])


TYPE = "rule=type_holds column="
MISSING = "rule=required field missing: "

CASES = [
    # -- Meta: types --------------------------------------------------------------------------------------
    Case("meta spend not a number", "meta", setting("spend", "ten yuan"), (TYPE + "spend",)),
    Case("meta spend with more decimals than kept", "meta", setting("spend", "12.34567"), (TYPE + "spend",)),
    Case("meta spend in exponent notation", "meta", setting("spend", "1e3"), (TYPE + "spend",)),
    Case("meta spend with a thousands separator", "meta", setting("spend", "1,234.00"), (TYPE + "spend",)),
    Case("meta spend overflowing decimal(18,4)", "meta", setting("spend", "99999999999999999999"), (TYPE + "spend",)),
    Case("meta spend NaN", "meta", setting("spend", "NaN"), (TYPE + "spend",)),
    Case("meta spend Infinity", "meta", setting("spend", "Infinity"), (TYPE + "spend",)),
    Case("meta spend as an object", "meta", setting("spend", {"amount": "10"}), (TYPE + "spend",)),
    Case("meta spend as a list", "meta", setting("spend", ["10"]), (TYPE + "spend",)),
    Case("meta spend negative", "meta", setting("spend", "-5.00"), ("column=spend, min_value=0",)),
    Case("meta spend as a JSON number", "meta", setting("spend", 10.5), accepted=("spend", Decimal("10.5"))),
    Case("meta spend with trailing zeros", "meta", setting("spend", "10.500000"), accepted=("spend", Decimal("10.5"))),
    Case("meta impressions 1234.5", "meta", setting("impressions", "1234.5"), (TYPE + "impressions",)),
    Case("meta impressions 1234.0", "meta", setting("impressions", "1234.0"), accepted=("impressions", 1234)),
    Case("meta impressions as a JSON number", "meta", setting("impressions", 1000), accepted=("impressions", 1000)),
    Case("meta impressions negative", "meta", setting("impressions", "-1"), ("column=impressions, min_value=0",)),
    Case(
        "meta impressions overflowing bigint",
        "meta",
        setting("impressions", "9223372036854775808"),
        (TYPE + "impressions",),
    ),
    Case("meta impressions as a boolean", "meta", setting("impressions", True), (TYPE + "impressions",)),
    Case(
        "meta clicks above impressions", "meta", setting("clicks", "2000"), ("column_A=impressions, column_B=clicks",)
    ),
    Case(
        "meta link clicks above clicks",
        "meta",
        setting("inline_link_clicks", "60"),
        ("column_A=clicks, column_B=inline_link_clicks",),
    ),
    Case("meta clicks with a sign", "meta", setting("clicks", "+50"), accepted=("clicks", 50)),
    # -- Meta: nulls and missing fields -----------------------------------------------------------------------
    Case("meta spend missing", "meta", dropping("spend"), (MISSING + "spend",)),
    Case("meta spend null", "meta", setting("spend", None), (MISSING + "spend",)),
    Case("meta clicks missing", "meta", dropping("clicks"), (MISSING + "clicks",)),
    Case("meta impressions missing", "meta", dropping("impressions"), (MISSING + "impressions",)),
    Case("meta link clicks missing", "meta", dropping("inline_link_clicks"), (MISSING + "inline_link_clicks",)),
    Case("meta currency missing", "meta", dropping("account_currency"), (MISSING + "account_currency",)),
    Case("meta ad id missing", "meta", dropping("ad_id"), ("rule=key_present column=ad_id",)),
    Case("meta date missing", "meta", dropping("date_start"), ("rule=key_present column=date_start",)),
    Case("meta optional name missing stays null", "meta", dropping("ad_name"), accepted=("ad_name", None)),
    Case("meta actions missing stay null", "meta", None, accepted=("actions", None)),
    # -- Meta: dates, time zones, currencies, encodings, keys ---------------------------------------------------
    Case("meta date that does not exist", "meta", setting("date_start", "2026-11-31"), (TYPE + "date_start",)),
    Case("meta date with slashes", "meta", setting("date_start", "2026/11/01"), (TYPE + "date_start",)),
    Case(
        "meta date carrying a time and zone",
        "meta",
        setting("date_start", "2026-11-01T00:00:00-08:00"),
        (TYPE + "date_start",),
    ),
    Case(
        "meta date outside the window", "meta", setting("date_start", "2026-10-31"), ("rule=date_start_inside_window",)
    ),
    Case(
        "meta currency not the account's",
        "meta",
        setting("account_currency", "USD"),
        ("rule=currency_is_account_currency column=account_currency", "'USD'"),
    ),
    Case(
        "meta currency lower-case",
        "meta",
        setting("account_currency", "cny"),
        ("rule=currency_is_account_currency column=account_currency",),
    ),
    Case(
        "meta currency empty",
        "meta",
        setting("account_currency", ""),
        ("rule=currency_is_account_currency column=account_currency",),
    ),
    Case(
        "meta unknown currency code",
        "meta",
        setting("account_currency", "XYZ"),
        ("rule=currency_is_account_currency column=account_currency",),
    ),
    Case(
        "meta account in a currency without FX rates",
        "meta",
        setting("account_currency", "JPY"),
        ("rule=fx_rate_known column=account_currency", "'JPY' on 1 day(s), 2026-11-01..2026-11-01"),
        settings=AccountSettings("Asia/Tokyo", "JPY"),
    ),
    Case(
        "meta Chinese and emoji name kept verbatim",
        "meta",
        setting("ad_name", "双11 大促 🎉"),
        accepted=("ad_name", "双11 大促 🎉"),
    ),
    Case(
        "meta control characters kept verbatim",
        "meta",
        setting("ad_name", "tab\there\nline"),
        accepted=("ad_name", "tab\there\nline"),
    ),
    Case(
        "meta very long name kept whole",
        "meta",
        setting("campaign_name", "x" * 20000),
        accepted=("campaign_name", "x" * 20000),
    ),
    Case("meta duplicate row", "meta", None, ("column_list=['account', 'ad_id', 'date_start']",), records=twice),
    Case(
        "meta unknown new field kept in the record",
        "meta",
        setting("quality_ranking", "ABOVE_AVERAGE"),
        accepted=("spend", Decimal("10.00")),
    ),
    # -- landings that lie ------------------------------------------------------------------------------------
    Case("meta manifest cut off", "meta", landing=cut_manifest, refused=("rule=manifest_readable",)),
    Case(
        "meta manifest without its row count",
        "meta",
        landing=manifest_without("row_count"),
        refused=("rule=manifest_readable", "row_count"),
    ),
    Case(
        "meta manifest claiming more rows",
        "meta",
        landing=manifest_row_count(5),
        refused=("rule=row_count_matches_manifest",),
    ),
    Case("meta records file cut off", "meta", landing=records_cut, refused=("rule=records_readable",)),
    Case(
        "meta landing without account settings",
        "meta",
        landing=manifest_without("account_settings"),
        refused=("rule=account_settings_present",),
    ),
    Case(
        "shopify manifest without its files",
        "shopify",
        landing=manifest_without("files"),
        refused=("rule=manifest_readable", "files"),
    ),
    # -- Shopify: types -------------------------------------------------------------------------------------
    Case("shopify price not a number", "shopify", setting("total_price", "abc"), (TYPE + "total_price",)),
    Case("shopify price with a currency sign", "shopify", setting("total_price", "¥110.00"), (TYPE + "total_price",)),
    Case("shopify price negative", "shopify", setting("total_price", "-1.00"), ("column=total_price, min_value=0",)),
    Case(
        "shopify discounts above line items",
        "shopify",
        setting("total_discounts", "200.00"),
        ("column_A=total_line_items_price, column_B=total_discounts",),
    ),
    Case("shopify id as a GraphQL gid", "shopify", setting("id", "gid://shopify/Order/8"), (TYPE + "order_id",)),
    Case("shopify id 1.5", "shopify", setting("id", 1.5), (TYPE + "order_id",)),
    Case(
        "shopify id as a string of digits",
        "shopify",
        setting("id", "5000000000001"),
        accepted=("order_id", 5000000000001),
    ),
    Case("shopify updated_at not a timestamp", "shopify", setting("updated_at", "yesterday"), (TYPE + "updated_at",)),
    Case(
        "shopify updated_at without a zone",
        "shopify",
        setting("updated_at", "2026-11-01 12:00:00"),
        (TYPE + "updated_at",),
    ),
    Case(
        "shopify updated_at with an offset",
        "shopify",
        setting("updated_at", "2026-11-01T12:00:00+08:00"),
        accepted=("updated_at", "2026-11-01 04:00:00+00:00"),
    ),
    Case(
        "shopify updated_at before created_at",
        "shopify",
        setting("updated_at", "2026-11-01T09:00:00+08:00"),
        ("column_A=updated_at, column_B=created_at",),
    ),
    Case(
        "shopify version older than the window",
        "shopify",
        setting("updated_at", "2026-10-31T12:00:00+00:00"),
        ("rule=updated_at_not_before_window",),
    ),
    Case("shopify test flag as 'yes'", "shopify", setting("test", "yes"), (TYPE + "test",)),
    Case("shopify test flag as a boolean", "shopify", setting("test", True), accepted=("test", True)),
    Case("shopify refunds an object", "shopify", setting("refunds", {"id": 1}), (TYPE + "refunds type=JSON ARRAY",)),
    Case("shopify refunds a string", "shopify", setting("refunds", "none"), (TYPE + "refunds type=JSON ARRAY",)),
    Case("shopify line items an object", "shopify", setting("line_items", {}), (TYPE + "line_items type=JSON ARRAY",)),
    # -- Shopify: nulls and missing fields ----------------------------------------------------------------------
    Case(
        "shopify line items price missing",
        "shopify",
        dropping("total_line_items_price"),
        (MISSING + "total_line_items_price",),
    ),
    Case(
        "shopify shipping missing",
        "shopify",
        dropping("total_shipping_price_set"),
        (MISSING + "total_shipping_price_set.shop_money.amount",),
    ),
    Case(
        "shopify financial status null", "shopify", setting("financial_status", None), (MISSING + "financial_status",)
    ),
    Case("shopify line items null", "shopify", setting("line_items", None), (MISSING + "line_items",)),
    Case("shopify refunds missing", "shopify", dropping("refunds"), (MISSING + "refunds",)),
    Case(
        "shopify refund transaction without status",
        "shopify",
        refund_transaction_without("status"),
        (MISSING + "refunds[*].transactions[*].status",),
    ),
    Case(
        "shopify refund transaction without amount",
        "shopify",
        refund_transaction_without("amount"),
        (MISSING + "refunds[*].transactions[*].amount",),
    ),
    Case(
        "shopify refund transaction without kind",
        "shopify",
        refund_transaction_without("kind"),
        (MISSING + "refunds[*].transactions[*].kind",),
    ),
    Case("shopify id missing", "shopify", dropping("id"), ("rule=key_present column=order_id",)),
    Case("shopify guest order without a customer", "shopify", dropping("customer"), accepted=("customer_id", None)),
    # -- Shopify: currencies, encodings, keys ----------------------------------------------------------------
    Case(
        "shopify order in another currency",
        "shopify",
        setting("currency", "USD"),
        ("rule=currency_is_account_currency column=currency", "'USD'", "order_id=5000000000001"),
    ),
    Case(
        "shopify order dated past the last FX rate",
        "shopify",
        lambda order: order.update(created_at="2028-01-05T10:00:00+08:00", updated_at="2028-01-05T12:00:00+08:00"),
        ("rule=fx_rate_known column=currency", "'CNY' on 1 day(s), 2028-01-05..2028-01-05"),
    ),
    Case(
        "shopify currency lower-case",
        "shopify",
        setting("currency", "cny"),
        ("rule=currency_is_account_currency column=currency",),
    ),
    Case("shopify full-width order name kept", "shopify", setting("name", "#１００１"), accepted=("name", "#１００１")),
    Case(
        "shopify duplicate version", "shopify", None, ("column_list=['account', '_run_id', 'order_id']",), records=twice
    ),
]


def _land(tmp_path: Path, case: Case) -> Path:
    source, stream, account, start, end = META if case.source == "meta" else SHOPIFY
    record = meta_base() if case.source == "meta" else shopify_base()
    if case.spoil is not None:
        case.spoil(record)
    records = case.records(record) if case.records else [record]
    manifest = land_records(
        tmp_path / "landing",
        source,
        stream,
        account,
        start,
        end,
        "bad",
        records,
        settings=case.settings or SETTINGS[source],
    )
    if case.landing is not None:
        case.landing(manifest)
    return manifest


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_malformed_input_is_refused_naming_rule_and_field_or_kept_right(
    case: Case, tmp_path: Path, var_dir: Path
) -> None:
    manifest = _land(tmp_path, case)
    source, stream, account, start, end = META if case.source == "meta" else SHOPIFY
    if case.refused:
        with pytest.raises((LoadError, ValidationFailed)) as refused:
            pipeline.load_and_validate_raw([str(manifest)])
        message = str(refused.value)
        partition = (f"account={account}",) if "manifest" not in case.id else ()
        for part in (source, stream, *partition, *case.refused):
            assert part in message, f"{part!r} not in: {message}"
        # Nothing of the refused load reached raw.
        con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
        try:
            held = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'").fetchone()
        finally:
            con.close()
        assert held == (0,)
    else:
        assert case.accepted is not None
        pipeline.load_and_validate_raw([str(manifest)])
        column, expected = case.accepted
        con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
        try:
            con.execute("set TimeZone = 'UTC'")
            (value,) = con.execute(f"select {column} from raw.{source}__{stream}").fetchone()  # type: ignore[misc]
        finally:
            con.close()
        got = str(value) if column == "updated_at" else value
        assert got == expected


PAGE_LIES = [
    ("meta", "ads_insights", "act_1001", "malformed"),
    ("meta", "ads_insights", "act_1001", "empty_page"),
    ("shopify", "orders", "sandbox-shop", "malformed"),
    ("shopify", "orders", "sandbox-shop", "empty_page"),
]


@pytest.mark.parametrize(("source", "stream", "account", "fault"), PAGE_LIES)
def test_a_page_that_lies_fails_the_extraction_naming_the_partition(
    sb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str, stream: str, account: str, fault: str
) -> None:
    """A cut-off page, or an empty page with a next link (250 orders dropped, were it believed)."""
    from extractors.run import extract_partition
    from extractors.streams import Window

    set_connections(monkeypatch, sb, extra={source: {"page_size": 50}})
    sb.inject(source, fault, times=1)
    with pytest.raises(ExtractError) as failed:
        extract_partition(
            source, stream, account, Window(D("2026-11-01"), D("2026-11-08")), "lie", tmp_path, retry=FAST_RETRY
        )
    message = str(failed.value)
    assert message.startswith(f"{source}/{stream} account={account} window=[2026-11-01, 2026-11-08): ")
    assert ("malformed response" if fault == "malformed" else "empty page with a next link") in message
    assert failed.value.retryable is False
    assert list(tmp_path.iterdir()) == []


SERVED_SPOILS = [
    ("meta", "ads_insights", "act_1001", "fractional_count", ("rule=type_holds column=impressions", ".5'")),
    ("meta", "ads_insights", "act_1001", "missing_clicks", ("rule=required field missing: clicks: 1 of",)),
    ("shopify", "orders", "sandbox-shop", "foreign_currency",
     ("rule=currency_is_account_currency column=currency", "the account's currency is CNY", "'USD': 1 rows")),
    ("shopify", "orders", "sandbox-shop", "refunds_not_a_list", ("rule=type_holds column=refunds type=JSON ARRAY",)),
    ("shopify", "orders", "sandbox-shop", "missing_line_items_price",
     ("rule=required field missing: total_line_items_price: 1 of",)),
    ("shopify", "orders", "sandbox-shop", "refund_without_status",
     ("rule=required field missing: refunds[*].transactions[*].status: 1 of",)),
]  # fmt: skip


@pytest.mark.parametrize(("source", "stream", "account", "fault", "expected"), SERVED_SPOILS)
def test_a_bad_value_the_platform_serves_is_refused_before_the_load_commits(
    sb: Any,
    monkeypatch: pytest.MonkeyPatch,
    var_dir: Path,
    source: str,
    stream: str,
    account: str,
    fault: str,
    expected: tuple[str, ...],
) -> None:
    """The sandbox spoils one record of a page; extraction lands it as received, the load refuses it."""
    from extractors.run import extract_partition
    from extractors.streams import Window

    set_connections(monkeypatch, sb)
    sb.inject(source, fault, times=1)
    manifest = extract_partition(
        source, stream, account, Window(D("2026-11-01"), D("2026-11-04")), "spoiled", settings.landing_root(),
        retry=FAST_RETRY,
    )  # fmt: skip
    with pytest.raises(LoadError) as refused:
        pipeline.load_and_validate_raw([str(manifest)])
    message = str(refused.value)
    for part in (f"source={source} stream={stream} account={account} window=[2026-11-01, 2026-11-04)", *expected):
        assert part in message, f"{part!r} not in: {message}"
    assert not settings.warehouse_path().exists() or _raw_tables(settings.warehouse_path()) == 0


def _raw_tables(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        (count,) = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    return int(count)


def test_the_table_covers_at_least_sixty_inputs_across_every_source() -> None:
    from extractors.catalog import sources

    assert len(CASES) + len(PAGE_LIES) + len(SERVED_SPOILS) >= 60
    assert {case.source for case in CASES} == {source.name for source in sources()}
