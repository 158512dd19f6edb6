"""Shopify orders over real HTTP against the sandbox, checked against the world's ground truth."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from extractors.catalog import get_source, resolve
from extractors.connections import get_connection
from extractors.errors import AuthError, ConfigurationError, ExtractContext, MalformedResponse, RetryBudgetExhausted
from extractors.landing import LandingTarget, land
from extractors.pii import hash_order_pii
from extractors.run import extract_partition, list_accounts
from extractors.streams import Window
from sandbox.shopify.server import ACCESS_TOKEN
from tests.helpers import FAST_RETRY, read_landed, set_connections
from tests.sources.shopify.helpers import PAGE_SIZE, SHOP, shopify_truth

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 4))
PARTITION = f"shopify/orders account={SHOP} window=[2026-11-01, 2026-11-04)"


def run(landing_root: Path, **kwargs: Any) -> Path:
    return extract_partition(
        "shopify", "orders", SHOP, WINDOW, "test-run", landing_root, retry=kwargs.pop("retry", FAST_RETRY)
    )


def contact_forms(order: dict[str, Any]) -> tuple[str, ...]:
    """How the sandbox writes this order's customer's e-mail and phone (sandbox/shopify/world.py)."""
    national = order["phone"][3:]
    grouped = (national[:3], national[3:7], national[7:])
    return (
        order["email"],
        order["email"].replace("@", "%40"),
        order["phone"],
        national,
        "+86 " + " ".join(grouped),
        "-".join(grouped),
    )


def statuses(sb: Any) -> list[int]:
    return [status for _, _, status in sb.data_requests("shopify")]


@pytest.fixture
def truth(connections: Any) -> list[dict[str, Any]]:
    orders = shopify_truth(connections, WINDOW)
    assert len(orders) > 2 * PAGE_SIZE  # several pages, the last one partial or full
    return orders


def pages(truth: list[dict[str, Any]]) -> int:
    return -(-len(truth) // PAGE_SIZE)


def test_paging_lands_every_order_exactly_once(connections: Any, landing_root: Path, truth: list[dict]) -> None:
    landed = read_landed(run(landing_root))

    ids = [order["id"] for order in landed.records]
    assert landed.manifest["row_count"] == len(truth)
    assert len(set(ids)) == len(ids)
    assert set(ids) == {order["id"] for order in truth}
    # As received, apart from PII: the landed order is the API order with PII hashed.
    assert landed.records == [hash_order_pii(order) for order in truth]
    assert statuses(connections) == [200] * pages(truth)
    # Filters on the first request only; later pages carry just the cursor (Shopify rejects more).
    paths = [path for _, path, _ in connections.data_requests("shopify")]
    assert "status=any" in paths[0] and "updated_at_min=2026-11-01T00%3A00%3A00Z" in paths[0]
    assert "updated_at_max" not in paths[0]  # no upper bound: later edits of these orders arrive too
    assert all("page_info=" in path and "status=" not in path for path in paths[1:])


def test_manifest_uses_the_order_keys(connections: Any, landing_root: Path) -> None:
    manifest = read_landed(run(landing_root)).manifest
    # The key is the typed column order_id (read from the record's "id").
    assert manifest["primary_key"] == ["order_id"]
    assert manifest["cursor_field"] == manifest["partition_column"] == "updated_at"
    assert manifest["account"] == SHOP
    assert list_accounts("shopify") == [SHOP]


def test_429_waits_the_advertised_retry_after_then_completes(
    connections: Any, landing_root: Path, truth: list[dict]
) -> None:
    connections.inject("shopify", "rate_limit", times=1)
    started = time.monotonic()
    landed = read_landed(run(landing_root))
    elapsed = time.monotonic() - started

    assert elapsed >= 1.0  # Retry-After: 1.0, although our own backoff would have waited ~0.01 s
    assert statuses(connections) == [429] + [200] * pages(truth)
    assert {o["id"] for o in landed.records} == {o["id"] for o in truth}
    assert landed.manifest["row_count"] == len(truth)


def test_a_timeout_is_retried(connections: Any, landing_root: Path, truth: list[dict]) -> None:
    # The server stalls far longer than the client waits, so finishing sooner proves the client gave up.
    connections.timeout_seconds = 8.0
    connections.inject("shopify", "timeout", times=1)
    started = time.monotonic()
    landed = read_landed(run(landing_root, retry=replace(FAST_RETRY, read_timeout=1.0)))
    elapsed = time.monotonic() - started

    assert landed.manifest["row_count"] == len(truth)
    assert elapsed < connections.timeout_seconds
    assert len(connections.data_requests("shopify")) == 1 + pages(truth)  # the timed-out attempt, then every page


def test_503_storm_longer_than_the_budget_fails_clearly_and_lands_nothing(connections: Any, landing_root: Path) -> None:
    connections.inject("shopify", "server_error", times=10)
    with pytest.raises(RetryBudgetExhausted) as info:
        run(landing_root)
    assert str(info.value).startswith(PARTITION + ": gave up after 4 attempts")
    assert "HTTP 503" in str(info.value)
    assert statuses(connections) == [503] * 4
    assert list(landing_root.iterdir()) == []


def test_invalid_token_fails_at_once_without_leaking_it(
    sb: Any, monkeypatch: pytest.MonkeyPatch, landing_root: Path
) -> None:
    set_connections(monkeypatch, sb, extra={"shopify": {"shop": SHOP}}, password={"shopify": "shpat_wrong_0123456789"})
    with pytest.raises(AuthError) as info:
        run(landing_root)
    message = str(info.value)
    assert message.startswith(PARTITION)
    assert "HTTP 401" in message and "Invalid API key or access token" in message
    assert "refreshed in the Airflow Connection 'shopify'" in message
    assert "shpat_wrong_0123456789" not in message
    assert [status for _, _, status in sb.requests("shopify")] == [401]  # the shop settings read, refused
    assert list(landing_root.iterdir()) == []


def test_expired_token_is_not_retried(connections: Any, landing_root: Path) -> None:
    connections.inject("shopify", "token_expired", times=1)
    with pytest.raises(AuthError):
        run(landing_root)
    assert statuses(connections) == [401]


def test_malformed_page_midway_fails_clearly_and_lands_nothing(connections: Any, landing_root: Path) -> None:
    """Page 1 is fine and already on disk when page 2 arrives broken: the whole extraction goes."""
    source = get_source("shopify")
    stream = source.stream("orders")
    assert stream.prepare is not None  # orders land with their PII hashed
    read, prepare, make_client = resolve(stream.reader), resolve(stream.prepare), resolve(source.client)
    conn = get_connection("shopify")
    context = ExtractContext("shopify", "orders", SHOP, WINDOW, "shopify")

    def break_after_first_page(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for n, record in enumerate(records, start=1):
            if n == 100:  # the last record of page 1: the next request gets a truncated body
                connections.inject("shopify", "malformed", times=1)
            yield prepare(record)

    with make_client(conn, context, FAST_RETRY) as client, pytest.raises(MalformedResponse) as info:
        fetched = read(client, conn, SHOP, WINDOW)
        land(
            LandingTarget(landing_root, "shopify", stream, SHOP, WINDOW, "test-run"),
            break_after_first_page(fetched),
            datetime(2026, 11, 23, tzinfo=UTC),
        )

    message = str(info.value)
    assert message.startswith(PARTITION + ": malformed response from http://127.0.0.1:")
    assert "/admin/api/2026-10/orders.json?limit=100&page_info=" in message and "invalid JSON" in message
    # The truncated page begins with orders' e-mails and phones; the error quotes none of it.
    assert "@" not in message and "+86" not in message
    assert re.search(r"invalid JSON in a \d+-byte body", message)
    assert statuses(connections) == [200, 200]
    assert list(landing_root.iterdir()) == []


def test_malformed_page_error_gives_the_body_length_but_no_customer_data(connections: Any, landing_root: Path) -> None:
    """A truncated orders page starts with customer e-mails and phones, so the error must not quote it."""
    connections.inject("shopify", "malformed", times=1)
    with pytest.raises(MalformedResponse) as info:
        run(landing_root)
    message = str(info.value)

    # The same page again, whole: the sandbox cut the broken one to half its bytes.
    [(_, path, status)] = connections.data_requests("shopify")
    assert status == 200
    whole = requests.get(
        connections.url("shopify") + path, headers={"X-Shopify-Access-Token": ACCESS_TOKEN}, timeout=10
    ).content
    received = whole[: max(1, len(whole) // 2)]
    assert b"@" in received[:200] and b"+86" in received[:300]  # what a snippet of the body would have shown

    assert message.startswith(PARTITION + ": malformed response from http://127.0.0.1:")
    assert f"invalid JSON in a {len(received)}-byte body" in message
    assert re.search(r"at line 1 column \d+ \(char \d+\)", message)  # where the parser gave up
    assert "@" not in message and "+86" not in message
    assert ACCESS_TOKEN not in message
    assert list(landing_root.iterdir()) == []


def test_schema_drift_lands_new_fields_untouched(connections: Any, landing_root: Path, truth: list[dict]) -> None:
    connections.inject("shopify", "schema_drift", times=1)
    landed = read_landed(run(landing_root))

    first_page = landed.records[:100]
    # client_details is new here too, but it carries the browser IP and user agent: dropped as PII.
    assert all("client_details" not in order and "browser_ip" not in order for order in first_page)
    assert "203.0.113.7" not in landed.text and "Mozilla" not in landed.text
    assert all(order["merchant_business_entity_id"] == "MBE-sandbox" for order in first_page)
    assert all(
        "current_total_duties_set" in order and order["current_total_duties_set"] is None for order in first_page
    )
    assert "client_details" not in landed.records[100]
    assert landed.manifest["row_count"] == len(truth)


def test_no_raw_pii_lands_and_hashes_match_a_hand_computed_value(
    connections: Any, landing_root: Path, truth: list[dict]
) -> None:
    landed = read_landed(run(landing_root))

    contact, names = set(), set()
    for order in truth:
        for obj in (order, order["customer"], order["billing_address"], order["shipping_address"]):
            contact.update(obj[key] for key in ("email", "phone", "address1", "address2") if obj.get(key))
            names.update(obj[key] for key in ("first_name", "last_name") if obj.get(key))
    stray = [order for order in truth if "buyer_contact" in order]  # the world's PII-heavy orders
    assert stray and all(order["mobile"] in contact_forms(order) for order in stray)
    contact.update(form for order in stray for form in contact_forms(order))
    assert len(contact) > 100 and names
    assert [value for value in contact if value in landed.text] == []
    # Short names ("Li") occur inside other words; a landed name would be a whole JSON string.
    assert [name for name in names if f'"{name}"' in landed.text] == []
    assert not re.search(r'"(email|phone|contact_email|first_name|last_name|address1|address2)"', landed.text)

    # HMAC-SHA256 under the pii_hashing connection's secret, computed here by hand.
    secret = get_connection("pii_hashing").password
    assert secret
    order, landed_order = truth[0], landed.records[0]
    assert landed_order["id"] == order["id"]
    expected_email = hmac.new(secret.encode(), order["email"].strip().lower().encode(), hashlib.sha256).hexdigest()
    phone = re.sub(r"[^+0-9]", "", order["phone"])
    expected_phone = hmac.new(secret.encode(), phone.encode(), hashlib.sha256).hexdigest()
    assert landed_order["email_sha256"] == landed_order["customer"]["email_sha256"] == expected_email
    assert landed_order["phone_sha256"] == landed_order["shipping_address"]["phone_sha256"] == expected_phone
    assert hashlib.sha256(order["email"].encode()).hexdigest() not in landed.text  # unkeyed would be reversible
    # A stray phone is the same customer's token: the same hash as the phone column.
    landed_stray = next(o for o in landed.records if o["id"] == stray[0]["id"])
    assert landed_stray["mobile"] == landed_stray["buyer_contact"] == f"pii:{landed_stray['phone_sha256']}"
    assert landed_order["name"] == order["name"]  # "#1234" stays
    assert [item["title"] for item in landed_order["line_items"]] == [item["title"] for item in order["line_items"]]


def test_a_connection_for_another_shop_is_refused(connections: Any, landing_root: Path) -> None:
    with pytest.raises(ConfigurationError, match="is for shop 'demo-shop', not 'other-shop'"):
        extract_partition("shopify", "orders", "other-shop", WINDOW, "test-run", landing_root, retry=FAST_RETRY)
    assert list(landing_root.iterdir()) == []
