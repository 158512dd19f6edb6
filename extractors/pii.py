"""Customer PII is hashed or dropped before a record lands, so no raw contact data is ever stored.

Two passes over every record, in one walk:

* **By key.** ``email``, ``contact_email`` and ``phone``, wherever they appear, become ``<key>_sha256``.
  The warehouse needs a stable customer key (new vs returning, repurchase rate), so these are hashed rather
  than dropped; the ``_sha256`` names are the warehouse's column contract and stay, but the value is now
  HMAC-SHA256 (hex) of the *normalized* value (e-mail trimmed and lower-cased; phone in E.164, ``+`` and
  digits). Names and street lines have no analytic use and are dropped from people and addresses, as are
  the buyer's IP (``browser_ip``, and ``client_details``, which repeats it next to the user agent) and the
  free-text notes (``note``, ``note_attributes``) wherever they appear.
* **By value.** Platforms put contact data where no key list can follow it: a phone under
  ``buyer_contact`` or ``mobile``, an e-mail among ``tags``, in a ``landing_site`` query string
  (``email=c42%40example.com``), in a nested contact object or a metafield. Every string, under any key, at
  any depth, is therefore scanned, and each e-mail address or phone number in it is replaced in place by
  ``pii:<hex HMAC>`` of its normalized value; the rest of the string (other query parameters, other tags)
  stays. The token equals the ``*_sha256`` of the same address, so a customer found in a tag still joins.
  A declared allow-list of field paths exempts fields that must stay verbatim from this pass (never from
  the by-key pass).

Why keyed: plain SHA-256 of an e-mail is reversed by hashing a list of common addresses. With the secret
(the password of the Airflow Connection ``pii_hashing``) out of reach, the landed hashes cannot be looked
up, while the same normalized value still hashes the same in every source, because the key is global.
A missing or weak key fails the extraction; nothing ever falls back to unkeyed hashing. Customer-match
uploads to ad platforms, which want plain SHA-256, must hash from the source system, not from the
warehouse.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote

from extractors.connections import ConnectionConfigError, env_var_name, get_connection, parse_connection

PII_CONN_ID = "pii_hashing"
TOKEN_PREFIX = "pii:"
# A short secret can be brute-forced together with a list of addresses; secrets.token_hex(32) gives 64.
MIN_SECRET_LENGTH = 32


class PiiKeyError(ConnectionConfigError):
    """The HMAC secret is missing or too weak: records must not land, hashed or not."""


# -- the key -----------------------------------------------------------------------------------------------


def hashing_key() -> bytes:
    """The HMAC key: the password of Connection ``pii_hashing`` (or ``AIRFLOW_CONN_PII_HASHING``).

    Resolved once per process; the env var's value is the cache key, so a process whose variable changes
    (a test, a second sandbox) gets the new key instead of a stale one.
    """
    return _key_from(os.environ.get(env_var_name(PII_CONN_ID)))


@functools.lru_cache(maxsize=4)
def _key_from(env_value: str | None) -> bytes:
    try:
        conn = parse_connection(PII_CONN_ID, env_value) if env_value else get_connection(PII_CONN_ID)
    except ConnectionConfigError as exc:
        raise PiiKeyError(
            f"PII hashing key unavailable, so nothing can land: {exc}. Create Connection '{PII_CONN_ID}' "
            f"(or set {env_var_name(PII_CONN_ID)}) with the HMAC secret as its password"
        ) from None
    secret = conn.password or ""
    if len(secret) < MIN_SECRET_LENGTH:
        # Never say what the secret is, not even its length.
        raise PiiKeyError(
            f"connection '{PII_CONN_ID}': the password (the PII HMAC secret) is missing or shorter than "
            f"{MIN_SECRET_LENGTH} characters; generate one with "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    return secret.encode("utf-8")


def keyed_hash(normalized: str, secret: bytes) -> str:
    """HMAC-SHA256 (hex) of an already-normalized value."""
    return hmac.digest(secret, normalized.encode("utf-8"), hashlib.sha256).hex()


# -- normalization ---------------------------------------------------------------------------------------

_NOT_PHONE_CHARS = re.compile(r"[^+0-9]")
_CN_MOBILE_NATIONAL = re.compile(r"1[3-9][0-9]{9}")


def normalize_email(value: str) -> str:
    return value.strip().lower()


def normalize_phone(value: str) -> str:
    """E.164: separators and brackets vary by how the customer typed it; '+' and digits carry meaning.

    A Chinese mobile typed without its country code (``138 0000 0042``) gets ``+86``, and a ``00``
    international prefix becomes ``+``, so the same phone hashes the same however it was written.
    """
    phone = _NOT_PHONE_CHARS.sub("", value)
    if phone.startswith("00"):
        return "+" + phone[2:]
    if _CN_MOBILE_NATIONAL.fullmatch(phone):
        return "+86" + phone
    return phone


# -- detection by value ----------------------------------------------------------------------------------

# An address, also percent-encoded in a URL (``%40`` for '@'). It may start after a ``%XX`` escape
# (``email%3Dc42%40example.com``) but never inside one, and otherwise only where a run of address
# characters starts: with the possessive local part that keeps the search linear in the string's length.
_EMAIL = re.compile(
    r"(?:(?<=%[0-9A-Fa-f]{2})|(?<![A-Za-z0-9._+%-]))"
    r"[A-Za-z0-9._+-]++(?:@|%40)(?:[A-Za-z0-9-]++\.)+[A-Za-z]{2,63}(?![A-Za-z0-9-])",
    re.ASCII,
)

# Phones, conservatively, because orders are full of digits that are not phones: ids (Shopify's are 13
# digits), prices, timestamps, ISO dates, SKUs, postcodes. Only two shapes count:
#  * international, with a leading '+' (or %2B): 8-15 digits (E.164's range) in groups separated by
#    spaces, '-' or brackets. '.' is not a separator, so no decimal with a sign is read as a phone, and
#    "+08:00" in a timestamp has too few digits;
#  * a Chinese mobile without country code: exactly 11 digits starting 13-19, optionally 3-4-4 grouped.
#    A digit, letter, '_' or '.' on either side means it is part of a longer number or an identifier (a
#    13-digit id, a decimal), so it is left alone. Chinese text around it ("电话13800000042") is not a
#    letter here: the boundaries are ASCII.
# Not caught, on purpose: a mobile written as 13 digits with "86" but no '+' (indistinguishable from a
# Shopify id), landlines without '+', and phones stored as JSON numbers (numbers are ids and amounts).
_PHONE = re.compile(
    r"(?<![A-Za-z0-9_.])"
    r"(?:(?:\+|%2[Bb])[0-9](?:[ ()\-]{0,2}[0-9]){7,14}(?![0-9])"
    r"|1[3-9][0-9](?:[ \-]?[0-9]{4}){2}(?![A-Za-z0-9_]|\.[0-9]))",
    re.ASCII,
)
# The shortest phone above has 8 digits: shorter strings ("CNY", "368.00", "#1001") skip the regex.
_MIN_PHONE_LENGTH = 9


class _Scrubber:
    """One record's walk with one key and one allow-list; digests are memoized within the record (a
    customer's e-mail and phone appear several times in one order)."""

    __slots__ = ("_secret", "_digests")

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._digests: dict[str, str] = {}

    def digest(self, normalized: str) -> str:
        found = self._digests.get(normalized)
        if found is None:
            found = self._digests[normalized] = keyed_hash(normalized, self._secret)
        return found

    def _email_token(self, match: re.Match[str]) -> str:
        return TOKEN_PREFIX + self.digest(normalize_email(unquote(match.group())))

    def _phone_token(self, match: re.Match[str]) -> str:
        return TOKEN_PREFIX + self.digest(normalize_phone(unquote(match.group())))

    def scan(self, text: str) -> str:
        # Substring tests run at C speed and rule out almost every string before a regex runs.
        if "@" in text or "%40" in text:
            text = _EMAIL.sub(self._email_token, text)
        if len(text) >= _MIN_PHONE_LENGTH:
            text = _PHONE.sub(self._phone_token, text)
        return text

    def hash_key_value(self, key: str, value: Any) -> str | None:
        if value is None:
            return None
        normalized = HASHED_KEYS[key](str(value))
        return self.digest(normalized) if normalized else None

    def walk(self, value: Any, allow: _AllowNode | None, in_person: bool) -> Any:
        if isinstance(value, str):
            return value if allow is _VERBATIM else self.scan(value)
        if isinstance(value, list):
            return [self.walk(item, allow, in_person) for item in value]
        if not isinstance(value, dict):
            # Numbers, booleans and null: ids and amounts, never scanned (see _PHONE).
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in HASHED_KEYS:
                out[f"{key}_sha256"] = self.hash_key_value(key, item)
            elif key in DROPPED_KEYS or (in_person and key in DROPPED_PERSON_KEYS):
                continue
            else:
                below = allow if allow is _VERBATIM else (allow.get(key) if allow else None)
                out[key] = self.walk(item, below, in_person or key in PERSON_OBJECT_KEYS)
        return out


# -- what is hashed, dropped and kept --------------------------------------------------------------------

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

# Order fields kept verbatim by the value pass (dotted paths; a list's items share the list's path, and a
# path naming an object covers everything under it). SKUs and carriers' tracking numbers are the shop's
# and the carrier's identifiers, not the customer's: numeric ones can be 11 digits starting 13-19, the shape
# of a mobile number, and operations joins on them as they are.
ORDER_VERBATIM_FIELDS: tuple[str, ...] = (
    "line_items.sku",
    "fulfillments.tracking_number",
    "fulfillments.tracking_numbers",
)

_VERBATIM: dict[str, Any] = {}  # the allow-list trie's leaf: everything from here down stays
_AllowNode = dict[str, Any]


@functools.lru_cache(maxsize=32)
def _allow_trie(paths: tuple[str, ...]) -> _AllowNode | None:
    """``("a.b", "a.c.d")`` -> ``{"a": {"b": LEAF, "c": {"d": LEAF}}}``: a dict lookup per key while walking."""
    if not paths:
        return None
    root: _AllowNode = {}
    for path in paths:
        parts = path.split(".")
        if not all(parts):
            raise ValueError(f"PII allow-list path {path!r} is not a dotted field path")
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if child is _VERBATIM:
                break  # a shorter path already keeps this whole subtree
            node = node.setdefault(part, {})
        else:
            node[parts[-1]] = _VERBATIM
    return root


def scrub_pii(record: dict[str, Any], *, allow: Iterable[str] = (), secret: bytes | None = None) -> dict[str, Any]:
    """A copy of ``record`` with PII hashed by key and by value; the input is not changed.

    ``allow`` lists dotted field paths whose strings stay verbatim (they are still subject to the by-key
    pass). ``secret`` defaults to the ``pii_hashing`` connection's; passing one is for tests and tools.
    """
    scrubber = _Scrubber(hashing_key() if secret is None else secret)
    out: dict[str, Any] = scrubber.walk(record, _allow_trie(tuple(allow)), in_person=False)
    return out


def hash_order_pii(order: dict[str, Any], *, secret: bytes | None = None) -> dict[str, Any]:
    """A Shopify order ready to land: e-mails and phones keyed-hashed wherever they are; names, street
    lines, IP and notes removed; ``ORDER_VERBATIM_FIELDS`` kept as they are.

    Every other field, including ones the platform adds later, passes through, with any contact data
    inside its strings replaced by tokens.
    """
    return scrub_pii(order, allow=ORDER_VERBATIM_FIELDS, secret=secret)
