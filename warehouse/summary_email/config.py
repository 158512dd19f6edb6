"""Who gets the brief, in which language, currency and time zone: configuration, never code.

Read from the JSON file named by ``MW_EMAIL_CONFIG`` (tests, ``make run``) or else from the Airflow
Variable ``marketing_email_config`` (a deployment), both holding the same JSON object.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CONFIG_ENV = "MW_EMAIL_CONFIG"
CONFIG_VARIABLE = "marketing_email_config"
LANGUAGES = ("zh-CN", "en")
DEFAULT_SECTIONS = ("commerce", "channel", "plan", "anomalies", "content")


class EmailConfigError(ValueError):
    """The email configuration is missing or invalid; a retry cannot fix it."""


@dataclass(frozen=True)
class EmailConfig:
    brand: str
    language: str
    currency: str
    timezone: str
    sender: str
    recipients: tuple[str, ...]
    alert_recipients: tuple[str, ...]
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    top_campaigns: int = 3
    top_posts: int = 5

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _addresses(data: dict[str, Any], key: str, *, required: bool) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and "@" in v for v in value):
        raise EmailConfigError(f"email config: {key} must be a list of e-mail addresses")
    if required and not value:
        raise EmailConfigError(f"email config: {key} is empty")
    return tuple(value)


def _positive(data: dict[str, Any], key: str, default: int) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise EmailConfigError(f"email config: {key} must be a positive integer")
    return value


def parse_config(data: Any) -> EmailConfig:
    """Validate a decoded JSON object; every error names the key."""
    from warehouse.summary_email.sections import SECTIONS

    if not isinstance(data, dict):
        raise EmailConfigError("email config must be a JSON object")
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise EmailConfigError(f"email config: language must be one of {LANGUAGES}, not {language!r}")
    timezone = str(data.get("timezone", "UTC"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise EmailConfigError(f"email config: unknown timezone {timezone!r}") from None
    sections = tuple(data.get("sections", DEFAULT_SECTIONS))
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise EmailConfigError(f"email config: unknown sections {unknown}; known: {sorted(SECTIONS)}")
    brand = data.get("brand")
    if not isinstance(brand, str) or not brand.strip():
        raise EmailConfigError("email config: brand is required")
    sender = data.get("sender")
    if not isinstance(sender, str) or "@" not in sender:
        raise EmailConfigError("email config: sender must be an e-mail address")
    recipients = _addresses(data, "recipients", required=True)
    top = _positive(data, "top_campaigns", 3)
    top_posts = _positive(data, "top_posts", 5)
    return EmailConfig(
        brand=brand.strip(),
        language=language,
        currency=str(data.get("currency", "CNY")).upper(),
        timezone=timezone,
        sender=sender,
        recipients=recipients,
        alert_recipients=_addresses(data, "alert_recipients", required=False) or recipients,
        sections=sections,
        top_campaigns=top,
        top_posts=top_posts,
    )


def load_config() -> EmailConfig:
    """From ``$MW_EMAIL_CONFIG`` (a JSON file) if set, else the Airflow Variable ``marketing_email_config``."""
    path = os.environ.get(CONFIG_ENV)
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise EmailConfigError(f"email config: cannot read {CONFIG_ENV}={path}: {error.strerror}") from None
    else:
        try:
            from airflow.sdk import Variable

            text = Variable.get(CONFIG_VARIABLE)
        except Exception as error:
            raise EmailConfigError(
                f"email config: set {CONFIG_ENV} to a JSON file or the Airflow Variable {CONFIG_VARIABLE} "
                f"({type(error).__name__})"
            ) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise EmailConfigError(f"email config is not valid JSON: {error}") from None
    return parse_config(data)
