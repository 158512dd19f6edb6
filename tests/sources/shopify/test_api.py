"""The Shopify orders server over real HTTP: Link paging, filters, page_info rules, order versions."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import requests

from sandbox import Sandbox
from sandbox.shopify import truth
from sandbox.shopify.world import ShopWorld
from tests.sources.shopify.api import SHOPIFY_HEADERS, TIMEOUT, fetch_orders, shopify_url

AS_OF = date(2026, 11, 23)
WINDOW = {"updated_at_min": "2026-11-20T00:00:00+08:00", "updated_at_max": "2026-11-21T23:59:59+08:00"}
WINDOW_UTC = (datetime(2026, 11, 19, 16, tzinfo=UTC), datetime(2026, 11, 21, 15, 59, 59, tzinfo=UTC))


def _get(sb: Sandbox, params: dict) -> requests.Response:
    return requests.get(shopify_url(sb), params=params, headers=SHOPIFY_HEADERS, timeout=TIMEOUT)


def test_paging_visits_every_order_exactly_once(sb: Sandbox, shop: ShopWorld) -> None:
    expected = truth.orders_updated_between(shop, *WINDOW_UTC, AS_OF)
    orders, pages = fetch_orders(sb, {"status": "any", "limit": 17, **WINDOW})
    assert orders == expected
    assert len(expected) == 268 and pages == math.ceil(268 / 17)
    keys = [(o["updated_at"], o["id"]) for o in orders]
    assert keys == sorted(keys)
    assert all(WINDOW["updated_at_min"] <= o["updated_at"] <= WINDOW["updated_at_max"] for o in orders)


def test_previous_link_walks_back(sb: Sandbox) -> None:
    first = _get(sb, {"status": "any", "limit": 10, **WINDOW})
    assert "previous" not in first.links
    second = requests.get(first.links["next"]["url"], headers=SHOPIFY_HEADERS, timeout=TIMEOUT)
    third = requests.get(second.links["next"]["url"], headers=SHOPIFY_HEADERS, timeout=TIMEOUT)
    back = requests.get(third.links["previous"]["url"], headers=SHOPIFY_HEADERS, timeout=TIMEOUT)
    assert back.json() == second.json()
    assert back.links["previous"]["url"] and back.links["next"]["url"]


def test_links_carry_only_limit_fields_and_page_info(sb: Sandbox) -> None:
    first = _get(sb, {"status": "any", "limit": 5, "fields": "id,updated_at", **WINDOW})
    url = first.links["next"]["url"]
    query = url.split("?", 1)[1]
    assert sorted(part.split("=")[0] for part in query.split("&")) == ["fields", "limit", "page_info"]
    assert all(set(o) == {"id", "updated_at"} for o in first.json()["orders"])


def test_page_info_with_another_filter_is_400(sb: Sandbox) -> None:
    first = _get(sb, {"status": "any", "limit": 5, **WINDOW})
    url = first.links["next"]["url"] + "&status=any"
    response = requests.get(url, headers=SHOPIFY_HEADERS, timeout=TIMEOUT)
    assert response.status_code == 400
    assert "page_info" in response.json()["errors"]
    garbage = _get(sb, {"page_info": "not-a-token"})
    assert garbage.status_code == 400


def test_limit_rules(sb: Sandbox) -> None:
    assert len(_get(sb, {"status": "any", **WINDOW}).json()["orders"]) == 50
    assert len(_get(sb, {"status": "any", "limit": 250, **WINDOW}).json()["orders"]) == 250
    for bad in (0, 251, "ten"):
        response = _get(sb, {"status": "any", "limit": bad, **WINDOW})
        assert response.status_code == 400 and "limit" in response.json()["errors"]


def test_default_status_is_open_only(sb: Sandbox) -> None:
    everything, _ = fetch_orders(sb, {"status": "any", "limit": 250, **WINDOW})
    default, _ = fetch_orders(sb, {"limit": 250, **WINDOW})
    closed, _ = fetch_orders(sb, {"status": "closed", "limit": 250, **WINDOW})
    assert 0 < len(default) < len(everything)
    assert all(o["fulfillment_status"] is None for o in default)
    assert len(default) + len(closed) == len(everything)


def test_bad_token_is_401(sb: Sandbox) -> None:
    response = requests.get(shopify_url(sb), params={"status": "any"}, headers={"X-Shopify-Access-Token": "x"})
    assert response.status_code == 401
    assert response.json()["errors"].startswith("[API] Invalid API key or access token")
    assert requests.get(shopify_url(sb), timeout=TIMEOUT).status_code == 401


def test_unencoded_plus_in_an_offset_is_understood(sb: Sandbox) -> None:
    # A client that forgets to percent-encode '+' sends a space; Shopify still reads the offset.
    query = "status=any&limit=250&updated_at_min=2026-11-20T00:00:00+08:00&updated_at_max=2026-11-21T23:59:59+08:00"
    raw = requests.get(f"{shopify_url(sb)}?{query}", headers=SHOPIFY_HEADERS, timeout=TIMEOUT)
    encoded = _get(sb, {"status": "any", "limit": 250, **WINDOW})
    assert raw.status_code == 200 and raw.json() == encoded.json()


def test_a_refund_moves_updated_at_and_exists_only_after_its_time(sb: Sandbox, shop: ShopWorld) -> None:
    order = next(o for o in shop.orders_on(date(2026, 11, 1)) if o.refund_at is not None)
    assert order.id == 5000000093153
    assert order.refund_at is not None
    refund_at = order.refund_at
    around = {
        "status": "any",
        "limit": 250,
        "updated_at_min": (refund_at - timedelta(minutes=1)).isoformat(),
        "updated_at_max": (refund_at + timedelta(minutes=1)).isoformat(),
    }

    sb.set_as_of(refund_at)  # the refund is exactly "now": not yet visible
    before, _ = fetch_orders(sb, around)
    assert order.id not in {o["id"] for o in before}
    version, _ = fetch_orders(sb, {"status": "any", "limit": 250, "created_at_min": "2026-11-01T00:00:00+08:00",
                                   "created_at_max": "2026-11-01T00:40:00+08:00"})  # fmt: skip
    old = next(o for o in version if o["id"] == order.id)
    assert old["refunds"] == [] and old["financial_status"] == "paid" and old["fulfillment_status"] == "fulfilled"

    sb.set_as_of(refund_at + timedelta(seconds=1))
    after, _ = fetch_orders(sb, around)
    new = next(o for o in after if o["id"] == order.id)
    assert new["financial_status"] == "partially_refunded"
    assert new["updated_at"] == new["refunds"][0]["created_at"] == "2026-11-09T09:18:10+08:00"
    assert new["updated_at"] > old["updated_at"]
    assert new["refunds"][0]["transactions"][0]["kind"] == "refund"


def test_orders_do_not_exist_before_they_are_placed(sb: Sandbox) -> None:
    sb.set_as_of(datetime(2026, 11, 22, 4, 0, tzinfo=UTC))  # noon in Shanghai
    orders, _ = fetch_orders(sb, {"status": "any", "limit": 250, "created_at_min": "2026-11-22T00:00:00+08:00"})
    assert orders and max(o["created_at"] for o in orders) < "2026-11-22T12:00:00+08:00"
