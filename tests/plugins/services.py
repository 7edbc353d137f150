"""Real backing services for the tests marked ``services``: the skip/fail policy and a Celery worker.

Policy: a test marked ``@pytest.mark.services`` needs PostgreSQL (``DATABASE_URL``) and Redis
(``REDIS_URL``). Without them it is skipped, so ``make test`` passes on the embedded defaults; with
``CI_REQUIRE_SERVICES=1`` (``make services-test``, ``.ci/run``) it fails instead, so a CI run that lost
its services cannot turn green by skipping.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
WORKER_START_TIMEOUT = 30
WORKER_STOP_TIMEOUT = 10


def services_missing() -> list[str]:
    """What the ``services`` tests need but the settings in force do not provide."""
    from django.conf import settings

    missing = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.append("a PostgreSQL DATABASE_URL")
    if not settings.REDIS_URL:
        missing.append("REDIS_URL")
    return missing


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("services") is None:
        return
    missing = services_missing()
    if not missing:
        return
    reason = f"needs {' and '.join(missing)} (run `make services-test`)"
    if os.environ.get("CI_REQUIRE_SERVICES") == "1":
        pytest.fail(f"CI_REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
    pytest.skip(reason)


def database_url(db: dict) -> str:
    """A ``postgres://`` URL for one ``settings.DATABASES`` entry (what the worker's settings parse)."""
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup):
    """A real ``celery worker`` subprocess on the broker in force, writing to pytest-django's test database.

    Tests that use it must also use ``transactional_db``: the worker sees only committed rows.
    """
    from marketplace.celery import app

    missing = services_missing()
    if missing:
        pytest.fail(f"celery_worker_process needs {' and '.join(missing)}", pytrace=False)

    app.control.purge()
    process, log_path = worker_start(name="celery-worker")
    try:
        _wait_until_worker_answers(app, process, log_path)
        yield process
    finally:
        _stop(process)


def worker_start(
    *, name: str, args: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, Path]:
    """Start a ``celery worker`` (solo pool) on the broker in force, writing to pytest-django's test
    database, its output in ``test-artifacts/<name>.log``."""
    from django.conf import settings

    # After django_db_setup, NAME is the test database (e.g. test_marketplace_ci), not the configured one.
    environ = {**os.environ, "DATABASE_URL": database_url(settings.DATABASES["default"]), **(env or {})}
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{name}.log"
    hostname = f"{name}-{os.getpid()}@%h"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "marketplace",
                "worker",
                "--pool=solo",
                "-l",
                "info",
                "-n",
                hostname,
                "--without-gossip",
                "--without-mingle",
                *args,
            ],
            cwd=REPO_ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return process, log_path


def worker_stop(process: subprocess.Popen) -> None:
    _stop(process)


def _wait_until_worker_answers(app, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"celery worker exited with {process.returncode}:\n{_tail(log_path)}", pytrace=False)
        if app.control.ping(timeout=1.0):
            return
    pytest.fail(
        f"celery worker did not answer ping within {WORKER_START_TIMEOUT} s:\n{_tail(log_path)}",
        pytrace=False,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=WORKER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=WORKER_STOP_TIMEOUT)


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
