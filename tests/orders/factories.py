"""Shared order fixtures: a purchasable SKU from an approved seller, a cart with lines, a placed order, and
a way to put a seller's part in a given status for tests of later steps.

Carts and orders are built through the real services (``cart_line_add``, ``checkout_place``) so that
reservations, events and snapshots are exactly what production writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from accounts.models import SellerProfile, User
from catalog.models import ProductVariant
from orders.cart import services as cart_services
from orders.models import Cart, Order, OrderStatus, SellerOrder
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, UserFactory

PASSWORD = "correct-horse-battery"

ADDRESS = {
    "full_name": "Bea Buyer",
    "line1": "1 Market Street",
    "line2": "",
    "city": "Springfield",
    "region": "",
    "postal_code": "12345",
    "country": "US",
    "phone": "",
}


def purchasable_variant(
    *,
    seller: SellerProfile | None = None,
    price: int = 1000,
    stock: int = 10,
    title: str | None = None,
    **variant_fields,
) -> ProductVariant:
    """An active product of an approved seller, with one SKU in the default currency."""
    seller = seller or SellerProfileFactory()
    product_fields = {"seller": seller, "price_amount": price}
    if title is not None:
        product_fields["title"] = title
    product = ProductFactory(**product_fields)
    return ProductVariantFactory(product=product, price_amount=price, stock=stock, **variant_fields)


def cart_with_lines(*, user: User | None = None, lines: Sequence[tuple[ProductVariant, int]] = ()) -> Cart:
    """A cart (the user's own, or an anonymous one) holding ``(variant, quantity)`` lines, in that order."""
    cart = cart_services.cart_create(user_id=user.pk if user else None)
    for variant, quantity in lines:
        cart_services.cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=quantity)
    return cart


def order_place(
    *,
    cart: Cart | None = None,
    user: User | None = None,
    lines: Sequence[tuple[ProductVariant, int]] = (),
    email: str | None = None,
    key: str | None = None,
    coupon_code: str = "",
    expected_total: int | None = None,
    shipping_choice: dict[int, int] | None = None,
    language: str = "",
    now: datetime | None = None,
) -> Order:
    """Place an order through ``checkout_place`` (a new cart of ``lines`` unless ``cart`` is given)."""
    if cart is None:
        user = user if user is not None else UserFactory()
        cart = cart_with_lines(user=user, lines=lines or [(purchasable_variant(), 1)])
    elif user is None and cart.user_id is not None:
        user = cart.user
    order, _created = cart_services.checkout_place(
        cart_id=cart.pk,
        buyer_id=user.pk if user else None,
        email=email or (user.email if user else "guest@example.com"),
        shipping_address=ADDRESS,
        shipping_choice=shipping_choice or {},
        coupon_code=coupon_code,
        expected_total=expected_total,
        idempotency_key=key or uuid.uuid4().hex,
        owner=f"user:{user.pk}" if user else f"visitor:{cart.pk}",
        language=language,
        now=now,
    )
    return order


def part_status_force(part: SellerOrder, status: str) -> SellerOrder:
    """Test set-up only: put a seller's part (and its order, which has only this part) straight into
    ``status``, bypassing the state machine, so a later transition can be tried from there."""
    now = timezone.now()
    SellerOrder.objects.filter(pk=part.pk).update(status=status, status_changed_at=now)
    if status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        SellerOrder.objects.filter(pk=part.pk).update(delivered_at=now)
    if status != OrderStatus.PENDING_PAYMENT:
        part.lines.filter(stock_state="reserved").update(stock_state="committed")
    Order.objects.filter(pk=part.order_id).update(status=status)
    part.refresh_from_db()
    return part
