"""HTTP endpoints of the payments app: Stripe's webhook, the pay page, and the two JSON calls its script makes.

The pay page (``orders:order-pay``, ``static/js/payment.js``) uses server-side confirmation: Stripe.js turns
the card into a payment-method reference in the browser, the script POSTs only that reference here
(``payment-confirm``), and the server creates the PaymentIntent for the order's own total. When the bank
wants 3-D Secure, the answer carries the intent's client secret (to the order's owner only — anyone else
gets a 404 like for the order itself); the script runs Stripe.js's card action and then asks the server
to read the intent again (``payment-refresh``). Any amount or currency the browser sends is ignored.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django_ratelimit.core import is_ratelimited

from common.exceptions import ApplicationError
from common.tracking import track, visitor_id
from orders.lifecycle.selectors import order_detail_parts
from orders.models import OrderStatus
from orders.viewer import order_for_request
from payments.models import Payment
from payments.services import payment_confirm, payment_refresh, payment_start, payment_test_complete
from payments.stripe_gateway import SignatureInvalid, webhook_event_verify
from payments.webhooks import WebhookEventInvalid, webhook_event_store

logger = logging.getLogger(__name__)

Status = Payment.Status


# --- the webhook ----------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The address that connected to us; behind our own TLS proxy, the address the proxy saw (the last
    X-Forwarded-For hop: earlier ones are whatever the client chose to send)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def _webhook_rate(group: str, request: HttpRequest) -> tuple[int, int]:
    """STRIPE_WEBHOOK_RATE_LIMIT requests per STRIPE_WEBHOOK_RATE_WINDOW_SECONDS, read per request."""
    return settings.STRIPE_WEBHOOK_RATE_LIMIT, max(1, settings.STRIPE_WEBHOOK_RATE_WINDOW_SECONDS)


def _rate_limited(request: HttpRequest) -> bool:
    """A fixed-window counter per client address in the default cache (shared by all web processes on
    Redis), kept by django-ratelimit."""
    return is_ratelimited(
        request,
        group="payments.stripe-webhook",
        key=lambda group, request: client_ip(request),
        rate=_webhook_rate,
        increment=True,
    )


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookView(View):
    """``POST /payments/webhooks/stripe/``: verify the Stripe-Signature, store the event once, enqueue it.
    The one CSRF-exempt view of the app: the caller is Stripe, authenticated by the signature. A bad,
    missing or stale signature is a 400 and nothing is stored; a redelivered event is a 200 that changes
    nothing."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> JsonResponse:
        if _rate_limited(request):
            return JsonResponse({"error": "too many requests"}, status=429)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.STRIPE_WEBHOOK_MAX_BYTES:
            return JsonResponse({"error": "body too large"}, status=413)
        body = request.body
        if len(body) > settings.STRIPE_WEBHOOK_MAX_BYTES:
            return JsonResponse({"error": "body too large"}, status=413)
        try:
            event = webhook_event_verify(
                payload=body,
                signature_header=request.headers.get("Stripe-Signature", ""),
                secret=settings.STRIPE_WEBHOOK_SECRET,
                tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
            )
            _pk, created = webhook_event_store(provider="stripe", event=event)
        except (SignatureInvalid, WebhookEventInvalid):
            return JsonResponse({"error": "invalid signature or event"}, status=400)
        return JsonResponse({"received": True, "duplicate": not created})


# --- the pay page's calls -------------------------------------------------------------------------


def _payment_for_request(request: HttpRequest, number: str) -> Payment:
    order = order_for_request(request, number)
    payment = (
        Payment.objects.filter(order=order, provider="stripe", pk=request.POST.get("payment") or 0)
        .select_related("order")
        .first()
    )
    if payment is None:
        raise Http404
    return payment


def _answer(request: HttpRequest, payment: Payment) -> JsonResponse:
    """What the script does next, and the message the shopper sees on the page it goes to."""
    order = payment.order
    order.refresh_from_db(fields=["status"])
    pay_page = reverse("orders:order-pay", args=[order.number])
    detail = reverse("orders:order-detail", args=[order.number])
    if payment.status == Status.REQUIRES_ACTION:
        return JsonResponse({"status": "requires_action", "client_secret": payment.client_secret})
    if payment.status == Status.FAILED:
        messages.error(
            request,
            _("Your payment was declined: %(reason)s You can try again with another card.")
            % {"reason": payment.failure_message},
        )
        return JsonResponse({"status": "failed", "message": payment.failure_message, "redirect": pay_page})
    if payment.status in (Status.CAPTURED, Status.PARTIALLY_REFUNDED, Status.REFUNDED):
        if order.status == OrderStatus.CANCELLED:
            messages.warning(
                request,
                _(
                    "Your payment arrived after this order was cancelled, so it was not placed. "
                    "The money is being refunded."
                ),
            )
        else:
            messages.success(request, _("Thank you! Your payment was received."))
        return JsonResponse({"status": "succeeded", "redirect": detail})
    if payment.status == Status.AUTHORISED:
        messages.success(request, _("Thank you! Your payment was authorised and is being completed."))
        return JsonResponse({"status": "processing", "redirect": detail})
    if payment.status == Status.CANCELLED:
        messages.error(request, _("This payment was cancelled. You can try again."))
        return JsonResponse({"status": "failed", "redirect": pay_page})
    messages.info(request, _("Your payment is being processed. We will e-mail you when it is confirmed."))
    return JsonResponse({"status": "processing", "redirect": detail})


def _error(exc: ApplicationError) -> JsonResponse:
    return JsonResponse({"status": "error", "message": exc.message}, status=400)


class PaymentConfirmView(View):
    """POST ``payment`` (our id) and ``payment_method`` (the Stripe.js reference); nothing else is read."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, number: str) -> JsonResponse:
        payment = _payment_for_request(request, number)
        try:
            payment = payment_confirm(
                payment_id=payment.pk, payment_method=request.POST.get("payment_method", "").strip()
            )
        except ApplicationError as exc:
            return _error(exc)
        return _answer(request, payment)


class PaymentRefreshView(View):
    """POST ``payment``: after 3-D Secure in the browser, read the PaymentIntent again."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, number: str) -> JsonResponse:
        payment = _payment_for_request(request, number)
        try:
            payment = payment_refresh(payment_id=payment.pk)
        except ApplicationError as exc:
            return _error(exc)
        return _answer(request, payment)


class OrderPayView(TemplateView):
    """The payment step. With Stripe: the card form (Stripe Elements; ``static/js/payment.js`` and
    ``payments.views`` do the rest — card numbers never reach this server). With the test provider: a
    clearly marked page that moves no money, answered by the POST below."""

    template_name = "shop/orders/pay.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.order = order_for_request(request, kwargs["number"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, number: str) -> HttpResponse:
        if self.order.status != OrderStatus.PENDING_PAYMENT:
            return redirect("orders:order-detail", number=number)
        try:
            payment = payment_start(order_id=self.order.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("orders:order-detail", number=number)
        track(
            event_type="checkout_step",
            user_id=request.user.pk if request.user.is_authenticated else None,
            session_key=visitor_id(request),
            properties={"step": "payment"},
            path=request.path,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        parts = order_detail_parts(order_id=self.order.pk)
        context = {"order": self.order, "payment": payment, "parts": parts}
        if payment.provider == "stripe":
            context["stripe"] = {
                "js_url": settings.STRIPE_JS_URL,
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "confirm_url": reverse("payments:payment-confirm", args=[number]),
                "refresh_url": reverse("payments:payment-refresh", args=[number]),
            }
        return self.render_to_response(self.get_context_data(**context))

    def post(self, request: HttpRequest, number: str) -> HttpResponse:
        payment = Payment.objects.filter(
            order=self.order, provider="test", pk=request.POST.get("payment") or 0
        ).first()
        if payment is None:
            raise Http404
        payment = payment_test_complete(payment_id=payment.pk, succeed=request.POST.get("outcome") == "pay")
        self.order.refresh_from_db()
        if payment.status == Payment.Status.FAILED:
            messages.error(request, _("Your payment was declined. You can try again."))
            return redirect("orders:order-pay", number=number)
        if self.order.status == OrderStatus.PAID:
            messages.success(request, _("Thank you! Your payment was received."))
        elif payment.status == Payment.Status.CAPTURED and self.order.status == OrderStatus.CANCELLED:
            # The page was left open past the payment window: the money was taken but the order is gone.
            messages.warning(
                request,
                _(
                    "Your payment arrived after this order was cancelled, so it was not placed. "
                    "The money will be refunded."
                ),
            )
        return redirect("orders:order-detail", number=number)
