"""System checks of the payments configuration, run by ``manage.py check --deploy`` (and so by CI's
production-settings stage): production takes real money through a real provider, with its keys."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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
        missing = [
            name
            for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")
            if not getattr(settings, name, "")
        ]
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
