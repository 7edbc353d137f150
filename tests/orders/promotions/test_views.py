"""The seller portal's promotion pages: lists, forms, errors put back on fields, and stopping."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Coupon, FlashSale, SpendTier
from tests.factories import ProductVariantFactory, category_create
from tests.orders.factories_promotions import CouponFactory, FlashSaleItemFactory, SpendTierFactory

pytestmark = pytest.mark.django_db


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def coupon_post(**overrides):
    data = {
        "code": "WELCOME5",
        "description": "For new shoppers",
        "kind": "fixed",
        "percent_off": "",
        "amount_off": "5.00",
        "min_spend": "20.00",
        "scope": "shop",
        "usage_limit_total": "100",
        "usage_limit_per_user": "1",
        "starts_at": local(timezone.now()),
        "ends_at": "",
    }
    data.update(overrides)
    return data


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("seller:coupon-list"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_coupon_list_shows_the_sellers_coupons_in_few_queries(
    client, seller, django_assert_max_num_queries
):
    for n in range(15):
        CouponFactory(seller=seller, code=f"LIST{n}", usage_limit_total=50, times_used=n)
    CouponFactory(code="NOTMINE")

    with django_assert_max_num_queries(8):
        response = client.get(reverse("seller:coupon-list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "LIST14" in body
    assert "14 of 50" in body
    assert "NOTMINE" not in body


def test_a_seller_creates_a_coupon_from_major_units(client, seller):
    response = client.post(reverse("seller:coupon-create"), coupon_post())

    assert response.status_code == 302
    assert response["Location"] == reverse("seller:coupon-list")
    coupon = Coupon.objects.get()
    assert (
        coupon.seller_id,
        coupon.code,
        coupon.amount_off,
        coupon.min_spend_amount,
        coupon.usage_limit_total,
    ) == (
        seller.pk,
        "WELCOME5",
        500,
        2000,
        100,
    )


def test_a_category_coupon_lists_categories_to_choose(client, seller):
    kitchen = category_create("Kitchen")

    page = client.get(reverse("seller:coupon-create"))
    response = client.post(
        reverse("seller:coupon-create"),
        coupon_post(
            kind="percent", percent_off="15", amount_off="", scope="category", categories=[kitchen.pk]
        ),
    )

    assert "Kitchen" in page.content.decode()
    assert response.status_code == 302
    assert list(Coupon.objects.get().categories.all()) == [kitchen]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "has space"}, "code", "Use up to 40 letters, digits, hyphens or underscores."),
        ({"code": "taken"}, "code", "This code is already taken. Choose another one."),
        ({"amount_off": ""}, "amount_off", "Enter the amount off."),
        ({"amount_off": "1.005"}, "amount_off", "Ensure that there are no more than 2 decimal places."),
        (
            {"amount_off": "1000000.01"},
            "amount_off",
            "Ensure this value is less than or equal to 1000000.00.",
        ),
        (
            {"kind": "percent", "percent_off": "101"},
            "percent_off",
            "Ensure this value is less than or equal to 100.",
        ),
        ({"scope": "products"}, "products", "Choose at least one product."),
        (
            {"ends_at": local(timezone.now() - timedelta(days=1))},
            "ends_at",
            "The end must be after the start.",
        ),
    ],
)
def test_bad_coupon_input_is_shown_on_its_field(client, seller, overrides, field, message):
    CouponFactory(code="TAKEN")

    response = client.post(reverse("seller:coupon-create"), coupon_post(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Coupon.objects.count() == 1


def test_a_coupon_cannot_target_another_sellers_product(client, seller):
    foreign = ProductVariantFactory().product

    response = client.post(
        reverse("seller:coupon-create"), coupon_post(scope="products", products=[foreign.pk])
    )

    assert response.status_code == 200
    assert "products" in response.context["form"].errors
    assert Coupon.objects.count() == 0


def test_a_seller_edits_and_stops_a_coupon(client, seller):
    coupon = CouponFactory(seller=seller, code="OLD", kind="percent", percent_off=10)

    page = client.get(reverse("seller:coupon-edit", args=[coupon.pk]))
    edited = client.post(
        reverse("seller:coupon-edit", args=[coupon.pk]),
        coupon_post(code="OLD", kind="percent", percent_off="20", amount_off=""),
    )
    stopped = client.post(reverse("seller:coupon-deactivate", args=[coupon.pk]))

    assert page.status_code == 200
    assert page.context["form"].initial["percent_off"] == 10
    assert (edited.status_code, stopped.status_code) == (302, 302)
    coupon.refresh_from_db()
    assert (coupon.percent_off, coupon.is_active) == (20, False)


def test_stopping_needs_a_post(client, seller):
    coupon = CouponFactory(seller=seller)

    assert client.get(reverse("seller:coupon-deactivate", args=[coupon.pk])).status_code == 405


def test_a_seller_creates_a_flash_sale_with_own_skus(client, seller):
    variant = ProductVariantFactory(product__seller=seller, sku="MUG-1", price_amount=2000)
    now = timezone.now()
    data = {
        "name": "Weekend mugs",
        "starts_at": local(now),
        "ends_at": local(now + timedelta(days=2)),
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-sku": "MUG-1",
        "items-0-sale_price": "15.00",
        "items-0-stock_cap": "25",
    }

    page = client.get(reverse("seller:flash-sale-create"))
    response = client.post(reverse("seller:flash-sale-create"), data)

    assert page.status_code == 200
    assert response.status_code == 302
    sale = FlashSale.objects.get()
    assert (sale.seller_id, sale.name) == (seller.pk, "Weekend mugs")
    assert list(sale.items.values_list("variant_id", "sale_price_amount", "stock_cap")) == [
        (variant.pk, 1500, 25)
    ]


def test_a_flash_sale_row_error_is_shown_on_its_row(client, seller):
    ProductVariantFactory(sku="THEIRS-1", price_amount=2000)
    now = timezone.now()
    data = {
        "name": "Steal",
        "starts_at": local(now),
        "ends_at": local(now + timedelta(days=1)),
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-sku": "THEIRS-1",
        "items-0-sale_price": "1.00",
        "items-0-stock_cap": "5",
    }

    response = client.post(reverse("seller:flash-sale-create"), data)

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["sku"] == ["You have no SKU with this code."]
    assert FlashSale.objects.count() == 0


def test_the_flash_sale_edit_page_shows_its_rows_and_sold_units(
    client, seller, django_assert_max_num_queries
):
    item = FlashSaleItemFactory(flash_sale__seller=seller, variant__sku="MUG-9", sold_count=3, stock_cap=8)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("seller:flash-sale-edit", args=[item.flash_sale_id]))

    assert response.status_code == 200
    assert response.context["formset"].forms[0].initial["sku"] == "MUG-9"
    assert "MUG-9: 3 of 8" in response.content.decode()


def test_the_flash_sale_list_takes_few_queries(client, seller, django_assert_max_num_queries):
    for _ in range(10):
        FlashSaleItemFactory(flash_sale__seller=seller)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("seller:flash-sale-list"))

    assert len(response.context["sales"]) == 10


def test_a_seller_creates_and_stops_a_spend_tier(client, seller, django_assert_max_num_queries):
    response = client.post(
        reverse("seller:spend-tier-create"),
        {"threshold": "50.00", "discount": "5.00", "starts_at": local(timezone.now()), "ends_at": ""},
    )
    tier = SpendTier.objects.get()
    stopped = client.post(reverse("seller:spend-tier-deactivate", args=[tier.pk]))
    with django_assert_max_num_queries(8):
        listed = client.get(reverse("seller:spend-tier-list"))

    assert (response.status_code, stopped.status_code, listed.status_code) == (302, 302, 200)
    tier.refresh_from_db()
    assert (tier.seller_id, tier.threshold_amount, tier.discount_amount, tier.is_active) == (
        seller.pk,
        5000,
        500,
        False,
    )


def test_a_spend_tier_saving_more_than_its_spend_is_refused_on_the_field(client, seller):
    response = client.post(
        reverse("seller:spend-tier-create"),
        {"threshold": "5.00", "discount": "6.00", "starts_at": local(timezone.now())},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["discount"] == [
        "The saving cannot be more than the spend it needs."
    ]
    assert SpendTier.objects.count() == 0
    SpendTierFactory(seller=seller)
