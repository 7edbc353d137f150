"""docker-compose.yml describes the scaled-out deployment: five long-running services, each with a healthcheck.

No Docker engine runs here, so the file is checked as data; ``docker compose config`` validates it
too where the compose plugin is installed.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())


def healthcheck_of(compose: dict, service: str) -> list[str]:
    return compose["services"][service]["healthcheck"]["test"]


def test_compose_defines_the_five_services_plus_a_one_shot_migrate(compose):
    assert sorted(compose["services"]) == ["beat", "migrate", "postgres", "redis", "web", "worker"]
    assert compose["services"]["postgres"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"] == "redis:7"
    assert compose["services"]["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert compose["services"]["migrate"]["restart"] == "no"


def test_every_long_running_service_has_a_healthcheck(compose):
    assert healthcheck_of(compose, "web") == ["CMD", "python", "scripts/healthcheck-web.py"]
    assert healthcheck_of(compose, "worker") == [
        "CMD-SHELL",
        "celery -A marketplace inspect ping -d celery@$$HOSTNAME --timeout 10",
    ]
    assert healthcheck_of(compose, "beat") == ["CMD-SHELL", 'kill -0 "$$(cat /tmp/celerybeat.pid)"']
    assert healthcheck_of(compose, "postgres") == [
        "CMD",
        "pg_isready",
        "-U",
        "marketplace",
        "-d",
        "marketplace",
    ]
    assert healthcheck_of(compose, "redis") == ["CMD", "redis-cli", "ping"]


def test_web_healthcheck_probes_healthz():
    script = (REPO_ROOT / "scripts" / "healthcheck-web.py").read_text()

    assert '"http://127.0.0.1:8000/healthz"' in script


def test_web_runs_gunicorn_with_at_least_two_workers_and_worker_and_beat_run_celery(compose):
    services = compose["services"]

    assert services["web"]["command"][:2] == ["gunicorn", "marketplace.wsgi"]
    assert "--workers=${WEB_CONCURRENCY:-2}" in services["web"]["command"]
    assert services["worker"]["command"][:5] == ["celery", "-A", "marketplace", "worker", "-l"]
    assert services["beat"]["command"][:5] == ["celery", "-A", "marketplace", "beat", "-l"]
    assert "--pidfile=/tmp/celerybeat.pid" in services["beat"]["command"]


def test_app_services_start_only_after_their_dependencies_are_healthy(compose):
    services = compose["services"]
    healthy = {"condition": "service_healthy"}
    migrated = {"condition": "service_completed_successfully"}

    assert services["migrate"]["depends_on"] == {"postgres": healthy}
    assert services["web"]["depends_on"] == {"migrate": migrated, "postgres": healthy, "redis": healthy}
    assert services["worker"]["depends_on"] == {"migrate": migrated, "postgres": healthy, "redis": healthy}
    assert services["beat"]["depends_on"] == {"redis": healthy, "worker": healthy}


def test_app_services_share_one_production_environment_on_postgresql_and_redis(compose):
    envs = [compose["services"][name]["environment"] for name in ("migrate", "web", "worker", "beat")]

    assert all(env == envs[0] for env in envs)
    assert envs[0]["DEBUG"] == "0"
    assert envs[0]["REDIS_URL"] == "redis://redis:6379/0"
    assert envs[0]["DATABASE_URL"].startswith("postgres://marketplace:")
    assert envs[0]["DATABASE_URL"].endswith("@postgres:5432/marketplace")
    assert envs[0]["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_docker_compose_config_accepts_the_file():
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("the docker compose plugin is not installed here")

    completed = subprocess.run(
        [docker, "compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", str(REPO_ROOT)),
            "SECRET_KEY": "x" * 50,
            "CARRIER_WEBHOOK_SECRET": "y" * 32,
            "POSTGRES_PASSWORD": "pw",
        },
    )

    assert completed.returncode == 0, completed.stderr
