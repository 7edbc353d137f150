"""Seller B can neither see nor change seller A's promotions: every URL with an id is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Coupon, FlashSale, FlashSaleItem, SpendTier
from tests.factories import ProductVariantFactory, SellerProfileFactory
from tests.orders.factories_promotions import CouponFactory, FlashSaleItemFactory, SpendTierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_promotions():
    seller_a = SellerProfileFactory(shop_name="A")
    return {
        "coupon": CouponFactory(seller=seller_a, code="A-ONLY", percent_off=10),
        "item": FlashSaleItemFactory(
            flash_sale__seller=seller_a, flash_sale__name="A sale", sale_price_amount=999
        ),
        "tier": SpendTierFactory(seller=seller_a, threshold_amount=5000, discount_amount=500),
    }


@pytest.fixture
def seller_b(client):
    b = SellerProfileFactory(shop_name="B")
    client.force_login(b.user)
    ProductVariantFactory(product__seller=b, sku="B-1", price_amount=5000)
    return b


def _unchanged(p):
    coupon = Coupon.objects.get(pk=p["coupon"].pk)
    sale = FlashSale.objects.get(pk=p["item"].flash_sale_id)
    item = FlashSaleItem.objects.get(pk=p["item"].pk)
    tier = SpendTier.objects.get(pk=p["tier"].pk)
    return (
        (coupon.code, coupon.percent_off, coupon.is_active) == ("A-ONLY", 10, True)
        and (sale.name, sale.is_active, sale.items.count()) == ("A sale", True, 1)
        and item.sale_price_amount == 999
        and (tier.threshold_amount, tier.is_active) == (5000, True)
        and Coupon.objects.count() == 1
        and FlashSale.objects.count() == 1
        and SpendTier.objects.count() == 1
    )


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _requests(p):
    now = timezone.now()
    coupon_data = {
        "code": "STOLEN",
        "kind": "percent",
        "percent_off": "90",
        "scope": "shop",
        "usage_limit_per_user": "1",
        "starts_at": _local(now),
    }
    sale_data = {
        "name": "Stolen",
        "starts_at": _local(now),
        "ends_at": _local(now + timedelta(days=1)),
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-sku": "B-1",
        "items-0-sale_price": "1.00",
        "items-0-stock_cap": "5",
    }
    sale_id = p["item"].flash_sale_id
    return [
        ("get", "seller:coupon-edit", p["coupon"].pk, None),
        ("post", "seller:coupon-edit", p["coupon"].pk, coupon_data),
        ("post", "seller:coupon-deactivate", p["coupon"].pk, {}),
        ("get", "seller:flash-sale-edit", sale_id, None),
        ("post", "seller:flash-sale-edit", sale_id, sale_data),
        ("post", "seller:flash-sale-deactivate", sale_id, {}),
        ("post", "seller:spend-tier-deactivate", p["tier"].pk, {}),
    ]


@pytest.mark.parametrize("index", range(7))
def test_seller_b_gets_404_on_every_seller_a_promotion_url(client, seller_b, a_promotions, index):
    method, name, pk, data = _requests(a_promotions)[index]

    response = getattr(client, method)(reverse(name, args=[pk]), data)

    assert response.status_code == 404
    assert _unchanged(a_promotions)


def test_seller_b_lists_none_of_seller_as_promotions(client, seller_b, a_promotions):
    bodies = [
        client.get(reverse(name)).content.decode()
        for name in ("seller:coupon-list", "seller:flash-sale-list", "seller:spend-tier-list")
    ]

    assert all("A-ONLY" not in body and "A sale" not in body and "50.00" not in body for body in bodies)


def test_seller_b_cannot_put_seller_as_sku_on_a_flash_sale(client, seller_b, a_promotions):
    now = timezone.now()
    data = {
        "name": "Mine",
        "starts_at": _local(now),
        "ends_at": _local(now + timedelta(days=1)),
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-sku": a_promotions["item"].variant.sku,
        "items-0-sale_price": "0.01",
        "items-0-stock_cap": "5",
    }

    response = client.post(reverse("seller:flash-sale-create"), data)

    assert response.status_code == 200
    assert _unchanged(a_promotions)
