"""E-mail in tests.

* The ``common.email_send`` task runs in the test's process, so a test reads ``django.core.mail.outbox``
  whether or not a broker is configured — the ``services`` run has one, and no worker consumes it unless
  the test asks for ``celery_worker_process`` (then the real worker sends the mail). The arguments make
  the JSON round trip a broker would make, so a context that could not cross the broker (a model
  instance, a lazy string, a Decimal) fails in the embedded run too.
* ``smtp_down``: the mail server fails every message (by default it hangs up, as a restarting server
  does); the fixture's value records each attempt and lets a test choose another error.
* ``email_retries``: the wait (seconds) of each retry the e-mail task asks for.
"""

from __future__ import annotations

import json
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend


@pytest.fixture(autouse=True)
def _email_tasks_in_process(request, monkeypatch):
    if "celery_worker_process" in request.fixturenames:
        return
    from common.tasks import email_send_task

    def apply_in_process(args=None, kwargs=None, **options):
        return email_send_task.apply(
            args=json.loads(json.dumps(args or [])), kwargs=json.loads(json.dumps(kwargs or {}))
        )

    monkeypatch.setattr(email_send_task, "apply_async", apply_in_process)


class FailingSMTPBackend(BaseEmailBackend):
    """A mail server that fails every message with ``error``; ``attempts`` holds (recipient, subject)."""

    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    attempts: list[tuple[str, str]] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            FailingSMTPBackend.attempts.append((message.to[0], message.subject))
        raise FailingSMTPBackend.error


@pytest.fixture
def smtp_down(settings):
    FailingSMTPBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    FailingSMTPBackend.attempts = []
    settings.EMAIL_BACKEND = "tests.plugins.mail.FailingSMTPBackend"
    yield FailingSMTPBackend
    FailingSMTPBackend.attempts = []


@pytest.fixture
def email_retries(monkeypatch):
    from common.tasks import email_send_task

    countdowns: list[int] = []
    retry = email_send_task.retry

    def retry_spy(*args, **kwargs):
        countdowns.append(kwargs["countdown"])
        return retry(*args, **kwargs)

    monkeypatch.setattr(email_send_task, "retry", retry_spy)
    return countdowns
