"""Sales facts: who is a new customer, cancellations, who funded a discount, late shipments, and the
amounts of the sellers' rows adding up to the platform's and the commission to the ledger's."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Sum

from analytics.models import Grain, SalesFact
from analytics.rollups.calendar import day_span, today
from analytics.rollups.services import rollup_day, rollup_span
from orders.lifecycle.services import order_cancel_by_shopper
from orders.models import SellerOrder, ShippingMethod
from payments.models import JournalLine, LedgerAccount
from tests.analytics.rollups.builders import at, cancel_part, order_at, pay, refund
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.factories import purchasable_variant
from tests.orders.factories_promotions import CouponFactory

pytestmark = pytest.mark.django_db

D1, D2, D3 = date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
AMOUNTS = (
    "gmv_amount",
    "units",
    "discount_seller_amount",
    "discount_platform_amount",
    "shipping_amount",
    "refund_amount",
    "net_revenue_amount",
    "commission_amount",
)


def _platform(day, *fields):
    return SalesFact.objects.filter(grain=Grain.DAY, period=day, seller_id=0).aggregate(
        **{field: Sum(field) for field in fields}
    )


def _by_type(day):
    return dict(
        SalesFact.objects.filter(grain=Grain.DAY, period=day, seller_id=0, orders_paid__gt=0).values_list(
            "customer_type", "new_customers"
        )
    )


def test_a_customer_whose_first_order_was_refunded_was_new_that_day_and_returns_with_the_next():
    user = UserFactory()
    variant = purchasable_variant(price=1000)
    first = order_at(at(D1, "10:00"), lines=[(variant, 1)], user=user)
    payment = pay(first, at(D1, "10:01"))
    refund(payment, [(first.seller_orders.get().lines.get(), 1)], key="r1", when=at(D2, "09:00"))
    second = order_at(at(D3, "10:00"), lines=[(variant, 1)], user=user)
    pay(second, at(D3, "10:01"))

    rollup_span(start=D1, end=D3)

    assert _by_type(D1) == {"new": 1}
    assert _by_type(D3) == {"returning": 0}


def test_a_guest_is_known_by_their_e_mail_in_any_letter_case():
    variant = purchasable_variant(price=1000)
    pay(order_at(at(D1, "10:00"), lines=[(variant, 1)], email="Bea@Example.com"), at(D1, "10:01"))
    unpaid = order_at(at(D3, "09:00"), lines=[(variant, 1)], email="ann@example.com")
    pay(order_at(at(D3, "10:00"), lines=[(variant, 1)], email="bea@example.com"), at(D3, "10:01"))
    pay(order_at(at(D3, "11:00"), lines=[(variant, 1)], email="ann@example.com"), at(D3, "11:01"))

    rollup_span(start=D1, end=D3)

    assert _by_type(D1) == {"new": 1}
    # Ann's unpaid order made her no customer: her paid one is her first.
    assert _by_type(D3) == {"returning": 0, "new": 1}
    assert unpaid.paid_at is None


def test_an_unpaid_cancelled_order_is_placed_but_not_paid_and_no_cancellation_of_a_sale():
    user = UserFactory()
    order = order_at(at(D1, "10:00"), lines=[(purchasable_variant(price=1000), 1)], user=user)
    order_cancel_by_shopper(order_id=order.pk, user_id=user.pk)

    rollup_day(day=D1)
    rollup_day(day=today())  # the day the cancellation happened

    assert _platform(D1, "orders_placed", "orders_paid", "gmv_amount") == {
        "orders_placed": 1,
        "orders_paid": 0,
        "gmv_amount": 0,
    }
    assert not SalesFact.objects.filter(orders_cancelled__gt=0).exists()


def test_a_paid_order_cancelled_later_counts_as_paid_on_its_day_and_cancelled_on_the_cancellation_day():
    variant = purchasable_variant(price=1000)
    order = order_at(at(D1, "10:00"), lines=[(variant, 2)])
    pay(order, at(D1, "10:01"))
    cancel_part(order, when=at(D3, "08:00"))

    rollup_span(start=D1, end=D3)

    assert _platform(D1, "orders_paid", "gmv_amount", "orders_cancelled") == {
        "orders_paid": 1,
        "gmv_amount": 2000,
        "orders_cancelled": 0,
    }
    cancelled = SalesFact.objects.filter(grain=Grain.DAY, period=D3, orders_cancelled=1)
    assert sorted(cancelled.values_list("seller_id", flat=True)) == [0, variant.product.seller_id]


def test_discounts_are_split_between_the_seller_and_the_platform_that_funded_them():
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=1000, stock=20)
    CouponFactory(seller=None, code="PLATFORM10", starts_at=LONG_AGO)
    CouponFactory(seller=seller, code="SHOP10", starts_at=LONG_AGO)
    pay(order_at(at(D1, "10:00"), lines=[(variant, 2)], coupon_code="PLATFORM10"), at(D1, "10:01"))
    pay(order_at(at(D1, "11:00"), lines=[(variant, 1)], coupon_code="SHOP10"), at(D1, "11:01"))

    rollup_day(day=D1)

    expected = {"gmv_amount": 1800 + 900, "discount_seller_amount": 100, "discount_platform_amount": 200}
    assert _platform(D1, *expected) == expected
    seller_row = SalesFact.objects.filter(grain=Grain.DAY, period=D1, seller_id=seller.pk).aggregate(
        s=Sum("discount_seller_amount"), p=Sum("discount_platform_amount")
    )
    assert seller_row == {"s": 100, "p": 200}


def test_a_part_shipped_after_its_last_promised_delivery_day_is_late_on_the_placed_day():
    seller = SellerProfileFactory()
    method = ShippingMethod.objects.create(seller=seller, name="Parcel", flat_amount=500, delivery_days_max=2)
    variant = purchasable_variant(seller=seller, price=1000, stock=20)
    on_time = order_at(at(D1, "10:00"), lines=[(variant, 1)])
    late = order_at(at(D1, "11:00"), lines=[(variant, 1)])
    for order in (on_time, late):
        pay(order, at(D1, "12:00"))
    # Placed on the 10th with 2 delivery days at most: the promise ends with the 12th.
    SellerOrder.objects.filter(order=on_time).update(shipped_at=at(D3, "23:59"), shipping_method=method)
    SellerOrder.objects.filter(order=late).update(
        shipped_at=at(D3 + timedelta(days=1), "00:00"), shipping_method=method
    )

    rollup_day(day=D1)

    assert _platform(D1, "orders_shipped_late", "orders_paid") == {"orders_shipped_late": 1, "orders_paid": 2}


def test_seller_rows_add_up_to_the_platform_rows_and_commission_to_the_ledger():
    sellers = [SellerProfileFactory(), SellerProfileFactory()]
    variants = [
        purchasable_variant(seller=s, price=price, stock=50)
        for s, price in zip(sellers, (1000, 2750), strict=True)
    ]
    CouponFactory(seller=None, code="PLATFORM10", starts_at=LONG_AGO)
    orders = [
        order_at(at(D1, "09:00"), lines=[(variants[0], 2), (variants[1], 1)], coupon_code="PLATFORM10"),
        order_at(at(D1, "10:00"), lines=[(variants[1], 3)]),
        order_at(at(D2, "23:30"), lines=[(variants[0], 1)]),
    ]
    payments = [pay(order, order.placed_at + timedelta(minutes=5)) for order in orders]
    line = orders[1].seller_orders.get().lines.get()
    refund(payments[1], [(line, 1)], key="r", when=at(D3, "10:00"))

    rollup_span(start=D1, end=D3)

    for day in (D1, D2, D3):
        platform = _platform(day, *AMOUNTS)
        sellers_sum = SalesFact.objects.filter(grain=Grain.DAY, period=day, seller_id__gt=0).aggregate(
            **{field: Sum(field) for field in AMOUNTS}
        )
        assert platform == sellers_sum, day
    span = (day_span(D1).start, day_span(D3).end)
    ledger = JournalLine.objects.filter(
        account__kind=LedgerAccount.Kind.COMMISSION_REVENUE, entry__created_at__range=span
    ).aggregate(total=Sum("amount"))["total"]
    booked = SalesFact.objects.filter(grain=Grain.DAY, seller_id=0).aggregate(total=Sum("commission_amount"))
    assert booked["total"] == -ledger
    assert booked["total"] == round(0.1 * (2000 + 2750 + 3 * 2750 + 1000)) - 275
