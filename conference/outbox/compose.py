"""Build the e-mails we send: multipart text and HTML in the recipient's language.

The layout is the one calendar clients act on (calendars recipe):

    multipart/mixed
      multipart/alternative
        text/plain
        multipart/related (text/html + inline images)
        text/calendar; method=REQUEST
      application/ics attachment
"""

from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale


@dataclass
class InlineImage:
    cid: str  # referenced from the HTML as cid:<cid>
    data: bytes
    subtype: str = "png"


@dataclass
class CalendarPart:
    method: str  # REQUEST, CANCEL or PUBLISH: the same in the calendar and in the Content-Type
    ics: bytes
    filename: str = "invite.ics"


@dataclass
class Mail:
    to_name: str
    to_address: str
    subject: str
    text: str
    html: str
    reply_to: str | None = None
    images: list[InlineImage] = field(default_factory=list)
    calendar: CalendarPart | None = None


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for a mail, on BASE_URL (required in production: a Host header is anyone's to set)."""
    base = current_app.config.get("BASE_URL")
    if has_request_context() and not base:
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base or "http://127.0.0.1:5000"):
        return url_for(endpoint, _external=True, **values)


def render(template: str, language: str, **context) -> tuple[str, str]:
    """The text and HTML bodies of templates/emails/<template>.txt and .html, in the given language."""
    with force_locale(language):
        text = render_template(f"emails/{template}.txt", language=language, **context)
        html = render_template(f"emails/{template}.html", language=language, **context)
    return text, html


def build(mail: Mail) -> EmailMessage:
    sender_name, sender_address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    message = EmailMessage()
    message["Subject"] = single_line(mail.subject)
    message["From"] = Address(sender_name, addr_spec=sender_address)
    message["To"] = Address(single_line(mail.to_name), addr_spec=mail.to_address)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["Date"] = formatdate(localtime=False)
    # fixed now, so that a retried delivery is recognisably the same message
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"

    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    html_part = message.get_payload()[1]
    for image in mail.images:
        html_part.add_related(image.data, maintype="image", subtype=image.subtype, cid=f"<{image.cid}>",
                              disposition="inline", filename=f"{image.cid.split('@')[0]}.{image.subtype}")
    if mail.calendar:
        message.add_alternative(mail.calendar.ics.decode("utf-8"), subtype="calendar",
                                params={"method": mail.calendar.method})
        message.add_attachment(mail.calendar.ics, maintype="application", subtype="ics",
                               filename=mail.calendar.filename)
    return message


def single_line(text: str) -> str:
    return " ".join(text.split())


def envelope_sender() -> str:
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
