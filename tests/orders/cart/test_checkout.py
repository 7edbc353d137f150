"""Placing an order: split by seller with snapshots, idempotent, all or nothing."""

from datetime import timedelta

import pytest
from django.conf import settings

from analytics.models import Event
from analytics.services import events_flush
from catalog.models import Product, ProductVariant, StockMovement
from catalog.services import OutOfStock
from orders.cart import services
from orders.cart.services import CheckoutError, PriceChanged, checkout_place
from orders.models import (
    CartLine,
    Coupon,
    CouponRedemption,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    SellerOrder,
    ShippingMethod,
)
from orders.services_stock import StockState
from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    UserFactory,
    category_create,
)
from tests.orders.factories import ADDRESS, cart_with_lines, order_place, purchasable_variant
from tests.orders.factories_promotions import CouponFactory

pytestmark = pytest.mark.django_db


def _place(cart, user=None, **overrides):
    arguments = {
        "cart_id": cart.pk,
        "buyer_id": user.pk if user else None,
        "email": user.email if user else "guest@example.com",
        "shipping_address": ADDRESS,
        "shipping_choice": {},
        "coupon_code": "",
        "expected_total": None,
        "idempotency_key": "key-1",
        "owner": f"user:{user.pk}" if user else f"visitor:{cart.pk}",
        **overrides,
    }
    return checkout_place(**arguments)


def _nothing_written(*, variants_stock: dict[int, int]) -> None:
    assert Order.objects.count() == 0
    assert SellerOrder.objects.count() == 0
    assert OrderLine.objects.count() == 0
    assert OrderEvent.objects.count() == 0
    assert not StockMovement.objects.filter(reason=StockMovement.Reason.RESERVATION).exists()
    assert (
        dict(ProductVariant.objects.filter(pk__in=variants_stock).values_list("pk", "stock"))
        == variants_stock
    )


def test_one_order_is_split_by_seller_with_shipping_per_seller():
    shopper = UserFactory()
    north, south = SellerProfileFactory(shop_name="North"), SellerProfileFactory(shop_name="South")
    kettle = purchasable_variant(seller=north, price=4000, stock=5, title="Kettle")
    cups = purchasable_variant(seller=north, price=500, stock=20, title="Cups")
    rug = purchasable_variant(seller=south, price=12000, stock=2, title="Rug")
    post = ShippingMethod.objects.create(seller=north, name="Post", flat_amount=450)
    ShippingMethod.objects.create(seller=south, name="Courier", flat_amount=900, position=0)
    south_pickup = ShippingMethod.objects.create(seller=south, name="Pick-up", flat_amount=0, position=1)
    cart = cart_with_lines(user=shopper, lines=[(kettle, 1), (cups, 4), (rug, 1)])

    order, created = _place(cart, shopper, shipping_choice={south.pk: south_pickup.pk})

    assert created is True
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert (order.subtotal_amount, order.shipping_amount, order.discount_amount, order.total_amount) == (
        4000 + 2000 + 12000,
        450,
        0,
        18450,
    )
    assert order.buyer_id == shopper.pk
    assert order.shipping_address == ADDRESS
    parts = {p.seller_id: p for p in order.seller_orders.all()}
    assert set(parts) == {north.pk, south.pk}
    assert (parts[north.pk].total_amount, parts[north.pk].shipping_method_id) == (6450, post.pk)
    assert (parts[south.pk].total_amount, parts[south.pk].shipping_method_name) == (12000, "Pick-up")
    assert sorted(
        parts[north.pk].lines.values_list("title", "quantity", "unit_price_amount", "total_amount")
    ) == [
        ("Cups", 4, 500, 2000),
        ("Kettle", 1, 4000, 4000),
    ]
    assert set(OrderLine.objects.filter(seller_order__order=order).values_list("stock_state", flat=True)) == {
        StockState.RESERVED
    }
    assert order.payment_due_at == order.placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES)
    assert CartLine.objects.filter(cart=cart).count() == 0


def test_order_lines_are_snapshots_that_later_catalog_edits_do_not_change():
    variant = purchasable_variant(price=3000, title="Blue Vase", sku="VASE-BLUE")
    order = order_place(lines=[(variant, 2)])

    Product.objects.filter(pk=variant.product_id).update(title="Green Vase")
    ProductVariant.objects.filter(pk=variant.pk).update(price_amount=9999, sku="VASE-GREEN")

    line = OrderLine.objects.get(seller_order__order=order)
    assert (line.title, line.sku, line.unit_price_amount, line.total_amount) == (
        "Blue Vase",
        "VASE-BLUE",
        3000,
        6000,
    )
    assert line.product_id_snapshot == variant.product_id


def test_the_same_idempotency_key_twice_places_one_order_and_reserves_once():
    shopper = UserFactory()
    variant = purchasable_variant(stock=10)
    cart = cart_with_lines(user=shopper, lines=[(variant, 3)])

    first, first_created = _place(cart, shopper, idempotency_key="double-click")
    # The second click finds an empty cart (the first emptied it) and must still answer with the order.
    second, second_created = _place(cart, shopper, idempotency_key="double-click")

    assert (first_created, second_created) == (True, False)
    assert second.pk == first.pk
    assert Order.objects.count() == 1
    assert StockMovement.objects.filter(reason=StockMovement.Reason.RESERVATION).count() == 1
    variant.refresh_from_db()
    assert variant.stock == 7


def test_an_idempotency_key_is_scoped_to_its_owner():
    variant = purchasable_variant(stock=10)
    ada, bob = UserFactory(), UserFactory()
    adas = _place(cart_with_lines(user=ada, lines=[(variant, 1)]), ada, idempotency_key="same")[0]
    bobs = _place(cart_with_lines(user=bob, lines=[(variant, 1)]), bob, idempotency_key="same")[0]

    assert adas.pk != bobs.pk
    assert bobs.buyer_id == bob.pk


@pytest.mark.parametrize("key", ["", "x" * 201])
def test_a_missing_or_overlong_idempotency_key_is_refused(key):
    variant = purchasable_variant(stock=5)
    cart = cart_with_lines(lines=[(variant, 1)])

    with pytest.raises(CheckoutError):
        _place(cart, idempotency_key=key)

    _nothing_written(variants_stock={variant.pk: 5})


def test_a_total_that_changed_since_review_is_refused_and_nothing_is_written():
    variant = purchasable_variant(price=1000, stock=5)
    cart = cart_with_lines(lines=[(variant, 2)])
    ProductVariant.objects.filter(pk=variant.pk).update(price_amount=1100)

    with pytest.raises(PriceChanged) as refused:
        _place(cart, expected_total=2000)

    assert refused.value.extra == {"expected_total": ["now 2200"]}
    _nothing_written(variants_stock={variant.pk: 5})
    assert CartLine.objects.filter(cart=cart).count() == 1
    # Confirming the total now shown places the order at that total.
    order, _created = _place(cart, expected_total=2200)
    assert order.total_amount == 2200


def test_not_enough_stock_is_refused_and_nothing_is_written_nor_the_coupon_used():
    seller = SellerProfileFactory()
    plenty = purchasable_variant(seller=seller, stock=10)
    scarce = purchasable_variant(seller=seller, stock=3)
    coupon = CouponFactory(seller=seller, code="TEN")
    cart = cart_with_lines(lines=[(plenty, 2), (scarce, 3)])
    ProductVariant.objects.filter(pk=scarce.pk).update(stock=1)  # someone else bought two meanwhile

    with pytest.raises(OutOfStock):
        _place(cart, coupon_code="TEN")

    _nothing_written(variants_stock={plenty.pk: 10, scarce.pk: 1})
    coupon.refresh_from_db()
    assert coupon.times_used == 0
    assert CouponRedemption.objects.count() == 0
    assert CartLine.objects.filter(cart=cart).count() == 2


def test_stock_taken_between_pricing_and_reserving_rolls_back_everything(monkeypatch):
    # The cart looked fine when priced, but a concurrent checkout took the last units before ours
    # reserved them: the conditional UPDATE refuses, and the order rows already inserted are undone.
    seller = SellerProfileFactory()
    first = purchasable_variant(seller=seller, stock=10)
    last = purchasable_variant(seller=seller, stock=2)
    CouponFactory(seller=seller, code="TEN")
    cart = cart_with_lines(lines=[(first, 1), (last, 2)])
    real_summary = services.cart_summary

    def summary_then_someone_buys(**kwargs):
        summary = real_summary(**kwargs)
        ProductVariant.objects.filter(pk=last.pk).update(stock=1)
        return summary

    monkeypatch.setattr(services, "cart_summary", summary_then_someone_buys)

    with pytest.raises(OutOfStock):
        _place(cart, coupon_code="TEN")

    _nothing_written(variants_stock={first.pk: 10, last.pk: 1})
    assert Coupon.objects.get(code="TEN").times_used == 0
    assert CartLine.objects.filter(cart=cart).count() == 2


def test_an_empty_cart_cannot_be_placed():
    cart = cart_with_lines(lines=[])

    with pytest.raises(CheckoutError) as refused:
        _place(cart)

    assert refused.value.extra == {"cart": ["empty"]}
    assert Order.objects.count() == 0


def test_a_product_delisted_after_it_was_added_blocks_the_checkout():
    fine = purchasable_variant(stock=4)
    delisted = purchasable_variant(stock=4, title="Withdrawn lamp")
    cart = cart_with_lines(lines=[(fine, 1), (delisted, 1)])
    Product.objects.filter(pk=delisted.product_id).update(status=Product.Status.DELISTED)

    with pytest.raises(CheckoutError) as refused:
        _place(cart)

    assert "Withdrawn lamp" in refused.value.message
    _nothing_written(variants_stock={fine.pk: 4, delisted.pk: 4})


def test_an_incomplete_address_is_refused():
    variant = purchasable_variant(stock=4)
    cart = cart_with_lines(lines=[(variant, 1)])

    with pytest.raises(CheckoutError) as refused:
        _place(cart, shipping_address={**ADDRESS, "city": "  ", "postal_code": ""})

    assert set(refused.value.extra) == {"city", "postal_code"}
    _nothing_written(variants_stock={variant.pk: 4})


def test_a_coupon_is_used_once_by_the_order_and_recorded_on_it():
    seller = SellerProfileFactory()
    variant = purchasable_variant(seller=seller, price=2000, stock=4)
    coupon = CouponFactory(seller=seller, code="SAVE10", percent_off=10)
    cart = cart_with_lines(lines=[(variant, 2)])

    order, _created = _place(cart, coupon_code="save10", expected_total=3600)

    assert (order.discount_amount, order.total_amount, order.coupon_code) == (400, 3600, "SAVE10")
    coupon.refresh_from_db()
    assert coupon.times_used == 1
    assert CouponRedemption.objects.get().order_id == order.pk


def test_a_category_coupon_takes_off_only_lines_at_or_below_its_category():
    seller = SellerProfileFactory()
    home = category_create("Home")
    knives = category_create("Knives", parent=category_create("Kitchen", parent=home))
    garden = category_create("Garden")
    knife = ProductVariantFactory(
        product=ProductFactory(seller=seller, category=knives, price_amount=2000), price_amount=2000, stock=4
    )
    rake = ProductVariantFactory(
        product=ProductFactory(seller=seller, category=garden, price_amount=1000), price_amount=1000, stock=4
    )
    coupon = CouponFactory(seller=seller, code="HOME20", percent_off=20, scope=Coupon.Scope.CATEGORY)
    coupon.categories.add(home)
    cart = cart_with_lines(lines=[(knife, 1), (rake, 1)])

    order, _created = _place(cart, coupon_code="HOME20")

    assert (order.discount_amount, order.total_amount) == (400, 2600)
    assert dict(
        OrderLine.objects.filter(seller_order__order=order).values_list("variant_id", "discount_amount")
    ) == {knife.pk: 400, rake.pk: 0}


def test_an_unknown_coupon_is_refused_and_nothing_is_written():
    variant = purchasable_variant(stock=4)
    cart = cart_with_lines(lines=[(variant, 1)])

    with pytest.raises(CheckoutError) as refused:
        _place(cart, coupon_code="NOPE")

    assert "coupon_code" in refused.value.extra
    _nothing_written(variants_stock={variant.pk: 4})


def test_a_guest_order_has_no_buyer_and_keeps_the_email():
    variant = purchasable_variant(stock=4)
    cart = cart_with_lines(lines=[(variant, 1)])

    order, _created = _place(cart, email="visitor@example.com", language="zh-hans")

    assert (order.buyer_id, order.email, order.language) == (None, "visitor@example.com", "zh-hans")


def test_placing_writes_the_first_timeline_row_and_queues_the_mail_and_the_event(
    mailoutbox, django_capture_on_commit_callbacks
):
    shopper = UserFactory(email="bea@example.com")
    variant = purchasable_variant(stock=4)
    cart = cart_with_lines(user=shopper, lines=[(variant, 1)])

    with django_capture_on_commit_callbacks(execute=True):
        order, _created = _place(cart, shopper)

    event = OrderEvent.objects.get(order=order)
    assert (event.to_status, event.actor_kind, event.actor_id, event.reason) == (
        OrderStatus.PENDING_PAYMENT,
        OrderEvent.Actor.SHOPPER,
        shopper.pk,
        "placed",
    )
    assert [m.to for m in mailoutbox] == [["bea@example.com"]]
    assert order.number in mailoutbox[0].subject
    events_flush()
    tracked = Event.objects.get(type="order_placed")
    assert (tracked.user_id, tracked.object_id) == (shopper.pk, str(order.pk))
    assert tracked.properties == {
        "number": order.number,
        "total": order.total_amount,
        "sellers": 1,
        "lines": 1,
    }


def test_a_shipping_method_the_seller_does_not_offer_is_refused_by_the_service_not_swapped():
    shopper = UserFactory()
    north, south = SellerProfileFactory(shop_name="North"), SellerProfileFactory(shop_name="South")
    kettle = purchasable_variant(seller=north, price=4000, stock=5, title="Kettle")
    ShippingMethod.objects.create(seller=north, name="Post", flat_amount=450)
    someone_elses = ShippingMethod.objects.create(seller=south, name="Courier", flat_amount=0)
    retired = ShippingMethod.objects.create(seller=north, name="Old", flat_amount=0, is_active=False)
    cart = cart_with_lines(user=shopper, lines=[(kettle, 1)])

    for choice in ({north.pk: someone_elses.pk}, {north.pk: retired.pk}, {south.pk: someone_elses.pk}):
        with pytest.raises(CheckoutError) as refused:
            _place(cart, shopper, shipping_choice=choice)

        assert set(refused.value.extra["shipping"]) == {str(seller_id) for seller_id in choice}
        _nothing_written(variants_stock={kettle.pk: 5})


@pytest.mark.parametrize("expected_total", [10**30, 2**63, -1])
def test_an_impossible_confirmed_total_is_refused_with_a_field_error_and_nothing_placed(expected_total):
    variant = purchasable_variant(price=1000, stock=3)
    cart = cart_with_lines(user=UserFactory(), lines=[(variant, 1)])

    with pytest.raises(CheckoutError) as refused:
        _place(cart, expected_total=expected_total)

    assert "expected_total" in refused.value.extra
    _nothing_written(variants_stock={variant.pk: 3})
