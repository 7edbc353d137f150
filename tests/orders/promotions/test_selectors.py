"""``orders.promotions.selectors``: what the pricing engine gets for a cart, and why a coupon is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Coupon, CouponRedemption
from orders.promotions.selectors import (
    coupon_list_for_seller,
    flash_sale_list_for_seller,
    pricing_inputs_for,
    spend_tier_list_for_seller,
)
from tests.factories import ProductFactory, SellerProfileFactory, UserFactory, category_create
from tests.orders.factories_promotions import (
    CouponFactory,
    FlashSaleFactory,
    FlashSaleItemFactory,
    OrderFactory,
    SpendTierFactory,
)

pytestmark = pytest.mark.django_db


def inputs(**overrides):
    values = {
        "variant_ids": [],
        "seller_ids": [],
        "coupon_code": "",
        "now": timezone.now(),
        "email": "shopper@example.com",
        "user_id": None,
    }
    values.update(overrides)
    return pricing_inputs_for(**values)


def test_a_running_flash_sale_with_units_left_gives_its_price_the_cheapest_winning():
    item = FlashSaleItemFactory(sale_price_amount=1500)
    cheaper = FlashSaleItemFactory(
        variant=item.variant, flash_sale__seller=item.flash_sale.seller, sale_price_amount=1200
    )

    result = inputs(variant_ids=[item.variant_id])

    assert result.flash == {item.variant_id: (1200, cheaper.pk)}


@pytest.mark.parametrize(
    "overrides",
    [
        {"sold_count": 10, "stock_cap": 10},
        {"flash_sale__is_active": False},
        {
            "flash_sale__starts_at": timezone.now() + timedelta(hours=1),
            "flash_sale__ends_at": timezone.now() + timedelta(hours=2),
        },
        {
            "flash_sale__starts_at": timezone.now() - timedelta(hours=2),
            "flash_sale__ends_at": timezone.now() - timedelta(hours=1),
        },
    ],
    ids=["sold-out", "stopped", "not-started", "ended"],
)
def test_a_flash_sale_that_cannot_sell_gives_no_price(overrides):
    item = FlashSaleItemFactory(**overrides)

    assert inputs(variant_ids=[item.variant_id]).flash == {}


def test_a_usable_coupon_becomes_a_rule_with_its_categories_and_products_whatever_the_case_typed():
    seller = SellerProfileFactory()
    kitchen = category_create("Kitchen")
    product = ProductFactory(seller=seller)
    coupon = CouponFactory(
        seller=seller, code="SPRING-10", scope=Coupon.Scope.CATEGORY, min_spend_amount=2500
    )
    coupon.categories.set([kitchen])
    coupon.products.set([product])

    result = inputs(coupon_code="  spring-10 ", seller_ids=[seller.pk])

    assert result.coupon_error == ""
    rule = result.coupon
    assert (rule.id, rule.code, rule.seller_id, rule.kind, rule.percent_off, rule.min_spend, rule.scope) == (
        coupon.pk,
        "SPRING-10",
        seller.pk,
        "percent",
        10,
        2500,
        "category",
    )
    assert rule.category_ids == frozenset({kitchen.pk})
    assert rule.product_ids == frozenset({product.pk})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"is_active": False}, "This coupon is no longer active."),
        ({"starts_at": timezone.now() + timedelta(days=1)}, "This coupon is not valid yet."),
        ({"ends_at": timezone.now() - timedelta(minutes=1)}, "This coupon has expired."),
        ({"usage_limit_total": 3, "times_used": 3}, "This coupon has reached its usage limit."),
    ],
)
def test_an_unusable_coupon_says_why(overrides, message):
    CouponFactory(code="NOPE", **overrides)

    result = inputs(coupon_code="NOPE")

    assert (result.coupon, result.coupon_error) == (None, message)


def test_an_unknown_code_is_refused():
    result = inputs(coupon_code="MISSING")

    assert (result.coupon, result.coupon_error) == (None, "There is no coupon with this code.")


def test_the_per_shopper_limit_counts_by_account_when_signed_in():
    user = UserFactory()
    coupon = CouponFactory(code="ONCE")
    CouponRedemption.objects.create(coupon=coupon, order=OrderFactory(), user=user, email="old@example.com")

    signed_in = inputs(coupon_code="ONCE", user_id=user.pk, email="new@example.com")
    someone_else = inputs(coupon_code="ONCE", user_id=UserFactory().pk, email="old@example.com")

    assert signed_in.coupon_error == "You have already used this coupon."
    assert someone_else.coupon_error == ""


def test_the_per_shopper_limit_counts_guests_by_email_in_any_case():
    coupon = CouponFactory(code="ONCE", usage_limit_per_user=2)
    for _ in range(2):
        CouponRedemption.objects.create(coupon=coupon, order=OrderFactory(), email="Guest@Example.com")

    assert (
        inputs(coupon_code="ONCE", email="guest@example.COM").coupon_error
        == "You have already used this coupon."
    )
    assert inputs(coupon_code="ONCE", email="other@example.com").coupon_error == ""


def test_tiers_are_those_running_for_the_carts_sellers_and_the_platform():
    seller, other = SellerProfileFactory(), SellerProfileFactory()
    mine = SpendTierFactory(seller=seller, threshold_amount=5000, discount_amount=500)
    platform = SpendTierFactory(seller=None, threshold_amount=10000, discount_amount=700)
    SpendTierFactory(seller=other)
    SpendTierFactory(seller=seller, is_active=False)
    SpendTierFactory(seller=seller, ends_at=timezone.now() - timedelta(minutes=1))
    SpendTierFactory(seller=seller, starts_at=timezone.now() + timedelta(days=1))

    tiers = inputs(seller_ids=[seller.pk]).tiers

    assert [(t.id, t.seller_id, t.threshold, t.discount) for t in tiers] == [
        (mine.pk, seller.pk, 5000, 500),
        (platform.pk, None, 10000, 700),
    ]


def test_pricing_inputs_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    seller = SellerProfileFactory()
    items = [FlashSaleItemFactory(flash_sale__seller=seller) for _ in range(5)]
    CouponFactory(seller=seller, code="BOUNDED")
    SpendTierFactory(seller=seller)

    with django_assert_max_num_queries(6):
        result = inputs(
            variant_ids=[i.variant_id for i in items],
            seller_ids=[seller.pk],
            coupon_code="BOUNDED",
            user_id=None,
        )

    assert len(result.flash) == 5
    assert result.coupon is not None


def test_portal_lists_hold_only_the_sellers_own_promotions():
    seller, other = SellerProfileFactory(), SellerProfileFactory()
    coupon = CouponFactory(seller=seller)
    CouponFactory(seller=other)
    sale = FlashSaleFactory(seller=seller)
    FlashSaleFactory(seller=other)
    tier = SpendTierFactory(seller=seller)
    SpendTierFactory(seller=other)

    assert list(coupon_list_for_seller(seller_id=seller.pk)) == [coupon]
    assert list(flash_sale_list_for_seller(seller_id=seller.pk)) == [sale]
    assert list(spend_tier_list_for_seller(seller_id=seller.pk)) == [tier]
