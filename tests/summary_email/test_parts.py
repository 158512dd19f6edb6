"""Formatting, configuration, SMTP settings and the DAG file: the pieces the brief is built from."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from extractors.connections import parse_connection
from tests.conftest import REPO_ROOT
from tests.summary_email.conftest import config_data
from warehouse.summary_email.config import EmailConfigError, load_config
from warehouse.summary_email.formatting import MISSING, change, compact, money, percent, ratio
from warehouse.summary_email.send import smtp_settings


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (0, "0", "0"),
        (999.4, "999", "999"),
        (12_345, "1.2万", "12.3k"),
        (999_950, "100万", "1M"),
        (1.5e8, "1.5亿", "150M"),
    ],
)
def test_compact_numbers_per_locale(value, zh, en):
    assert (compact(value, "zh-CN"), compact(value, "en")) == (zh, en)


def test_money_percent_and_missing_never_print_nan_or_divide_by_zero():
    assert money(12_000, "zh-CN", "CNY") == "¥1.2万" and money(38.126, "en", "USD") == "$38.13"
    assert money(5, "en", "XYZ") == "5.00 XYZ"
    assert [percent(v) for v in (0.1234, 0.004, 1.5, 0)] == ["12.3%", "0.40%", "150%", "0%"]
    assert percent(-0.05, signed=True) == "−5.0%" and percent(0.05, signed=True) == "+5.0%"
    assert ratio(1, 0) is None and change(5, 0) is None and change(None, 3) is None
    assert {compact(float("nan"), "en"), money(None, "en", "CNY"), percent(float("inf"))} == {MISSING}


def test_config_from_the_env_file_and_errors_name_the_key(tmp_path, monkeypatch):
    path = tmp_path / "email.json"
    path.write_text(json.dumps(config_data(language="zh-CN")), encoding="utf-8")
    monkeypatch.setenv("MW_EMAIL_CONFIG", str(path))
    config = load_config()
    assert config.language == "zh-CN" and config.recipients == ("growth@acme.test", "ceo@acme.test")
    assert config.sections == ("commerce", "channel", "plan", "anomalies", "content")
    assert (config.top_campaigns, config.top_posts) == (2, 5)
    path.write_text(json.dumps(config_data(timezone="Mars/Base")), encoding="utf-8")
    with pytest.raises(EmailConfigError, match="timezone"):
        load_config()
    path.write_text(json.dumps(config_data(sections=["commerce", "weather"])), encoding="utf-8")
    with pytest.raises(EmailConfigError, match="weather"):
        load_config()
    path.write_text(json.dumps(config_data(recipients=[])), encoding="utf-8")
    with pytest.raises(EmailConfigError, match="recipients"):
        load_config()
    path.write_text(json.dumps(config_data(top_posts=0)), encoding="utf-8")
    with pytest.raises(EmailConfigError, match="top_posts must be a positive integer"):
        load_config()


def test_the_dev_config_parses():
    monkey = {"MW_EMAIL_CONFIG": str(REPO_ROOT / "devenv" / "email_config.json")}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in monkey.items():
            patch.setenv(key, value)
        assert load_config().brand


def test_smtp_settings_follow_the_connection_and_its_tls_extras():
    ssl_default = smtp_settings(parse_connection("smtp_default", '{"conn_type": "smtp", "host": "mail.example"}'))
    assert (ssl_default.host, ssl_default.port, ssl_default.use_ssl, ssl_default.use_tls) == (
        "mail.example",
        465,
        True,
        False,
    )
    starttls = smtp_settings(
        parse_connection("smtp_default", "smtp://user:p%40ss@mail.example:2587?disable_ssl=true&timeout=5")
    )
    assert (starttls.port, starttls.use_ssl, starttls.use_tls, starttls.login, starttls.password) == (
        2587,
        False,
        True,
        "user",
        "p@ss",
    )
    assert starttls.timeout == 5 and "p@ss" not in repr(starttls)


def test_the_dag_file_parses_without_heavy_imports():
    dag_file = REPO_ROOT / "dags" / "marketing_summary_email.py"
    heavy = ("duckdb", "matplotlib", "css_inline", "pandas", "requests", "warehouse.summary_email")
    probe = (
        "import sys, runpy, json; runpy.run_path(%r); "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(%r))))"
    ) % (str(dag_file), heavy)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
