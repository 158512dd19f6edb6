"""The MIME shape mail clients expect: multipart/alternative of the text part and a multipart/related
HTML part whose charts are inline image/png parts, each with the Content-ID the HTML names as ``cid:``.

(The SMTP provider's ``files`` argument would attach them as application/octet-stream, not inline.)
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from warehouse.summary_email.render import Rendered

MESSAGE_ID_DOMAIN = "marketing-warehouse"


def build_message(rendered: Rendered, *, sender: str, recipients: Sequence[str]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=MESSAGE_ID_DOMAIN)
    message.set_content(rendered.text)
    if rendered.html:
        message.add_alternative(rendered.html, subtype="html")
        html_part = next(part for part in message.iter_parts() if part.get_content_type() == "text/html")
        for chart in rendered.charts:
            # On a text/html part, add_related turns it into multipart/related holding the HTML first.
            html_part.add_related(
                chart.png,
                maintype="image",
                subtype="png",
                cid=f"<{chart.cid}>",
                filename=f"{chart.cid}.png",
                disposition="inline",
            )
    return message
