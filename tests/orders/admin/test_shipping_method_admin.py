"""Shipping methods in the admin: created and changed through ``orders.shipping.services`` (amounts in
major units), stopped rather than deleted, each change in a history naming the operator, and labelled
with their shop and price wherever one is picked."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from orders.models import ShippingMethod
from tests.admin_forms import change_form_data
from tests.factories import OperatorFactory, SellerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def shop():
    return SellerProfileFactory(shop_name="Attic")


def _post(seller, **overrides):
    data = {
        "seller": seller.pk,
        "name": "Express",
        "flat_amount": "4.95",
        "per_kg_amount": "0.50",
        "free_over_amount": "",
        "delivery_days_min": "1",
        "delivery_days_max": "2",
        "position": "0",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_a_method_is_created_by_the_service_from_major_units_with_the_operator_in_its_history(
    client, operator, shop
):
    response = client.post(reverse("admin:orders_shippingmethod_add"), _post(shop, name="  Express  "))

    assert response.status_code == 302
    method = ShippingMethod.objects.get()
    assert (
        method.seller_id,
        method.name,
        method.flat_amount,
        method.per_kg_amount,
        method.free_over_amount,
    ) == (
        shop.pk,
        "Express",
        495,
        50,
        None,
    )
    assert list(method.history.values_list("history_type", "history_user")) == [("+", operator.pk)]
    listing = client.get(reverse("admin:orders_shippingmethod_changelist")).content.decode()
    assert "$4.95" in listing


def test_a_rule_the_service_refuses_shows_on_the_form_and_nothing_is_saved(client, operator, shop):
    response = client.post(
        reverse("admin:orders_shippingmethod_add"), _post(shop, delivery_days_min="5", delivery_days_max="2")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["delivery_days_max"] == [
        "The longest delivery time cannot be shorter than the shortest."
    ]
    assert not ShippingMethod.objects.exists()


def test_a_change_goes_through_the_service_and_the_shop_stays(client, operator, shop):
    method = ShippingMethod.objects.create(seller=shop, name="Standard", flat_amount=495)
    url = reverse("admin:orders_shippingmethod_change", args=[method.pk])
    page = client.get(url)

    response = client.post(
        url, change_form_data(page, flat_amount="5.95", seller=str(SellerProfileFactory().pk))
    )

    assert response.status_code == 302
    method.refresh_from_db()
    assert (method.flat_amount, method.seller_id) == (595, shop.pk)
    latest = method.history.latest()
    assert (latest.history_type, latest.flat_amount, latest.history_user) == ("~", 595, operator)
    history = client.get(reverse("admin:orders_shippingmethod_history", args=[method.pk]))
    assert history.status_code == 200


def test_methods_are_stopped_not_deleted(client, operator, shop):
    method = ShippingMethod.objects.create(seller=shop, name="Standard", flat_amount=495)

    delete = client.post(reverse("admin:orders_shippingmethod_delete", args=[method.pk]), {"post": "yes"})
    stop = client.post(
        reverse("admin:orders_shippingmethod_changelist"),
        {"action": "stop", ACTION_CHECKBOX_NAME: [method.pk]},
    )

    assert delete.status_code == 403
    assert stop.status_code == 302
    method.refresh_from_db()
    assert method.is_active is False
    assert method.history.latest().history_user == operator


def test_a_method_is_labelled_with_its_shop_and_price():
    method = ShippingMethod.objects.create(
        seller=SellerProfileFactory(shop_name="Attic"), name="Standard", flat_amount=495
    )

    assert str(method) == "Attic · Standard ($4.95)"
