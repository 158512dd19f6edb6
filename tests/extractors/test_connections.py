"""Connections parse from both of Airflow's env-var forms to the same thing, and every declared source lists
its accounts from where its declaration says."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from extractors.catalog import sources
from extractors.connections import (
    ConnectionConfigError,
    env_var_name,
    extra_str_list,
    get_connection,
    parse_connection,
)
from extractors.run import list_accounts

JSON_FORM = json.dumps(
    {
        "conn_type": "http",
        "host": "http://127.0.0.1:18701",
        "password": "s3cr3t/token+x",
        "extra": {"account_ids": ["act_1001", "act_2002"], "api_version": "v21.0"},
    }
)


def test_json_form() -> None:
    conn = parse_connection("ads_api", JSON_FORM)
    assert conn.host == "http://127.0.0.1:18701"
    assert conn.password == "s3cr3t/token+x"
    assert conn.extra["account_ids"] == ["act_1001", "act_2002"]


def test_json_form_with_split_host_port_and_string_extra() -> None:
    value = json.dumps(
        {
            "conn_type": "https",
            "host": "graph.facebook.com",
            "port": 443,
            "password": "t",
            "extra": '{"a": 1}',
        }
    )
    conn = parse_connection("ads_api", value)
    assert conn.host == "https://graph.facebook.com:443"
    assert conn.extra == {"a": 1}


def test_uri_form_percent_decodes_the_secret_and_keeps_query_as_extra() -> None:
    conn = parse_connection("shop_api", "http://:shpat%2Fabc%2Bdef@127.0.0.1:18702/?shop=demo-shop&api_version=2025-01")
    assert conn.host == "http://127.0.0.1:18702"
    assert conn.password == "shpat/abc+def"
    assert conn.extra == {"shop": "demo-shop", "api_version": "2025-01"}


def test_uri_form_with_json_extra_and_a_host_that_carries_its_scheme() -> None:
    extra = json.dumps({"account_ids": ["act_1001"]})
    conn = parse_connection("ads_api", f"http://:tok@https%3A%2F%2Fgraph.facebook.com/?__extra__={quote(extra)}")
    assert conn.host == "https://graph.facebook.com"
    assert conn.extra == {"account_ids": ["act_1001"]}


def test_uri_list_extra_may_be_comma_separated() -> None:
    conn = parse_connection("ads_api", "https://:tok@graph.facebook.com?account_ids=act_1001,act_2002")
    assert conn.host == "https://graph.facebook.com"
    assert extra_str_list(conn, "account_ids") == ["act_1001", "act_2002"]


def test_repr_never_shows_the_secret() -> None:
    assert "s3cr3t" not in repr(parse_connection("ads_api", JSON_FORM))


@pytest.mark.parametrize("source", sources(), ids=lambda s: s.name)
def test_env_var_is_read_and_accounts_are_listed(source, monkeypatch: pytest.MonkeyPatch) -> None:
    """In either form, wherever the source's declaration says its accounts are (a list, or one account)."""
    key, many = source.accounts.extra_key, source.accounts.many
    accounts = ["acct-1", "acct-2"] if many else ["acct-1"]
    extra = {key: accounts if many else accounts[0]}
    variable = env_var_name(source.conn_id)
    json_form = {"conn_type": "http", "host": "http://127.0.0.1:1", "password": "t0k", "extra": extra}
    monkeypatch.setenv(variable, json.dumps(json_form))
    assert get_connection(source.conn_id).password == "t0k"
    assert list_accounts(source.name) == accounts
    # The URI form carries a list as a comma-separated query value.
    monkeypatch.setenv(variable, f"http://:t@127.0.0.1:1/?{key}={','.join(accounts)}")
    assert list_accounts(source.name) == accounts


@pytest.mark.parametrize("source", sources(), ids=lambda s: s.name)
def test_a_connection_without_accounts_names_the_setting(source, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(env_var_name(source.conn_id), "http://:t@127.0.0.1:1/")
    with pytest.raises(ConnectionConfigError, match=f"lists no extra.{source.accounts.extra_key}"):
        list_accounts(source.name)


def test_invalid_json_names_the_connection_not_the_value() -> None:
    with pytest.raises(ConnectionConfigError, match="ads_api") as info:
        parse_connection("ads_api", '{"password": "s3cr3t", ')
    assert "s3cr3t" not in str(info.value)


def test_missing_everywhere_falls_back_to_airflow_and_says_how_to_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_NO_SUCH_CONN", raising=False)
    with pytest.raises(ConnectionConfigError, match="AIRFLOW_CONN_NO_SUCH_CONN"):
        get_connection("no_such_conn")
