"""Transactional e-mail: one message, rendered from a pair of templates in the recipient's language, and
sent. Domain code never talks to the mail server itself: after its change has committed it hands plain
values to ``common.tasks.email_send_enqueue``, and the ``common.email_send`` task calls ``email_send``
here — in a worker, so a slow or unreachable SMTP server delays the mail, never the request.

A message is ``<template>_subject.txt`` and ``<template>_body.txt`` (e.g. ``emails/orders/order``); the
context holds only JSON values (the task's arguments cross the broker), which the templates read like
attributes (``{{ order.number }}`` works on ``{"order": {"number": ...}}``).
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def email_render(*, template: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """Subject (one line) and body of a message, in ``language`` (the site's language when empty)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    return subject, body


def email_send(*, to: str, language: str, template: str, context: dict[str, Any]) -> None:
    """Render and send one message; the mail server's errors reach the caller (the task retries them)."""
    subject, body = email_render(template=template, language=language, context=context)
    send_mail(subject, body, None, [to])


def smtp_error_is_transient(exc: BaseException) -> bool:
    """Whether sending again later may succeed: the server was unreachable, hung up or timed out, or
    answered with a temporary (4xx) code. A permanent (5xx) answer — unknown recipient, refused sender,
    failed login — does not change by waiting."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):  # e.g. SMTPNotSupportedError: a configuration problem
        return False
    # Connection refused or reset, DNS failure, TLS handshake cut, socket timeout (TimeoutError).
    return isinstance(exc, OSError)
