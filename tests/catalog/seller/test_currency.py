"""DEFAULT_CURRENCY is the one currency: a listing made with it set to EUR (service, form or import) is priced in
EUR, can be bought (the cart sells only that currency), and its prices show in EUR. Read per call, so
``settings.DEFAULT_CURRENCY = ...`` in a test is enough."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.importexport import PRODUCT_COLUMNS
from catalog.models import Product
from catalog.services_import import product_import
from catalog.services_listing import VariantInput, product_create
from orders.cart import services as order_services
from tests.factories import UserFactory
from tests.orders.factories import order_place

pytestmark = pytest.mark.django_db

ROW = {"sku": "KNIFE-20", "name": "20 cm", "price": "19.99", "compare_at_price": "", "stock": 7}


@pytest.fixture
def euro(settings):
    settings.DEFAULT_CURRENCY = "EUR"


def _listing(seller, leaf, *, price_amount=1999):
    return product_create(
        seller_id=seller.id,
        actor_id=seller.user_id,
        title="Chef's knife",
        category_id=leaf.id,
        variants=[VariantInput(sku="KNIFE-20", price_amount=price_amount, stock=5)],
        publish=True,
    )


def _csv(price: str) -> bytes:
    values = {
        "product_ref": "knife",
        "title": "Chef's knife",
        "category": "kitchen",
        "sku": "KNIFE-20",
        "price": price,
        "stock": "3",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PRODUCT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow({column: values.get(column, "") for column in PRODUCT_COLUMNS})
    return out.getvalue().encode()


def test_the_listing_service_prices_a_new_listing_in_the_default_currency(euro, seller, leaf):
    product = _listing(seller, leaf)

    assert product.currency == "EUR"
    assert list(product.variants.values_list("currency", "price_amount")) == [("EUR", 1999)]


def test_the_listing_form_prices_a_new_listing_in_the_default_currency(euro, client, seller, product_post):
    form_page = client.get(reverse("seller:product-create"))
    response = client.post(reverse("seller:product-create"), product_post(rows=[ROW]))

    product = Product.objects.get()
    assert response.status_code == 302
    assert "Prices are in EUR, e.g. 19.99." in form_page.content.decode()
    assert product.currency == "EUR"
    assert list(product.variants.values_list("currency", "price_amount")) == [("EUR", 1999)]


def test_a_shopper_buys_a_euro_listing_and_sees_euro_prices(euro, client, seller, leaf):
    product = _listing(seller, leaf)
    variant = product.variants.get()
    shopper = UserFactory()

    page = client.get(reverse("catalog:product-detail", args=[product.slug]))
    cart = order_services.cart_create(user_id=shopper.pk)
    line, capped = order_services.cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=2)
    order = order_place(cart=cart, user=shopper)

    assert "€19.99" in page.content.decode()
    assert (line.quantity, capped) == (2, False)
    assert order.currency == "EUR"
    assert order.subtotal_amount == 3998


def test_a_listing_in_another_currency_than_the_default_cannot_be_bought(settings, seller, leaf):
    settings.DEFAULT_CURRENCY = "EUR"
    product = _listing(seller, leaf)
    settings.DEFAULT_CURRENCY = "USD"
    cart = order_services.cart_create(user_id=None)

    with pytest.raises(order_services.CartError, match="another currency"):
        order_services.cart_line_add(cart_id=cart.pk, variant_id=product.variants.get().pk, quantity=1)


def test_the_listing_form_refuses_more_decimals_than_the_currency_has(settings, client, seller, product_post):
    settings.DEFAULT_CURRENCY = "JPY"

    response = client.post(reverse("seller:product-create"), product_post(rows=[{**ROW, "price": "1999.50"}]))

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["price"] == ["Use at most 0 decimal places for JPY."]
    assert Product.objects.count() == 0


def test_a_yen_listing_keeps_whole_yen(settings, client, seller, product_post):
    settings.DEFAULT_CURRENCY = "JPY"

    client.post(reverse("seller:product-create"), product_post(rows=[{**ROW, "price": "1999"}]))

    assert list(Product.objects.get().variants.values_list("currency", "price_amount")) == [("JPY", 1999)]


def test_the_import_prices_new_listings_in_the_default_currency(euro, seller, leaf):
    report = product_import(
        seller_id=seller.id, actor_id=seller.user_id, file=_csv("19.99"), file_format="csv"
    )

    assert report.errors == []
    assert list(Product.objects.values_list("currency", "variants__currency", "variants__price_amount")) == [
        ("EUR", "EUR", 1999)
    ]


def test_the_import_refuses_more_decimals_than_the_currency_has(settings, seller, leaf):
    settings.DEFAULT_CURRENCY = "JPY"

    report = product_import(
        seller_id=seller.id, actor_id=seller.user_id, file=_csv("12.50"), file_format="csv"
    )

    assert [(error.column, error.message) for error in report.errors] == [
        ("price", "Use at most 0 decimal places for JPY.")
    ]


def test_the_import_page_names_the_default_currency(euro, client, seller):
    response = client.get(reverse("seller:product-import"))

    assert "In EUR, with a dot for decimals, e.g. 12.50." in response.content.decode()


def test_the_import_page_upload_creates_a_euro_listing(euro, client, seller, leaf):
    response = client.post(
        reverse("seller:product-import"), {"file": SimpleUploadedFile("products.csv", _csv("19.99"))}
    )

    assert response.status_code == 302
    assert Product.objects.get().currency == "EUR"
