"""Delivery through the Airflow SMTP connection ``smtp_default`` (or ``AIRFLOW_CONN_SMTP_DEFAULT``).

host, port, login and password come from the connection; its extra follows the SMTP provider's keys:
``disable_ssl`` (default false: implicit TLS, port 465), ``disable_tls`` (default false: STARTTLS when SSL
is off, port 587; both off: plain SMTP, port 25) and ``timeout`` (seconds, default 30).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import urlsplit

from extractors.connections import Connection, ConnectionConfigError, get_connection

SMTP_CONN_ID = "smtp_default"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    use_ssl: bool
    use_tls: bool
    timeout: float
    login: str | None = None
    password: str | None = field(default=None, repr=False)


def _flag(conn: Connection, key: str) -> bool:
    value = conn.extra.get(key, False)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def smtp_settings(conn: Connection) -> SmtpSettings:
    parts = urlsplit(conn.host if "://" in conn.host else f"smtp://{conn.host}")
    if not parts.hostname:
        raise ConnectionConfigError(f"connection '{conn.conn_id}': host is empty")
    use_ssl = not _flag(conn, "disable_ssl")
    use_tls = not use_ssl and not _flag(conn, "disable_tls")
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
        timeout = float(conn.extra.get("timeout", 30))
    except ValueError:
        raise ConnectionConfigError(f"connection '{conn.conn_id}': port or extra.timeout is not a number") from None
    return SmtpSettings(parts.hostname, port, use_ssl, use_tls, timeout, conn.login, conn.password)


def send_message(message: EmailMessage, conn_id: str = SMTP_CONN_ID) -> None:
    """Hand the message to the connection's SMTP server; raises on refusal so the task retries."""
    settings = smtp_settings(get_connection(conn_id))
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.use_ssl:
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.use_tls:
            client.starttls(context=context)
        if settings.login:
            client.login(settings.login, settings.password or "")
        client.send_message(message)
