"""The stacking rules of ``orders.pricing``, one pinned example each (no database)."""

from decimal import Decimal

import pytest

from orders.pricing import (
    Adjustment,
    CouponRule,
    PricingLine,
    ShippingRule,
    TierRule,
    allocate,
    price_cart,
    shipping_quote,
)

SELLER_A, SELLER_B = 1, 2


def line(
    key,
    *,
    seller=SELLER_A,
    price=1000,
    qty=1,
    product=None,
    categories=(),
    weight=0,
    flash=None,
    flash_item=None,
):
    return PricingLine(
        key=key,
        seller_id=seller,
        product_id=product or key * 10,
        category_ids=frozenset(categories),
        unit_price=price,
        quantity=qty,
        weight_grams=weight,
        flash_price=flash,
        flash_item_id=flash_item,
    )


def coupon(**overrides):
    values = {
        "id": 7,
        "code": "SAVE10",
        "seller_id": None,
        "kind": "percent",
        "percent_off": 10,
        "amount_off": None,
        "min_spend": 0,
        "scope": "shop",
    }
    values.update(overrides)
    return CouponRule(**values)


def test_a_cart_without_promotions_costs_its_list_prices():
    result = price_cart(lines=[line(1, price=1250, qty=2)], currency="USD")

    assert (result.subtotal, result.discount, result.shipping, result.tax, result.total) == (
        2500,
        0,
        0,
        0,
        2500,
    )
    assert result.lines[0].adjustments == ()
    assert (result.coupon_id, result.coupon_discount, result.coupon_problem) == (None, 0, "")


# 1. flash sale -----------------------------------------------------------------------------------------


def test_a_lower_flash_price_replaces_the_unit_price():
    result = price_cart(lines=[line(1, price=1000, qty=3, flash=800, flash_item=55)], currency="USD")

    priced = result.lines[0]
    assert (priced.list_unit_price, priced.unit_price, priced.subtotal, priced.discount, priced.total) == (
        1000,
        800,
        2400,
        0,
        2400,
    )
    assert priced.flash_item_id == 55
    assert priced.adjustments == (Adjustment("flash_sale", "Flash sale price", 600, 55),)


@pytest.mark.parametrize("flash", [1000, 1200])
def test_a_flash_price_never_raises_the_price(flash):
    result = price_cart(lines=[line(1, price=1000, flash=flash, flash_item=55)], currency="USD")

    assert (result.lines[0].unit_price, result.lines[0].flash_item_id, result.total) == (1000, None, 1000)
    assert result.adjustments == ()


# 2. seller spend tiers --------------------------------------------------------------------------------


def test_the_highest_seller_tier_met_by_the_flash_subtotal_applies():
    tiers = [
        TierRule(1, SELLER_A, 1000, 50),
        TierRule(2, SELLER_A, 2000, 150),
        TierRule(3, SELLER_A, 3000, 400),
    ]
    # 3 x 1000 at the list price would meet tier 3; the flash price (3 x 800 = 2400) meets only tier 2.
    result = price_cart(
        lines=[line(1, price=1000, qty=3, flash=800, flash_item=5)], currency="USD", tiers=tiers
    )

    assert result.lines[0].discount == 150
    assert result.adjustments[1] == Adjustment("seller_tier", "Spend 20.00 USD, save 1.50 USD", 150, 2)


def test_a_seller_tier_applies_only_to_that_sellers_lines_in_proportion_to_subtotals():
    tiers = [TierRule(1, SELLER_A, 1000, 100), TierRule(2, SELLER_B, 10, 5)]
    lines = [line(1, price=1500), line(2, price=500), line(3, seller=SELLER_B, price=5)]

    result = price_cart(lines=lines, currency="USD", tiers=tiers)

    assert [lp.discount for lp in result.lines] == [75, 25, 0]
    assert [s.discount for s in result.sellers] == [100, 0]


def test_a_seller_tier_discount_is_capped_at_the_sellers_subtotal():
    result = price_cart(lines=[line(1, price=300)], currency="USD", tiers=[TierRule(1, SELLER_A, 100, 500)])

    assert (result.lines[0].discount, result.lines[0].total) == (300, 0)


def test_a_seller_tier_not_reached_gives_nothing():
    result = price_cart(lines=[line(1, price=999)], currency="USD", tiers=[TierRule(1, SELLER_A, 1000, 100)])

    assert result.discount == 0


def test_a_discount_is_split_by_largest_remainder_and_never_exceeds_a_line():
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate(10, [3, 3, 4]) == [3, 3, 4]
    assert allocate(5, [0, 10, 0]) == [0, 5, 0]
    assert allocate(7, [2, 2, 3]) == [2, 2, 3]
    assert allocate(4, [2, 2, 3]) == [1, 1, 2]


# 3. coupon --------------------------------------------------------------------------------------------


def test_a_platform_percent_coupon_applies_to_every_shop_and_rounds_down():
    lines = [line(1, price=999), line(2, seller=SELLER_B, price=1000)]

    result = price_cart(lines=lines, currency="USD", coupon=coupon())

    # floor(1999 * 10 / 100) = 199, split 999 : 1000 -> 99.9 / 100.0 -> 99 + 100 after largest remainder
    assert (result.coupon_id, result.coupon_discount, result.coupon_problem) == (7, 199, "")
    assert [lp.discount for lp in result.lines] == [99, 100]
    assert result.adjustments == (Adjustment("coupon", "Coupon SAVE10 (10% off)", 199, 7),)


def test_a_shop_coupon_applies_only_to_that_shops_lines():
    lines = [line(1, price=1000), line(2, seller=SELLER_B, price=1000)]

    result = price_cart(
        lines=lines,
        currency="USD",
        coupon=coupon(seller_id=SELLER_B, kind="fixed", percent_off=None, amount_off=300),
    )

    assert [lp.discount for lp in result.lines] == [0, 300]
    assert result.adjustments[0].label == "Coupon SAVE10 (3.00 USD off)"


def test_a_fixed_coupon_is_capped_at_the_eligible_amount():
    result = price_cart(
        lines=[line(1, price=250)],
        currency="USD",
        coupon=coupon(kind="fixed", percent_off=None, amount_off=1000),
    )

    assert (result.coupon_discount, result.total) == (250, 0)


def test_a_category_coupon_applies_to_lines_under_that_category_including_ancestors():
    lines = [line(1, price=1000, categories={10, 11}), line(2, price=1000, categories={20})]

    result = price_cart(
        lines=lines, currency="USD", coupon=coupon(scope="category", category_ids=frozenset({10}))
    )

    assert [lp.discount for lp in result.lines] == [100, 0]


def test_a_products_coupon_applies_to_its_products_only():
    lines = [line(1, price=1000, product=500), line(2, price=1000, product=501)]

    result = price_cart(
        lines=lines, currency="USD", coupon=coupon(scope="products", product_ids=frozenset({501}))
    )

    assert [lp.discount for lp in result.lines] == [0, 100]


def test_the_minimum_spend_is_measured_on_eligible_lines_after_tier_discounts():
    tiers = [TierRule(1, SELLER_A, 1000, 100)]
    # 1000 before the tier, 900 after it: a 950 minimum is not met.
    result = price_cart(
        lines=[line(1, price=1000)], currency="USD", coupon=coupon(min_spend=950), tiers=tiers
    )

    assert (result.coupon_id, result.coupon_discount, result.coupon_problem) == (None, 0, "min_spend")
    assert result.discount == 100


def test_the_minimum_spend_met_exactly_applies_the_coupon():
    result = price_cart(lines=[line(1, price=1000)], currency="USD", coupon=coupon(min_spend=1000))

    assert (result.coupon_id, result.coupon_problem) == (7, "")


def test_a_coupon_with_no_eligible_line_is_not_applicable():
    result = price_cart(
        lines=[line(1, price=1000)], currency="USD", coupon=coupon(seller_id=SELLER_B, min_spend=5000)
    )

    assert (result.coupon_id, result.coupon_discount, result.coupon_problem) == (None, 0, "not_applicable")


def test_a_coupon_worth_nothing_is_not_applicable():
    result = price_cart(lines=[line(1, price=9)], currency="USD", coupon=coupon(percent_off=10))

    assert (result.coupon_id, result.coupon_problem) == (None, "not_applicable")


# 4. platform tiers ------------------------------------------------------------------------------------


def test_a_platform_tier_is_measured_after_seller_tiers_and_the_coupon():
    tiers = [TierRule(1, None, 2000, 200), TierRule(2, None, 1500, 100), TierRule(3, SELLER_A, 1000, 100)]
    lines = [line(1, price=1200), line(2, seller=SELLER_B, price=1000)]
    # 2200 - 100 (seller tier) - 210 (10% coupon) = 1890 -> only the 1500 tier is met.
    result = price_cart(lines=lines, currency="USD", coupon=coupon(), tiers=tiers)

    assert [a.kind for a in result.adjustments] == ["seller_tier", "coupon", "platform_tier"]
    assert [a.amount for a in result.adjustments] == [100, 210, 100]
    assert result.discount == 410
    assert sum(lp.discount for lp in result.lines) == 410


# 5. shipping ------------------------------------------------------------------------------------------


def test_shipping_is_flat_plus_each_started_kilogram_of_the_sellers_weight():
    rule = ShippingRule(id=3, seller_id=SELLER_A, name="Parcel", flat=500, per_kg=200, free_over=None)
    lines = [line(1, price=1000, qty=2, weight=600)]  # 1200 g -> 2 started kg

    result = price_cart(lines=lines, currency="USD", shipping={SELLER_A: rule})

    assert (
        result.sellers[0].shipping,
        result.sellers[0].shipping_name,
        result.sellers[0].shipping_rule_id,
    ) == (
        900,
        "Parcel",
        3,
    )
    assert result.total == 2900
    assert shipping_quote(rule, merchandise_amount=0, weight_grams=0) == 500
    assert shipping_quote(rule, merchandise_amount=0, weight_grams=1000) == 700
    assert shipping_quote(rule, merchandise_amount=0, weight_grams=1001) == 900


def test_shipping_is_free_from_the_threshold_measured_after_discounts():
    rule = ShippingRule(id=3, seller_id=SELLER_A, name="Parcel", flat=500, per_kg=0, free_over=5000)

    full = price_cart(lines=[line(1, price=5000)], currency="USD", shipping={SELLER_A: rule})
    discounted = price_cart(
        lines=[line(1, price=5000)], currency="USD", shipping={SELLER_A: rule}, coupon=coupon()
    )

    assert full.shipping == 0
    assert full.adjustments == (Adjustment("free_shipping", "Free shipping from 50.00 USD (Parcel)", 500, 3),)
    assert discounted.shipping == 500  # 4500 after the coupon is below 5000


def test_a_seller_without_a_shipping_rule_ships_for_nothing():
    result = price_cart(lines=[line(1)], currency="USD", shipping={SELLER_A: None})

    assert (
        result.sellers[0].shipping,
        result.sellers[0].shipping_name,
        result.sellers[0].shipping_rule_id,
    ) == (
        0,
        "",
        None,
    )


def test_shipping_is_never_discounted():
    rule = ShippingRule(id=3, seller_id=SELLER_A, name="Parcel", flat=700, per_kg=0, free_over=None)
    result = price_cart(
        lines=[line(1, price=100)],
        currency="USD",
        shipping={SELLER_A: rule},
        coupon=coupon(kind="fixed", percent_off=None, amount_off=5000),
    )

    assert (result.discount, result.shipping, result.total) == (100, 700, 700)


# 6. tax -----------------------------------------------------------------------------------------------


def test_tax_is_included_in_line_totals_rounded_half_up_and_shipping_is_untaxed():
    rule = ShippingRule(id=3, seller_id=SELLER_A, name="Parcel", flat=1000, per_kg=0, free_over=None)
    # 1150 * 0.15 / 1.15 = 150 exactly; 7 * 0.2 / 1.2 = 1.1666 -> 1; 9 * 0.2 / 1.2 = 1.5 -> 2 (half up)
    fifteen = price_cart(
        lines=[line(1, price=1150)], currency="USD", shipping={SELLER_A: rule}, tax_rate=Decimal("0.15")
    )
    small = price_cart(lines=[line(1, price=7), line(2, price=9)], currency="USD", tax_rate=Decimal("0.2"))

    assert (fifteen.tax, fifteen.total) == (150, 2150)
    assert fifteen.adjustments[-1] == Adjustment("tax", "Included tax (15%)", 150)
    assert [lp.tax for lp in small.lines] == [1, 2]
    assert small.tax == small.sellers[0].tax == 3


def test_sellers_are_ordered_by_first_appearance_and_lines_keep_their_order():
    lines = [line(1, seller=SELLER_B), line(2, seller=SELLER_A), line(3, seller=SELLER_B)]

    result = price_cart(lines=lines, currency="USD")

    assert [s.seller_id for s in result.sellers] == [SELLER_B, SELLER_A]
    assert [lp.key for lp in result.lines] == [1, 2, 3]
