"""Production refuses to start without its secrets: SECRET_KEY in the settings themselves, the others through
system checks that fire with DEBUG off (marketplace.E001/E002, payments.E002/E005), and DEFAULT_CURRENCY
must be an ISO 4217 code (marketplace.E003).

The check functions are called with overridden settings; the start-up itself is run in a fresh interpreter
with a production-like environment missing one secret at a time."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from marketplace.checks import currency_check, secrets_check
from payments.checks import payments_secrets_check

REPO_ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET_KEY = "k3Vq9-Lx2_Wm7Zr4Tn8Yp1Bc6Df0Gh5Jk3Vq9-Lx2_Wm7Zr4Tn8Yp1B"
GOOD_CARRIER_SECRET = "c7Hn2Kq9Wx4Lm8Rt3Vz6Pb1Fd5Gs0Jy7"


def _ids(problems) -> list[str]:
    return [problem.id for problem in problems]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = GOOD_SECRET_KEY
    settings.CARRIER_WEBHOOK_SECRET = GOOD_CARRIER_SECRET
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_live_51Hq8Lx2Wm7Zr4Tn8Yp1Bc6Df0Gh5Jk"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_live_51Hq8Lx2Wm7Zr4Tn8Yp1Bc6Df0Gh5Jk"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_Hq8Lx2Wm7Zr4Tn8Yp1Bc6Df0Gh5Jk3Vq"
    return settings


# --- the checks ------------------------------------------------------------------------------------


def test_real_looking_secrets_pass(production):
    assert _ids(secrets_check()) == []
    assert _ids(payments_secrets_check()) == []


@pytest.mark.parametrize(
    "value",
    [
        # (An empty SECRET_KEY never gets this far: Django itself refuses to read one.)
        "insecure-embedded-key-set-SECRET_KEY-in-production",
        "django-insecure-" + "a1b2c3d4e5" * 5,
        "placeholder-" + "a1b2c3d4e5" * 5,
        "a1b2c3d4e5" * 4,
        "ab" * 40,
    ],
    ids=["embedded-fallback", "django-insecure", "placeholder", "short", "few-characters"],
)
def test_a_weak_secret_key_is_an_error_without_debug(production, value):
    production.SECRET_KEY = value

    assert _ids(secrets_check()) == ["marketplace.E001"]


@pytest.mark.parametrize(
    "value",
    ["", "insecure-carrier-webhook-secret", "carrier-secret", "changeme-" + "x1y2z3" * 6],
    ids=["unset", "embedded-fallback", "short", "placeholder"],
)
def test_a_weak_carrier_webhook_secret_is_an_error_without_debug(production, value):
    production.CARRIER_WEBHOOK_SECRET = value

    assert _ids(secrets_check()) == ["marketplace.E002"]


def test_with_debug_the_development_stand_ins_are_accepted(production):
    production.DEBUG = True
    production.SECRET_KEY = production.INSECURE_SECRET_KEY
    production.CARRIER_WEBHOOK_SECRET = production.INSECURE_CARRIER_WEBHOOK_SECRET
    production.STRIPE_WEBHOOK_SECRET = "whsec_localstripe_demo"

    assert _ids(secrets_check()) == []
    assert _ids(payments_secrets_check()) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STRIPE_WEBHOOK_SECRET", "whsec_localstripe_demo"),
        ("STRIPE_SECRET_KEY", "sk_test_localstripe_demo"),
        ("STRIPE_PUBLISHABLE_KEY", "pk_test_localstripe"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_placeholder"),
    ],
)
def test_development_stripe_values_are_an_error_without_debug(production, name, value):
    setattr(production, name, value)

    problems = payments_secrets_check()

    assert _ids(problems) == ["payments.E005"]
    assert name in problems[0].msg


def test_the_test_provider_has_no_stripe_values_to_check(production):
    production.PAYMENT_PROVIDER = "test"
    production.STRIPE_WEBHOOK_SECRET = "whsec_localstripe_demo"

    assert _ids(payments_secrets_check()) == []


@pytest.mark.parametrize("code", ["usd", "US", "EURO", "ABC", "", "12$"])
def test_default_currency_must_be_an_iso_4217_code(settings, code):
    settings.DEFAULT_CURRENCY = code

    assert _ids(currency_check()) == ["marketplace.E003"]


@pytest.mark.parametrize("code", ["USD", "EUR", "JPY", "CNY"])
def test_iso_4217_currencies_pass(settings, code):
    settings.DEFAULT_CURRENCY = code

    assert _ids(currency_check()) == []


# --- start-up in a production-like environment -----------------------------------------------------


def _production_env(**overrides: str | None) -> dict[str, str]:
    """A production environment with every secret set (random), then ``overrides`` (None: unset)."""
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    env = {
        **keep,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "shop.example.com",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_COOKIES": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_PRELOAD": "1",
        "BEHIND_TLS_PROXY": "1",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CARRIER_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        "PAYMENT_PROVIDER": "stripe",
        "STRIPE_SECRET_KEY": "sk_live_" + secrets.token_urlsafe(24),
        "STRIPE_PUBLISHABLE_KEY": "pk_live_" + secrets.token_urlsafe(24),
        "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_urlsafe(24),
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_complete_production_environment_passes_check_deploy():
    completed = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())

    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["manage.py", "check"],
        ["-c", "import marketplace.wsgi"],
        ["-m", "celery", "-A", "marketplace", "report"],
    ],
    ids=["manage.py", "wsgi", "celery"],
)
def test_without_debug_and_without_secret_key_no_process_starts(args):
    completed = _run(args, _production_env(SECRET_KEY=None))

    assert completed.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set." in completed.stderr


@pytest.mark.parametrize(
    ("overrides", "error_id"),
    [
        ({"SECRET_KEY": "too-short-but-set"}, "marketplace.E001"),
        ({"CARRIER_WEBHOOK_SECRET": None}, "marketplace.E002"),
        ({"CARRIER_WEBHOOK_SECRET": "insecure-carrier-webhook-secret"}, "marketplace.E002"),
        ({"STRIPE_WEBHOOK_SECRET": "whsec_localstripe_demo"}, "payments.E005"),
        ({"DEFAULT_CURRENCY": "usd"}, "marketplace.E003"),
    ],
    ids=[
        "weak-secret-key",
        "no-carrier-secret",
        "fallback-carrier-secret",
        "demo-webhook-secret",
        "currency",
    ],
)
def test_a_missing_or_weak_secret_stops_start_up_checks_without_deploy(overrides, error_id):
    # ``check`` without --deploy: what runserver and migrate run before they start.
    completed = _run(["manage.py", "check"], _production_env(**overrides))

    assert completed.returncode == 1
    assert f"({error_id})" in completed.stderr


def test_a_missing_stripe_webhook_secret_fails_check_deploy():
    completed = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(STRIPE_WEBHOOK_SECRET=None),
    )

    assert completed.returncode == 1
    assert "(payments.E002)" in completed.stderr
    assert "STRIPE_WEBHOOK_SECRET" in completed.stderr


def test_docker_compose_requires_the_carrier_webhook_secret_like_the_secret_key():
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    env = compose["services"]["web"]["environment"]

    assert env["CARRIER_WEBHOOK_SECRET"].startswith("${CARRIER_WEBHOOK_SECRET:?")
    assert all(
        compose["services"][name]["environment"]["CARRIER_WEBHOOK_SECRET"] == env["CARRIER_WEBHOOK_SECRET"]
        for name in ("migrate", "worker", "beat")
    )
