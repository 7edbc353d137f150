"""``orders.promotions.services``: coupon uses, flash-sale units and the portal's writes, with their rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from orders.models import Coupon, CouponRedemption, FlashSaleItem
from orders.promotions.services import (
    CouponUnavailable,
    FlashSaleItemInput,
    FlashSaleSoldOut,
    PromotionNotFound,
    coupon_create,
    coupon_deactivate,
    coupon_redeem,
    coupon_release,
    coupon_update,
    flash_sale_claim,
    flash_sale_create,
    flash_sale_release,
    flash_sale_update,
    spend_tier_create,
    spend_tier_deactivate,
)
from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    UserFactory,
    category_create,
)
from tests.orders.factories_promotions import (
    CouponFactory,
    FlashSaleItemFactory,
    OrderFactory,
    SpendTierFactory,
)

pytestmark = pytest.mark.django_db


def redeem(coupon, *, order=None, user_id=None, email="a@example.com", now=None):
    return coupon_redeem(
        coupon_id=coupon.pk,
        order_id=(order or OrderFactory()).pk,
        user_id=user_id,
        email=email,
        discount_amount=150,
        now=now or timezone.now(),
    )


# --- coupon uses --------------------------------------------------------------------------------------


def test_redeeming_records_the_use_and_counts_it():
    coupon = CouponFactory(usage_limit_total=2)
    user = UserFactory()
    order = OrderFactory()

    redemption = redeem(coupon, order=order, user_id=user.pk, email=" A@example.com ")

    coupon.refresh_from_db()
    assert coupon.times_used == 1
    assert (redemption.order_id, redemption.user_id, redemption.email, redemption.discount_amount) == (
        order.pk,
        user.pk,
        "A@example.com",
        150,
    )


def test_the_total_limit_refuses_the_use_after_the_last():
    coupon = CouponFactory(usage_limit_total=1, usage_limit_per_user=None)
    redeem(coupon)

    with pytest.raises(CouponUnavailable, match="usage limit"):
        redeem(coupon)

    coupon.refresh_from_db()
    assert (coupon.times_used, CouponRedemption.objects.count()) == (1, 1)


def test_the_per_shopper_limit_refuses_a_second_use_by_the_same_email():
    coupon = CouponFactory(usage_limit_per_user=1)
    redeem(coupon, email="same@example.com")

    with pytest.raises(CouponUnavailable, match="already used"):
        redeem(coupon, email="SAME@example.com")

    coupon.refresh_from_db()
    assert coupon.times_used == 1


def test_a_guest_use_with_the_accounts_email_counts_for_the_signed_in_account():
    shopper = UserFactory(email="Shopper@Example.com")
    coupon = CouponFactory(usage_limit_per_user=1)
    redeem(coupon, user_id=None, email="  shopper@example.COM ")  # as a guest, the account's e-mail

    with pytest.raises(CouponUnavailable, match="already used"):
        redeem(coupon, user_id=shopper.pk, email="other@example.com")  # then signed in

    assert Coupon.objects.get(pk=coupon.pk).times_used == 1


def test_a_signed_in_use_counts_for_a_later_guest_checkout_with_the_accounts_email():
    shopper = UserFactory(email="shopper@example.com")
    coupon = CouponFactory(usage_limit_per_user=1)
    redeem(coupon, user_id=shopper.pk, email="shopper@example.com")

    with pytest.raises(CouponUnavailable, match="already used"):
        redeem(coupon, user_id=None, email="SHOPPER@example.com ")

    assert CouponRedemption.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"is_active": False}, "no longer active"),
        ({"ends_at": timezone.now() - timedelta(seconds=1)}, "expired"),
        ({"starts_at": timezone.now() + timedelta(days=1)}, "not valid yet"),
    ],
)
def test_redeeming_rechecks_the_coupon(overrides, message):
    coupon = CouponFactory(**overrides)

    with pytest.raises(CouponUnavailable, match=message):
        redeem(coupon)

    assert CouponRedemption.objects.count() == 0


def test_one_order_uses_a_coupon_once():
    coupon = CouponFactory(usage_limit_per_user=None)
    order = OrderFactory()
    redeem(coupon, order=order)

    with pytest.raises(CouponUnavailable, match="already applied"):
        redeem(coupon, order=order)


def test_releasing_an_orders_uses_gives_them_back_once():
    coupon = CouponFactory(usage_limit_total=1)
    order = OrderFactory()
    redeem(coupon, order=order)

    assert coupon_release(order_id=order.pk) == 1
    assert coupon_release(order_id=order.pk) == 0

    coupon.refresh_from_db()
    assert (coupon.times_used, CouponRedemption.objects.count()) == (0, 0)
    redeem(coupon)  # the use is available again


# --- flash-sale units ---------------------------------------------------------------------------------


def test_claiming_takes_units_until_the_cap_all_or_nothing():
    item = FlashSaleItemFactory(stock_cap=5)
    flash_sale_claim(flash_item_id=item.pk, quantity=3)

    with pytest.raises(FlashSaleSoldOut):
        flash_sale_claim(flash_item_id=item.pk, quantity=3)
    flash_sale_claim(flash_item_id=item.pk, quantity=2)

    item.refresh_from_db()
    assert item.sold_count == 5


def test_claiming_nothing_or_an_unknown_item_is_refused():
    item = FlashSaleItemFactory()

    with pytest.raises(ApplicationError):
        flash_sale_claim(flash_item_id=item.pk, quantity=0)
    with pytest.raises(ApplicationError, match="does not exist"):
        flash_sale_claim(flash_item_id=item.pk + 1000, quantity=1)


def test_releasing_units_never_goes_below_zero():
    item = FlashSaleItemFactory(stock_cap=5, sold_count=2)

    flash_sale_release(flash_item_id=item.pk, quantity=1)
    item.refresh_from_db()
    assert item.sold_count == 1
    flash_sale_release(flash_item_id=item.pk, quantity=5)
    item.refresh_from_db()
    assert item.sold_count == 0


# --- coupons in the portal ----------------------------------------------------------------------------


def coupon_kwargs(**overrides):
    values = {
        "code": "welcome-5",
        "kind": "fixed",
        "amount_off": 500,
        "min_spend_amount": 2000,
        "starts_at": timezone.now(),
    }
    values.update(overrides)
    return values


def test_a_seller_creates_a_coupon_stored_in_capitals():
    seller = SellerProfileFactory()

    coupon = coupon_create(seller_id=seller.pk, **coupon_kwargs())

    assert (coupon.seller_id, coupon.code, coupon.kind, coupon.amount_off, coupon.percent_off) == (
        seller.pk,
        "WELCOME-5",
        "fixed",
        500,
        None,
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "no spaces"}, "code"),
        ({"code": "x" * 41}, "code"),
        ({"code": "<b>"}, "code"),
        ({"kind": "percent", "percent_off": 0}, "percent_off"),
        ({"kind": "percent", "percent_off": 101}, "percent_off"),
        ({"amount_off": 0}, "amount_off"),
        ({"amount_off": 100_000_001}, "amount_off"),
        ({"min_spend_amount": -1}, "min_spend_amount"),
        ({"ends_at": timezone.now() - timedelta(days=1)}, "ends_at"),
        ({"usage_limit_total": 0}, "usage_limit_total"),
        ({"usage_limit_per_user": 0}, "usage_limit_per_user"),
        ({"scope": "category"}, "categories"),
        ({"scope": "category", "category_ids": [999_999]}, "categories"),
        ({"scope": "products"}, "products"),
        ({"kind": "bogus"}, "kind"),
    ],
)
def test_coupon_rules_are_checked_field_by_field(overrides, field):
    seller = SellerProfileFactory()

    with pytest.raises(ApplicationError) as caught:
        coupon_create(seller_id=seller.pk, **coupon_kwargs(**overrides))

    assert field in caught.value.extra
    assert Coupon.objects.count() == 0


def test_a_code_is_unique_whatever_its_case():
    CouponFactory(code="SUMMER")

    with pytest.raises(ApplicationError) as caught:
        coupon_create(seller_id=SellerProfileFactory().pk, **coupon_kwargs(code="summer"))

    assert caught.value.extra == {"code": ["This code is already taken. Choose another one."]}


def test_a_seller_may_only_target_their_own_products():
    seller = SellerProfileFactory()
    own, foreign = ProductFactory(seller=seller), ProductFactory()

    with pytest.raises(ApplicationError) as caught:
        coupon_create(
            seller_id=seller.pk, **coupon_kwargs(scope="products", product_ids=[own.pk, foreign.pk])
        )
    coupon = coupon_create(seller_id=seller.pk, **coupon_kwargs(scope="products", product_ids=[own.pk]))

    assert caught.value.extra == {"products": ["Choose among your own products."]}
    assert list(coupon.products.all()) == [own]


def test_a_category_coupon_keeps_its_categories_and_forgets_them_when_rescoped():
    seller = SellerProfileFactory()
    kitchen = category_create("Kitchen")
    coupon = coupon_create(seller_id=seller.pk, **coupon_kwargs(scope="category", category_ids=[kitchen.pk]))
    assert list(coupon.categories.all()) == [kitchen]

    coupon_update(
        seller_id=seller.pk, coupon_id=coupon.pk, **coupon_kwargs(scope="shop", category_ids=[kitchen.pk])
    )

    assert list(coupon.categories.all()) == []


def test_the_total_limit_cannot_go_below_the_uses_so_far():
    coupon = CouponFactory(usage_limit_total=10, times_used=4)

    with pytest.raises(ApplicationError) as caught:
        coupon_update(
            seller_id=coupon.seller_id,
            coupon_id=coupon.pk,
            **coupon_kwargs(code=coupon.code, usage_limit_total=3),
        )

    assert "usage_limit_total" in caught.value.extra
    coupon.refresh_from_db()
    assert (coupon.usage_limit_total, coupon.times_used) == (10, 4)


def test_updating_keeps_the_code_of_the_coupon_itself_and_its_use_count():
    coupon = CouponFactory(code="KEEP", times_used=2)

    coupon_update(
        seller_id=coupon.seller_id, coupon_id=coupon.pk, **coupon_kwargs(code="keep", amount_off=700)
    )

    coupon.refresh_from_db()
    assert (coupon.code, coupon.amount_off, coupon.times_used) == ("KEEP", 700, 2)


def test_another_sellers_coupon_cannot_be_changed_or_stopped():
    coupon = CouponFactory(code="THEIRS")
    stranger = SellerProfileFactory()

    with pytest.raises(PromotionNotFound):
        coupon_update(seller_id=stranger.pk, coupon_id=coupon.pk, **coupon_kwargs(code="MINE"))
    with pytest.raises(PromotionNotFound):
        coupon_deactivate(seller_id=stranger.pk, coupon_id=coupon.pk)

    coupon.refresh_from_db()
    assert (coupon.code, coupon.is_active) == ("THEIRS", True)


def test_an_operator_creates_a_platform_coupon():
    coupon = coupon_create(seller_id=None, **coupon_kwargs(code="PLATFORM", kind="percent", percent_off=5))

    assert (coupon.seller_id, coupon.percent_off, coupon.amount_off) == (None, 5, None)


# --- flash sales in the portal ------------------------------------------------------------------------


def sale_kwargs(seller, items, **overrides):
    now = timezone.now()
    values = {
        "seller_id": seller.pk,
        "name": "Weekend",
        "starts_at": now,
        "ends_at": now + timedelta(days=2),
        "items": items,
    }
    values.update(overrides)
    return values


def test_a_seller_puts_own_skus_on_a_flash_sale():
    seller = SellerProfileFactory()
    variant = ProductVariantFactory(product__seller=seller, sku="MUG-1", price_amount=2000)

    sale = flash_sale_create(**sale_kwargs(seller, [FlashSaleItemInput("MUG-1", 1500, 20)]))

    assert list(sale.items.values_list("variant_id", "sale_price_amount", "stock_cap", "sold_count")) == [
        (variant.pk, 1500, 20, 0)
    ]


def test_a_flash_sale_refuses_foreign_skus_prices_not_lower_and_bad_windows():
    seller = SellerProfileFactory()
    ProductVariantFactory(product__seller=seller, sku="MUG-1", price_amount=2000)
    ProductVariantFactory(sku="THEIRS-1", price_amount=2000)
    now = timezone.now()

    with pytest.raises(ApplicationError) as caught:
        flash_sale_create(
            **sale_kwargs(
                seller,
                [
                    FlashSaleItemInput("THEIRS-1", 100, 5),
                    FlashSaleItemInput("MUG-1", 2000, 5),
                    FlashSaleItemInput("MUG-1", 10, 0),
                ],
                ends_at=now - timedelta(hours=1),
                starts_at=now,
            )
        )

    rows = caught.value.extra["rows"]
    assert rows[0] == {"sku": ["You have no SKU with this code."]}
    assert rows[1] == {"sale_price": ["The sale price must be lower than the SKU's current price."]}
    assert set(rows[2]) == {"sku", "stock_cap"}
    assert caught.value.extra["ends_at"] == ["The end must be after the start."]
    assert FlashSaleItem.objects.count() == 0


def test_updating_a_flash_sale_keeps_sold_units_and_refuses_to_drop_them():
    item = FlashSaleItemFactory(stock_cap=10, sold_count=4, variant__sku="MUG-1", variant__price_amount=2000)
    seller = item.flash_sale.seller
    ProductVariantFactory(product__seller=seller, sku="MUG-2", price_amount=3000)

    with pytest.raises(ApplicationError, match="MUG-1"):
        flash_sale_update(
            flash_sale_id=item.flash_sale_id, **sale_kwargs(seller, [FlashSaleItemInput("MUG-2", 2500, 5)])
        )
    with pytest.raises(ApplicationError) as caught:
        flash_sale_update(
            flash_sale_id=item.flash_sale_id, **sale_kwargs(seller, [FlashSaleItemInput("MUG-1", 1500, 3)])
        )
    assert "stock_cap" in caught.value.extra["rows"][0]

    flash_sale_update(
        flash_sale_id=item.flash_sale_id,
        **sale_kwargs(
            seller,
            [FlashSaleItemInput("MUG-1", 1400, 6), FlashSaleItemInput("MUG-2", 2500, 5)],
            name="Longer",
        ),
    )
    item.refresh_from_db()
    assert (item.sale_price_amount, item.stock_cap, item.sold_count, item.flash_sale.name) == (
        1400,
        6,
        4,
        "Longer",
    )
    assert item.flash_sale.items.count() == 2


# --- spend tiers --------------------------------------------------------------------------------------


def test_a_spend_tier_cannot_save_more_than_it_needs():
    seller = SellerProfileFactory()

    with pytest.raises(ApplicationError) as caught:
        spend_tier_create(
            seller_id=seller.pk, threshold_amount=1000, discount_amount=1001, starts_at=timezone.now()
        )
    tier = spend_tier_create(
        seller_id=seller.pk, threshold_amount=1000, discount_amount=1000, starts_at=timezone.now()
    )

    assert "discount_amount" in caught.value.extra
    assert (tier.threshold_amount, tier.discount_amount, tier.currency) == (1000, 1000, "USD")


def test_only_the_owner_stops_a_spend_tier():
    tier = SpendTierFactory()

    with pytest.raises(PromotionNotFound):
        spend_tier_deactivate(seller_id=SellerProfileFactory().pk, spend_tier_id=tier.pk)
    spend_tier_deactivate(seller_id=tier.seller_id, spend_tier_id=tier.pk)

    tier.refresh_from_db()
    assert tier.is_active is False
