"""The product page shows a listing's typed attributes: a specifications table of its product-scope values
(named, with units) and the variant-scope values of each option in the variant picker."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from catalog.models import CategoryAttribute
from tests.factories import ProductFactory, ProductVariantFactory, category_create

pytestmark = pytest.mark.django_db
Type = CategoryAttribute.Type
Scope = CategoryAttribute.Scope


@pytest.fixture
def phones():
    electronics = category_create("Electronics")
    phones = category_create("Phones", parent=electronics)
    CategoryAttribute.objects.create(
        category=electronics, code="colour", name="Colour", type=Type.CHOICE, scope=Scope.VARIANT
    )
    CategoryAttribute.objects.create(
        category=electronics,
        code="storage",
        name="Storage",
        type=Type.CHOICE,
        scope=Scope.VARIANT,
        position=1,
    )
    CategoryAttribute.objects.create(
        category=phones, code="screen_size", name="Screen size", type=Type.NUMBER, unit="in"
    )
    CategoryAttribute.objects.create(
        category=phones, code="dual_sim", name="Dual SIM", type=Type.BOOLEAN, position=1
    )
    return phones


def _page(client, product):
    response = client.get(reverse("catalog:product-detail", args=[product.slug]))
    assert response.status_code == 200
    return response


def test_the_product_page_lists_the_specifications_with_names_and_units(client, phones):
    product = ProductFactory(
        category=phones, attributes={"dual_sim": False, "screen_size": 6.1, "retired_code": "x"}
    )
    ProductVariantFactory(product=product)

    response = _page(client, product)

    assert [(spec.name, shown) for spec, shown in response.context["specifications"]] == [
        ("Screen size", "6.1 in"),
        ("Dual SIM", "No"),
    ]
    html = response.content.decode()
    assertInHTML('<h2 id="specifications-heading">Specifications</h2>', html)
    assertInHTML('<tr><th scope="row">Screen size</th><td>6.1 in</td></tr>', html)
    assertInHTML('<tr><th scope="row">Dual SIM</th><td>No</td></tr>', html)
    assert "retired_code" not in html


def test_the_variant_picker_names_each_options_values(client, phones):
    product = ProductFactory(category=phones)
    black = ProductVariantFactory(
        product=product,
        name="Black 128",
        price_amount=19999,
        attributes={"colour": "Black", "storage": "128 GB"},
    )
    ProductVariantFactory(
        product=product,
        name="White 256",
        price_amount=22999,
        attributes={"storage": "256 GB", "colour": "White"},
    )

    html = _page(client, product).content.decode()

    assert f'<label for="variant-{black.pk}">Colour: Black · Storage: 128 GB — $199.99 —' in html
    assert "Colour: White · Storage: 256 GB — $229.99 —" in html


def test_a_single_option_shows_its_values(client, phones):
    product = ProductFactory(category=phones)
    ProductVariantFactory(product=product, name="Black", attributes={"colour": "Black"})

    html = _page(client, product).content.decode()

    assertInHTML("<p>Colour: Black</p>", html)


def test_a_product_without_values_has_no_specifications_and_keeps_its_option_names(client, phones):
    product = ProductFactory(category=phones)
    ProductVariantFactory(product=product, name="Small")
    ProductVariantFactory(product=product, name="Large")

    response = _page(client, product)

    html = response.content.decode()
    assert response.context["specifications"] == []
    assert "specifications-heading" not in html
    assert "Small — $19.99 —" in html
