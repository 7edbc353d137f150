"""E-mail in tests: the ``common.email_send`` task runs in the test's process, so a test reads
``django.core.mail.outbox`` whether or not a broker is configured — the ``services`` run has one, and no
worker consumes it unless the test asks for ``celery_worker_process`` (then the real worker sends it).

The arguments make the JSON round trip a broker would make, so a context that could not cross the broker
(a model instance, a lazy string, a Decimal) fails here in the embedded run too.
"""

from __future__ import annotations

import json

import pytest


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
