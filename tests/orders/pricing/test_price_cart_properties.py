"""Invariants of ``orders.pricing.price_cart`` over generated carts and rules (hypothesis)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from orders.pricing import CouponRule, PricingLine, ShippingRule, TierRule, allocate, price_cart

SELLERS = [1, 2, 3]
CATEGORIES = [10, 11, 12, 13]
money = st.integers(min_value=0, max_value=200_000)


@st.composite
def carts(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    lines = []
    for key in range(1, n + 1):
        price = draw(money)
        flash = draw(st.one_of(st.none(), money))
        lines.append(
            PricingLine(
                key=key,
                seller_id=draw(st.sampled_from(SELLERS)),
                product_id=draw(st.integers(min_value=100, max_value=105)),
                category_ids=frozenset(draw(st.sets(st.sampled_from(CATEGORIES), max_size=2))),
                unit_price=price,
                quantity=draw(st.integers(min_value=1, max_value=20)),
                weight_grams=draw(st.integers(min_value=0, max_value=5000)),
                flash_price=flash,
                flash_item_id=None if flash is None else 1000 + key,
            )
        )
    return lines


coupons = st.one_of(
    st.none(),
    st.builds(
        CouponRule,
        id=st.just(9),
        code=st.just("X"),
        seller_id=st.one_of(st.none(), st.sampled_from(SELLERS)),
        kind=st.sampled_from(["percent", "fixed"]),
        percent_off=st.integers(min_value=1, max_value=100),
        amount_off=st.integers(min_value=1, max_value=500_000),
        min_spend=st.integers(min_value=0, max_value=300_000),
        scope=st.sampled_from(["shop", "category", "products"]),
        category_ids=st.frozensets(st.sampled_from(CATEGORIES), max_size=2),
        product_ids=st.frozensets(st.integers(min_value=100, max_value=105), max_size=3),
    ),
)


@st.composite
def tier_lists(draw):
    tiers = []
    for i in range(draw(st.integers(min_value=0, max_value=4))):
        threshold = draw(st.integers(min_value=1, max_value=500_000))
        tiers.append(
            TierRule(
                id=i + 1,
                seller_id=draw(st.one_of(st.none(), st.sampled_from(SELLERS))),
                threshold=threshold,
                discount=draw(st.integers(min_value=1, max_value=threshold)),
            )
        )
    return tiers


@st.composite
def shipping_maps(draw):
    rules = {}
    for seller in SELLERS:
        if draw(st.booleans()):
            rules[seller] = ShippingRule(
                id=seller,
                seller_id=seller,
                name=f"Ship {seller}",
                flat=draw(st.integers(min_value=0, max_value=2000)),
                per_kg=draw(st.integers(min_value=0, max_value=500)),
                free_over=draw(st.one_of(st.none(), money)),
            )
    return rules


rates = st.sampled_from([Decimal(0), Decimal("0.07"), Decimal("0.2"), Decimal("0.25")])


@settings(max_examples=300, deadline=None)
@given(lines=carts(), coupon=coupons, tiers=tier_lists(), shipping=shipping_maps(), rate=rates)
def test_pricing_invariants(lines, coupon, tiers, shipping, rate):
    result = price_cart(
        lines=lines, currency="USD", coupon=coupon, tiers=tiers, shipping=shipping, tax_rate=rate
    )

    for lp, src in zip(result.lines, lines, strict=True):
        assert lp.key == src.key
        assert all(isinstance(v, int) for v in (lp.subtotal, lp.discount, lp.tax, lp.total))
        assert 0 <= lp.discount <= lp.subtotal
        assert lp.total == lp.subtotal - lp.discount >= 0
        assert lp.subtotal == lp.unit_price * lp.quantity
        assert lp.unit_price <= lp.list_unit_price
        assert 0 <= lp.tax <= lp.total
        assert lp.discount == sum(a.amount for a in lp.adjustments if a.kind != "flash_sale")
    for seller in result.sellers:
        mine = [lp for lp in result.lines if lp.seller_id == seller.seller_id]
        assert seller.subtotal == sum(lp.subtotal for lp in mine)
        assert seller.discount == sum(lp.discount for lp in mine)
        assert seller.tax == sum(lp.tax for lp in mine)
        assert seller.total == seller.subtotal - seller.discount + seller.shipping >= 0
        assert seller.shipping >= 0
    for name in ("subtotal", "discount", "shipping", "tax", "total"):
        assert getattr(result, name) == sum(getattr(s, name) for s in result.sellers)
    assert result.total == sum(lp.total for lp in result.lines) + result.shipping
    assert result.total >= 0
    if coupon is None:
        assert (result.coupon_id, result.coupon_discount, result.coupon_problem) == (None, 0, "")
    elif result.coupon_id is not None:
        assert result.coupon_problem == ""
        coupon_lines = sum(a.amount for lp in result.lines for a in lp.adjustments if a.kind == "coupon")
        assert 0 < result.coupon_discount == coupon_lines <= result.subtotal
    else:
        assert result.coupon_problem in ("min_spend", "not_applicable")
        assert result.coupon_discount == 0
    assert result == price_cart(
        lines=lines, currency="USD", coupon=coupon, tiers=tiers, shipping=shipping, tax_rate=rate
    )


@settings(max_examples=300, deadline=None)
@given(weights=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=10), data=st.data())
def test_allocation_sums_exactly_and_never_exceeds_a_weight(weights, data):
    amount = data.draw(st.integers(min_value=0, max_value=sum(weights)))

    shares = allocate(amount, weights)

    assert sum(shares) == (amount if sum(weights) else 0)
    assert all(0 <= s <= w for s, w in zip(shares, weights, strict=True))
