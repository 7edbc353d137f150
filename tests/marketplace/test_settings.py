"""The settings boot in each mode they promise: embedded, on services, and production (check --deploy).

Each case runs in a fresh interpreter with a clean environment, because settings are read once per
process and the test process itself may be running in either mode.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import django
from django.conf import settings
django.setup()
from django.db import connection
db = settings.DATABASES["default"]
result = {
    "engine": db["ENGINE"],
    "options": db.get("OPTIONS", {}),
    "cache": settings.CACHES["default"]["BACKEND"],
    "session_engine": settings.SESSION_ENGINE,
    "email_backend": settings.EMAIL_BACKEND,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "debug": settings.DEBUG,
}
if db["ENGINE"].endswith("sqlite3"):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        result["journal_mode"] = cursor.fetchone()[0]
print(json.dumps(result))
"""

PRODUCTION_ENV = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "shop.example.com",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "1",
    "BEHIND_TLS_PROXY": "1",
    # Production pays through Stripe; check --deploy refuses the test provider and missing keys, and
    # placeholder values (payments.E005), so these only look real.
    "STRIPE_SECRET_KEY": "sk_live_51Hq8Lx2Wm7Zr4Tn8Yp1Bc6Df0Gh5Jk",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_51Hq8Lx2Wm7Zr4Tn8Yp1Bc6Df0Gh5Jk",
    "STRIPE_WEBHOOK_SECRET": "whsec_Hq8Lx2Wm7Zr4Tn8Yp1Bc6Df0Gh5Jk3Vq",
}
# Without DEBUG the settings refuse to load without a SECRET_KEY (marketplace.settings), whatever the mode.
BOOT_SECRET = {"SECRET_KEY": "tests-only-secret-key-7Hq2vN9xR4mK8pL3wZ6tY1cB5dF0gJ"}


def clean_env(**extra: str) -> dict[str, str]:
    """Only what a shell needs to run Python; no Django/Celery/service variables from the caller."""
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    return {**keep, "DJANGO_SETTINGS_MODULE": "marketplace.settings", **extra}


def run_probe(env: dict[str, str]) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_embedded_defaults_boot_on_sqlite_wal_with_in_process_tasks():
    result = run_probe(clean_env(**BOOT_SECRET))

    assert result["engine"] == "django.db.backends.sqlite3"
    assert result["journal_mode"] == "wal"
    assert result["options"]["transaction_mode"] == "IMMEDIATE"
    assert result["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert result["session_engine"] == "django.contrib.sessions.backends.db"
    assert result["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert result["eager"] is True
    assert result["broker"] == ""
    assert result["debug"] is False


def test_database_and_redis_urls_switch_to_postgresql_redis_cache_and_a_real_broker():
    # Only parses settings: no connection is opened, so this runs without the services too.
    result = run_probe(
        clean_env(
            **BOOT_SECRET,
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/marketplace_ci",
            REDIS_URL="redis://127.0.0.1:6379/7",
        )
    )

    assert result["engine"] == "django.db.backends.postgresql"
    assert result["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert result["session_engine"] == "django.contrib.sessions.backends.cache"
    assert result["eager"] is False
    assert result["broker"] == "redis://127.0.0.1:6379/7"


def test_production_environment_passes_check_deploy_without_warnings():
    env = clean_env(
        SECRET_KEY=secrets.token_urlsafe(64),
        CARRIER_WEBHOOK_SECRET=secrets.token_urlsafe(32),
        **PRODUCTION_ENV,
    )

    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "System check identified no issues (0 silenced)." in completed.stdout


def test_every_environment_variable_read_by_settings_is_documented_in_the_readme():
    settings_source = (REPO_ROOT / "marketplace" / "settings.py").read_text()
    readme = (REPO_ROOT / "README.md").read_text()
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", settings_source))
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))

    assert read, "no env.<type>(NAME) calls found: has settings.py changed how it reads the environment?"
    assert sorted(read - documented) == []
