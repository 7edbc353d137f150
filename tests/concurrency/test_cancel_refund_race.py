"""Real parallel connections on PostgreSQL: an operator's "refund everything", the seller's cancellation
and the shopper's cancellation of one paid order, all at once (issue 12 item 8). Whoever wins, nothing
escapes but the domain's refusals (no 500), no transaction is even a deadlock victim (the locks are
taken in one order, ``orders.lifecycle.locks``; the retry is a safety net), every part ends cancelled,
exactly what was captured is refunded, each refund row is exactly one refund at the provider
(localstripe, which ignores idempotency keys, so a resubmitted refund would show up there twice), the
units are back on the shelf once and the ledger balances.

The cancellations' refunds run as tasks after commit (``celery_eager``: in the thread that committed,
retried in place like a worker would after ``task.retry``), so they race with the operator too."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection, connections
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from catalog.models import ProductVariant
from common.exceptions import ApplicationError
from orders.lifecycle.services import order_cancel_by_shopper
from orders.models import Order, OrderStatus, SellerOrder, ShippingMethod
from orders.shipping.services import seller_order_cancel
from payments import ledger
from payments.models import Payment, Refund
from payments.services import order_refund_all, payment_confirm, payment_start
from tests.factories import OperatorFactory, SellerProfileFactory
from tests.orders.factories import order_place, purchasable_variant
from tests.payments import localstripe_cards as cards

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("stripe_settings", "celery_eager"),
]

ROUNDS = 15
HTTP_ROUNDS = 3
SPREAD = 0.1  # seconds: about as long as refunding everything takes here
STOCK = 10


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def _paid_order(*, parts: int):
    """An order with ``parts`` sellers' parts (the first with flat shipping), paid by card through
    localstripe: captured and split to the sellers in the ledger."""
    sellers = [SellerProfileFactory() for _ in range(parts)]
    variants = [
        purchasable_variant(seller=seller, price=1250 + 100 * n, stock=STOCK)
        for n, seller in enumerate(sellers)
    ]
    method = ShippingMethod.objects.create(seller=sellers[0], name="Parcel", flat_amount=499)
    order = order_place(
        lines=[(variant, n + 2) for n, variant in enumerate(variants)],
        shipping_choice={sellers[0].pk: method.pk},
    )
    payment = payment_confirm(
        payment_id=payment_start(order_id=order.pk).pk, payment_method=cards.card_payment_method()
    )
    assert (payment.status, payment.captured_amount) == (Payment.Status.CAPTURED, order.total_amount)
    return order, payment, variants


def _race(*actors, delays):
    """Run the callables at once (released together by a barrier, then each after its delay in seconds);
    each answers "ok", "refused" (an ``ApplicationError``, the domain's refusal) or the exception that
    escaped it."""
    barrier = threading.Barrier(len(actors))

    def run(actor, delay):
        try:
            barrier.wait(timeout=30)
            time.sleep(delay)
            actor()
            return "ok"
        except ApplicationError:
            return "refused"
        except Exception as exc:  # what escaped is the finding
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(actors)) as pool:
        return list(pool.map(run, actors, delays))


def _delays(round_no: int) -> tuple[float, float, float]:
    """When the operator, the seller and the shopper start, after the barrier: the cancellations are
    spread over the operator's whole refund (reserve, provider call, settle) from round to round, so
    each round tries other interleavings, not only "everyone at the first lock"."""
    step = SPREAD / ROUNDS
    return 0.0, (round_no * 7 % ROUNDS) * step, round_no % ROUNDS * step


def _assert_settled(order, payment, variants, caplog):
    """Every part cancelled, exactly the capture refunded (once per part, once at the provider per
    refund row), stock back once, books balanced, and no task that gave up."""
    order.refresh_from_db()
    payment.refresh_from_db()
    parts = list(SellerOrder.objects.filter(order=order).order_by("pk"))
    assert [p.status for p in parts] == [OrderStatus.CANCELLED] * len(parts)
    assert order.status == OrderStatus.CANCELLED

    refunds = Refund.objects.filter(payment=payment)
    assert not refunds.exclude(status=Refund.Status.SUCCEEDED).exists(), list(
        refunds.values_list("pk", "status", "failure_message")
    )
    assert refunds.aggregate(total=Sum("amount"))["total"] == payment.captured_amount
    assert (payment.refunded_amount, payment.status) == (payment.captured_amount, Payment.Status.REFUNDED)
    for part in parts:
        assert refunds.filter(seller_order=part).aggregate(total=Sum("amount"))["total"] == part.total_amount

    at_provider = cards.refunds(payment.reference)
    assert sum(r["amount"] for r in at_provider) == payment.captured_amount
    per_row = Counter(int(r["metadata"]["refund_id"]) for r in at_provider)
    assert per_row == Counter(refunds.values_list("pk", flat=True))  # each row once, none twice
    assert sorted(r["id"] for r in at_provider) == sorted(refunds.values_list("reference", flat=True))

    for n, variant in enumerate(variants):
        assert ProductVariant.objects.get(pk=variant.pk).stock == STOCK, f"variant {n}"
    assert ledger.ledger_problems() == []
    gave_up = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert gave_up == []
    # The retry is the safety net: locks taken in one order leave no transaction of this race a victim.
    victims = [r.getMessage() for r in caplog.records if r.name == "common.retry"]
    assert victims == []


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_refund_everything_and_both_cancellations_at_once_settle_exactly_once(round_no, caplog):
    order, payment, variants = _paid_order(parts=1 + round_no % 2)
    first = SellerOrder.objects.filter(order=order).order_by("pk").first()
    operator = OperatorFactory()

    results = _race(
        lambda: order_refund_all(
            payment_id=payment.pk, requested_by_id=operator.pk, note="Operator refund", reason="goodwill"
        ),
        lambda: seller_order_cancel(
            seller_order_id=first.pk,
            seller_id=first.seller_id,
            actor_id=first.seller.user_id,
            reason="Out of stock",
        ),
        lambda: order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id),
        delays=_delays(round_no),
    )

    assert [r for r in results if r not in ("ok", "refused")] == []
    assert "ok" in results
    _assert_settled(order, payment, variants, caplog)


@pytest.mark.parametrize("round_no", range(HTTP_ROUNDS))
def test_the_same_race_through_the_pages_never_answers_500(round_no, caplog):
    order, payment, variants = _paid_order(parts=2)
    first = SellerOrder.objects.filter(order=order).order_by("pk").first()
    operator, seller, shopper = Client(), Client(), Client()
    operator.force_login(OperatorFactory())
    seller.force_login(first.seller.user)
    shopper.force_login(Order.objects.get(pk=order.pk).buyer)
    answers: dict[str, int] = {}

    def post(name, client, url, data):
        def send():
            answers[name] = client.post(url, data).status_code

        return send

    results = _race(
        post(
            "operator",
            operator,
            reverse("admin:payments_payment_changelist"),
            {
                "action": "refund_everything",
                ACTION_CHECKBOX_NAME: [payment.pk],
                "apply": "yes",
                "reason": "goodwill",
            },
        ),
        post("seller", seller, reverse("seller:order-cancel", args=[first.pk]), {"reason": "Out of stock"}),
        post("shopper", shopper, reverse("orders:order-cancel", args=[order.number]), {"reason": ""}),
        delays=_delays(round_no * 5),
    )

    assert results == ["ok", "ok", "ok"]
    # A refusal is a page with the reason (200) or a redirect with a message (302), never a 500.
    assert answers["operator"] == 302
    assert answers["shopper"] == 302
    assert answers["seller"] in (200, 302)
    _assert_settled(order, payment, variants, caplog)
