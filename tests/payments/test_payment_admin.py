"""The payment admin's "refund everything": a confirmation page shows what is still refundable in major
units and asks for the reason; only its confirmed POST refunds, with that reason."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from orders.models import ShippingMethod
from payments.models import Payment, Refund
from payments.services import payment_start, payment_test_complete
from tests.factories import OperatorFactory, SellerProfileFactory
from tests.orders.factories import order_place, purchasable_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

CHANGELIST = reverse("admin:payments_payment_changelist")


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def payment():
    seller = SellerProfileFactory()
    method = ShippingMethod.objects.create(seller=seller, name="Parcel", flat_amount=1500)
    order = order_place(
        lines=[(purchasable_variant(seller=seller, price=58499), 1)], shipping_choice={seller.pk: method.pk}
    )
    paid = payment_test_complete(payment_id=payment_start(order_id=order.pk).pk, succeed=True)
    assert (paid.status, paid.captured_amount) == (Payment.Status.CAPTURED, 59999)
    return paid


def _refund_action(client, payment, **extra):
    return client.post(
        CHANGELIST, {"action": "refund_everything", ACTION_CHECKBOX_NAME: [payment.pk], **extra}
    )


def test_the_action_first_shows_the_amount_in_major_units_and_the_reasons_and_refunds_nothing(
    client, operator, payment
):
    page = _refund_action(client, payment)

    assert page.status_code == 200
    html = page.content.decode()
    assert "$599.99" in html
    assert "59999" not in html
    reasons = page.context["form"].fields["reason"].choices
    assert [value for value, _label in reasons] == ["", *Refund.Reason.values]
    assert not Refund.objects.exists()


def test_confirming_without_a_reason_refunds_nothing(client, operator, payment):
    response = _refund_action(client, payment, apply="yes", reason="")

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not Refund.objects.exists()


def test_the_confirmed_post_refunds_with_the_chosen_reason(client, operator, payment):
    response = _refund_action(client, payment, apply="yes", reason="goodwill", note="Parcel lost")

    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount, refund.reason, refund.note, refund.requested_by) == (
        59999,
        "goodwill",
        "Parcel lost",
        operator,
    )
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Payment.Status.REFUNDED, 59999)
    listing = client.get(CHANGELIST).content.decode()
    assert "$599.99" in listing


def test_the_payment_page_is_read_only_and_shows_money_in_major_units(client, operator, payment):
    url = reverse("admin:payments_payment_change", args=[payment.pk])

    html = client.get(url).content.decode()
    response = client.post(url, {"captured_amount": "1", "status": "refunded"})

    assert "$599.99" in html
    assert 'name="captured_amount"' not in html
    assert response.status_code == 403
    payment.refresh_from_db()
    assert (payment.captured_amount, payment.status) == (59999, Payment.Status.CAPTURED)
