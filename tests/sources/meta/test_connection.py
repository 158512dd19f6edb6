"""Meta's connection: the account list comes from extra.account_ids, in either of Airflow's forms."""

from __future__ import annotations

import json

import pytest

from extractors.connections import get_connection
from extractors.run import list_accounts

JSON_META = json.dumps(
    {
        "conn_type": "http",
        "host": "http://127.0.0.1:18701",
        "password": "s3cr3t/token+x",
        "extra": {"account_ids": ["act_1001", "act_2002"], "api_version": "v21.0"},
    }
)


def test_env_var_is_read_and_accounts_are_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_META_ADS", JSON_META)
    assert get_connection("meta_ads").password == "s3cr3t/token+x"
    assert list_accounts("meta") == ["act_1001", "act_2002"]


def test_uri_form_accounts_may_be_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_META_ADS", "https://:tok@graph.facebook.com?account_ids=act_1001,act_2002")
    assert list_accounts("meta") == ["act_1001", "act_2002"]
