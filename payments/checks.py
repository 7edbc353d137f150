"""System checks of the payments configuration, run by ``manage.py check --deploy`` (and so by CI's
production-settings stage): production takes real money through a real provider, with its keys.
``payments_secrets_check`` is not deploy-only: with DEBUG off it refuses development and placeholder
Stripe values (localstripe's dummies, the demo's ``whsec_localstripe_demo``) at every start-up."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from common.placeholders import placeholder_marker

STRIPE_KEYS = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")


@register(Tags.security, deploy=True)
def payments_deploy_check(app_configs=None, **kwargs) -> list:
    problems = []
    provider = settings.PAYMENT_PROVIDER
    if provider == "test":
        problems.append(
            Error(
                "PAYMENT_PROVIDER is 'test': orders would be marked paid without any money moving.",
                hint="Set PAYMENT_PROVIDER=stripe with STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and "
                "STRIPE_WEBHOOK_SECRET in the environment.",
                id="payments.E001",
            )
        )
    elif provider == "stripe":
        missing = [name for name in STRIPE_KEYS if not getattr(settings, name, "")]
        if missing:
            problems.append(
                Error(
                    f"PAYMENT_PROVIDER is 'stripe' but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set.",
                    hint="Set them in the environment (Stripe dashboard: API keys, and the webhook "
                    "endpoint's signing secret).",
                    id="payments.E002",
                )
            )
        if settings.STRIPE_API_BASE:
            problems.append(
                Warning(
                    f"STRIPE_API_BASE points the payments at {settings.STRIPE_API_BASE}, not at Stripe.",
                    hint="Leave STRIPE_API_BASE unset in production (it is for localstripe).",
                    id="payments.W001",
                )
            )
        if settings.STRIPE_CAPTURE_METHOD not in ("automatic", "manual"):
            problems.append(
                Error("STRIPE_CAPTURE_METHOD must be 'automatic' or 'manual'.", id="payments.E003")
            )
    else:
        problems.append(
            Error(f"Unknown PAYMENT_PROVIDER {provider!r}.", hint="Use 'stripe'.", id="payments.E004")
        )
    return problems


@register(Tags.security)
def payments_secrets_check(app_configs=None, **kwargs) -> list:
    """payments.E005: with DEBUG off and the Stripe provider, no Stripe key may be a development or
    placeholder value (a missing one is payments.E002 under ``check --deploy``)."""
    if settings.DEBUG or settings.PAYMENT_PROVIDER != "stripe":
        return []
    flagged = [
        f"{name} ({marker!r})"
        for name in STRIPE_KEYS
        if (marker := placeholder_marker(getattr(settings, name, "") or "")) is not None
    ]
    if not flagged:
        return []
    return [
        Error(
            f"Development or placeholder Stripe values with DEBUG off: {', '.join(flagged)}.",
            hint="Set the keys and the webhook endpoint's signing secret from the Stripe dashboard; "
            "localstripe's values are for DEBUG=1 only.",
            id="payments.E005",
        )
    ]
