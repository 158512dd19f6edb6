"""No customer e-mail or phone number lands anywhere: one pipeline run over the sandbox, whose PII-heavy orders
(sandbox/shopify/world.py) carry contact data under unexpected keys, in tags, in the landing page's query
string and in nested metafields; then every file of the run's var folder (landing, dbt artifacts, logs) and
every table and view of the warehouse and of the serving file is searched for each of them.

The run calls the DAG's steps directly (as tests/test_incremental_marts.py does), because what is checked is
what the steps write; tests/test_end_to_end.py runs the same steps through Airflow with the same sandbox
connections. The search does not reuse the detector under test: it looks for the literal forms the world
wrote, by digit runs and address-shaped substrings, plus the customers' e-mail domain anywhere.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import duckdb
import pytest

from sandbox.shopify.world import CUSTOMER_ID_BASE
from tests.conftest import reset_sandbox
from tests.helpers import AS_OF
from warehouse import pipeline

INITIAL_DAYS = 14
AS_OF_MOMENT = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)
# Every customer address the world writes is at this domain; nothing else in the data is.
CUSTOMER_DOMAIN = "example.com"

_DIGIT_RUN = re.compile(r"[0-9]+")
_ADDRESS_SHAPED = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+")
_PHONE_SEPARATORS = str.maketrans("", "", " -()")


@pytest.fixture(scope="module")
def pii_run(running_sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A 14-day initial load through every step, into a private var folder; the shop's orders of its window."""
    from devenv.airflow_env import connection_variables

    var = tmp_path_factory.mktemp("pii_scan") / "var"
    sb = running_sandbox
    reset_sandbox(sb)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MW_VAR_DIR", str(var))
        for name, value in connection_variables(sb.connections()).items():
            mp.setenv(name, value)
        interval_start, interval_end = AS_OF - timedelta(days=1), AS_OF
        run_id = f"pii-scan-{AS_OF}"
        jobs = pipeline.plan_every_stream(
            interval_start=interval_start, interval_end=interval_end, run_id=run_id, initial_load_days=INITIAL_DAYS
        )
        manifests = [pipeline.run_extraction_job(job) for job in jobs]
        pipeline.load_and_validate_raw(manifests)
        pipeline.build_marts()
        pipeline.publish_to_serving(run_id=run_id, interval_start=interval_start, interval_end=interval_end)
        (shop_job,) = [job for job in jobs if job["source"] == "shopify"]
        start = datetime.combine(date.fromisoformat(shop_job["window_start"]), datetime.min.time(), tzinfo=UTC)
        orders = sb.world.part("shopify").orders_updated_between(start, AS_OF_MOMENT, AS_OF_MOMENT)
        yield {"var": var, "orders": orders, "shop": sb.world.part("shopify")}
    reset_sandbox(sb)


def stray_orders(run: dict[str, Any]) -> list[dict[str, Any]]:
    return [order for order in run["orders"] if "buyer_contact" in order]


def needles(run: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(lower-cased e-mails, phone digit strings) of every customer in the window, in every written form."""
    emails, phones = set(), set()
    for order in run["orders"]:
        email, phone = order["email"], order["phone"]  # the customer's, as the API wrote them
        emails.add(email.lower())
        digits = phone.translate(_PHONE_SEPARATORS).lstrip("+")
        phones.update({digits, digits.removeprefix("86")})  # E.164 without '+', and the national number
    for order in stray_orders(run):
        for form in _contact_forms(run, order):
            if "@" in unquote(form):
                emails.add(unquote(form).lower())
            else:
                digits = form.translate(_PHONE_SEPARATORS).lstrip("+")
                phones.update({digits, digits.removeprefix("86")})
    return emails, phones


def _contact_forms(run: dict[str, Any], order: dict[str, Any]) -> tuple[str, ...]:
    customer = run["shop"].customer(order["customer"]["id"] - CUSTOMER_ID_BASE)
    assert customer.email == order["email"]
    forms: tuple[str, ...] = customer.contact_forms()
    return forms


def leaks(text: str, emails: set[str], phones: set[str]) -> list[str]:
    found = [CUSTOMER_DOMAIN] if CUSTOMER_DOMAIN in text.lower() else []
    found += [m for m in _ADDRESS_SHAPED.findall(text) if unquote(m).lower() in emails]
    found += [run for run in _DIGIT_RUN.findall(text.translate(_PHONE_SEPARATORS)) if run in phones]
    return found


def database_text(path: Path) -> Iterator[tuple[str, str]]:
    """(relation, every value of every row as text) for each table and view of a DuckDB file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() where not internal "
            "union all select schema_name, view_name from duckdb_views() where not internal"
        ).fetchall()
        assert relations
        for schema, name in relations:
            rows = con.execute(f'select * from "{schema}"."{name}"').fetchall()
            yield f"{path.name}:{schema}.{name}", "\n".join("\t".join(map(str, row)) for row in rows)
    finally:
        con.close()


def test_the_fixture_put_pii_in_odd_places_and_it_landed_as_tokens(pii_run: dict[str, Any]) -> None:
    stray = stray_orders(pii_run)
    assert len(stray) >= 20, "the PII-heavy fixture placed too little to prove anything"
    assert len(stray) < len(pii_run["orders"]) / 10
    for order in stray:
        assert order["mobile"] == order["phone"][3:] and order["buyer_contact"].startswith("+86 ")
        assert order["email"] in order["tags"] and order["email"].replace("@", "%40") in order["landing_site"]
        assert order["customer"]["metafields"][0]["value"]["contact"]["email"] == order["email"]

    landed: dict[int, dict[str, Any]] = {}
    for path in (pii_run["var"] / "landing" / "shopify").rglob("records.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            landed[record["id"]] = record
    assert set(landed) == {order["id"] for order in pii_run["orders"]}
    for order in stray:
        record = landed[order["id"]]
        phone_token, email_token = f"pii:{record['phone_sha256']}", f"pii:{record['email_sha256']}"
        assert record["buyer_contact"] == record["mobile"] == phone_token  # same customer, same hash
        assert record["tags"] == f"vip, {email_token}"
        assert record["landing_site"].endswith(f"email={email_token}")
        backup = json.loads(record["customer"]["metafields"][1]["value"])
        assert backup == {"mail": email_token, "tel": phone_token}


def test_utm_parameters_of_pii_heavy_orders_still_reach_the_orders_mart(pii_run: dict[str, Any]) -> None:
    con = duckdb.connect(str(pii_run["var"] / "warehouse" / "serving.duckdb"), read_only=True)
    try:
        mart = {
            row[0]: row[1:]
            for row in con.execute("select order_id, utm_source, utm_medium, utm_campaign from marts.orders").fetchall()
        }
    finally:
        con.close()
    checked = 0
    for order in stray_orders(pii_run):
        if order["id"] not in mart:
            continue  # created before the published window
        query = parse_qs(urlsplit(order["landing_site"]).query)
        expected = tuple(query.get(key, [None])[0] for key in ("utm_source", "utm_medium", "utm_campaign"))
        assert mart[order["id"]] == expected, order["landing_site"]
        checked += expected[0] is not None
    assert checked >= 5


def test_no_customer_email_or_phone_anywhere_in_landing_raw_or_serving(pii_run: dict[str, Any]) -> None:
    emails, phones = needles(pii_run)
    assert len(emails) > 500 and len(phones) > 1000
    # The search can find what it looks for: the world's own rendering of a PII-heavy order.
    assert leaks(json.dumps(stray_orders(pii_run)[0], ensure_ascii=False), emails, phones)

    var: Path = pii_run["var"]
    found: dict[str, list[str]] = {}
    scanned_files = 0
    for path in sorted(p for p in var.rglob("*") if p.is_file()):
        if path.suffix in (".duckdb", ".wal") or path.parent.name == "secrets":
            continue
        scanned_files += 1
        hits = leaks(path.read_text(encoding="utf-8", errors="replace"), emails, phones)
        if hits:
            found[str(path.relative_to(var))] = hits[:5]
    assert scanned_files > 0 and any((var / "landing").rglob("records.jsonl"))

    relations = 0
    for database in (var / "warehouse" / "warehouse.duckdb", var / "warehouse" / "serving.duckdb"):
        for relation, text in database_text(database):
            relations += 1
            hits = leaks(text, emails, phones)
            if hits:
                found[relation] = hits[:5]
    assert relations >= 8
    assert found == {}


def test_the_run_hashed_with_its_var_folders_private_key(running_sandbox: Any, pii_run: dict[str, Any]) -> None:
    key_file = pii_run["var"] / "secrets" / "pii_hashing.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    secret = key_file.read_text().strip()
    assert len(secret) == 64
    # What the extraction used (the connection's password) is this file's secret.
    connection = json.loads(os.environ["AIRFLOW_CONN_PII_HASHING"])
    assert connection["password"] == secret == running_sandbox.connections()["pii_hashing"]["password"]


def test_the_sandbox_secret_is_generated_once_and_reused(
    var_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sandbox.harness import pii_secret

    first = pii_secret()
    assert (var_dir / "secrets" / "pii_hashing.key").stat().st_mode & 0o777 == 0o600
    assert pii_secret() == first  # a later `make run` hashes like this one
    monkeypatch.setenv("MW_VAR_DIR", str(tmp_path / "other-var"))
    assert pii_secret() != first  # another var folder, another secret: none is built in
