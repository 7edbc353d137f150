"""Refunds: priced on the server per line and shipping, never more than captured minus refunded (or
being refunded), idempotent by key, split between seller, commission and promotions in the ledger,
optionally restocked; and the automatic ones — a paid seller order cancelled by anyone."""

import pytest
from django.urls import reverse

from catalog.models import ProductVariant, StockMovement
from orders.lifecycle.services import order_cancel_by_shopper
from orders.lifecycle.transitions import seller_order_transition
from orders.models import OrderEvent, OrderStatus, ShippingMethod
from orders.shipping.services import seller_order_cancel
from payments import ledger
from payments.models import JournalEntry, LedgerAccount, Payment, Refund
from payments.services import (
    RefundError,
    payment_start,
    payment_test_complete,
    refund_create,
)
from tests.factories import SellerProfileFactory
from tests.orders.factories import order_place, purchasable_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

Kind = LedgerAccount.Kind


def _paid_order(*, lines, shipping=None):
    """An order of ``lines`` ((variant, quantity)), with ``shipping`` {seller: flat amount}, paid through
    the test provider (captured and posted to the ledger like a Stripe payment)."""
    choice = {}
    for seller, amount in (shipping or {}).items():
        choice[seller.pk] = ShippingMethod.objects.create(seller=seller, name="Parcel", flat_amount=amount).pk
    order = order_place(lines=lines, shipping_choice=choice)
    payment = payment_test_complete(payment_id=payment_start(order_id=order.pk).pk, succeed=True)
    assert payment.status == Payment.Status.CAPTURED
    return order, payment


def _refund(payment, key, **kwargs):
    return refund_create(payment_id=payment.pk, idempotency_key=key, reason=Refund.Reason.RETURN, **kwargs)


def test_a_partial_refund_of_one_unit_is_priced_on_the_server_and_posted_against_the_seller():
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=1000, stock=10)
    order, payment = _paid_order(lines=[(variant, 3)], shipping={seller: 500})
    part = order.seller_orders.get()
    line = part.lines.get()

    refund = _refund(payment, "return:1", seller_order_id=part.pk, lines=[(line.pk, 1)])

    assert (refund.status, refund.amount, refund.shipping_amount, refund.currency) == (
        Refund.Status.SUCCEEDED,
        1000,
        0,
        "USD",
    )
    assert refund.lines == [{"order_line": line.pk, "quantity": 1, "amount": 1000}]
    # 10 % commission is given back: the seller bears 900, the platform 100.
    assert (refund.seller_amount, refund.commission_amount, refund.promotions_amount) == (900, 100, 0)
    assert refund.reference.startswith("test_re_")
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount, payment.refundable_amount) == (
        Payment.Status.PARTIALLY_REFUNDED,
        1000,
        2500,
    )
    entry = JournalEntry.objects.get(key=f"refund:{refund.pk}")
    assert sum(line.amount for line in entry.lines.all()) == 0
    assert ledger.seller_order_pending_balance(
        seller_order_id=part.pk, seller_id=seller.pk, currency="USD"
    ) == (2700 + 500 - 900)
    note = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.NOTE)
    assert note.data == {
        "refund_id": refund.pk,
        "amount": 1000,
        "currency": "USD",
        "status": "succeeded",
        "reason": "return",
    }
    assert ledger.ledger_problems() == []


def test_partial_refunds_of_a_line_add_up_to_its_total_exactly():
    variant = purchasable_variant(price=1000, stock=10)
    # 3 units with a 10 % coupon would not divide evenly; a line of 3 x 333 does not either.
    variant.price_amount = 333
    variant.save(update_fields=["price_amount"])
    order, payment = _paid_order(lines=[(variant, 3)])
    part = order.seller_orders.get()
    line = part.lines.get()
    assert line.total_amount == 999

    amounts = [
        _refund(payment, f"r{i}", seller_order_id=part.pk, lines=[(line.pk, 1)]).amount for i in range(3)
    ]

    assert amounts == [333, 333, 333]
    with pytest.raises(RefundError):
        _refund(payment, "r4", seller_order_id=part.pk, lines=[(line.pk, 1)])
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Payment.Status.REFUNDED, 999)
    assert ledger.ledger_problems() == []


def test_shipping_is_refunded_separately_and_never_twice():
    seller = SellerProfileFactory()
    order, payment = _paid_order(
        lines=[(purchasable_variant(seller=seller, price=2000), 1)], shipping={seller: 450}
    )
    part = order.seller_orders.get()

    refund = _refund(payment, "ship", seller_order_id=part.pk, shipping_amount=450)

    assert (refund.amount, refund.shipping_amount, refund.lines) == (450, 450, [])
    assert (refund.seller_amount, refund.commission_amount) == (450, 0)
    with pytest.raises(RefundError):
        _refund(payment, "ship-again", seller_order_id=part.pk, shipping_amount=1)


def test_the_same_key_returns_the_first_refund_and_refunds_nothing_more():
    order, payment = _paid_order(lines=[(purchasable_variant(price=1000), 2)])
    part = order.seller_orders.get()
    line = part.lines.get()

    first = _refund(payment, "same-key", seller_order_id=part.pk, lines=[(line.pk, 1)])
    again = _refund(payment, "same-key", seller_order_id=part.pk, lines=[(line.pk, 2)])

    assert again.pk == first.pk
    assert Refund.objects.count() == 1
    payment.refresh_from_db()
    assert payment.refunded_amount == 1000


def test_a_whole_seller_order_refund_takes_what_is_left_and_then_nothing_remains():
    seller = SellerProfileFactory()
    order, payment = _paid_order(
        lines=[(purchasable_variant(seller=seller, price=1000), 3)], shipping={seller: 500}
    )
    part = order.seller_orders.get()
    line = part.lines.get()
    _refund(payment, "one", seller_order_id=part.pk, lines=[(line.pk, 1)])

    rest = _refund(payment, "rest", seller_order_id=part.pk, whole=True)

    assert (rest.amount, rest.shipping_amount) == (2500, 500)
    assert rest.lines == [{"order_line": line.pk, "quantity": 2, "amount": 2000}]
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Payment.Status.REFUNDED, 3500)
    with pytest.raises(RefundError) as nothing:
        _refund(payment, "more", seller_order_id=part.pk, whole=True)
    assert nothing.value.extra == {"amount": ["0"]}
    assert (
        ledger.seller_order_pending_balance(seller_order_id=part.pk, seller_id=seller.pk, currency="USD") == 0
    )
    assert ledger.ledger_problems() == []


def test_more_units_than_remain_or_a_line_of_another_order_are_refused():
    order, payment = _paid_order(lines=[(purchasable_variant(price=1000), 2)])
    other, _other_payment = _paid_order(lines=[(purchasable_variant(price=1000), 1)])
    part = order.seller_orders.get()
    line = part.lines.get()

    with pytest.raises(RefundError):
        _refund(payment, "too-many", seller_order_id=part.pk, lines=[(line.pk, 3)])
    with pytest.raises(RefundError):
        _refund(
            payment,
            "foreign-line",
            seller_order_id=part.pk,
            lines=[(other.seller_orders.get().lines.get().pk, 1)],
        )
    with pytest.raises(RefundError):
        _refund(payment, "foreign-part", seller_order_id=other.seller_orders.get().pk, whole=True)
    with pytest.raises(RefundError):
        _refund(payment, "no-part", whole=True)
    assert Refund.objects.count() == 0


def test_an_uncaptured_payment_cannot_be_refunded():
    order = order_place(lines=[(purchasable_variant(), 1)])
    payment = payment_start(order_id=order.pk)

    with pytest.raises(RefundError):
        _refund(payment, "nothing", seller_order_id=order.seller_orders.get().pk, whole=True)


def test_returned_units_can_be_put_back_on_the_shelf():
    variant = purchasable_variant(price=1000, stock=10)
    order, payment = _paid_order(lines=[(variant, 3)])
    part = order.seller_orders.get()
    assert ProductVariant.objects.get(pk=variant.pk).stock == 7

    _refund(payment, "restock", seller_order_id=part.pk, lines=[(part.lines.get().pk, 2)], restock=True)
    _refund(payment, "no-restock", seller_order_id=part.pk, lines=[(part.lines.get().pk, 1)])

    assert ProductVariant.objects.get(pk=variant.pk).stock == 9
    movement = StockMovement.objects.filter(variant=variant, reason=StockMovement.Reason.RETURN).get()
    assert (movement.delta, movement.reference) == (2, order.number)


def test_a_seller_cancelling_a_paid_order_refunds_it_in_full(django_capture_on_commit_callbacks):
    seller = SellerProfileFactory()
    order, payment = _paid_order(
        lines=[(purchasable_variant(seller=seller, price=1500), 2)], shipping={seller: 300}
    )
    part = order.seller_orders.get()

    with django_capture_on_commit_callbacks(execute=True):
        seller_order_cancel(
            seller_order_id=part.pk, seller_id=seller.pk, actor_id=seller.user_id, reason="Broken"
        )

    refund = Refund.objects.get(payment=payment)
    assert (refund.reason, refund.status, refund.amount, refund.seller_order_id, refund.idempotency_key) == (
        Refund.Reason.CANCELLED,
        Refund.Status.SUCCEEDED,
        3300,
        part.pk,
        f"cancel:{part.pk}",
    )
    assert refund.note == "Broken"
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Payment.Status.REFUNDED, 3300)
    assert OrderEvent.objects.filter(
        order=order, kind=OrderEvent.Kind.NOTE, data__refund_id=refund.pk
    ).exists()
    assert ledger.account_balance(kind=Kind.SELLER_PENDING, seller_id=seller.pk, currency="USD") == 0
    assert ledger.ledger_problems() == []


def test_a_shopper_cancelling_a_paid_order_of_two_shops_gets_both_parts_back(
    django_capture_on_commit_callbacks,
):
    a, b = SellerProfileFactory(), SellerProfileFactory()
    order, payment = _paid_order(
        lines=[(purchasable_variant(seller=a, price=1000), 1), (purchasable_variant(seller=b, price=2000), 1)]
    )

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id)

    refunds = sorted(Refund.objects.filter(payment=payment).values_list("seller_order__seller_id", "amount"))
    assert refunds == sorted([(a.pk, 1000), (b.pk, 2000)])
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED


def test_an_operator_cancelling_one_part_refunds_only_that_part(django_capture_on_commit_callbacks):
    a, b = SellerProfileFactory(), SellerProfileFactory()
    order, payment = _paid_order(
        lines=[(purchasable_variant(seller=a, price=1000), 1), (purchasable_variant(seller=b, price=2000), 1)]
    )
    part = order.seller_orders.get(seller=a)

    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order_id=part.pk,
            to_status=OrderStatus.CANCELLED,
            actor_kind="operator",
            reason="Fraud check",
        )

    refund = Refund.objects.get(payment=payment)
    assert (refund.seller_order_id, refund.amount) == (part.pk, 1000)
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Payment.Status.PARTIALLY_REFUNDED, 1000)


def test_the_cancellation_refund_runs_once_however_often_its_task_does():
    from payments.tasks import seller_order_cancel_refund_task

    seller = SellerProfileFactory()
    order, payment = _paid_order(lines=[(purchasable_variant(seller=seller, price=1000), 1)])
    part = order.seller_orders.get()
    seller_order_cancel(seller_order_id=part.pk, seller_id=seller.pk, actor_id=None, reason="Out of stock")

    first = seller_order_cancel_refund_task.delay(part.pk).get()
    second = seller_order_cancel_refund_task.delay(part.pk).get()

    assert first == second
    assert Refund.objects.filter(payment=payment).count() == 1


def test_an_operator_refunds_everything_from_the_admin(admin_client):
    a, b = SellerProfileFactory(), SellerProfileFactory()
    _order, payment = _paid_order(
        lines=[(purchasable_variant(seller=a, price=1000), 1), (purchasable_variant(seller=b, price=2000), 1)]
    )

    response = admin_client.post(
        reverse("admin:payments_payment_changelist"),
        # the confirmation page's POST (the action now asks for a reason first)
        {
            "action": "refund_everything",
            "_selected_action": [payment.pk],
            "apply": "yes",
            "reason": "goodwill",
        },
        follow=True,
    )

    assert response.status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Payment.Status.REFUNDED, 3000)
    assert set(Refund.objects.values_list("requested_by__is_staff", flat=True)) == {True}
    detail = admin_client.get(reverse("admin:payments_payment_change", args=[payment.pk]))
    assert detail.status_code == 200
    assert ledger.ledger_problems() == []
