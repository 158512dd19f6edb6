"""PII never lands raw: known keys and contact data found by value are replaced by HMAC-SHA256 under a secret.

Expected hashes are computed here with ``hmac.new(SECRET, normalized, sha256)``, independently of the code
under test; the normalized forms are written out by hand.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from typing import Any

import pytest

from extractors import pii
from extractors.pii import PiiKeyError, hash_order_pii, normalize_phone, scrub_pii

SECRET = b"fixed-test-secret-for-hmac-0123456789abcdef0123456789abcdef"


def keyed(normalized: str, secret: bytes = SECRET) -> str:
    return hmac.new(secret, normalized.encode(), hashlib.sha256).hexdigest()


EMAIL_HMAC = keyed("c42@example.com")
PHONE_HMAC = keyed("+8613800000042")
CONTACT_HMAC = keyed("alice@example.com")


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


def scrubbed(record: dict[str, Any]) -> dict[str, Any]:
    return hash_order_pii(record, secret=SECRET)


def test_email_and_phone_keys_become_normalized_hmac_everywhere() -> None:
    out = scrubbed(order())
    assert out["email_sha256"] == EMAIL_HMAC  # trimmed and lower-cased before hashing
    assert out["phone_sha256"] == PHONE_HMAC
    assert out["contact_email_sha256"] == CONTACT_HMAC
    assert out["customer"]["email_sha256"] == EMAIL_HMAC
    assert out["billing_address"]["phone_sha256"] == PHONE_HMAC  # separators removed, '+' kept
    assert out["shipping_address"]["phone_sha256"] == PHONE_HMAC
    for obj in (out, out["customer"], out["billing_address"], out["shipping_address"]):
        assert not {"email", "phone", "contact_email"} & set(obj)


def test_a_dictionary_of_plain_sha256_hashes_does_not_reverse_what_lands() -> None:
    """The attack unkeyed hashing allows: hash a list of likely addresses, look the landed values up."""
    dictionary = {
        hashlib.sha256(candidate.encode()).hexdigest(): candidate
        for candidate in ("c42@example.com", "alice@example.com", "+8613800000042", "13800000042")
    }
    text = json.dumps(scrubbed(order()))
    assert [candidate for digest, candidate in dictionary.items() if digest in text] == []
    # And the key matters: another secret gives other hashes for the same customer.
    assert hash_order_pii(order(), secret=b"another-secret-" * 4)["email_sha256"] != EMAIL_HMAC


def test_null_stays_null() -> None:
    out = scrubbed(order())
    assert "phone_sha256" in out["customer"]
    assert out["customer"]["phone_sha256"] is None


def test_names_and_street_lines_are_dropped_only_from_people_and_addresses() -> None:
    out = scrubbed(order())
    for obj in (out["customer"], out["billing_address"], out["shipping_address"]):
        assert not {"first_name", "last_name", "name", "address1", "address2"} & set(obj)
    assert out["billing_address"]["city"] == "Shanghai"
    assert out["name"] == "#1234"  # the order's name is its number, not a person
    assert out["line_items"][0]["name"] == "Red Shoe - 42"


def test_everything_else_passes_through_untouched_and_input_is_not_mutated() -> None:
    original = order()
    original["brand_new_field"] = {"nested": [1, 2, {"x": "y"}]}
    snapshot = copy.deepcopy(original)
    out = scrubbed(original)
    assert original == snapshot
    assert out["brand_new_field"] == {"nested": [1, 2, {"x": "y"}]}
    assert out["total_price"] == "368.00"
    assert out["customer"]["created_at"] == "2026-01-01T10:00:00+08:00"


def test_phone_normalization_is_e164() -> None:
    assert normalize_phone(" +86 (138) 0000-0042 ") == "+8613800000042"
    assert normalize_phone("138 0000 0042") == "+8613800000042"  # a Chinese mobile without country code
    assert normalize_phone("0086 138 0000 0042") == "+8613800000042"


def test_blank_email_is_null_not_the_hash_of_nothing() -> None:
    assert scrubbed({"email": "   "}) == {"email_sha256": None}


def test_browser_ip_client_details_and_free_text_notes_are_dropped() -> None:
    original = order()
    original.update(
        browser_ip="198.51.100.23",
        client_details={"browser_ip": "198.51.100.23", "user_agent": "Mozilla/5.0", "accept_language": "zh-CN"},
        note="Call Wei on +86 138 0000 0042 before delivery",
        note_attributes=[{"name": "gift_message", "value": "For Wei, love Alice"}],
    )
    original["customer"]["note"] = "VIP, lives at 1 Nanjing Rd"
    out = scrubbed(original)
    assert not {"browser_ip", "client_details", "note", "note_attributes"} & set(out)
    assert "note" not in out["customer"]
    for fragment in ("198.51.100.23", "Mozilla", "+86 138", "gift_message", "Nanjing"):
        assert fragment not in json.dumps(out), fragment
    assert out["total_price"] == "368.00"  # the rest of the order is still there


# -- found by value --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("+86 138 0000 0042", "+8613800000042"),
        ("+86-138-0000-0042", "+8613800000042"),
        ("+86 (138) 0000-0042", "+8613800000042"),
        ("+8613800000042", "+8613800000042"),
        ("13800000042", "+8613800000042"),
        ("138-0000-0042", "+8613800000042"),
        ("138 0000 0042", "+8613800000042"),
        ("%2B8613800000042", "+8613800000042"),
        ("+1 415 555 0100", "+14155550100"),
    ],
)
def test_phones_under_any_key_are_replaced_by_their_token(written: str, normalized: str) -> None:
    out = scrubbed({"buyer_contact": written, "mobile": written})
    assert out == {"buyer_contact": f"pii:{keyed(normalized)}", "mobile": f"pii:{keyed(normalized)}"}


def test_a_stray_phone_hashes_like_the_phone_column_of_the_same_customer() -> None:
    out = scrubbed({"phone": "+8613800000042", "mobile": "138 0000 0042"})
    assert out["mobile"] == f"pii:{out['phone_sha256']}" == f"pii:{PHONE_HMAC}"


def test_email_inside_tags_is_replaced_and_the_other_tags_stay() -> None:
    out = scrubbed({"tags": "vip, C42@Example.com, 618"})
    assert out["tags"] == f"vip, pii:{EMAIL_HMAC}, 618"


def test_url_encoded_email_in_landing_site_is_caught_and_utm_parameters_stay() -> None:
    landing = "/products/serum?utm_source=facebook&utm_medium=paid_social&utm_campaign=double11&email=c42%40example.com"
    out = scrubbed({"landing_site": landing})
    assert out["landing_site"] == (
        f"/products/serum?utm_source=facebook&utm_medium=paid_social&utm_campaign=double11&email=pii:{EMAIL_HMAC}"
    )
    # Plain '@', and an address inside an encoded redirect parameter.
    assert scrubbed({"landing_site": "/p?utm_source=x&email=c42@example.com"})["landing_site"] == (
        f"/p?utm_source=x&email=pii:{EMAIL_HMAC}"
    )
    assert scrubbed({"referring_site": "/r?next=%2Fp%3Femail%3Dc42%40example.com"})["referring_site"] == (
        f"/r?next=%2Fp%3Femail%3Dpii:{EMAIL_HMAC}"
    )


def test_nested_contact_objects_and_json_strings_in_metafields_are_caught() -> None:
    record = {
        "customer": {
            "id": 7000000000042,
            "metafields": [
                {"namespace": "crm", "key": "contact", "value": {"contact": {"email": "c42@example.com"}}},
                {
                    "namespace": "crm",
                    "key": "backup",
                    "value": json.dumps({"mail": "c42@example.com", "tel": "+86 138 0000 0042"}),
                },
                {"namespace": "crm", "key": "wechat", "value": {"numbers": ["电话13800000042", "x"]}},
            ],
        }
    }
    metafields = scrubbed(record)["customer"]["metafields"]
    assert metafields[0]["value"] == {"contact": {"email_sha256": EMAIL_HMAC}}
    assert json.loads(metafields[1]["value"]) == {"mail": f"pii:{EMAIL_HMAC}", "tel": f"pii:{PHONE_HMAC}"}
    assert metafields[2]["value"] == {"numbers": [f"电话pii:{PHONE_HMAC}", "x"]}


def test_ids_prices_dates_skus_and_timestamps_are_not_mistaken_for_contact_data() -> None:
    record = {
        "id": 5000000012345,
        "order_id_text": "5000000012345",  # a 13-digit Shopify id, as a string
        "line_item_ids": ["11000000001230", "4000000000003"],
        "mobile_as_number": 13800000042,  # numbers are ids and amounts: never scanned
        "total_price": "13800000042.00",
        "subtotal": "368.00",
        "created_at": "2026-11-11T10:00:00+08:00",
        "processed_on": "2026-11-11",
        "epoch_ms": "1762826400000",
        "sku": "SKN-003",
        "barcode": "6901234567892",
        "postcode": "200000",
        "order_name": "#1234",
        "reference": "REF13800000042",
        "discount": "满300减50",
        "landing_site": "/products/serum?utm_source=google&utm_campaign=double11&variant=4000000000003",
        "version": "v1.13800000042",
    }
    assert scrubbed(record) == record


def test_allow_listed_fields_stay_verbatim_and_the_rest_is_still_scanned() -> None:
    record = {
        "line_items": [{"sku": "13800000042", "title": "call 13800000042"}],
        "fulfillments": [{"tracking_number": "13800000042", "tracking_company": "c42@example.com"}],
    }
    out = scrubbed(record)  # the order allow-list keeps SKUs and tracking numbers
    assert out["line_items"] == [{"sku": "13800000042", "title": f"call pii:{PHONE_HMAC}"}]
    assert out["fulfillments"] == [{"tracking_number": "13800000042", "tracking_company": f"pii:{EMAIL_HMAC}"}]
    # Without the allow-list the same SKU would be taken for a phone; a whole subtree can be allowed too.
    assert scrub_pii(record, secret=SECRET)["line_items"][0]["sku"] == f"pii:{PHONE_HMAC}"
    assert scrub_pii(record, allow=("fulfillments",), secret=SECRET)["fulfillments"] == record["fulfillments"]


def test_the_allow_list_never_keeps_a_known_pii_key() -> None:
    out = scrub_pii({"customer": {"email": "c42@example.com"}}, allow=("customer",), secret=SECRET)
    assert out == {"customer": {"email_sha256": EMAIL_HMAC}}


# -- the key ---------------------------------------------------------------------------------------------


def test_the_key_comes_from_the_pii_hashing_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PII_HASHING", json.dumps({"conn_type": "generic", "password": SECRET.decode()}))
    assert hash_order_pii({"email": "c42@example.com"}) == {"email_sha256": EMAIL_HMAC}
    other = "x" * 64
    monkeypatch.setenv("AIRFLOW_CONN_PII_HASHING", json.dumps({"conn_type": "generic", "password": other}))
    assert hash_order_pii({"email": "c42@example.com"}) == {"email_sha256": keyed("c42@example.com", other.encode())}


def test_a_missing_connection_fails_instead_of_hashing_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_PII_HASHING", raising=False)
    pii._key_from.cache_clear()
    try:
        with pytest.raises(PiiKeyError, match="pii_hashing"):
            hash_order_pii({"email": "c42@example.com"})
    finally:
        pii._key_from.cache_clear()


def test_a_weak_secret_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PII_HASHING", json.dumps({"conn_type": "generic", "password": "hunter2"}))
    with pytest.raises(PiiKeyError, match="shorter than 32") as info:
        hash_order_pii({"email": "c42@example.com"})
    assert "hunter2" not in str(info.value)
