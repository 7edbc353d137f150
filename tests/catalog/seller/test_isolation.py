"""Seller B can neither see nor change seller A's listings, SKUs or stock: every object URL is a 404."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from catalog import urls_seller
from catalog.models import Product, ProductImage, ProductStatusEvent, ProductVariant, StockMovement
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Product.Status


@pytest.fixture
def a_variant():
    """Seller A's draft listing with one SKU."""
    return ProductVariantFactory(
        product__status=Status.DRAFT, product__title="A's knife", sku="A-1", price_amount=1999, stock=5
    )


@pytest.fixture
def seller_b(client):
    b = SellerProfileFactory()
    client.force_login(b.user)
    return b


def _unchanged(variant):
    product = Product.objects.get(pk=variant.product_id)
    fresh = ProductVariant.objects.get(pk=variant.pk)
    return (
        (product.title, product.status, fresh.sku, fresh.price_amount, fresh.stock)
        == ("A's knife", Status.DRAFT, "A-1", 1999, 5)
        and StockMovement.objects.count() == 0
        and ProductStatusEvent.objects.count() == 0
    )


def test_seller_b_cannot_open_a_product_edit_page(client, seller_b, a_variant):
    response = client.get(reverse("seller:product-edit", args=[a_variant.product_id]))

    assert response.status_code == 404


def test_seller_b_cannot_edit_a_product(client, seller_b, a_variant, product_post):
    rows = [{"id": a_variant.pk, "sku": "A-1", "price": "0.01", "stock": 0}]

    response = client.post(
        reverse("seller:product-edit", args=[a_variant.product_id]),
        product_post(rows=rows, initial_rows=1, title="Stolen"),
    )

    assert response.status_code == 404
    assert _unchanged(a_variant)


def test_seller_b_cannot_edit_a_sku_through_their_own_product(client, seller_b, a_variant, product_post):
    own = ProductFactory(seller=seller_b, category=a_variant.product.category, status=Status.DRAFT)
    rows = [{"id": a_variant.pk, "sku": "A-1", "price": "0.01", "stock": 0}]

    response = client.post(
        reverse("seller:product-edit", args=[own.pk]),
        product_post(rows=rows, initial_rows=1, title="Mine", category=own.category_id),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This SKU does not exist."]
    assert _unchanged(a_variant)


@pytest.mark.parametrize("action", ["publish", "delist"])
def test_seller_b_cannot_change_a_products_status(client, seller_b, a_variant, action):
    response = client.post(
        reverse("seller:product-transition", args=[a_variant.product_id]), {"action": action}
    )

    assert response.status_code == 404
    assert _unchanged(a_variant)


def test_seller_b_cannot_adjust_a_skus_stock(client, seller_b, a_variant):
    response = client.post(
        reverse("seller:stock-adjust", args=[a_variant.pk]), {"delta": "-5", "reason": "adjustment"}
    )

    assert response.status_code == 404
    assert _unchanged(a_variant)


@pytest.mark.parametrize(
    "data", [{"action": "publish"}, {"action": "delist"}, {"action": "price", "percent": "-50"}]
)
def test_seller_b_cannot_bulk_change_a_product(client, seller_b, a_variant, data):
    response = client.post(reverse("seller:product-list"), {**data, "products": [a_variant.product_id]})

    assert response.status_code == 200
    assert "products" in response.context["bulk_form"].errors
    assert _unchanged(a_variant)


def test_seller_b_does_not_see_a_products_or_skus(client, seller_b, a_variant):
    products = client.get(reverse("seller:product-list"), {"q": "A-1"})
    inventory = client.get(reverse("seller:inventory"))

    assert list(products.context["products"]) == []
    assert list(inventory.context["variants"]) == []


@pytest.mark.parametrize(
    "url_name", ["seller:dashboard", "seller:product-list", "seller:product-create", "seller:inventory"]
)
def test_a_shopper_without_a_shop_is_sent_to_apply(client, url_name):
    client.force_login(UserFactory())

    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:seller-apply")


def test_a_suspended_seller_gets_403_and_cannot_adjust_stock(client, a_variant):
    seller = a_variant.product.seller
    seller.status = seller.Status.SUSPENDED
    seller.save()
    client.force_login(seller.user)

    response = client.post(
        reverse("seller:stock-adjust", args=[a_variant.pk]), {"delta": "-5", "reason": "adjustment"}
    )

    assert response.status_code == 403
    assert _unchanged(a_variant)


def test_every_portal_url_with_an_id_is_a_404_for_seller_b_and_changes_nothing(client, seller_b, a_variant):
    """Walks the portal's URL patterns themselves, so a new URL with an id is covered without a new test."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    name = default_storage.save("products/a.png", ContentFile(buffer.getvalue()))
    image = ProductImage.objects.create(product=a_variant.product, image=name, alt_text="A's")
    ids = {"pk": a_variant.product_id, "image_pk": image.pk}
    ids_for = {"stock-adjust": {"pk": a_variant.pk}}  # its pk is a SKU's
    patterns = [pattern for pattern in urls_seller.urlpatterns if pattern.pattern.converters]
    assert {"product-edit", "product-image-delete", "stock-adjust"} <= {p.name for p in patterns}

    for pattern in patterns:
        kwargs = ids_for.get(pattern.name, {key: ids[key] for key in pattern.pattern.converters})
        url = reverse(f"seller:{pattern.name}", kwargs=kwargs)
        get = client.get(url)
        post = client.post(url, {"action": "publish", "delta": "-5", "reason": "damage", "alt_text": "x"})
        assert get.status_code in (404, 405), (pattern.name, get.status_code)  # 405: a POST-only URL
        assert post.status_code == 404, (pattern.name, post.status_code)

    assert _unchanged(a_variant)
    image.refresh_from_db()
    assert image.alt_text == "A's"
