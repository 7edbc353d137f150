"""The product admin edits a listing through ``product_operator_update``: the seller's checks and side
effects apply, and the seller, the slug, SKUs and status cannot be changed from the form."""

import pytest
from django.urls import reverse

from catalog.models import Product
from tests.admin_forms import change_form_data
from tests.factories import (
    OperatorFactory,
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    category_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def product():
    listing = ProductFactory(
        seller=SellerProfileFactory(shop_name="Attic"), title="Oak desk", slug="oak-desk", brand="Acme"
    )
    ProductVariantFactory(product=listing, sku="DESK-1", price_amount=59999, stock=3)
    return listing


def _url(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


def test_a_refused_edit_shows_the_services_error_and_saves_nothing(client, operator, product):
    page = client.get(_url(product))

    response = client.post(_url(product), change_form_data(page, title="<b>Oak desk</b>", brand="Other"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == ["HTML is not allowed in titles."]
    product.refresh_from_db()
    assert (product.title, product.brand) == ("Oak desk", "Acme")


def test_a_category_with_subcategories_is_refused_by_the_service(client, operator, product):
    parent = category_create("Furniture")
    category_create("Desks", parent=parent)
    page = client.get(_url(product))

    response = client.post(_url(product), change_form_data(page, category=str(parent.pk)))

    assert response.status_code == 200
    assert "category" in response.context["adminform"].form.errors
    product.refresh_from_db()
    assert product.category_id != parent.pk


def test_a_valid_edit_goes_through_the_service_with_its_side_effects(client, operator, product):
    page = client.get(_url(product))

    response = client.post(
        _url(product),
        change_form_data(
            page,
            title="  Solid oak desk ",
            description='<p>Sturdy</p><script>alert("x")</script>',
            tags=[],
        ),
    )

    assert response.status_code == 302
    product.refresh_from_db()
    # The service's own touches: title trimmed, rich text sanitised.
    assert product.title == "Solid oak desk"
    assert product.description == "<p>Sturdy</p>"
    assert product.slug == "oak-desk"


def test_the_seller_slug_and_skus_are_read_only(client, operator, product):
    other = SellerProfileFactory(shop_name="Elsewhere")
    page = client.get(_url(product))
    html = page.content.decode()

    response = client.post(
        _url(product),
        change_form_data(
            page,
            seller=str(other.pk),
            slug="hijacked",
            **{"variants-0-sku": "NEW-SKU", "variants-0-stock": "99"},
        ),
    )

    assert 'name="seller"' not in html
    assert 'name="slug"' not in html
    assert "$599.99" in html  # the SKU's price in major units
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.seller.shop_name, product.slug) == ("Attic", "oak-desk")
    assert list(product.variants.values_list("sku", "stock")) == [("DESK-1", 3)]


def test_listings_are_neither_added_nor_deleted_in_the_admin(client, operator, product):
    assert client.get(reverse("admin:catalog_product_add")).status_code == 403
    assert client.post(reverse("admin:catalog_product_delete", args=[product.pk])).status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()
