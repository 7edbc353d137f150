"""Work lost with a worker is redone within a minute or two, and once in effect (issue: a SIGKILLed
worker's tasks waited an hour for Redis's default visibility timeout). PostgreSQL + Redis only."""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from django.conf import settings

from tests.plugins.services import worker_start, worker_stop
from tests.plugins.worker_probe import QUEUE, worker_loss_probe

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("transactional_db")]

# Short enough for a test; production's is 120 s (CELERY_VISIBILITY_TIMEOUT).
VISIBILITY = "5"


def _start(name: str):
    process, log_path = worker_start(
        name=name,
        args=("-Q", QUEUE, "-I", "tests.plugins.worker_probe"),
        env={"CELERY_VISIBILITY_TIMEOUT": VISIBILITY},
    )
    _wait(lambda: b" ready." in log_path.read_bytes(), timeout=60, what=f"{name} to start", process=process)
    return process


def _wait(condition, *, timeout: float, what: str, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}")
        time.sleep(0.2)
    pytest.fail(f"gave up waiting {timeout} s for {what}")


def test_a_task_taken_by_a_killed_worker_is_run_again_by_the_next_one_exactly_once():
    client = redis.Redis.from_url(settings.REDIS_URL)
    key = f"worker-loss:{uuid.uuid4().hex}"
    first = _start("worker-loss-first")
    try:
        worker_loss_probe.apply_async(kwargs={"key": key}, queue=QUEUE)
        _wait(lambda: client.get(f"{key}:runs") == b"1", timeout=30, what="the first run to start")
        first.kill()  # SIGKILL: the worker cannot acknowledge, requeue or say goodbye
        first.wait(timeout=10)
    finally:
        worker_stop(first)
    assert client.get(f"{key}:done") is None

    killed_at = time.monotonic()
    second = _start("worker-loss-second")
    try:
        _wait(lambda: client.get(f"{key}:done") == b"1", timeout=60, what="the task to be redone")
        redone_after = time.monotonic() - killed_at
        time.sleep(12)  # one more restore sweep: nothing is handed out a third time
    finally:
        worker_stop(second)

    assert (client.get(f"{key}:runs"), client.get(f"{key}:done")) == (b"2", b"1")
    assert redone_after < 60
    client.delete(f"{key}:runs", f"{key}:done")
