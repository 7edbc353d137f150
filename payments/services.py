"""Starting a payment for an order and recording the provider's answer. The amount always comes from the
order on the server, never from the browser."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from common.exceptions import ApplicationError
from orders.models import Order, OrderStatus
from orders.services import order_payment_confirmed
from payments.models import Payment
from payments.providers import payment_provider_get


class PaymentError(ApplicationError):
    pass


@transaction.atomic
def payment_start(*, order_id: int) -> Payment:
    """The open payment of an order waiting for payment (created once; a reload reuses it)."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise PaymentError(_("This order is not waiting for payment."), extra={"order": [order.status]})
    open_payment = order.payments.filter(status=Payment.Status.CREATED).first()
    if open_payment is not None:
        return open_payment
    provider = payment_provider_get()
    started = provider.start(amount=order.total_amount, currency=order.currency, order_number=order.number)
    return Payment.objects.create(
        order=order,
        provider=provider.code,
        status=Payment.Status.CREATED,
        amount=order.total_amount,
        currency=order.currency,
        reference=started.reference,
    )


@transaction.atomic
def payment_test_complete(*, payment_id: int, succeed: bool) -> Payment:
    """The test provider's answer: the shopper pressed "pay" or "decline" on the test payment page."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.provider != "test":
        raise PaymentError(
            _("This payment cannot be completed here."), extra={"payment": ["not a test payment"]}
        )
    if payment.status != Payment.Status.CREATED:
        return payment  # answered already: a second click changes nothing
    if not succeed:
        payment.status = Payment.Status.FAILED
        payment.failure_message = _("The test card was declined.")
        payment.save(update_fields=["status", "failure_message", "updated_at"])
        return payment
    payment.status = Payment.Status.CAPTURED
    payment.save(update_fields=["status", "updated_at"])
    order_payment_confirmed(
        order_id=payment.order_id,
        amount=payment.amount,
        currency=payment.currency,
        reference=payment.reference,
    )
    return payment
