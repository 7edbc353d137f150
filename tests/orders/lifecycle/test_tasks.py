"""The lifecycle's periodic tasks live in ``orders.lifecycle.tasks``, which Celery's default discovery of
``<app>.tasks`` would not find: a freshly started worker must still register the tasks beat names."""

import os
import subprocess
import sys


def test_a_fresh_worker_registers_the_orders_beat_tasks(settings):
    names = [
        settings.CELERY_BEAT_SCHEDULE[key]["task"]
        for key in ("orders-expire-unpaid", "orders-autocomplete-delivered")
    ]
    probe = (
        "import django; django.setup()\n"
        "from marketplace.celery import app\n"
        "app.loader.import_default_modules()\n"
        f"print(all(name in app.tasks for name in {names!r}))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings"}
    env.pop("REDIS_URL", None)

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True
    )

    assert names == ["orders.orders_expire_unpaid", "orders.seller_orders_autocomplete"]
    assert result.stdout.strip().splitlines()[-1] == "True"
