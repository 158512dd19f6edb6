"""Customer PII is hashed or dropped before a record lands, so no raw contact data is ever stored.

Why hash rather than drop e-mail and phone: the warehouse still needs a stable customer key (new vs
returning, repurchase rate) and marketers upload customer lists to ad platforms for matching. The
Graph API's and Google's customer-match APIs take SHA-256 of the *normalized* value (e-mail trimmed and lower-cased;
phone as digits with the country code), so hashing the same way here keeps the landed hash
match-compatible without the raw value ever reaching disk. Names and street lines have no analytic
use here and are dropped outright, as are the buyer's IP address (``browser_ip``, and
``client_details``, which repeats it next to the user agent) and the free-text order notes (``note``,
``note_attributes``), where customers and staff write names, phone numbers and addresses.

Note that unsalted SHA-256 of an e-mail is pseudonymous, not anonymous (it can be looked up against a
known list), so landed files are still access-controlled customer data.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

_NOT_PHONE_CHARS = re.compile(r"[^+0-9]")


def normalize_email(value: str) -> str:
    return value.strip().lower()


def normalize_phone(value: str) -> str:
    # Separators, spaces and brackets vary by how the customer typed it; '+' and digits carry meaning.
    return _NOT_PHONE_CHARS.sub("", value)


def sha256_hex(normalized: str) -> str:
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


# key -> normalizer. These keys are hashed wherever they appear in an order (top level, customer,
# addresses, and anywhere a schema change might put them), because missing one would leak PII.
HASHED_KEYS: dict[str, Callable[[str], str]] = {
    "email": normalize_email,
    "contact_email": normalize_email,
    "phone": normalize_phone,
}

# Dropped only inside person/address objects: ``name`` elsewhere is not personal (an order's "#1234",
# a line item's product name).
DROPPED_PERSON_KEYS = frozenset({"first_name", "last_name", "name", "address1", "address2"})
PERSON_OBJECT_KEYS = frozenset({"customer", "billing_address", "shipping_address", "default_address", "addresses"})
# Dropped wherever they appear (an order's top level, its customer, refunds): they identify a customer
# or are free text that may, and none of them is needed for analytics.
DROPPED_KEYS = frozenset({"browser_ip", "client_details", "note", "note_attributes"})


def hash_value(key: str, value: Any) -> str | None:
    """The normalized SHA-256 for a PII value; null (or blank) stays null rather than hashing ''."""
    if value is None:
        return None
    normalized = HASHED_KEYS[key](str(value))
    return sha256_hex(normalized) if normalized else None


def _scrub(value: Any, *, in_person: bool) -> Any:
    if isinstance(value, list):
        return [_scrub(item, in_person=in_person) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in HASHED_KEYS:
            out[f"{key}_sha256"] = hash_value(key, item)
        elif key in DROPPED_KEYS or (in_person and key in DROPPED_PERSON_KEYS):
            continue
        else:
            out[key] = _scrub(item, in_person=in_person or key in PERSON_OBJECT_KEYS)
    return out


def hash_order_pii(order: dict[str, Any]) -> dict[str, Any]:
    """A copy of an order with e-mail/phone hashed; names, street lines, IP and notes removed.

    Every other field, including ones the platform adds later, passes through unchanged.
    """
    return _scrub(order, in_person=False)
