"""Refunds on the order pages: the shopper sees every refund of the order with what was refunded and what
is left paid; a seller sees only their own part's refunds; another seller still gets a 404."""

import pytest
from django.test import Client
from django.urls import reverse

from common.money import format_money
from orders.models import OrderStatus, ShippingMethod
from payments.models import Refund
from payments.services import payment_start, payment_test_complete, refund_create
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.factories import order_place, purchasable_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

MINUS = "\N{MINUS SIGN}"  # how the pages write a refunded amount


def _usd(amount: int) -> str:
    return format_money(amount, "USD")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def refunded_order(django_capture_on_commit_callbacks):
    """A paid order from two shops: one unit of Attic's two teapots (15.00 each, 5.00 shipping) refunded
    as a return, Barn's one lamp (20.00, no shipping) refunded in full before it was shipped."""
    shopper = UserFactory()
    attic, barn = SellerProfileFactory(shop_name="Attic"), SellerProfileFactory(shop_name="Barn")
    teapot = purchasable_variant(seller=attic, price=1500, title="Teapot")
    lamp = purchasable_variant(seller=barn, price=2000, title="Lamp")
    parcel = ShippingMethod.objects.create(seller=attic, name="Parcel", flat_amount=500)
    free = ShippingMethod.objects.create(seller=barn, name="Pick-up", flat_amount=0)
    order = order_place(
        user=shopper, lines=[(teapot, 2), (lamp, 1)], shipping_choice={attic.pk: parcel.pk, barn.pk: free.pk}
    )
    payment = payment_test_complete(payment_id=payment_start(order_id=order.pk).pk, succeed=True)
    attic_part, barn_part = order.seller_orders.get(seller=attic), order.seller_orders.get(seller=barn)
    with django_capture_on_commit_callbacks(execute=True):
        refund_create(
            payment_id=payment.pk,
            idempotency_key="return-one-teapot",
            reason=Refund.Reason.RETURN,
            seller_order_id=attic_part.pk,
            lines=[(attic_part.lines.get().pk, 1)],
        )
        refund_create(
            payment_id=payment.pk,
            idempotency_key="lamp-all",
            reason=Refund.Reason.GOODWILL,
            seller_order_id=barn_part.pk,
            whole=True,
        )
    return order, shopper, attic_part, barn_part


def test_the_shopper_sees_every_refund_the_refunded_total_and_the_net_paid(refunded_order):
    order, shopper, _attic_part, _barn_part = refunded_order

    response = _signed_in(shopper).get(reverse("orders:order-detail", args=[order.number]))

    html = response.content.decode()
    summary = response.context["refunds"]
    assert (summary.paid_amount, summary.refunded_amount, summary.net_paid_amount) == (5500, 3500, 2000)
    assert f'<dd data-testid="paid-total">{_usd(5500)}</dd>' in html
    assert f'<dd data-testid="refunded-total">{MINUS}{_usd(3500)}</dd>' in html
    assert f'<dd class="grand-total" data-testid="net-paid">{_usd(2000)}</dd>' in html
    assert [(r.shop_name, r.reason_label, r.status_label, r.amount) for r in summary.refunds] == [
        ("Attic", "Return accepted", "Succeeded", 1500),
        ("Barn", "Goodwill", "Succeeded", 2000),
    ]
    assert 'id="order-refunds"' in html
    assert 'id="order-refunded"' not in html  # only part of the order was refunded


def test_a_partially_refunded_part_shows_its_refund_and_net_paid_to_its_seller_only(refunded_order):
    _order, _shopper, attic_part, _barn_part = refunded_order

    response = _signed_in(attic_part.seller.user).get(reverse("seller:order-detail", args=[attic_part.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<dd data-testid="refunded-total">{MINUS}{_usd(1500)}</dd>' in html
    assert f'<dd class="grand-total" data-testid="net-paid">{_usd(2000)}</dd>' in html
    assert [(r.reason_label, r.amount) for r in response.context["refunds"].refunds] == [
        ("Return accepted", 1500)
    ]
    assert "Goodwill" not in html  # Barn's refund is not Attic's business
    assert 'id="order-refunded"' not in html
    assert response.context["part"].status == OrderStatus.PAID  # still to ship the other teapot


def test_a_part_refunded_in_full_shows_it_is_closed_and_refunded(refunded_order):
    _order, _shopper, _attic_part, barn_part = refunded_order

    response = _signed_in(barn_part.seller.user).get(reverse("seller:order-detail", args=[barn_part.pk]))

    html = response.content.decode()
    assert response.context["part"].status == OrderStatus.CANCELLED
    assert '<span class="status-badge" id="order-status">Cancelled</span>' in html
    assert '<span class="status-badge" id="order-refunded">Refunded in full</span>' in html
    assert f'<dd data-testid="refunded-total">{MINUS}{_usd(2000)}</dd>' in html
    assert f'<dd class="grand-total" data-testid="net-paid">{_usd(0)}</dd>' in html
    assert "Return accepted" not in html
    assert "Mark shipped" not in html


def test_another_seller_sees_nothing_of_the_refunds(refunded_order):
    _order, _shopper, attic_part, _barn_part = refunded_order
    stranger = _signed_in(SellerProfileFactory().user)

    assert stranger.get(reverse("seller:order-detail", args=[attic_part.pk])).status_code == 404


def test_the_refunds_read_in_chinese(refunded_order):
    order, shopper, _attic_part, _barn_part = refunded_order

    html = (
        _signed_in(shopper)
        .get(reverse("orders:order-detail", args=[order.number]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )

    assert "退款后实付" in html
    assert "退货已接受" in html


def test_an_order_without_refunds_shows_no_refund_lines(django_assert_max_num_queries):
    shopper = UserFactory()
    order = order_place(user=shopper)
    payment_test_complete(payment_id=payment_start(order_id=order.pk).pk, succeed=True)
    client = _signed_in(shopper)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("orders:order-detail", args=[order.number]))

    assert response.context["refunds"] is None
    assert 'data-testid="net-paid"' not in response.content.decode()


def test_the_refund_list_costs_the_same_queries_however_many_refunds(
    refunded_order, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    order, shopper, attic_part, _barn_part = refunded_order
    client = _signed_in(shopper)
    client.get(reverse("orders:order-detail", args=[order.number]))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("orders:order-detail", args=[order.number]))
    payment = order.payments.get()
    with django_capture_on_commit_callbacks(execute=True):
        refund_create(
            payment_id=payment.pk,
            idempotency_key="shipping",
            reason=Refund.Reason.GOODWILL,
            seller_order_id=attic_part.pk,
            shipping_amount=500,
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("orders:order-detail", args=[order.number]))

    assert len(response.context["refunds"].refunds) == 3
