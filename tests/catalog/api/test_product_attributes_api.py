"""The public product API carries the typed attribute values of a listing and of each variant."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import ProductFactory, ProductVariantFactory

pytestmark = pytest.mark.django_db


def test_the_product_api_has_the_product_and_variant_values():
    product = ProductFactory(slug="phone", attributes={"screen_size": 6.1, "dual_sim": True})
    ProductVariantFactory(product=product, attributes={"colour": "Black", "storage": "128 GB"})

    body = APIClient().get(reverse("catalog-api:product-detail", args=["phone"])).json()

    assert body["attributes"] == {"screen_size": 6.1, "dual_sim": True}
    assert body["variants"][0]["attributes"] == {"colour": "Black", "storage": "128 GB"}
