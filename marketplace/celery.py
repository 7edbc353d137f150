"""The Celery application. Tasks live in each app's ``tasks.py`` (and, for payments, ``tasks_payouts.py``
and ``tasks_reconciliation.py``) and are discovered from there."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The orders app keeps its tasks with the order lifecycle (orders/lifecycle/tasks.py).
app.autodiscover_tasks(["orders.lifecycle"])
app.autodiscover_tasks(related_name="tasks_payouts")
app.autodiscover_tasks(related_name="tasks_reconciliation")


@app.task(name="marketplace.ping")
def ping(value: str) -> str:
    """Round-trip probe used by /healthz and the worker tests: proves broker -> worker -> result."""
    return f"pong:{value}"


@app.task(name="marketplace.heartbeat")
def heartbeat() -> str:
    """A periodic no-op that shows beat is scheduling (visible in worker logs)."""
    return "ok"
