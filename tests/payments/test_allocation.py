"""Commission at capture: which rate applies, who funds which discount, and how refunds split back."""

import pytest

from payments.commissions import CommissionError, commission_of, commission_rate, order_allocate, refund_split
from payments.models import CategoryCommission, LineCommission, SellerCommission
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create
from tests.orders.factories import order_place
from tests.orders.factories_promotions import CouponFactory, SpendTierFactory

pytestmark = pytest.mark.django_db


def _variant(*, seller, price, category=None, stock=10):
    fields = {"seller": seller, "price_amount": price}
    if category is not None:
        fields["category"] = category
    product = ProductFactory(**fields)
    return ProductVariantFactory(product=product, price_amount=price, stock=stock)


def test_commission_rounds_half_up_and_never_exceeds_the_base():
    assert commission_of(base=1005, rate_bp=1000) == 101  # 100.5 -> 101
    assert commission_of(base=1004, rate_bp=1000) == 100
    assert commission_of(base=7, rate_bp=10_000) == 7
    assert commission_of(base=0, rate_bp=1000) == 0


def test_the_seller_override_beats_the_nearest_category_rate_which_beats_the_default(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    root = category_create("Home")
    child = category_create("Kitchen", parent=root)
    grandchild = category_create("Knives", parent=child)
    seller = SellerProfileFactory()
    other = SellerProfileFactory()
    product = ProductFactory(seller=seller, category=grandchild)

    assert commission_rate(seller_id=seller.pk, product_id=product.pk) == (1000, "default")

    CategoryCommission.objects.create(category=root, rate_bp=500)
    assert commission_rate(seller_id=seller.pk, product_id=product.pk) == (500, f"category:{root.pk}")

    CategoryCommission.objects.create(category=child, rate_bp=800)
    assert commission_rate(seller_id=seller.pk, product_id=product.pk) == (800, f"category:{child.pk}")

    SellerCommission.objects.create(seller=seller, rate_bp=300)
    assert commission_rate(seller_id=seller.pk, product_id=product.pk) == (300, "seller")
    assert commission_rate(seller_id=other.pk, product_id=product.pk) == (800, f"category:{child.pk}")


def test_an_order_is_allocated_per_seller_once_and_adds_up_to_what_the_shopper_paid(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    alice, bob = SellerProfileFactory(), SellerProfileFactory()
    SellerCommission.objects.create(seller=bob, rate_bp=250)
    order = order_place(
        lines=[(_variant(seller=alice, price=1999), 2), (_variant(seller=bob, price=5000), 1)]
    )

    allocations = order_allocate(order_id=order.pk)
    again = order_allocate(order_id=order.pk)

    assert again == allocations
    assert LineCommission.objects.filter(seller_order__order=order).count() == 2
    by_seller = {a.seller_id: a for a in allocations}
    # Alice: 3998 at 10 % = 399.8 -> 400 commission.
    alice_part = order.seller_orders.get(seller=alice)
    assert by_seller[alice.pk].commission == 400
    assert by_seller[alice.pk].seller_amount == 3998 - 400 + alice_part.shipping_amount
    # Bob: 5000 at 2.5 % = 125.
    assert by_seller[bob.pk].commission == 125
    assert sum(a.paid_by_shopper for a in allocations) == order.total_amount
    assert all(a.promotions == 0 for a in allocations)


def test_a_platform_coupon_is_funded_by_the_platform_and_a_seller_tier_by_the_seller(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    seller = SellerProfileFactory()
    SpendTierFactory(seller=seller, threshold_amount=1000, discount_amount=200)
    CouponFactory(seller=None, code="PLATFORM10", percent_off=10)
    order = order_place(lines=[(_variant(seller=seller, price=2000), 1)], coupon_code="PLATFORM10")

    [allocation] = order_allocate(order_id=order.pk)
    row = LineCommission.objects.get(seller_order__order=order)

    # 2000 - 200 (seller tier, the seller's own discount) = 1800 charged by the seller; the platform
    # coupon takes 10 % of 1800 = 180 off what the shopper pays, and the platform funds it.
    assert (row.base_amount, row.platform_discount_amount, row.amount) == (1800, 180, 180)
    assert allocation.promotions == 180
    assert allocation.seller_amount == 1800 - 180 + order.seller_orders.get().shipping_amount
    assert allocation.paid_by_shopper == order.total_amount


def test_partial_refunds_give_back_commission_in_proportion_and_add_up_to_a_full_refund(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    seller = SellerProfileFactory()
    order = order_place(lines=[(_variant(seller=seller, price=333), 3)])  # 999, commission 100
    order_allocate(order_id=order.pk)
    part = order.seller_orders.get()
    line = part.lines.get()

    one_go = refund_split(seller_order_id=part.pk, lines=[(line.pk, 999)], shipping_amount=0)
    first = refund_split(seller_order_id=part.pk, lines=[(line.pk, 333)], shipping_amount=0)

    assert one_go == (999 - 100, 100, 0)
    seller_amount, commission, promotions = first
    assert seller_amount + commission - promotions == 333
    assert commission == 100 * 333 // 999


def test_a_refund_above_the_line_or_the_shipping_is_refused():
    seller = SellerProfileFactory()
    order = order_place(lines=[(_variant(seller=seller, price=500), 1)])
    order_allocate(order_id=order.pk)
    part = order.seller_orders.get()
    line = part.lines.get()

    with pytest.raises(CommissionError):
        refund_split(seller_order_id=part.pk, lines=[(line.pk, 501)], shipping_amount=0)
    with pytest.raises(CommissionError):
        refund_split(seller_order_id=part.pk, lines=[], shipping_amount=part.shipping_amount + 1)
    with pytest.raises(CommissionError):
        refund_split(seller_order_id=part.pk, lines=[(line.pk + 999, 1)], shipping_amount=0)
