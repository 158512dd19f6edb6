"""PII never lands raw; hashes are normalized SHA-256 (values below computed with `sha256sum`)."""

from __future__ import annotations

import copy
import json

from extractors.pii import hash_order_pii, normalize_phone

# printf '%s' 'c42@example.com' | sha256sum
EMAIL_SHA = "b33a4943d292f6b036083b36b4856cdfae258ea68f38f49a09fda98e45674a10"
# printf '%s' '+8613800000042' | sha256sum
PHONE_SHA = "fe3a200b88661c03d4299d232929d31e2f0655607e2abc6ecab30e72b6e8493d"
# printf '%s' 'alice@example.com' | sha256sum
CONTACT_SHA = "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976"


def order() -> dict:
    address = {
        "first_name": "Wei",
        "last_name": "Zhang",
        "name": "Wei Zhang",
        "address1": "1 Nanjing Rd",
        "address2": "Apt 2",
        "city": "Shanghai",
        "country_code": "CN",
        "zip": "200000",
        "phone": "+86 138-0000-0042",
    }
    return {
        "id": 5000000012345,
        "name": "#1234",
        "email": "  C42@Example.COM ",
        "phone": "+8613800000042",
        "contact_email": "alice@example.com",
        "line_items": [{"id": 1, "name": "Red Shoe - 42", "title": "Red Shoe", "quantity": 2}],
        "customer": {
            "id": 7000000000042,
            "email": "c42@example.com",
            "phone": None,
            "first_name": "Wei",
            "last_name": "Zhang",
            "created_at": "2026-01-01T10:00:00+08:00",
        },
        "billing_address": address,
        "shipping_address": dict(address),
        "total_price": "368.00",
    }


def test_email_and_phone_are_replaced_by_normalized_sha256_everywhere() -> None:
    out = hash_order_pii(order())
    assert out["email_sha256"] == EMAIL_SHA  # trimmed and lower-cased before hashing
    assert out["phone_sha256"] == PHONE_SHA
    assert out["contact_email_sha256"] == CONTACT_SHA
    assert out["customer"]["email_sha256"] == EMAIL_SHA
    assert out["billing_address"]["phone_sha256"] == PHONE_SHA  # separators removed, '+' kept
    assert out["shipping_address"]["phone_sha256"] == PHONE_SHA
    for obj in (out, out["customer"], out["billing_address"], out["shipping_address"]):
        assert not {"email", "phone", "contact_email"} & set(obj)


def test_null_stays_null() -> None:
    out = hash_order_pii(order())
    assert "phone_sha256" in out["customer"]
    assert out["customer"]["phone_sha256"] is None


def test_names_and_street_lines_are_dropped_only_from_people_and_addresses() -> None:
    out = hash_order_pii(order())
    for obj in (out["customer"], out["billing_address"], out["shipping_address"]):
        assert not {"first_name", "last_name", "name", "address1", "address2"} & set(obj)
    assert out["billing_address"]["city"] == "Shanghai"
    assert out["name"] == "#1234"  # the order's name is its number, not a person
    assert out["line_items"][0]["name"] == "Red Shoe - 42"


def test_everything_else_passes_through_untouched_and_input_is_not_mutated() -> None:
    original = order()
    original["brand_new_field"] = {"nested": [1, 2, {"x": "y"}]}
    snapshot = copy.deepcopy(original)
    out = hash_order_pii(original)
    assert original == snapshot
    assert out["brand_new_field"] == {"nested": [1, 2, {"x": "y"}]}
    assert out["total_price"] == "368.00"
    assert out["customer"]["created_at"] == "2026-01-01T10:00:00+08:00"


def test_phone_normalization_keeps_plus_and_digits() -> None:
    assert normalize_phone(" +86 (138) 0000-0042 ") == "+8613800000042"


def test_blank_email_is_null_not_the_hash_of_nothing() -> None:
    assert hash_order_pii({"email": "   "}) == {"email_sha256": None}


def test_browser_ip_client_details_and_free_text_notes_are_dropped() -> None:
    original = order()
    original.update(
        browser_ip="198.51.100.23",
        client_details={"browser_ip": "198.51.100.23", "user_agent": "Mozilla/5.0", "accept_language": "zh-CN"},
        note="Call Wei on +86 138 0000 0042 before delivery",
        note_attributes=[{"name": "gift_message", "value": "For Wei, love Alice"}],
    )
    original["customer"]["note"] = "VIP, lives at 1 Nanjing Rd"
    out = hash_order_pii(original)
    assert not {"browser_ip", "client_details", "note", "note_attributes"} & set(out)
    assert "note" not in out["customer"]
    for fragment in ("198.51.100.23", "Mozilla", "+86 138", "gift_message", "Nanjing"):
        assert fragment not in json.dumps(out), fragment
    assert out["total_price"] == "368.00"  # the rest of the order is still there
