"""The promotion admins save through ``orders.promotions.services``: the forms check the shape (amounts in
major units), the services check the rules (shown as form errors, nothing saved) and each save leaves a
history row naming the operator."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Coupon, FlashSale, FlashSaleItem, SpendTier
from tests.admin_forms import change_form_data
from tests.factories import OperatorFactory, ProductVariantFactory, SellerProfileFactory
from tests.orders.factories_promotions import (
    CouponFactory,
    FlashSaleFactory,
    FlashSaleItemFactory,
    SpendTierFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


def _when(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def _window(days=7):
    now = timezone.now()
    start, end = _when(now), _when(now + timedelta(days=days))
    return {"starts_at_0": start[0], "starts_at_1": start[1], "ends_at_0": end[0], "ends_at_1": end[1]}


def _coupon_post(**overrides):
    data = {
        "seller": "",
        "code": "SAVE5",
        "description": "",
        "kind": "fixed",
        "percent_off": "",
        "amount_off": "5.00",
        "currency": "USD",
        "min_spend_amount": "25.50",
        "scope": "shop",
        "usage_limit_total": "",
        "usage_limit_per_user": "1",
        **_window(),
    }
    data.update(overrides)
    return data


# --- coupons ------------------------------------------------------------------------------------------


def test_a_coupon_is_created_by_the_service_from_major_units_with_the_operator_in_its_history(
    client, operator
):
    response = client.post(reverse("admin:orders_coupon_add"), _coupon_post(code="save5"))

    assert response.status_code == 302
    coupon = Coupon.objects.get()
    # The service's own touch: codes are stored upper-case.
    assert (coupon.code, coupon.amount_off, coupon.min_spend_amount, coupon.currency) == (
        "SAVE5",
        500,
        2550,
        "USD",
    )
    assert list(coupon.history.values_list("history_type", "history_user")) == [("+", operator.pk)]
    listing = client.get(reverse("admin:orders_coupon_changelist")).content.decode()
    assert "$5.00" in listing


def test_more_decimals_than_the_currency_has_is_a_shape_error(client, operator):
    response = client.post(reverse("admin:orders_coupon_add"), _coupon_post(amount_off="5.001"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount_off"] == [
        "Use at most 2 decimal places for USD."
    ]
    assert not Coupon.objects.exists()


def test_a_coupon_change_refused_by_the_service_shows_on_the_form_and_saves_nothing(client, operator):
    coupon = CouponFactory(seller=None, code="TEN", percent_off=10, usage_limit_total=50, times_used=7)
    url = reverse("admin:orders_coupon_change", args=[coupon.pk])
    page = client.get(url)

    response = client.post(url, change_form_data(page, usage_limit_total="5", percent_off="20"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["usage_limit_total"] == [
        "Enter a number from 7 to 1000000 (it has been used 7 times)."
    ]
    coupon.refresh_from_db()
    assert (coupon.usage_limit_total, coupon.percent_off) == (50, 10)
    assert list(coupon.history.values_list("history_type", flat=True)) == ["+"]  # the factory's


def test_a_coupon_change_goes_through_the_service_and_its_owner_stays(client, operator):
    shop = SellerProfileFactory(shop_name="Attic")
    coupon = CouponFactory(seller=shop, code="TEN", percent_off=10)
    url = reverse("admin:orders_coupon_change", args=[coupon.pk])
    page = client.get(url)

    response = client.post(
        url, change_form_data(page, percent_off="15", seller=str(SellerProfileFactory().pk), currency="EUR")
    )

    assert response.status_code == 302
    coupon.refresh_from_db()
    assert (coupon.percent_off, coupon.seller_id, coupon.currency) == (15, shop.pk, "USD")
    latest = coupon.history.latest()
    assert (latest.history_type, latest.percent_off, latest.history_user) == ("~", 15, operator)


def test_promotions_are_stopped_not_deleted(client, operator):
    coupon = CouponFactory()

    response = client.post(reverse("admin:orders_coupon_delete", args=[coupon.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Coupon.objects.filter(pk=coupon.pk, is_active=True).exists()


# --- flash sales --------------------------------------------------------------------------------------


def test_a_flash_sale_is_created_by_the_service_from_sku_lines(client, operator):
    variant = ProductVariantFactory(sku="DESK-1", price_amount=59999)

    response = client.post(
        reverse("admin:orders_flashsale_add"),
        {"seller": "", "name": "Weekend", "items": "DESK-1, 499.99, 20\n", **_window(2)},
    )

    assert response.status_code == 302
    sale = FlashSale.objects.get()
    assert list(sale.items.values_list("variant_id", "sale_price_amount", "stock_cap")) == [
        (variant.pk, 49999, 20)
    ]
    assert list(sale.history.values_list("history_type", "history_user")) == [("+", operator.pk)]
    assert list(FlashSaleItem.history.values_list("sale_price_amount", "history_user")) == [
        (49999, operator.pk)
    ]


def test_a_flash_sale_row_refused_by_the_service_names_its_line(client, operator):
    ProductVariantFactory(sku="DESK-1", price_amount=59999)

    response = client.post(
        reverse("admin:orders_flashsale_add"),
        {"seller": "", "name": "Weekend", "items": "DESK-1, 499.99, 20\nNOPE, 1.00, 5", **_window(2)},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["items"] == ["Line 2: You have no SKU with this code."]
    assert not FlashSale.objects.exists()
    assert not FlashSaleItem.objects.exists()


def test_a_flash_sale_cannot_drop_a_sku_already_sold_at_the_sale_price(client, operator):
    sale = FlashSaleFactory(seller=None)
    sold = FlashSaleItemFactory(
        flash_sale=sale, variant=ProductVariantFactory(sku="SOLD-1", price_amount=5000), sold_count=3
    )
    other = ProductVariantFactory(sku="OTHER-1", price_amount=5000)
    url = reverse("admin:orders_flashsale_change", args=[sale.pk])
    page = client.get(url)

    response = client.post(url, change_form_data(page, items=f"{other.sku}, 10.00, 5"))

    assert response.status_code == 200
    assert "Units of SOLD-1 were sold at the sale price" in str(response.context["adminform"].form.errors)
    assert list(sale.items.values_list("pk", flat=True)) == [sold.pk]


# --- spend tiers --------------------------------------------------------------------------------------


def test_a_spend_tier_is_created_by_the_service_from_major_units(client, operator):
    response = client.post(
        reverse("admin:orders_spendtier_add"),
        {"seller": "", "threshold_amount": "50", "discount_amount": "5.00", "currency": "USD", **_window()},
    )

    assert response.status_code == 302
    tier = SpendTier.objects.get()
    assert (tier.seller_id, tier.threshold_amount, tier.discount_amount) == (None, 5000, 500)
    assert tier.history.get().history_user == operator
    listing = client.get(reverse("admin:orders_spendtier_changelist")).content.decode()
    assert "Spend $50.00, save $5.00" in listing


def test_a_spend_tier_saving_more_than_its_spend_is_refused_by_the_service(client, operator):
    tier = SpendTierFactory(seller=None, threshold_amount=5000, discount_amount=500)
    url = reverse("admin:orders_spendtier_change", args=[tier.pk])
    page = client.get(url)

    response = client.post(url, change_form_data(page, discount_amount="60.00"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["discount_amount"] == [
        "The saving cannot be more than the spend it needs."
    ]
    tier.refresh_from_db()
    assert tier.discount_amount == 500
