"""A hand-built serving file whose KPIs are computed by hand, a real SMTP server, and a config."""

from __future__ import annotations

import email
import email.policy
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import duckdb
import pytest

from warehouse.summary_email.config import EmailConfig, parse_config

DAY = date(2026, 11, 30)  # the brief's day: "now" is 2026-12-01 10:00 in Shanghai

SALES_ROWS = [
    # order_date, orders, customers, new, returning, gmv, discounts, refunds, net_sales, aov
    (date(2025, 11, 30), 10, 9, 5, 4, 2000, 100, 0, 1900, 200.0),
    (date(2026, 11, 29), 40, 38, 20, 18, 10000, 500, 500, 9000, 250.0),
    (DAY, 50, 48, 30, 18, 15000, 600, 400, 14000, 300.0),
]
AD_ROWS = [
    # date_day, campaign_id, campaign_name, ad_id, spend, conversions, conversion value
    (date(2026, 11, 29), "c1", "Alpha", "a1", 2000, 8, 4000),
    (DAY, "c1", "Alpha", "a1", 2000, 10, 8000),
    (DAY, "c2", "Beta", "a2", 1000, 5, 1000),
    (DAY, "c3", "Gamma", "a3", 500, 0, 0),
    (DAY, "c3", "Gamma", "a4", 500, 5, 3000),
    (DAY, "c4", "Delta", "a5", 0, 0, 0),
]


def write_serving(path: Path, *, published_through: date = DAY, sales: list[tuple[Any, ...]] | None = None) -> Path:
    """A serving file shaped like publish's: schema marts plus _pipeline.publication."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.sales_daily (order_date date, orders bigint, customers bigint, new_customers bigint, "
        "returning_customers bigint, gmv decimal(18,4), discounts decimal(18,4), refunds decimal(18,4), "
        "net_sales decimal(18,4), aov double)"
    )
    con.executemany("insert into marts.sales_daily values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sales or SALES_ROWS)
    con.execute(
        "create table marts.ad_performance_daily (date_day date, platform varchar, account_id varchar, "
        "campaign_id varchar, campaign_name varchar, ad_id varchar, spend decimal(18,4), "
        "platform_conversions decimal(18,4), platform_conversion_value decimal(18,4))"
    )
    con.executemany(
        "insert into marts.ad_performance_daily values (?, 'meta', 'act_1', ?, ?, ?, ?, ?, ?)",
        AD_ROWS,
    )
    con.execute("create schema _pipeline")
    con.execute(
        "create table _pipeline.publication as select 'run_test' as run_id, now() as published_at, "
        "$end - 1 as data_interval_start, $end as data_interval_end, 'build_test' as build_id",
        {"end": date.fromordinal(published_through.toordinal() + 1)},
    )
    con.close()
    return path


def config_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "brand": "Acme Tea",
        "language": "en",
        "currency": "CNY",
        "timezone": "Asia/Shanghai",
        "sender": "brief@acme.test",
        "recipients": ["growth@acme.test", "ceo@acme.test"],
        "alert_recipients": ["data@acme.test"],
        "top_campaigns": 2,
    }
    data.update(overrides)
    return data


def make_config(**overrides: Any) -> EmailConfig:
    return parse_config(config_data(**overrides))


@dataclass
class Inbox:
    port: int
    envelopes: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]  # type: ignore[misc]


def _free_port() -> int:
    # aiosmtpd's Controller cannot bind port 0: take a free port first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on localhost, reached through AIRFLOW_CONN_SMTP_DEFAULT as a deployment would."""
    from aiosmtpd.controller import Controller

    inbox = Inbox(port=_free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    monkeypatch.setenv(
        "AIRFLOW_CONN_SMTP_DEFAULT",
        json.dumps(
            {
                "conn_type": "smtp",
                "host": "127.0.0.1",
                "port": inbox.port,
                "extra": {"disable_ssl": True, "disable_tls": True},
            }
        ),
    )
    try:
        yield inbox
    finally:
        controller.stop()
