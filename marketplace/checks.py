"""System checks of the project's own settings: the secrets production must set, and the one currency.

The secret checks are not deploy-only: they run whenever Django runs its checks (``runserver``,
``migrate``, ``check``, ``check --deploy``) and fire only with DEBUG off, so a production process started
with a missing, stand-in or placeholder secret stops at start-up instead of signing sessions or accepting
webhooks with a value anyone can read in this repository. ``MarketplaceConfig.ready`` registers them.
"""

from __future__ import annotations

from babel.numbers import is_currency
from django.conf import settings
from django.core.checks import Error

from common.placeholders import placeholder_marker

# Django's own bar for SECRET_KEY (security.W009), and the same length for the webhook secret.
SECRET_MIN_LENGTH = 50
SECRET_MIN_UNIQUE_CHARACTERS = 5
CARRIER_SECRET_MIN_LENGTH = 32


def _secret_problem(value: str, *, min_length: int, fallback: str) -> str | None:
    """Why ``value`` cannot be a production secret, or None."""
    if not value:
        return "is not set"
    if value == fallback:
        return "is the embedded development value"
    marker = placeholder_marker(value)
    if marker is not None:
        return f"looks like a placeholder (contains {marker!r})"
    if len(value) < min_length:
        return f"is shorter than {min_length} characters"
    if len(set(value)) < SECRET_MIN_UNIQUE_CHARACTERS:
        return f"has fewer than {SECRET_MIN_UNIQUE_CHARACTERS} different characters"
    return None


def secrets_check(app_configs=None, **kwargs) -> list[Error]:
    """marketplace.E001 (SECRET_KEY) and marketplace.E002 (CARRIER_WEBHOOK_SECRET), DEBUG off only."""
    if settings.DEBUG:
        return []
    errors = []
    problem = _secret_problem(
        settings.SECRET_KEY, min_length=SECRET_MIN_LENGTH, fallback=settings.INSECURE_SECRET_KEY
    )
    if problem is not None:
        errors.append(
            Error(
                f"SECRET_KEY {problem}.",
                hint=f"Set SECRET_KEY in the environment to a random value of at least {SECRET_MIN_LENGTH} "
                "characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
                id="marketplace.E001",
            )
        )
    problem = _secret_problem(
        settings.CARRIER_WEBHOOK_SECRET,
        min_length=CARRIER_SECRET_MIN_LENGTH,
        fallback=settings.INSECURE_CARRIER_WEBHOOK_SECRET,
    )
    if problem is not None:
        errors.append(
            Error(
                f"CARRIER_WEBHOOK_SECRET {problem}.",
                hint="Set CARRIER_WEBHOOK_SECRET in the environment to the random secret (at least "
                f"{CARRIER_SECRET_MIN_LENGTH} characters) the carriers sign tracking webhooks with.",
                id="marketplace.E002",
            )
        )
    return errors


def currency_check(app_configs=None, **kwargs) -> list[Error]:
    """marketplace.E003: DEFAULT_CURRENCY is an upper-case ISO 4217 code (in any mode: a wrong one makes
    every listing unbuyable, in development too)."""
    code = settings.DEFAULT_CURRENCY
    if isinstance(code, str) and len(code) == 3 and code.isalpha() and code.isupper() and is_currency(code):
        return []
    return [
        Error(
            f"DEFAULT_CURRENCY {code!r} is not a 3-letter ISO 4217 currency code.",
            hint="Use an upper-case code such as USD, EUR or CNY.",
            id="marketplace.E003",
        )
    ]
