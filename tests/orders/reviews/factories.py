"""Delivered orders for the review tests, built row by row (not through checkout): one order for one
buyer, one part per seller, one line per product, each line's SKU belonging to its product."""

from __future__ import annotations

import factory
from django.utils import timezone

from orders.models import Order, OrderLine, OrderStatus, ProductReview, SellerOrder
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, UserFactory


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"RV-{n:06d}")
    buyer = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.buyer.email if o.buyer else "guest@example.com")
    status = OrderStatus.DELIVERED
    currency = "USD"
    placed_at = factory.LazyFunction(timezone.now)
    paid_at = factory.LazyFunction(timezone.now)


class SellerOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerOrder

    order = factory.SubFactory(OrderFactory)
    seller = factory.SubFactory(SellerProfileFactory)
    status = OrderStatus.DELIVERED
    delivered_at = factory.LazyFunction(timezone.now)
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
    total_amount = 1000


def delivered_line(*, buyer=None, product=None, seller=None, status=OrderStatus.DELIVERED) -> OrderLine:
    """One line of a new order of ``buyer`` for ``product`` (new ones by default), its part ``status``."""
    if product is None:
        product = ProductFactory(seller=seller or SellerProfileFactory())
    variant = product.variants.first() or ProductVariantFactory(product=product)
    order = OrderFactory(buyer=buyer or UserFactory(), status=status)
    part = SellerOrderFactory(
        order=order,
        seller=product.seller,
        status=status,
        delivered_at=timezone.now() if status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED) else None,
    )
    return OrderLineFactory(seller_order=part, variant=variant)


def review_row(line: OrderLine, **fields) -> ProductReview:
    """A review row written directly (not through the service), e.g. to test how stored text is shown."""
    return ProductReview.objects.create(
        order_line=line,
        product_id=line.product_id_snapshot,
        seller_id=line.seller_order.seller_id,
        author_id=line.seller_order.order.buyer_id,
        **{"rating": 5, **fields},
    )
