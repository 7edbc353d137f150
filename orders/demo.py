"""Demo data for checkout: each demo seller's shipping methods, and a few promotions to try (a platform
coupon, a shop coupon, a spend-and-save tier and a running flash sale). Idempotent: rows already there are
left alone."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import SellerProfile
from catalog.models import ProductVariant
from orders.models import Coupon, FlashSale, FlashSaleItem, ShippingMethod, SpendTier

DEMO_PLATFORM_COUPON = "WELCOME10"


@transaction.atomic
def checkout_demo_seed() -> dict[str, int]:
    now = timezone.now()
    sellers = list(SellerProfile.objects.filter(status=SellerProfile.Status.APPROVED).order_by("pk"))
    have_methods = set(ShippingMethod.objects.values_list("seller_id", flat=True).distinct())
    methods = []
    for index, seller in enumerate(sellers):
        if seller.pk in have_methods:
            continue
        methods.append(
            ShippingMethod(
                seller=seller,
                name="Standard",
                flat_amount=[499, 399, 595][index % 3],
                per_kg_amount=[0, 100, 50][index % 3],
                free_over_amount=[5000, 7500, None][index % 3],
                delivery_days_min=3,
                delivery_days_max=6,
                position=0,
            )
        )
        methods.append(
            ShippingMethod(
                seller=seller,
                name="Express",
                flat_amount=1299,
                delivery_days_min=1,
                delivery_days_max=2,
                position=1,
            )
        )
    ShippingMethod.objects.bulk_create(methods)
    coupons = 0
    if not Coupon.objects.filter(code__iexact=DEMO_PLATFORM_COUPON).exists():
        Coupon.objects.create(
            code=DEMO_PLATFORM_COUPON,
            description="10% off your first order, across every shop",
            kind=Coupon.Kind.PERCENT,
            percent_off=10,
            min_spend_amount=2000,
            usage_limit_per_user=1,
            starts_at=now - timedelta(days=1),
        )
        coupons += 1
    if sellers and not Coupon.objects.filter(seller=sellers[0]).exists():
        Coupon.objects.create(
            seller=sellers[0],
            code="SHOP5",
            description="$5 off at this shop from $30",
            kind=Coupon.Kind.FIXED,
            amount_off=500,
            min_spend_amount=3000,
            usage_limit_per_user=None,
            starts_at=now - timedelta(days=1),
        )
        coupons += 1
        if not SpendTier.objects.filter(seller=sellers[0]).exists():
            SpendTier.objects.create(
                seller=sellers[0],
                threshold_amount=10000,
                discount_amount=1000,
                starts_at=now - timedelta(days=1),
            )
    if sellers and not FlashSale.objects.exists():
        sale = FlashSale.objects.create(
            seller=sellers[0],
            name="Demo flash sale",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=30),
        )
        variants = ProductVariant.objects.filter(product__seller=sellers[0], stock__gt=0).order_by("pk")[:3]
        FlashSaleItem.objects.bulk_create(
            FlashSaleItem(flash_sale=sale, variant=v, sale_price_amount=v.price_amount * 8 // 10, stock_cap=5)
            for v in variants
        )
    return {"shipping_methods": len(methods), "coupons": coupons}
