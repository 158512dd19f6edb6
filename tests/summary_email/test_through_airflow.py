"""The summary-email DAG run by Airflow itself (`airflow dags test`) against a real SMTP server on
localhost and a published serving file: what the scheduler would do at 10:00 Shanghai time on 2026-12-01.

The task process gets its SMTP connection, configuration and var/ folder from the environment exactly as a
deployment would (``AIRFLOW_CONN_SMTP_DEFAULT``, ``MW_EMAIL_CONFIG``, ``MW_VAR_DIR``); the figures are the
hand-computed ones of ``test_daily_brief``. The runs of one module share a metadata database and go in order.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from devenv.airflow_env import airflow_environment, dags_test, ensure_metadata_db
from tests.summary_email.conftest import DAY, Inbox, config_data, write_serving
from tests.summary_email.test_daily_brief import EXPECTED, _parts

DAG_ID = "marketing_summary_email"
LOGICAL_DATE = "2026-12-01T02:00:00+00:00"  # 10:00 in Shanghai: the brief covers 2026-11-30


@pytest.fixture(scope="module")
def airflow(tmp_path_factory: pytest.TempPathFactory):
    var = tmp_path_factory.mktemp("email-dag") / "var"
    config = var / "email_config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps(config_data()), encoding="utf-8")
    previous = os.environ.get("MW_VAR_DIR")
    os.environ["MW_VAR_DIR"] = str(var)
    try:
        env = airflow_environment({})
        env["MW_EMAIL_CONFIG"] = str(config)
        ensure_metadata_db(env)
        yield {"env": env, "var": var}
    finally:
        if previous is None:
            os.environ.pop("MW_VAR_DIR", None)
        else:
            os.environ["MW_VAR_DIR"] = previous


def run_dag(airflow: dict, inbox: Inbox, name: str, conf: dict | None = None) -> None:
    env = {**airflow["env"], "AIRFLOW_CONN_SMTP_DEFAULT": os.environ["AIRFLOW_CONN_SMTP_DEFAULT"]}
    log = airflow["var"] / "logs" / f"{name}.log"
    result = dags_test(env, LOGICAL_DATE, conf, log, dag_id=DAG_ID)
    assert result.returncode == 0, log.read_text()[-5000:]


def serving(airflow: dict) -> Path:
    return airflow["var"] / "warehouse" / "serving.duckdb"


def test_the_dag_sends_the_brief_with_the_marts_figures(airflow, smtp_inbox: Inbox):
    write_serving(serving(airflow))
    run_dag(airflow, smtp_inbox, "first")
    (envelope,) = smtp_inbox.envelopes
    assert sorted(envelope.rcpt_tos) == ["ceo@acme.test", "growth@acme.test"]
    (message,) = smtp_inbox.messages()
    assert "Acme Tea" in message["Subject"] and DAY.isoformat() in message["Subject"]
    text, html, images = _parts(message)
    assert set(images) and all(f'src="cid:{cid}"' in html for cid in images)
    for line in EXPECTED["en"]:
        assert line in text
        figure = line.partition(": ")[2].split("  (")[0]
        assert f">{figure}<" in html


def test_a_rerun_sends_nothing_and_a_forced_rerun_sends_once_more(airflow, smtp_inbox: Inbox):
    run_dag(airflow, smtp_inbox, "rerun")
    assert smtp_inbox.envelopes == []
    run_dag(airflow, smtp_inbox, "forced", {"force": True})
    (message,) = smtp_inbox.messages()
    assert DAY.isoformat() in message["Subject"]


def test_an_unpublished_day_gets_the_data_team_one_alert_and_marketers_nothing(airflow, smtp_inbox: Inbox):
    (airflow["var"] / "email" / "sent.json").unlink()
    write_serving(serving(airflow).with_name("late.duckdb"), published_through=DAY.replace(day=28))
    serving(airflow).unlink()
    serving(airflow).with_name("late.duckdb").rename(serving(airflow))
    run_dag(airflow, smtp_inbox, "late")
    run_dag(airflow, smtp_inbox, "late-retry")
    (envelope,) = smtp_inbox.envelopes
    assert envelope.rcpt_tos == ["data@acme.test"]
    (message,) = smtp_inbox.messages()
    assert "2026-11-28" in message.get_body(("plain",)).get_content()
