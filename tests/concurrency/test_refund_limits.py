"""Real parallel connections on PostgreSQL: refunds racing on one payment never add up to more than was
captured. Each refund reserves its amount under the payment's row lock (pending refunds count), calls the
provider outside any lock, and settles in a second transaction."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from payments import ledger
from payments.models import Payment, Refund
from payments.services import (
    RefundError,
    payment_confirm,
    payment_start,
    payment_test_complete,
    refund_create,
)
from tests.orders.factories import order_place, purchasable_variant
from tests.payments import localstripe_cards as cards

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def _race(payment, part, line, *, requests):
    """``requests`` is a list of (idempotency key, units); all are sent at once."""

    def refund(request):
        key, units = request
        try:
            created = refund_create(
                payment_id=payment.pk,
                idempotency_key=key,
                reason=Refund.Reason.RETURN,
                seller_order_id=part.pk,
                lines=[(line.pk, units)],
            )
            return created.pk
        except RefundError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(refund, requests))


def _paid_with_test_provider(units, price=1000):
    order = order_place(lines=[(purchasable_variant(price=price, stock=units + 5), units)])
    payment = payment_test_complete(payment_id=payment_start(order_id=order.pk).pk, succeed=True)
    part = order.seller_orders.get()
    return payment, part, part.lines.get()


def test_thirty_one_unit_refunds_racing_on_ten_units_refund_exactly_ten():
    payment, part, line = _paid_with_test_provider(10)

    results = _race(payment, part, line, requests=[(f"r{i}", 1) for i in range(30)])

    payment.refresh_from_db()
    assert len([r for r in results if r != "refused"]) == 10
    assert results.count("refused") == 20
    assert (payment.captured_amount, payment.refunded_amount, payment.status) == (
        10_000,
        10_000,
        Payment.Status.REFUNDED,
    )
    assert Refund.objects.filter(status=Refund.Status.SUCCEEDED).count() == 10
    assert ledger.ledger_problems() == []


def test_bigger_refunds_racing_never_exceed_what_was_captured():
    payment, part, line = _paid_with_test_provider(10)

    results = _race(payment, part, line, requests=[(f"r{i}", 3) for i in range(12)])

    payment.refresh_from_db()
    assert len([r for r in results if r != "refused"]) == 3  # 9 of 10 units; a 4th would need 3 more
    assert payment.refunded_amount == 9000
    assert payment.refunded_amount <= payment.captured_amount
    assert ledger.ledger_problems() == []


def test_the_same_refund_asked_for_twelve_times_at_once_is_made_once():
    payment, part, line = _paid_with_test_provider(4)

    results = _race(payment, part, line, requests=[("same-key", 2)] * 12)

    assert len(set(results)) == 1
    assert results[0] != "refused"
    payment.refresh_from_db()
    assert payment.refunded_amount == 2000
    assert Refund.objects.count() == 1


@pytest.mark.usefixtures("stripe_settings")
def test_refunds_racing_through_localstripe_stay_within_the_captured_amount():
    order = order_place(lines=[(purchasable_variant(price=500, stock=10), 6)])
    payment = payment_confirm(
        payment_id=payment_start(order_id=order.pk).pk, payment_method=cards.card_payment_method()
    )
    part = order.seller_orders.get()

    results = _race(payment, part, part.lines.get(), requests=[(f"r{i}", 1) for i in range(16)])

    payment.refresh_from_db()
    assert len([r for r in results if r != "refused"]) == 6
    assert (payment.refunded_amount, payment.status) == (3000, Payment.Status.REFUNDED)
    stripe_refunds = cards.refunds(payment.reference)
    assert sum(r["amount"] for r in stripe_refunds) == 3000
    assert len(stripe_refunds) == 6
    assert ledger.ledger_problems() == []
