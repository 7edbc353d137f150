"""A task only the worker-loss test loads (``celery worker -I tests.plugins.worker_probe``): it counts its
runs in Redis and, on its first run, sleeps long enough to be killed mid-task."""

from __future__ import annotations

import time

import redis
from celery import shared_task
from django.conf import settings

QUEUE = "worker-loss-probe"


@shared_task(name="tests.worker_loss_probe", acks_late=True, time_limit=60, soft_time_limit=50)
def worker_loss_probe(key: str) -> int:
    client = redis.Redis.from_url(settings.REDIS_URL)
    runs = int(client.incr(f"{key}:runs"))
    if runs == 1:
        time.sleep(45)  # the test kills the worker here
    # The effect that must happen exactly once.
    client.incr(f"{key}:done")
    return runs
