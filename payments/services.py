"""Every write to payments and refunds: starting and confirming a payment, applying what the provider
says (``payment_facts_apply``, the one place a payment's status and amounts change), capturing a manual
authorisation, refunds, chargebacks.

Amounts always come from the order on the server, never from the browser. Money facts are additive and
recorded once however often and in whatever order they are reported: a capture (``captured_amount`` is
set once, and the ledger posting is keyed by the payment), a fee, a refund (matched by its id). The status
follows the newest fact only (``provider_updated_at``); at equal time it never moves back in the status
order, and once money is captured only refunds move it.

No provider call is made while a row is locked: refunds reserve their amount in one transaction, call the
provider, and settle in a second one. A payment is locked only after its order (and the parts a refund is
about): ``orders.lifecycle.locks`` has the one lock order (order, parts by id, payment, refunds).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import CharField, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.domain_events import publish
from common.exceptions import ApplicationError
from common.money import Money
from common.retry import retry_on_deadlock
from orders.lifecycle.locks import order_lock, order_parts_lock
from orders.lifecycle.reasons import ReasonCode, choice_param, money_param, reason_stored_text
from orders.lifecycle.services import order_payment_confirmed, seller_order_refunded_close
from orders.models import Order, OrderLine, OrderStatus, SellerOrder
from payments import ledger
from payments.commissions import RefundedSoFar, order_allocate, refund_split, seller_order_refunded
from payments.domain_events import PaymentAuthorised, PaymentCaptured, RefundSettled
from payments.models import JournalLine, LedgerAccount, Payment, Refund
from payments.providers import (
    PaymentFacts,
    ProviderRefused,
    ProviderUnavailable,
    RefundFact,
    payment_provider_get,
)

logger = logging.getLogger(__name__)

Status = Payment.Status

# How far along a payment is; at equal provider time a fact never moves it back in this order.
STATUS_RANK: dict[str, int] = {
    Status.CREATED: 0,
    Status.REQUIRES_ACTION: 1,
    Status.FAILED: 2,
    Status.AUTHORISED: 3,
    Status.CANCELLED: 4,
    Status.CAPTURED: 5,
    Status.PARTIALLY_REFUNDED: 6,
    Status.REFUNDED: 7,
}
CAPTURED_STATUSES = (Status.CAPTURED, Status.PARTIALLY_REFUNDED, Status.REFUNDED)


# What Stripe.js hands the page: a PaymentMethod ("pm_…") or, from localstripe's Stripe.js, a token.
PAYMENT_METHOD_REFERENCE = re.compile(r"(pm|tok)_[A-Za-z0-9_]{1,96}")


class PaymentError(ApplicationError):
    pass


class RefundError(ApplicationError):
    pass


def _payment_lock(*, payment_id: int, seller_order_ids: Iterable[int] | None = ()) -> Payment:
    """Lock the payment in the one lock order (``orders.lifecycle.locks``): its order, then its parts by
    id (``seller_order_ids``; None: all of them), then the payment. Their rows are locked even when only
    rows pointing at them are written (refunds, timeline notes, journal entries), so nothing waits for
    them out of order at COMMIT, when PostgreSQL checks those foreign keys."""
    order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
    order_parts_lock(order_id=order_id, seller_order_ids=seller_order_ids)
    return Payment.objects.select_for_update().get(pk=payment_id)


# --- starting and confirming ----------------------------------------------------------------------


@transaction.atomic
def payment_start(*, order_id: int) -> Payment:
    """The open payment of an order waiting for payment (created once; a reload reuses it while the
    provider has not been asked to charge anything yet)."""
    order = order_lock(order_id=order_id)
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise PaymentError(_("This order is not waiting for payment."), extra={"order": [order.status]})
    open_payment = order.payments.filter(status=Status.CREATED, captured_amount=0).first()
    if open_payment is not None and (open_payment.provider != "stripe" or not open_payment.reference):
        return open_payment
    provider = payment_provider_get()
    payment = Payment.objects.create(
        order=order,
        provider=provider.code,
        status=Status.CREATED,
        amount=order.total_amount,
        currency=order.currency,
        capture_method=_capture_method(provider.code),
    )
    started = provider.start(
        payment_id=payment.pk, amount=payment.amount, currency=payment.currency, order_number=order.number
    )
    if started.reference:
        payment.reference = started.reference
        payment.save(update_fields=["reference", "updated_at"])
    return payment


def _capture_method(provider_code: str) -> str:
    if provider_code == "stripe" and settings.STRIPE_CAPTURE_METHOD == "manual":
        return "manual"
    return "automatic"


def payment_confirm(*, payment_id: int, payment_method: str) -> Payment:
    """The shopper's browser made ``payment_method`` (a Stripe.js reference, never card data): charge it
    for the payment's amount, which is the order's total as the server computed it."""
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    order = payment.order
    if payment.status != Status.CREATED or payment.reference:
        return payment  # already on its way (a double submit): its state is what the provider says
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise PaymentError(_("This order is not waiting for payment."), extra={"order": [order.status]})
    if (payment.amount, payment.currency) != (order.total_amount, order.currency):
        raise PaymentError(
            _("The payment does not match the order total."),
            extra={"amount": [f"order {order.total_amount} {order.currency}"]},
        )
    if not PAYMENT_METHOD_REFERENCE.fullmatch(payment_method or ""):
        raise PaymentError(_("Enter your card details."), extra={"payment_method": ["missing or malformed"]})
    # One confirmation at a time per payment (a double submit must not charge twice where the provider
    # does not honour idempotency keys, as localstripe does not).
    guard = f"payments:confirm:{payment.pk}"
    if not cache.add(guard, 1, timeout=120):
        raise PaymentError(
            _("This payment is already being processed. Please wait a moment."),
            extra={"payment": ["in progress"]},
        )
    try:
        return _payment_confirm(payment=payment, order=order, payment_method=payment_method)
    finally:
        cache.delete(guard)


def _payment_confirm(*, payment: Payment, order: Order, payment_method: str) -> Payment:
    payment.refresh_from_db()
    if payment.status != Status.CREATED or payment.reference:
        return payment  # the first of two submits finished while this one waited
    provider = payment_provider_get(payment.provider)
    try:
        facts = provider.confirm(
            payment_id=payment.pk,
            amount=payment.amount,
            currency=payment.currency,
            order_number=order.number,
            email=order.email,
            payment_method=payment_method,
            idempotency_key=f"{order.number}:payment:{payment.pk}",
        )
    except ProviderUnavailable as exc:
        logger.warning("payment %s: provider unavailable at confirmation: %s", payment.pk, exc)
        raise PaymentError(
            _("We could not reach the payment service. Nothing was charged; please try again."),
            extra={"provider": ["unavailable"]},
        ) from None
    except ProviderRefused as exc:
        raise PaymentError(exc.message, extra={"provider": ["refused"]}) from None
    return payment_facts_apply(payment_id=payment.pk, facts=facts)


def payment_refresh(*, payment_id: int) -> Payment:
    """Read the payment again from the provider (after 3-D Secure in the browser) and apply it."""
    payment = Payment.objects.get(pk=payment_id)
    if not payment.reference:
        return payment
    try:
        facts = payment_provider_get(payment.provider).retrieve(reference=payment.reference)
    except ProviderUnavailable:
        raise PaymentError(
            _("We could not reach the payment service. Please try again in a moment."),
            extra={"provider": ["unavailable"]},
        ) from None
    except ProviderRefused as exc:
        raise PaymentError(exc.message, extra={"provider": ["refused"]}) from None
    return payment_facts_apply(payment_id=payment.pk, facts=facts)


def payment_test_complete(*, payment_id: int, succeed: bool) -> Payment:
    """The test provider's answer: the shopper pressed "pay" or "decline" on the test payment page. It
    goes through ``payment_facts_apply`` like Stripe's answers, so the ledger is kept the same way."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.provider != "test":
        raise PaymentError(
            _("This payment cannot be completed here."), extra={"payment": ["not a test payment"]}
        )
    if payment.status != Status.CREATED:
        return payment  # answered already: a second click changes nothing
    facts = PaymentFacts(
        reference=payment.reference,
        status=Status.CAPTURED if succeed else Status.FAILED,
        amount=payment.amount,
        currency=payment.currency,
        occurred_at=timezone.now(),
        captured_amount=payment.amount if succeed else 0,
        failure_message="" if succeed else _("The test card was declined."),
        payment_method_summary=_("Test payment"),
    )
    return payment_facts_apply(payment_id=payment.pk, facts=facts)


# --- the state function ---------------------------------------------------------------------------


def _newer(payment: Payment, facts: PaymentFacts) -> bool:
    if payment.provider_updated_at is None or facts.occurred_at > payment.provider_updated_at:
        return True
    return facts.occurred_at == payment.provider_updated_at and (
        STATUS_RANK[facts.status] >= STATUS_RANK[payment.status]
    )


def _captured_status(payment: Payment) -> str:
    if payment.refunded_amount <= 0:
        return Status.CAPTURED
    if payment.refunded_amount >= payment.captured_amount:
        return Status.REFUNDED
    return Status.PARTIALLY_REFUNDED


@dataclass
class _AfterCommit:
    capture_due: bool = False
    late_refund: bool = False
    cancelled_parts: tuple[int, ...] = ()


def _facts_match(payment: Payment, facts: PaymentFacts) -> None:
    """Refuse facts about another payment (reference, metadata) or another amount or currency."""
    if facts.currency and facts.currency != payment.currency:
        raise PaymentError(
            _("The payment's currency does not match the order."),
            extra={"currency": [f"expected {payment.currency}, provider says {facts.currency}"]},
        )
    if facts.amount and facts.amount != payment.amount:
        raise PaymentError(
            _("The payment does not match the order total."),
            extra={"amount": [f"expected {payment.amount}, provider says {facts.amount}"]},
        )
    if facts.reference and payment.reference and facts.reference != payment.reference:
        raise PaymentError(
            _("These facts are about another payment."), extra={"reference": [facts.reference]}
        )
    if facts.payment_id is not None and facts.payment_id != payment.pk:
        raise PaymentError(
            _("These facts are about another payment."),
            extra={"metadata": [f"payment_id {facts.payment_id}, expected {payment.pk}"]},
        )


@retry_on_deadlock
@transaction.atomic
def payment_facts_apply(*, payment_id: int, facts: PaymentFacts) -> Payment:
    """Apply what the provider says about a payment: its status (newest fact wins), the capture (posted
    to the ledger with the commission split, and the order confirmed — or, if the order was cancelled,
    expired or already paid meanwhile, posted unallocated and refunded automatically), the fee, the
    refunds it knows of. Safe to call again with the same or older facts."""
    # All parts: the capture confirms the whole order, and a refund of any part may settle here.
    payment = _payment_lock(payment_id=payment_id, seller_order_ids=None)
    _facts_match(payment, facts)
    fields: set[str] = set()
    for name in ("reference", "charge_reference", "client_secret", "payment_method_summary"):
        value = getattr(facts, name)
        if value and not getattr(payment, name):
            max_length = cast("CharField[Any, Any]", Payment._meta.get_field(name)).max_length
            setattr(payment, name, value[:max_length])
            fields.add(name)
    newly_captured = facts.captured_amount > 0 and payment.captured_amount == 0
    if newly_captured:
        payment.captured_amount = facts.captured_amount
        payment.captured_at = facts.occurred_at
        fields |= {"captured_amount", "captured_at"}
    new_fee = facts.fee_amount > 0 and payment.fee_amount == 0 and payment.captured_amount > 0
    if new_fee:
        payment.fee_amount = facts.fee_amount
        fields.add("fee_amount")
    before = payment.status
    if _newer(payment, facts):
        payment.provider_updated_at = facts.occurred_at
        fields.add("provider_updated_at")
        if payment.captured_amount == 0:
            payment.status = facts.status
            if facts.status == Status.FAILED:
                payment.failure_message = facts.failure_message[:300] or _("The payment failed.")
                fields.add("failure_message")
    if payment.captured_amount > 0:
        payment.status = _captured_status(payment)
    if payment.status == Status.AUTHORISED and payment.authorised_at is None:
        payment.authorised_at = facts.occurred_at
        fields.add("authorised_at")
    if payment.status != before:
        fields.add("status")
    if fields:
        payment.save(update_fields=[*sorted(fields), "updated_at"])
    after = _AfterCommit(capture_due=payment.status == Status.AUTHORISED and before != Status.AUTHORISED)
    if after.capture_due:
        publish(
            PaymentAuthorised(
                payment_id=payment.pk,
                order_id=payment.order_id,
                amount=payment.amount,
                currency=payment.currency,
            )
        )
    if newly_captured:
        after = _capture_post(payment)
        publish(
            PaymentCaptured(
                payment_id=payment.pk,
                order_id=payment.order_id,
                amount=payment.captured_amount,
                currency=payment.currency,
            )
        )
    if new_fee:
        ledger.fee_post(
            payment_id=payment.pk,
            order_id=payment.order_id,
            currency=payment.currency,
            amount=payment.fee_amount,
        )
    if facts.refunds is not None:
        _refunds_reconcile(payment, facts.refunds)
    _schedule(payment.pk, after)
    return payment


def _capture_post(payment: Payment) -> _AfterCommit:
    """Money captured: split it to sellers in the ledger and confirm the order, in the caller's
    transaction; or, when the order is no longer waiting for this money, keep it unallocated and have
    it refunded after commit."""
    order = order_lock(order_id=payment.order_id)  # locked already, before the payment
    if order.status != OrderStatus.PENDING_PAYMENT:
        ledger.capture_post(
            payment_id=payment.pk,
            order_id=order.pk,
            currency=payment.currency,
            amount=payment.captured_amount,
            allocations=None,
        )
        if order.status == OrderStatus.CANCELLED:
            # Keeps the orders app's own record of it ("refund due" note); returns False.
            order_payment_confirmed(
                order_id=order.pk,
                amount=payment.captured_amount,
                currency=payment.currency,
                reference=payment.reference,
            )
        return _AfterCommit(late_refund=True)
    allocations = order_allocate(order_id=order.pk)
    ledger.capture_post(
        payment_id=payment.pk,
        order_id=order.pk,
        currency=payment.currency,
        amount=payment.captured_amount,
        allocations=allocations,
    )
    order_payment_confirmed(
        order_id=order.pk,
        amount=payment.captured_amount,
        currency=payment.currency,
        reference=payment.reference,
    )
    # Parts cancelled while the order waited for its money were allocated too: refund them now.
    cancelled = SellerOrder.objects.filter(order_id=order.pk, status=OrderStatus.CANCELLED)
    return _AfterCommit(cancelled_parts=tuple(cancelled.values_list("pk", flat=True)))


def _schedule(payment_id: int, after: _AfterCommit) -> None:
    from payments import tasks

    if after.capture_due:
        transaction.on_commit(lambda: tasks.payment_capture_enqueue(payment_id=payment_id))
    if after.late_refund:
        transaction.on_commit(lambda: tasks.payment_late_refund_enqueue(payment_id=payment_id))
    for part_id in after.cancelled_parts:
        transaction.on_commit(partial(tasks.seller_order_cancel_refund_enqueue, seller_order_id=part_id))


def payment_capture(*, payment_id: int) -> Payment:
    """Capture a manual authorisation — or release it when its order is no longer waiting for the money.

    This is where a risk hold goes: an order under review would stay authorised here until an operator
    decides, instead of being captured at once."""
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    if payment.status != Status.AUTHORISED:
        return payment
    provider = payment_provider_get(payment.provider)
    if payment.order.status == OrderStatus.PENDING_PAYMENT:
        facts = provider.capture(
            reference=payment.reference,
            amount=payment.amount,
            idempotency_key=f"{payment.order.number}:capture:{payment.pk}",
        )
    else:
        facts = provider.cancel(
            reference=payment.reference, idempotency_key=f"{payment.order.number}:cancel:{payment.pk}"
        )
    return payment_facts_apply(payment_id=payment.pk, facts=facts)


# --- refunds --------------------------------------------------------------------------------------


def _ids(seller_order_id: int | None) -> tuple[int, ...]:
    return () if seller_order_id is None else (seller_order_id,)


def _capture_allocated(payment_id: int) -> bool | None:
    """Whether the payment's capture was split to sellers (None: no capture posted)."""
    lines = JournalLine.objects.filter(entry__key=f"capture:{payment_id}")
    kinds = set(lines.values_list("account__kind", flat=True))
    if not kinds:
        return None
    return LedgerAccount.Kind.SHOPPER_CLEARING not in kinds


def _seller_order_refund_lines(
    *,
    part: SellerOrder,
    lines: list[tuple[int, int]] | None,
    shipping_amount: int | None,
    whole: bool,
    refunded: RefundedSoFar,
) -> tuple[list[dict[str, Any]], int]:
    """What a refund of a seller order covers: ``lines`` as ``(order line id, quantity)`` (all remaining
    units when ``whole``) priced from the order lines, and the shipping amount (all remaining when
    ``whole`` and no amount is given). A line's last units get whatever of its total is left, so partial
    refunds add up to the line total exactly."""
    quantities, amounts, shipping_refunded = refunded.quantities, refunded.amounts, refunded.shipping
    order_lines = {line.pk: line for line in OrderLine.objects.filter(seller_order_id=part.pk)}
    if whole:
        wanted = [(pk, line.quantity - quantities[pk]) for pk, line in sorted(order_lines.items())]
        wanted = [(pk, qty) for pk, qty in wanted if qty > 0]
    else:
        wanted = list(lines or [])
    covered: list[dict[str, Any]] = []
    seen: set[int] = set()
    for line_id, quantity in wanted:
        line = order_lines.get(line_id)
        if line is None or line_id in seen:
            raise RefundError(_("This item is not part of the order."), extra={"lines": [str(line_id)]})
        seen.add(line_id)
        left = line.quantity - quantities[line_id]
        if quantity <= 0 or quantity > left:
            raise RefundError(
                _("Only %(left)d of “%(title)s” can still be refunded.")
                % {"left": left, "title": line.title},
                extra={"lines": [f"{line_id}: {quantity} > {left}"]},
            )
        if quantity == left:
            amount = line.total_amount - amounts[line_id]
        else:
            amount = line.total_amount * quantity // line.quantity
        if amount > 0:
            covered.append({"order_line": line_id, "quantity": quantity, "amount": amount})
    shipping_left = part.shipping_amount - shipping_refunded
    shipping = shipping_left if (whole and shipping_amount is None) else (shipping_amount or 0)
    if shipping < 0 or shipping > shipping_left:
        raise RefundError(
            _("At most %(amount)s of shipping can still be refunded.")
            % {"amount": Money(shipping_left, part.order.currency).format()},
            extra={"shipping_amount": [f"{shipping} > {shipping_left}"]},
        )
    return covered, shipping


@dataclass(frozen=True)
class _RefundPriced:
    """What a refund covers, priced: the seller order, its lines and shipping, and the sellers' split."""

    seller_order_id: int | None
    covered: list[dict[str, Any]]  # {"order_line", "quantity", "amount"} per line
    shipping: int
    amount: int
    split: tuple[int, int, int]  # seller amount, commission, promotions (zeros when not split to sellers)


@retry_on_deadlock
@transaction.atomic
def _refund_reserve(
    *,
    payment_id: int,
    idempotency_key: str,
    reason: str,
    seller_order_id: int | None,
    lines: list[tuple[int, int]] | None,
    shipping_amount: int | None,
    whole: bool,
    restock: bool,
    note: str,
    requested_by_id: int | None,
) -> tuple[Refund, bool]:
    """Transaction 1: lock the payment, price the refund, check it against what is still refundable
    (captured - refunded - pending) and create it pending. The same key again returns the first refund."""
    payment = _payment_lock(payment_id=payment_id, seller_order_ids=_ids(seller_order_id))
    existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    if payment.status not in CAPTURED_STATUSES or payment.captured_amount <= 0:
        raise RefundError(_("Only a captured payment can be refunded."), extra={"payment": [payment.status]})
    if reason not in Refund.Reason.values:
        raise RefundError(_("Choose a reason for the refund."), extra={"reason": [reason]})
    allocated = _capture_allocated(payment.pk)
    pending = (
        Refund.objects.filter(payment=payment, status=Refund.Status.PENDING).aggregate(total=Sum("amount"))[
            "total"
        ]
        or 0
    )
    available = payment.captured_amount - payment.refunded_amount - pending
    priced = _refund_price(
        payment=payment,
        allocated=allocated,
        available=available,
        seller_order_id=seller_order_id,
        lines=lines,
        shipping_amount=shipping_amount,
        whole=whole,
    )
    if priced.amount <= 0:
        raise RefundError(_("There is nothing left to refund."), extra={"amount": ["0"]})
    if priced.amount > available:
        raise RefundError(
            _("At most %(amount)s of this payment can still be refunded.")
            % {"amount": Money(max(available, 0), payment.currency).format()},
            extra={"amount": [f"{priced.amount} > {available}"]},
        )
    return _refund_pending_create(
        payment=payment,
        priced=priced,
        idempotency_key=idempotency_key,
        reason=reason,
        restock=restock,
        note=note,
        requested_by_id=requested_by_id,
    )


def _refund_price(
    *,
    payment: Payment,
    allocated: bool | None,
    available: int,
    seller_order_id: int | None,
    lines: list[tuple[int, int]] | None,
    shipping_amount: int | None,
    whole: bool,
) -> _RefundPriced:
    """A payment split to sellers is refunded per seller order, priced from its lines and shipping; one
    never split (``allocated`` false or None) only in full, for all that is still ``available``."""
    if not allocated:
        if not whole:
            raise RefundError(
                _("This payment was never split to shops: it can only be refunded in full."),
                extra={"lines": ["unallocated payment"]},
            )
        return _RefundPriced(seller_order_id=None, covered=[], shipping=0, amount=available, split=(0, 0, 0))
    if seller_order_id is None:
        raise RefundError(_("Choose which shop's part to refund."), extra={"seller_order": ["required"]})
    part = SellerOrder.objects.select_related("order").filter(pk=seller_order_id).first()
    if part is None or part.order_id != payment.order_id:
        raise RefundError(_("This part is not in the order."), extra={"seller_order": [str(seller_order_id)]})
    refunded = seller_order_refunded(seller_order_id=part.pk)
    covered, shipping = _seller_order_refund_lines(
        part=part, lines=lines, shipping_amount=shipping_amount, whole=whole, refunded=refunded
    )
    amount = sum(item["amount"] for item in covered) + shipping
    split = (0, 0, 0)
    if amount > 0:
        split = refund_split(
            seller_order_id=part.pk,
            lines=[(item["order_line"], item["amount"]) for item in covered],
            shipping_amount=shipping,
            refunded=refunded,
        )
    return _RefundPriced(
        seller_order_id=seller_order_id, covered=covered, shipping=shipping, amount=amount, split=split
    )


def _refund_pending_create(
    *,
    payment: Payment,
    priced: _RefundPriced,
    idempotency_key: str,
    reason: str,
    restock: bool,
    note: str,
    requested_by_id: int | None,
) -> tuple[Refund, bool]:
    """The pending refund row, validated; a caller that reserved the same key first wins."""
    seller_amount, commission, promotions = priced.split
    refund = Refund(
        payment=payment,
        seller_order_id=priced.seller_order_id,
        amount=priced.amount,
        shipping_amount=priced.shipping,
        currency=payment.currency,
        reason=reason,
        note=note[:500],
        status=Refund.Status.PENDING,
        idempotency_key=idempotency_key,
        lines=priced.covered,
        restock=restock,
        seller_amount=seller_amount,
        commission_amount=commission,
        promotions_amount=promotions,
        requested_by_id=requested_by_id,
    )
    refund.full_clean(exclude=["payment", "seller_order", "requested_by"])
    try:
        with transaction.atomic():
            refund.save()
    except IntegrityError:  # the same key reserved by a caller not serialised by this payment's lock
        return Refund.objects.get(idempotency_key=idempotency_key), False
    return refund, True


def refund_create(
    *,
    payment_id: int,
    idempotency_key: str,
    reason: str,
    seller_order_id: int | None = None,
    lines: list[tuple[int, int]] | None = None,
    shipping_amount: int | None = None,
    whole: bool = False,
    restock: bool = False,
    note: str = "",
    requested_by_id: int | None = None,
) -> Refund:
    """Refund a captured payment: chosen ``lines`` ``(order line id, quantity)`` and/or
    ``shipping_amount`` of one seller order, or (``whole``) all that is left of a seller order — or of a
    payment never split to sellers. Amounts are computed here; the total never exceeds what was captured
    minus what is refunded or being refunded, however many refunds race. The provider is called outside
    any lock; a refund the provider could not be reached for stays pending and is retried."""
    refund, _created = _refund_reserve(
        payment_id=payment_id,
        idempotency_key=idempotency_key,
        reason=reason,
        seller_order_id=seller_order_id,
        lines=lines,
        shipping_amount=shipping_amount,
        whole=whole,
        restock=restock,
        note=note,
        requested_by_id=requested_by_id,
    )
    if refund.status == Refund.Status.PENDING:
        try:
            refund_submit(refund_id=refund.pk)
        except ProviderUnavailable:
            from payments import tasks

            transaction.on_commit(lambda: tasks.refund_submit_enqueue(refund_id=refund.pk, countdown=30))
        refund.refresh_from_db()
    return refund


def refund_submit(*, refund_id: int) -> Refund:
    """Ask the provider for a pending refund and settle it. Raises ``ProviderUnavailable`` when the
    provider cannot be reached (the refund stays pending).

    A retried submission (the worker died, or the settling transaction was a deadlock victim after the
    provider had already refunded) must never refund twice, even with a provider that ignores the
    idempotency key: the provider's refunds of the payment are looked up first, and one carrying this
    refund's id in its metadata is settled instead of asking again."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != Refund.Status.PENDING:
        return refund
    payment = refund.payment
    provider = payment_provider_get(payment.provider)
    try:
        earlier = next(
            (f for f in provider.refunds(reference=payment.reference) if f.refund_id == refund.pk), None
        )
        fact = earlier or provider.refund(
            reference=payment.reference,
            amount=refund.amount,
            refund_id=refund.pk,
            idempotency_key=refund.idempotency_key,
        )
    except ProviderRefused as exc:
        return refund_settle(refund_id=refund.pk, fact=None, failure_message=exc.message)
    return refund_settle(refund_id=refund.pk, fact=fact)


@retry_on_deadlock
@transaction.atomic
def refund_settle(*, refund_id: int, fact: RefundFact | None, failure_message: str = "") -> Refund:
    """Transaction 2: the provider's answer about a refund — succeeded (counted, posted to the ledger,
    units restocked if asked), failed (its reservation released) or still pending."""
    payment_id, seller_order_id = Refund.objects.values_list("payment_id", "seller_order_id").get(
        pk=refund_id
    )
    payment = _payment_lock(payment_id=payment_id, seller_order_ids=_ids(seller_order_id))
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    _refund_settle_locked(payment, refund, fact, failure_message)
    return refund


def _refund_settle_locked(
    payment: Payment, refund: Refund, fact: RefundFact | None, failure_message: str = ""
) -> None:
    if refund.status != Refund.Status.PENDING:
        return
    if fact is not None and fact.reference and not refund.reference:
        refund.reference = fact.reference
    if fact is not None and fact.status == "pending":
        refund.save(update_fields=["reference", "updated_at"])
        return
    if fact is None or fact.status == "failed":
        refund.status = Refund.Status.FAILED
        refund.failure_message = (failure_message or _("The payment provider refused the refund."))[:300]
        refund.save(update_fields=["status", "reference", "failure_message", "updated_at"])
        _refund_note(refund, succeeded=False)
        _refund_settled_publish(refund, payment, succeeded=False)
        return
    refund.status = Refund.Status.SUCCEEDED
    refund.succeeded_at = timezone.now()
    refund.save(update_fields=["status", "reference", "succeeded_at", "updated_at"])
    payment.refunded_amount += refund.amount
    payment.status = _captured_status(payment)
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    seller_id = None
    if refund.seller_order_id is not None:
        seller_id = SellerOrder.objects.values_list("seller_id", flat=True).get(pk=refund.seller_order_id)
    ledger.refund_post(
        refund_id=refund.pk,
        payment_id=payment.pk,
        order_id=payment.order_id,
        currency=refund.currency,
        amount=refund.amount,
        seller_id=seller_id,
        seller_order_id=refund.seller_order_id,
        seller_amount=refund.seller_amount,
        commission=refund.commission_amount,
        promotions=refund.promotions_amount,
    )
    if refund.restock:
        _refund_restock(refund, order_id=payment.order_id)
    _refund_note(refund, succeeded=True)
    _refund_settled_publish(refund, payment, succeeded=True)
    if refund.seller_order_id is not None:
        # After this commit, in a transaction of its own: closing the part is a status move of the
        # orders app, with its own locks and retry.
        part_id = refund.seller_order_id
        transaction.on_commit(lambda: seller_order_close_if_refunded(seller_order_id=part_id))


def seller_order_close_if_refunded(*, seller_order_id: int) -> bool:
    """A seller order whose succeeded refunds cover its whole total leaves the shipping flow (see
    ``orders.lifecycle.services.seller_order_refunded_close``). Returns whether it was closed."""
    total = SellerOrder.objects.values_list("total_amount", flat=True).get(pk=seller_order_id)
    refunds = Refund.objects.filter(seller_order_id=seller_order_id, status=Refund.Status.SUCCEEDED)
    if (refunds.aggregate(amount=Sum("amount"))["amount"] or 0) < total:
        return False
    closed = seller_order_refunded_close(
        seller_order_id=seller_order_id, stock_restocked=refunds.filter(restock=True).exists()
    )
    return closed is not None


def _refund_settled_publish(refund: Refund, payment: Payment, *, succeeded: bool) -> None:
    publish(
        RefundSettled(
            refund_id=refund.pk,
            payment_id=payment.pk,
            order_id=payment.order_id,
            seller_order_id=refund.seller_order_id,
            amount=refund.amount,
            currency=refund.currency,
            succeeded=succeeded,
        )
    )


def _refund_restock(refund: Refund, *, order_id: int) -> None:
    """Returned units go back on the shelf through the catalog's stock service, their SKUs' products and
    then the SKUs locked first (``catalog.locks``), not product and SKU line by line."""
    from catalog.locks import variants_lock
    from catalog.models import StockMovement
    from catalog.services import stock_adjust

    number = Order.objects.values_list("number", flat=True).get(pk=order_id)
    line_ids = [int(item["order_line"]) for item in refund.lines or []]
    variants = dict(OrderLine.objects.filter(pk__in=line_ids).values_list("pk", "variant_id"))
    variants_lock(variant_ids=[v for v in variants.values() if v is not None])
    for item in sorted(refund.lines or [], key=lambda i: variants.get(int(i["order_line"])) or 0):
        variant_id = variants.get(int(item["order_line"]))
        quantity = int(item.get("quantity") or 0)
        if variant_id is not None and quantity > 0:
            stock_adjust(
                variant_id=variant_id,
                delta=quantity,
                reason=StockMovement.Reason.RETURN,
                actor_id=refund.requested_by_id,
                reference=number,
                note=f"refund {refund.pk}",
            )


def _refund_note(refund: Refund, *, succeeded: bool) -> None:
    from orders.lifecycle.transitions import order_note_record

    order_note_record(
        order_id=refund.payment.order_id,
        seller_order_id=refund.seller_order_id,
        reason_code=ReasonCode.REFUND_SUCCEEDED if succeeded else ReasonCode.REFUND_FAILED,
        reason_params={
            "amount": money_param(refund.amount, refund.currency),
            "why": choice_param("payments.Refund.reason", refund.reason),
        },
        data={
            "refund_id": refund.pk,
            "amount": refund.amount,
            "currency": refund.currency,
            "status": refund.status,
            "reason": refund.reason,
        },
    )


def _refunds_reconcile(payment: Payment, facts: tuple[RefundFact, ...]) -> None:
    """The provider's list of refunds on this payment, with the payment locked: ours (matched by the
    refund id in their metadata, or by reference) are settled if still pending; one made elsewhere (the
    Stripe dashboard) is recorded once, as a refund nobody split to sellers."""
    for fact in facts:
        if not fact.reference:
            continue
        ours = Refund.objects.select_for_update().filter(payment=payment, reference=fact.reference).first()
        if ours is None and fact.refund_id is not None:
            ours = Refund.objects.select_for_update().filter(payment=payment, pk=fact.refund_id).first()
        if ours is not None:
            _refund_settle_locked(payment, ours, fact, _("The payment provider reports the refund failed."))
            continue
        if fact.status != "succeeded":
            continue
        if fact.amount <= 0 or payment.refunded_amount + fact.amount > payment.captured_amount:
            logger.error(
                "payment %s: provider refund %s of %s does not fit what was captured; not recorded",
                payment.pk,
                fact.reference,
                fact.amount,
            )
            continue
        refund = Refund.objects.create(
            payment=payment,
            amount=fact.amount,
            currency=payment.currency,
            reason=Refund.Reason.OTHER,
            note=reason_stored_text(code=ReasonCode.REFUNDED_AT_PROVIDER),
            status=Refund.Status.PENDING,
            reference=fact.reference,
            idempotency_key=f"provider:{payment.provider}:{fact.reference}"[:120],
        )
        _refund_settle_locked(payment, refund, fact)


# --- automatic refunds ----------------------------------------------------------------------------


def payment_late_refund(*, payment_id: int) -> Refund | None:
    """A payment captured for an order that no longer wanted it (cancelled, expired, or paid already by
    another payment): refund it in full, and tell the shopper once."""
    from orders.lifecycle.notifications import order_late_payment_refunded_notify

    payment = Payment.objects.select_related("order").get(pk=payment_id)
    if _capture_allocated(payment.pk) is not False:
        return None
    cancelled = payment.order.status == OrderStatus.CANCELLED
    try:
        refund, created = _refund_reserve(
            payment_id=payment.pk,
            idempotency_key=f"late:{payment.pk}",
            reason=Refund.Reason.LATE_PAYMENT if cancelled else Refund.Reason.OTHER,
            seller_order_id=None,
            lines=None,
            shipping_amount=None,
            whole=True,
            restock=False,
            note="" if cancelled else reason_stored_text(code=ReasonCode.SECOND_PAYMENT),
            requested_by_id=None,
        )
    except RefundError:
        return None  # refunded already (e.g. by an operator)
    if refund.status == Refund.Status.PENDING:
        refund = refund_submit(refund_id=refund.pk)  # ProviderUnavailable: the task retries
    if created:
        order_id, amount, currency = payment.order_id, refund.amount, refund.currency
        succeeded = refund.status == Refund.Status.SUCCEEDED
        transaction.on_commit(
            lambda: order_late_payment_refunded_notify(
                order_id=order_id, amount=amount, currency=currency, refunded=succeeded
            )
        )
    return refund


def seller_order_cancel_refund(*, seller_order_id: int) -> Refund | None:
    """A paid seller order was cancelled: refund all that is left of it from the order's payment."""
    part = SellerOrder.objects.select_related("order").get(pk=seller_order_id)
    if part.status != OrderStatus.CANCELLED:
        return None
    payments = Payment.objects.filter(order_id=part.order_id, captured_amount__gt=0).order_by("pk")
    payment = next((p for p in payments if _capture_allocated(p.pk)), None)
    if payment is None:
        logger.info("seller order %s cancelled: no captured payment to refund", seller_order_id)
        return None
    try:
        refund, _created = _refund_reserve(
            payment_id=payment.pk,
            idempotency_key=f"cancel:{part.pk}",
            reason=Refund.Reason.CANCELLED,
            seller_order_id=part.pk,
            lines=None,
            shipping_amount=None,
            whole=True,
            restock=False,  # the cancellation has put the units back already
            note=part.cancel_reason,
            requested_by_id=None,
        )
    except RefundError as exc:
        logger.info("seller order %s cancelled: %s", seller_order_id, exc.message)
        return None
    if refund.status == Refund.Status.PENDING:
        refund = refund_submit(refund_id=refund.pk)
    return refund


def order_refund_all(
    *, payment_id: int, requested_by_id: int | None, note: str = "", reason: str = Refund.Reason.OTHER
) -> list[Refund]:
    """An operator refunds everything still refundable on a payment, for ``reason`` (a
    ``Refund.Reason``): each seller's part in full, or the whole payment when it was never split to
    sellers."""
    payment = Payment.objects.get(pk=payment_id)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    if _capture_allocated(payment.pk) is False:
        return [
            refund_create(
                payment_id=payment.pk,
                idempotency_key=f"operator:{payment.pk}:{stamp}",
                reason=reason,
                whole=True,
                note=note,
                requested_by_id=requested_by_id,
            )
        ]
    refunds = []
    for part_id in (
        SellerOrder.objects.filter(order_id=payment.order_id).order_by("pk").values_list("pk", flat=True)
    ):
        try:
            refunds.append(
                refund_create(
                    payment_id=payment.pk,
                    idempotency_key=f"operator:{payment.pk}:{part_id}:{stamp}",
                    reason=reason,
                    seller_order_id=part_id,
                    whole=True,
                    note=note,
                    requested_by_id=requested_by_id,
                )
            )
        except RefundError:
            continue  # nothing left on this part
    if not refunds:
        raise RefundError(_("There is nothing left to refund."), extra={"amount": ["0"]})
    return refunds


# --- disputes -------------------------------------------------------------------------------------


@retry_on_deadlock
@transaction.atomic
def payment_dispute_record(*, payment_id: int, dispute_reference: str, amount: int, currency: str) -> bool:
    """The card holder disputed the payment and the network took the money back: post the chargeback
    (once per dispute) and note it on the order. Returns whether it was new."""
    from orders.lifecycle.transitions import order_note_record

    payment = _payment_lock(payment_id=payment_id)
    if currency.upper() != payment.currency:
        raise PaymentError(
            _("The payment's currency does not match the order."), extra={"currency": [currency]}
        )
    if amount <= 0 or amount > payment.captured_amount:
        raise PaymentError(
            _("The disputed amount does not fit the payment."), extra={"amount": [str(amount)]}
        )
    _entry, created = ledger.chargeback_post(
        dispute_reference=dispute_reference,
        payment_id=payment.pk,
        order_id=payment.order_id,
        currency=payment.currency,
        amount=amount,
    )
    if created:
        order_note_record(
            order_id=payment.order_id,
            reason_code=ReasonCode.PAYMENT_DISPUTED,
            reason_params={"amount": money_param(amount, payment.currency), "reference": dispute_reference},
            data={"dispute": dispute_reference, "amount": amount, "payment_id": payment.pk},
        )
    return created
