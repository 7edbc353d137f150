"""The embedded demo runs the periodic jobs like production: ``make demo`` starts a Celery worker with beat
on the folder broker (``CELERY_BROKER_URL=filesystem://``) beside the web process, so unpaid orders
expire, funds are released, payouts and reconciliation run. Here the same command, on its own SQLite
file and queue folder, runs the beat schedule's tasks within seconds."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(240)
def test_the_demo_worker_runs_the_beat_schedule_on_the_embedded_folder_broker(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    }
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_QUEUE=str(tmp_path / "queue"),
        ANALYTICS_FLUSH_SECONDS="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO_ROOT, env=env, check=True, timeout=120
    )
    log_path = tmp_path / "celery.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--beat", "--pool=solo"),
                *("-l", "info", "--schedule", str(tmp_path / "beat")),
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            ran = []
            while time.monotonic() < deadline and len(ran) < 2:
                time.sleep(1)
                ran = re.findall(r"Task analytics\.events_flush\[[^\]]+\] succeeded", log_path.read_text())
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    assert len(ran) >= 2, log_path.read_text()[-3000:]
