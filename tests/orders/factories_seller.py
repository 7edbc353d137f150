"""Placed orders for the seller-portal and carrier tests, built row by row (not through checkout): a paid
order with one part for one seller, its lines committed (stock already taken)."""

from __future__ import annotations

import factory
from django.utils import timezone

from orders.models import Order, OrderLine, OrderStatus, SellerOrder, Shipment, ShippingMethod
from tests.factories import ProductVariantFactory, SellerProfileFactory, UserFactory

ADDRESS = {
    "full_name": "Grace Hopper",
    "line1": "1 Compiler Way",
    "line2": "Flat 2",
    "city": "Arlington",
    "region": "VA",
    "postal_code": "22201",
    "country": "US",
    "phone": "+1 555 0100",
}


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"MP-{n:06d}")
    buyer = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.buyer.email if o.buyer else "guest@example.com")
    status = OrderStatus.PAID
    currency = "USD"
    placed_at = factory.LazyFunction(timezone.now)
    paid_at = factory.LazyFunction(timezone.now)
    shipping_address = factory.LazyFunction(lambda: dict(ADDRESS))


class SellerOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerOrder

    order = factory.SubFactory(OrderFactory)
    seller = factory.SubFactory(SellerProfileFactory)
    status = OrderStatus.PAID
    subtotal_amount = 0
    shipping_amount = 495
    total_amount = 495
    shipping_method_name = "Standard"


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    seller_order = factory.SubFactory(SellerOrderFactory)
    variant = factory.SubFactory(
        ProductVariantFactory, product__seller=factory.SelfAttribute("...seller_order.seller")
    )
    product_id_snapshot = factory.LazyAttribute(lambda o: o.variant.product_id if o.variant else None)
    title = factory.LazyAttribute(lambda o: o.variant.product.title if o.variant else "Thing")
    sku = factory.LazyAttribute(lambda o: o.variant.sku if o.variant else "SKU")
    unit_price_amount = 1000
    quantity = 1
    total_amount = factory.LazyAttribute(lambda o: o.unit_price_amount * o.quantity - o.discount_amount)
    discount_amount = 0
    stock_state = "committed"


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingMethod

    seller = factory.SubFactory(SellerProfileFactory)
    name = factory.Sequence(lambda n: f"Method {n}")
    flat_amount = 495
    per_kg_amount = 100
    delivery_days_min = 2
    delivery_days_max = 5


def paid_part(*, seller=None, quantities=(2, 1), status=OrderStatus.PAID, **order_fields) -> SellerOrder:
    """A paid order with one part for ``seller`` and one line per quantity (each line its own SKU), the
    part's totals summed from the lines."""
    seller = seller or SellerProfileFactory()
    order = OrderFactory(status=status, **order_fields)
    part = SellerOrderFactory(order=order, seller=seller, status=status)
    for quantity in quantities:
        OrderLineFactory(seller_order=part, quantity=quantity)
    subtotal = sum(line.total_amount for line in part.lines.all())
    part.subtotal_amount = subtotal
    part.total_amount = subtotal + part.shipping_amount
    part.save(update_fields=["subtotal_amount", "total_amount"])
    order.subtotal_amount, order.shipping_amount = subtotal, part.shipping_amount
    order.total_amount = part.total_amount
    order.save(update_fields=["subtotal_amount", "shipping_amount", "total_amount"])
    return part


def shipment_of(
    part: SellerOrder, *, carrier: str = "UPS", tracking_number: str = "1Z999", **fields
) -> Shipment:
    """A shipment row for ``part`` without going through the service (for read-only tests)."""
    return Shipment.objects.create(
        seller_order=part,
        carrier=carrier,
        tracking_number=tracking_number,
        shipped_at=fields.pop("shipped_at", timezone.now()),
        **fields,
    )
