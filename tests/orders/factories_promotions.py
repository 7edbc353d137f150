"""Factories for promotions (coupons, flash sales, spend tiers) and a minimal order to redeem against."""

from datetime import timedelta

import factory
from django.utils import timezone

from orders.models import Coupon, FlashSale, FlashSaleItem, Order, SpendTier
from tests.factories import ProductVariantFactory, SellerProfileFactory


class CouponFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coupon

    seller = factory.SubFactory(SellerProfileFactory)
    code = factory.Sequence(lambda n: f"CODE{n}")
    kind = Coupon.Kind.PERCENT
    percent_off = 10
    amount_off = None
    currency = "USD"
    usage_limit_per_user = 1
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = None


class FlashSaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlashSale

    seller = factory.SubFactory(SellerProfileFactory)
    name = factory.Sequence(lambda n: f"Sale {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))


class FlashSaleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlashSaleItem

    flash_sale = factory.SubFactory(FlashSaleFactory)
    variant = factory.SubFactory(
        ProductVariantFactory, product__seller=factory.SelfAttribute("...flash_sale.seller")
    )
    sale_price_amount = 999
    stock_cap = 10


class SpendTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendTier

    seller = factory.SubFactory(SellerProfileFactory)
    threshold_amount = 5000
    discount_amount = 500
    currency = "USD"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class OrderFactory(factory.django.DjangoModelFactory):
    """A bare placed order (no lines): enough to hang coupon redemptions on."""

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"T{n:08d}")
    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    currency = "USD"
    placed_at = factory.LazyFunction(timezone.now)
