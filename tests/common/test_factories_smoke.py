import pytest

from tests.factories import ProductVariantFactory


@pytest.mark.django_db
def test_variant_factory_builds_a_sellable_sku_of_an_approved_seller():
    variant = ProductVariantFactory()

    assert variant.product.seller.is_approved
    assert variant.price_amount == variant.product.price_amount == 1999
    assert variant.product.seller.user.check_password("correct-horse-battery")
