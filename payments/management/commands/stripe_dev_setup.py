"""``manage.py stripe_dev_setup``: point localstripe's webhook at this marketplace (dev and ``make demo``).

localstripe (``STRIPE_API_BASE``) has no dashboard: webhook endpoints are registered through its
``/_config/webhooks/<name>`` call, with the signing secret ``STRIPE_WEBHOOK_SECRET``. Against real Stripe
(no ``STRIPE_API_BASE``) this refuses: there the endpoint is configured in the Stripe dashboard.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

EVENTS = [
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.requires_action",
    "charge.refunded",
    "charge.dispute.created",
]


class Command(BaseCommand):
    help = "Register this site's Stripe webhook endpoint with localstripe (STRIPE_API_BASE)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="",
            help="Public URL of the webhook endpoint (default: SITE_URL + /payments/webhooks/stripe/).",
        )
        parser.add_argument(
            "--wait", type=float, default=0, help="Seconds to wait for localstripe to answer first."
        )

    def handle(self, *args, **options):
        base = settings.STRIPE_API_BASE.rstrip("/")
        if not base:
            raise CommandError(
                "STRIPE_API_BASE is not set: against real Stripe, add the webhook endpoint in the Stripe "
                "dashboard and put its signing secret in STRIPE_WEBHOOK_SECRET."
            )
        if not base.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
            raise CommandError(
                f"STRIPE_API_BASE={base} is not a local localstripe; refusing to configure it."
            )
        if not settings.STRIPE_WEBHOOK_SECRET:
            raise CommandError("Set STRIPE_WEBHOOK_SECRET (any value: localstripe signs events with it).")
        url = options["url"] or settings.SITE_URL + reverse("payments:stripe-webhook")
        self._wait(base, options["wait"])
        body = json.dumps({"url": url, "secret": settings.STRIPE_WEBHOOK_SECRET, "events": EVENTS}).encode()
        request = urllib.request.Request(  # noqa: S310 (a loopback URL, checked above)
            f"{base}/_config/webhooks/marketplace", data=body, method="POST"
        )
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310
                pass
        except (OSError, urllib.error.URLError) as exc:
            raise CommandError(f"localstripe at {base} refused the webhook: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"localstripe at {base} now sends signed events to {url}"))

    def _wait(self, base: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(f"{base}/js.stripe.com/v3/", timeout=2):  # noqa: S310
                    return
            except OSError as exc:
                if time.monotonic() >= deadline:
                    raise CommandError(f"localstripe does not answer at {base}: {exc}") from exc
                time.sleep(0.3)
