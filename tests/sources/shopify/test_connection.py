"""Shopify's connection: it serves exactly one shop, extra.shop, which is its one account."""

from __future__ import annotations

import pytest

from extractors.connections import ConnectionConfigError
from extractors.run import list_accounts


def test_env_var_is_read_and_the_shop_is_the_one_account(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_SHOPIFY", "http://:t@127.0.0.1:1/?shop=demo-shop")
    assert list_accounts("shopify") == ["demo-shop"]


def test_a_connection_without_a_shop_lists_no_account(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_SHOPIFY", "http://:t@127.0.0.1:1/")
    with pytest.raises(ConnectionConfigError, match="connection 'shopify' lists no extra.shop"):
        list_accounts("shopify")
