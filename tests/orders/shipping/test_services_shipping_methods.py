"""The seller's shipping methods: created, changed and deactivated through the services, with their rules."""

import pytest

from common.exceptions import ApplicationError
from orders.models import ShippingMethod
from orders.shipping.services import (
    shipping_method_create,
    shipping_method_deactivate,
    shipping_method_update,
)
from tests.factories import SellerProfileFactory
from tests.orders.factories_seller import ShippingMethodFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Standard",
    "flat_amount": 495,
    "per_kg_amount": 100,
    "free_over_amount": 5000,
    "delivery_days_min": 2,
    "delivery_days_max": 5,
    "position": 0,
}


def test_a_method_is_created_for_the_seller():
    seller = SellerProfileFactory()

    method = shipping_method_create(seller_id=seller.pk, **{**VALID, "name": "  Standard  "})

    assert (
        method.seller_id,
        method.name,
        method.flat_amount,
        method.per_kg_amount,
        method.free_over_amount,
    ) == (
        seller.pk,
        "Standard",
        495,
        100,
        5000,
    )
    assert (method.delivery_days_min, method.delivery_days_max, method.is_active) == (2, 5, True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"flat_amount": -1}, "flat_amount"),
        ({"per_kg_amount": -1}, "per_kg_amount"),
        ({"free_over_amount": -1}, "free_over_amount"),
        ({"flat_amount": 100_000_001}, "flat_amount"),
        ({"per_kg_amount": 100_000_001}, "per_kg_amount"),
        ({"free_over_amount": 100_000_001}, "free_over_amount"),
        ({"delivery_days_min": 6, "delivery_days_max": 5}, "delivery_days_max"),
        ({"delivery_days_min": -1}, "delivery_days_min"),
        ({"delivery_days_max": 366}, "delivery_days_max"),
        ({"position": -1}, "position"),
    ],
)
def test_invalid_methods_are_refused(changes, field):
    seller = SellerProfileFactory()

    with pytest.raises(ApplicationError) as caught:
        shipping_method_create(seller_id=seller.pk, **{**VALID, **changes})

    assert list(caught.value.extra) == [field]
    assert ShippingMethod.objects.count() == 0


def test_the_limits_themselves_are_allowed():
    seller = SellerProfileFactory()

    method = shipping_method_create(
        seller_id=seller.pk,
        **{**VALID, "flat_amount": 0, "per_kg_amount": 100_000_000, "free_over_amount": None},
        **{},
    )

    assert (method.flat_amount, method.per_kg_amount, method.free_over_amount) == (0, 100_000_000, None)


def test_a_method_is_updated():
    method = ShippingMethodFactory()

    updated = shipping_method_update(
        seller_id=method.seller_id,
        shipping_method_id=method.pk,
        **{**VALID, "name": "Express", "flat_amount": 1299, "free_over_amount": None, "position": 3},
        is_active=False,
    )

    method.refresh_from_db()
    assert updated.pk == method.pk
    assert (method.name, method.flat_amount, method.free_over_amount, method.position, method.is_active) == (
        "Express",
        1299,
        None,
        3,
        False,
    )


def test_an_invalid_update_changes_nothing():
    method = ShippingMethodFactory(name="Standard", flat_amount=495)

    with pytest.raises(ApplicationError):
        shipping_method_update(
            seller_id=method.seller_id, shipping_method_id=method.pk, **{**VALID, "flat_amount": -5}
        )

    method.refresh_from_db()
    assert (method.name, method.flat_amount) == ("Standard", 495)


def test_another_sellers_method_can_neither_be_updated_nor_deactivated():
    method = ShippingMethodFactory(name="Standard")
    intruder = SellerProfileFactory()

    with pytest.raises(ApplicationError, match="does not exist"):
        shipping_method_update(seller_id=intruder.pk, shipping_method_id=method.pk, **VALID)
    with pytest.raises(ApplicationError, match="does not exist"):
        shipping_method_deactivate(seller_id=intruder.pk, shipping_method_id=method.pk)

    method.refresh_from_db()
    assert (method.name, method.is_active) == ("Standard", True)


def test_deactivating_keeps_the_row_and_is_idempotent():
    method = ShippingMethodFactory()

    shipping_method_deactivate(seller_id=method.seller_id, shipping_method_id=method.pk)
    shipping_method_deactivate(seller_id=method.seller_id, shipping_method_id=method.pk)

    method.refresh_from_db()
    assert method.is_active is False
