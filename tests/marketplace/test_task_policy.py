"""Every task fits the broker's visibility timeout (common.taskpolicy), so a dead worker's work is redone
within minutes and a healthy worker's work is never handed out twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from common.taskpolicy import RETRY_COUNTDOWN_MAX, retries_for, retry_countdown
from marketplace.celery import app

REDIS_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings;"
    "print(json.dumps([settings.CELERY_BROKER_TRANSPORT_OPTIONS, settings.CELERY_TASK_TIME_LIMIT]))"
)


def _transport_options_with(broker_env: dict[str, str]) -> list:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DEBUG": "1",
        **broker_env,
    }
    out = subprocess.run(
        [sys.executable, "-c", REDIS_SETTINGS], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_the_redis_broker_hands_back_a_dead_workers_work_after_two_minutes():
    options, default_limit = _transport_options_with({"REDIS_URL": "redis://127.0.0.1:6379/15"})

    assert options == {
        "visibility_timeout": 120,
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
    assert default_limit + RETRY_COUNTDOWN_MAX < options["visibility_timeout"]


@pytest.mark.parametrize("name", sorted(_tasks()))
def test_an_acks_late_task_runs_and_waits_for_its_retry_within_the_visibility_timeout(name):
    task = app.tasks[name]
    acks_late = task.acks_late if task.acks_late is not None else settings.CELERY_TASK_ACKS_LATE
    if not acks_late:
        return  # a sweep beat runs again at its next tick
    time_limit = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
    backoff_max = (
        getattr(task, "retry_backoff_max", RETRY_COUNTDOWN_MAX) if getattr(task, "autoretry_for", ()) else 0
    )

    assert time_limit + RETRY_COUNTDOWN_MAX < 120, f"{name}: time_limit {time_limit}"
    assert backoff_max <= RETRY_COUNTDOWN_MAX, f"{name}: retry_backoff_max {backoff_max}"


def test_every_beat_entry_names_a_registered_task():
    tasks = _tasks()

    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= set(tasks)


def test_retries_wait_at_most_30_s_and_keep_trying_for_the_span_asked():
    waits = [retry_countdown(n) for n in range(retries_for(30 * 60))]

    assert waits[:4] == [5, 10, 20, 30]
    assert max(waits) == 30
    assert 30 * 60 <= sum(waits) < 30 * 60 + 30
