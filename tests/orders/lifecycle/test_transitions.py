"""The order state machine: every (from, to) pair for every actor, the derived order status, the timeline
rows and the e-mails each move sends."""

from itertools import product

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common import mail as common_mail
from common.exceptions import ApplicationError
from orders.lifecycle.services import order_payment_confirmed
from orders.lifecycle.transitions import (
    IllegalTransition,
    order_status_derived,
    order_transition,
    seller_order_transition,
)
from orders.models import OrderEvent, OrderStatus, SellerOrder, Shipment
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.factories import order_place, part_status_force, purchasable_variant

pytestmark = pytest.mark.django_db

S = OrderStatus
Actor = OrderEvent.Actor

# Written out by hand from the lifecycle the marketplace promises, not copied from the code under test.
EVERY_MOVE = {
    (S.PENDING_PAYMENT, S.PAID),
    (S.PENDING_PAYMENT, S.CANCELLED),
    (S.PAID, S.PROCESSING),
    (S.PAID, S.SHIPPED),
    (S.PAID, S.CANCELLED),
    (S.PROCESSING, S.SHIPPED),
    (S.PROCESSING, S.CANCELLED),
    (S.SHIPPED, S.DELIVERED),
    (S.DELIVERED, S.COMPLETED),
}
EXPECTED_ALLOWED = {
    Actor.SYSTEM: EVERY_MOVE,
    Actor.OPERATOR: EVERY_MOVE,
    Actor.SHOPPER: {
        (S.PENDING_PAYMENT, S.CANCELLED),
        (S.PAID, S.CANCELLED),
        (S.PROCESSING, S.CANCELLED),
        (S.SHIPPED, S.DELIVERED),
    },
    Actor.SELLER: {
        (S.PAID, S.PROCESSING),
        (S.PAID, S.SHIPPED),
        (S.PROCESSING, S.SHIPPED),
        (S.PAID, S.CANCELLED),
        (S.PROCESSING, S.CANCELLED),
        (S.SHIPPED, S.DELIVERED),
    },
    Actor.CARRIER: {(S.SHIPPED, S.DELIVERED)},
}
CASES = [
    (actor, from_status, to_status, (from_status, to_status) in allowed)
    for actor, allowed in EXPECTED_ALLOWED.items()
    for from_status, to_status in product(S.values, S.values)
]


def _single_part_order(status: str = S.PENDING_PAYMENT):
    order = order_place(lines=[(purchasable_variant(), 1)])
    part = order.seller_orders.get()
    if status != S.PENDING_PAYMENT:
        part_status_force(part, status)
    return order, part


@pytest.mark.parametrize(
    ("actor", "from_status", "to_status", "allowed"),
    CASES,
    ids=[f"{a}:{f}->{t}" for a, f, t, _ in CASES],
)
def test_every_move_for_every_actor(actor, from_status, to_status, allowed):
    order, part = _single_part_order(from_status)
    who = UserFactory()
    events_before = list(OrderEvent.objects.filter(order=order).values_list("pk", flat=True))

    if allowed:
        seller_order_transition(
            seller_order_id=part.pk, to_status=to_status, actor_kind=actor, actor_id=who.pk, reason="why"
        )
        part.refresh_from_db()
        assert part.status == to_status
        event = OrderEvent.objects.filter(order=order, seller_order=part).exclude(pk__in=events_before).get()
        assert (event.from_status, event.to_status) == (from_status, to_status)
        assert (event.actor_kind, event.actor_id, event.reason) == (actor, who.pk, "why")
        assert event.kind == OrderEvent.Kind.STATUS
    else:
        with pytest.raises(IllegalTransition):
            seller_order_transition(
                seller_order_id=part.pk, to_status=to_status, actor_kind=actor, actor_id=who.pk, reason="why"
            )
        part.refresh_from_db()
        order.refresh_from_db()
        assert part.status == from_status
        assert order.status == from_status
        assert list(OrderEvent.objects.filter(order=order).values_list("pk", flat=True)) == events_before


@pytest.mark.parametrize("actor", [Actor.SELLER, Actor.OPERATOR])
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_seller_or_operator_must_say_why_they_cancel(actor, reason):
    order, part = _single_part_order(S.PAID)

    with pytest.raises(ApplicationError) as refused:
        seller_order_transition(
            seller_order_id=part.pk, to_status=S.CANCELLED, actor_kind=actor, reason=reason
        )

    assert refused.value.extra == {"reason": ["required"]}
    part.refresh_from_db()
    assert part.status == S.PAID
    assert not OrderEvent.objects.filter(order=order, to_status=S.CANCELLED).exists()


def test_a_seller_cancel_records_who_and_why_and_that_a_refund_is_due():
    order, part = _single_part_order(S.PAID)
    seller_user = part.seller.user

    seller_order_transition(
        seller_order_id=part.pk,
        to_status=S.CANCELLED,
        actor_kind=Actor.SELLER,
        actor_id=seller_user.pk,
        reason="Damaged in the warehouse",
    )

    part.refresh_from_db()
    order.refresh_from_db()
    assert (part.status, part.cancelled_by, part.cancel_reason) == (
        S.CANCELLED,
        "seller",
        "Damaged in the warehouse",
    )
    assert part.cancelled_at is not None
    assert order.status == S.CANCELLED
    part_event = OrderEvent.objects.get(seller_order=part, to_status=S.CANCELLED)
    assert part_event.data == {"refund_due": True}
    order_event = OrderEvent.objects.get(order=order, seller_order=None, to_status=S.CANCELLED)
    assert (order_event.from_status, order_event.actor_kind, order_event.actor_id) == (
        S.PAID,
        Actor.SELLER,
        seller_user.pk,
    )


def test_a_part_with_a_shipment_cannot_be_cancelled_even_while_still_processing():
    order, part = _single_part_order(S.PROCESSING)
    Shipment.objects.create(seller_order=part, carrier="DHL", tracking_number="T1", shipped_at=timezone.now())
    events_before = OrderEvent.objects.filter(order=order).count()

    with pytest.raises(IllegalTransition):
        seller_order_transition(
            seller_order_id=part.pk, to_status=S.CANCELLED, actor_kind=Actor.SELLER, reason="changed my mind"
        )

    part.refresh_from_db()
    assert part.status == S.PROCESSING
    assert OrderEvent.objects.filter(order=order).count() == events_before


def test_the_shopper_cannot_cancel_an_order_once_any_part_has_shipped():
    shopper = UserFactory()
    order = order_place(user=shopper, lines=[(purchasable_variant(), 1), (purchasable_variant(), 1)])
    first, second = order.seller_orders.order_by("pk")
    part_status_force(first, S.SHIPPED)
    SellerOrder.objects.filter(pk=second.pk).update(status=S.PAID)

    with pytest.raises(IllegalTransition):
        order_transition(
            order_id=order.pk, to_status=S.CANCELLED, actor_kind=Actor.SHOPPER, actor_id=shopper.pk
        )

    assert dict(order.seller_orders.values_list("pk", "status")) == {first.pk: S.SHIPPED, second.pk: S.PAID}


def test_order_transition_refuses_as_a_whole_when_no_part_can_move():
    order, _part = _single_part_order(S.COMPLETED)
    events_before = OrderEvent.objects.filter(order=order).count()

    with pytest.raises(IllegalTransition):
        order_transition(order_id=order.pk, to_status=S.PAID, actor_kind=Actor.SYSTEM)

    assert OrderEvent.objects.filter(order=order).count() == events_before


@pytest.mark.parametrize(
    ("parts", "derived"),
    [
        ([S.PENDING_PAYMENT], S.PENDING_PAYMENT),
        ([S.PAID, S.SHIPPED], S.PAID),
        ([S.SHIPPED, S.PROCESSING, S.DELIVERED], S.PROCESSING),
        ([S.CANCELLED, S.SHIPPED], S.SHIPPED),
        ([S.COMPLETED, S.CANCELLED, S.DELIVERED], S.DELIVERED),
        ([S.COMPLETED, S.COMPLETED], S.COMPLETED),
        ([S.CANCELLED], S.CANCELLED),
        ([S.CANCELLED, S.CANCELLED], S.CANCELLED),
    ],
)
def test_the_order_shows_its_least_advanced_live_part(parts, derived):
    assert order_status_derived(parts) == derived


def test_the_order_status_follows_its_parts_through_the_machine():
    order = order_place(lines=[(purchasable_variant(), 1), (purchasable_variant(), 2)])
    first, second = order.seller_orders.order_by("pk")
    order_transition(order_id=order.pk, to_status=S.PAID, actor_kind=Actor.SYSTEM, reason="pi_1")
    order.refresh_from_db()
    assert order.status == S.PAID
    assert order.paid_at is not None

    seller_order_transition(seller_order_id=first.pk, to_status=S.SHIPPED, actor_kind=Actor.SELLER)
    order.refresh_from_db()
    assert order.status == S.PAID  # the second part has not moved

    seller_order_transition(
        seller_order_id=second.pk, to_status=S.CANCELLED, actor_kind=Actor.SELLER, reason="Out of paint"
    )
    order.refresh_from_db()
    assert order.status == S.SHIPPED  # the cancelled part no longer holds the order back

    seller_order_transition(seller_order_id=first.pk, to_status=S.DELIVERED, actor_kind=Actor.CARRIER)
    seller_order_transition(seller_order_id=first.pk, to_status=S.COMPLETED, actor_kind=Actor.SYSTEM)
    order.refresh_from_db()
    assert order.status == S.COMPLETED
    order_moves = list(
        OrderEvent.objects.filter(order=order, seller_order=None).values_list("from_status", "to_status")
    )
    assert order_moves == [
        ("", S.PENDING_PAYMENT),
        (S.PENDING_PAYMENT, S.PAID),
        (S.PAID, S.SHIPPED),
        (S.SHIPPED, S.DELIVERED),
        (S.DELIVERED, S.COMPLETED),
    ]


def test_every_part_cancelled_cancels_the_order():
    order = order_place(lines=[(purchasable_variant(), 1), (purchasable_variant(), 1)])
    order_transition(order_id=order.pk, to_status=S.PAID, actor_kind=Actor.SYSTEM)
    first, second = order.seller_orders.order_by("pk")

    seller_order_transition(
        seller_order_id=first.pk, to_status=S.CANCELLED, actor_kind=Actor.SELLER, reason="a"
    )
    order.refresh_from_db()
    assert order.status == S.PAID
    seller_order_transition(
        seller_order_id=second.pk, to_status=S.CANCELLED, actor_kind=Actor.SELLER, reason="b"
    )
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert order.cancelled_at is not None
    assert order.cancel_reason == "b"


# --- e-mails ---------------------------------------------------------------------------------------------


def test_payment_mails_the_seller_and_a_shipment_mails_the_shopper(
    mailoutbox, django_capture_on_commit_callbacks
):
    shopper = UserFactory(email="bea@example.com")
    seller = SellerProfileFactory(user__email="seller@example.com")
    order = order_place(user=shopper, lines=[(purchasable_variant(seller=seller), 1)])
    part = order.seller_orders.get()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order_id=order.pk, to_status=S.PAID, actor_kind=Actor.SYSTEM)
    assert [m.to for m in mailoutbox] == [["seller@example.com"]]
    assert order.number in mailoutbox[0].subject

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(seller_order_id=part.pk, to_status=S.SHIPPED, actor_kind=Actor.SELLER)
    assert [m.to for m in mailoutbox] == [["bea@example.com"]]
    assert order.number in mailoutbox[0].subject
    assert seller.shop_name in mailoutbox[0].subject


def test_a_seller_cancel_mails_the_shopper_only_and_a_shopper_cancel_mails_the_seller_only(
    mailoutbox, django_capture_on_commit_callbacks
):
    shopper = UserFactory(email="bea@example.com")
    seller = SellerProfileFactory(user__email="seller@example.com")
    first = order_place(user=shopper, lines=[(purchasable_variant(seller=seller), 1)])
    second = order_place(user=shopper, lines=[(purchasable_variant(seller=seller), 1)])
    for order in (first, second):
        order_transition(order_id=order.pk, to_status=S.PAID, actor_kind=Actor.SYSTEM)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order_id=first.seller_orders.get().pk,
            to_status=S.CANCELLED,
            actor_kind=Actor.SELLER,
            reason="Broken",
        )
    assert [m.to for m in mailoutbox] == [["bea@example.com"]]
    assert first.number in mailoutbox[0].subject

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(
            order_id=second.pk, to_status=S.CANCELLED, actor_kind=Actor.SHOPPER, actor_id=shopper.pk
        )
    assert [m.to for m in mailoutbox] == [["seller@example.com"]]
    assert second.number in mailoutbox[0].subject


def test_mails_are_written_in_each_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.LANGUAGE_CODE = "en"
    shopper = UserFactory(email="li@example.com", preferred_language="zh-hans")
    seller = SellerProfileFactory(user__email="seller@example.com", user__preferred_language="")
    order = order_place(user=shopper, lines=[(purchasable_variant(seller=seller), 1)], language="en")
    part = order.seller_orders.get()
    rendered_in: list[tuple[str, str]] = []

    def render_spy(template_name, context):
        if template_name.endswith("subject.txt"):
            rendered_in.append((context["kind"], translation.get_language()))
        return render_to_string(template_name, context)

    monkeypatch.setattr(common_mail, "render_to_string", render_spy)
    with django_capture_on_commit_callbacks(execute=True):
        order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)
        seller_order_transition(seller_order_id=part.pk, to_status=S.SHIPPED, actor_kind=Actor.SELLER)

    # The seller (no preference) gets the site language; the shopper their own, whatever the order said.
    assert sorted(rendered_in) == [("paid", "zh-hans"), ("seller_paid", "en"), ("shipped", "zh-hans")]
    recipients = sorted((m.to[0], order.number in m.subject) for m in mailoutbox)
    assert recipients == [("li@example.com", True), ("li@example.com", True), ("seller@example.com", True)]
