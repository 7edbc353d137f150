"""Demo orders: 12 months of orders split per seller (the history), and what checkout needs to be tried
out: each demo seller's shipping methods and a few promotions (a platform coupon, a shop coupon, a
spend-and-save tier and a running flash sale)."""

from __future__ import annotations

import bisect
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from accounts.models import SellerProfile
from catalog.models import Product, ProductVariant
from marketplace.demo.accounts import SHOPPER_LOGIN
from marketplace.demo.base import BATCH_SIZE, FIRST_NAMES, ORDER_PREFIX, Clock, DemoRun, rng_for
from marketplace.demo.catalog import CatalogItem, Picker, VariantItem
from orders.models import (
    Coupon,
    FlashSale,
    FlashSaleItem,
    Order,
    OrderLine,
    OrderStatus,
    SellerOrder,
    ShippingMethod,
    SpendTier,
)

DEMO_PLATFORM_COUPON = "WELCOME10"

# (id, e-mail, date joined) of a demo shopper, oldest sign-up first
Shopper = tuple[int, str, datetime]
_Line = tuple[CatalogItem, VariantItem, int]  # what was bought, and how many
_Part = tuple[SellerOrder, list[OrderLine]]


class PlacedOrder(NamedTuple):
    """What the events of an order's visit need to know about it."""

    order_id: int
    number: str
    placed_at: datetime
    buyer_id: int | None
    total_amount: int
    item_count: int
    seller_count: int
    first_product: CatalogItem
    first_variant: VariantItem


# --- the history ------------------------------------------------------------------------------------
def orders_create(
    run: DemoRun,
    *,
    count: int,
    catalog: list[CatalogItem],
    variants: dict[int, list[VariantItem]],
    shoppers: list[Shopper],
    clock: Clock,
    demo_seller_id: int | None,
) -> list[PlacedOrder]:
    """``count`` orders of the past 12 months, numbered in the order they were placed; every 10th one
    includes the demo seller, every 40th is the demo shopper's. Bumps the products' sales counts."""
    rng = rng_for(run.seed, "orders")
    picker = Picker(catalog)
    demo_items = [item for item in catalog if item.seller_id == demo_seller_id]
    demo_picker = Picker(demo_items) if demo_items else None
    joined = [row[2] for row in shoppers]
    demo_shopper = next((row for row in shoppers if row[1] == SHOPPER_LOGIN[0]), None)

    moments = sorted(clock.moment(rng) for _ in range(count))
    orders: list[tuple[Order, list[_Part]]] = []
    summaries = []
    sold: Counter[int] = Counter()
    with run.progress("Orders", count) as bar:
        for number, placed_at in enumerate(moments, 1):
            buyer, email = _buyer_draw(rng, number, placed_at, shoppers, joined, demo_shopper)
            picked = _lines_draw(rng, number, placed_at, picker, demo_picker, variants)
            status = _order_status(rng, run.now - placed_at)
            order = Order(
                number=f"{ORDER_PREFIX}{number:06d}",
                buyer_id=buyer[0] if buyer else None,
                email=email,
                status=status,
                currency=settings.DEFAULT_CURRENCY,
                placed_at=placed_at,
            )
            parts = _parts_draw(rng, status, picked)
            _timestamps_set(order, [part for part, _ in parts], number, run.now)
            if status != OrderStatus.CANCELLED:
                for item, _, quantity in picked.values():
                    sold[item.product_id] += quantity
            order.subtotal_amount = sum(part.subtotal_amount for part, _ in parts)
            order.shipping_amount = sum(part.shipping_amount for part, _ in parts)
            order.discount_amount = sum(part.discount_amount for part, _ in parts)
            order.total_amount = sum(part.total_amount for part, _ in parts)
            orders.append((order, parts))
            first_item, first_variant, _ = next(iter(picked.values()))
            summaries.append((sum(q for _, _, q in picked.values()), len(parts), first_item, first_variant))
            bar.update(1)
        _orders_insert(orders)

    _orders_backdate()
    _sales_counts_add(catalog, sold)
    run.result.orders = len(orders)
    return [
        PlacedOrder(order.pk, order.number, order.placed_at, order.buyer_id, order.total_amount, *summary)
        for (order, _), summary in zip(orders, summaries, strict=True)
    ]


def _buyer_draw(
    rng: random.Random,
    number: int,
    placed_at: datetime,
    shoppers: list[Shopper],
    joined: list[datetime],
    demo_shopper: Shopper | None,
) -> tuple[Shopper | None, str]:
    """Regulars joined earlier and come back; every 40th order is the demo shopper's own; the rest are
    guests. Returns the buyer (None for a guest) and the order's e-mail."""
    signed_up = bisect.bisect_right(joined, placed_at)
    buyer: Shopper | None
    if demo_shopper is not None and number % 40 == 1 and demo_shopper[2] < placed_at:
        buyer = demo_shopper
    elif signed_up and rng.random() < 0.9:
        buyer = shoppers[int(signed_up * rng.random() ** 1.4)]
    else:
        buyer = None
    email = buyer[1] if buyer else f"guest.{rng.choice(FIRST_NAMES).lower()}{number}@example.com"
    return buyer, email


def _lines_draw(
    rng: random.Random,
    number: int,
    placed_at: datetime,
    picker: Picker,
    demo_picker: Picker | None,
    variants: dict[int, list[VariantItem]],
) -> dict[int, _Line]:
    """One to four lines by variant id (a variant drawn twice keeps its first quantity)."""
    picked: dict[int, _Line] = {}
    for line_number in range(rng.choices((1, 2, 3, 4), weights=(60, 25, 10, 5))[0]):
        # Every 10th order includes the demo seller, so its dashboard has sales to show.
        use_demo = demo_picker is not None and line_number == 0 and number % 10 == 1
        item = (demo_picker if use_demo and demo_picker is not None else picker).pick(rng, placed_at)
        variant = rng.choice(variants[item.product_id])
        quantity = rng.choices((1, 2, 3, 4), weights=(82, 13, 3, 2))[0]
        picked.setdefault(variant.variant_id, (item, variant, quantity))
    return picked


def _parts_draw(rng: random.Random, status: str, picked: dict[int, _Line]) -> list[_Part]:
    """The order split per seller, each part with its shipping, an occasional discount, and its lines."""
    by_seller: dict[int, list[_Line]] = defaultdict(list)
    for line in picked.values():
        by_seller[line[0].seller_id].append(line)
    parts = []
    for seller_id, seller_lines in by_seller.items():
        subtotal = sum(variant.price_amount * quantity for _, variant, quantity in seller_lines)
        shipping = 0 if subtotal >= 5000 else rng.choice((499, 599, 799))
        discount = subtotal // 10 if rng.random() < 0.1 else 0  # a 10%-off code now and then
        seller_order = SellerOrder(
            seller_id=seller_id,
            status=status,
            subtotal_amount=subtotal,
            shipping_amount=shipping,
            discount_amount=discount,
            total_amount=subtotal + shipping - discount,
        )
        lines = [
            OrderLine(
                variant_id=variant.variant_id,
                product_id_snapshot=item.product_id,
                title=item.title,
                sku=variant.sku,
                unit_price_amount=variant.price_amount,
                quantity=quantity,
                total_amount=variant.price_amount * quantity,
            )
            for item, variant, quantity in seller_lines
        ]
        parts.append((seller_order, lines))
    return parts


SHIPPED_OR_LATER = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED)


def _timestamps_set(order: Order, parts: list[SellerOrder], number: int, now: datetime) -> None:
    """When each step happened, as the services would have stamped it (the analytics rollups book
    paid orders by ``paid_at``). Derived from the order number, not drawn, so the random sequence — and
    every other demo figure — stays what it was."""
    placed_at = order.placed_at
    if order.status == OrderStatus.CANCELLED:
        order.cancelled_at = placed_at + timedelta(minutes=31 + number % 90)
        order.cancel_reason = "Cancelled by the shopper"
        for part in parts:
            part.cancelled_at = order.cancelled_at
        return
    order.paid_at = placed_at + timedelta(minutes=1 + number % 29)
    for part in parts:
        part.status_changed_at = order.paid_at
        if part.status in SHIPPED_OR_LATER:
            part.shipped_at = min(now, placed_at + timedelta(hours=20 + number % 30))
            part.status_changed_at = part.shipped_at
        if part.status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
            part.delivered_at = min(now, placed_at + timedelta(days=3, hours=number % 48))
            part.status_changed_at = part.delivered_at
        if part.status == OrderStatus.COMPLETED:
            part.completed_at = min(now, placed_at + timedelta(days=10, hours=number % 24))
            part.status_changed_at = part.completed_at


def _order_status(rng: random.Random, age: timedelta) -> str:
    days = age.total_seconds() / 86400
    if days > 0.1 and rng.random() < 0.045:
        return OrderStatus.CANCELLED
    if days < 1:
        return rng.choice((OrderStatus.PAID, OrderStatus.PAID, OrderStatus.PROCESSING))
    if days < 3:
        return rng.choice((OrderStatus.PROCESSING, OrderStatus.SHIPPED))
    if days < 10:
        return OrderStatus.SHIPPED if rng.random() < 0.6 else OrderStatus.DELIVERED
    if days < 30:
        return OrderStatus.DELIVERED if rng.random() < 0.6 else OrderStatus.COMPLETED
    return OrderStatus.COMPLETED if rng.random() < 0.97 else OrderStatus.DELIVERED


def _orders_insert(orders: Sequence[tuple[Order, list[_Part]]]) -> None:
    Order.objects.bulk_create([order for order, _ in orders], batch_size=BATCH_SIZE)
    seller_orders = []
    for order, parts in orders:
        for seller_order, _ in parts:
            seller_order.order_id = order.pk
            seller_orders.append(seller_order)
    SellerOrder.objects.bulk_create(seller_orders, batch_size=BATCH_SIZE)
    lines = []
    for _, parts in orders:
        for seller_order, seller_lines in parts:
            for line in seller_lines:
                line.seller_order_id = seller_order.pk
                lines.append(line)
    OrderLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)


def _orders_backdate() -> None:
    # The rows were inserted today; their history starts when the order was placed.
    Order.objects.filter(number__startswith=ORDER_PREFIX).update(created_at=F("placed_at"))
    SellerOrder.objects.filter(order__number__startswith=ORDER_PREFIX).update(
        created_at=Subquery(Order.objects.filter(pk=OuterRef("order_id")).values("placed_at")[:1])
    )


def _sales_counts_add(catalog: list[CatalogItem], sold: Counter[int]) -> None:
    sales = {item.product_id: item.sales_count for item in catalog}
    Product.objects.bulk_update(
        [
            Product(pk=product_id, sales_count=sales[product_id] + quantity)
            for product_id, quantity in sold.items()
        ],
        ["sales_count"],
        batch_size=BATCH_SIZE,
    )


# --- checkout ---------------------------------------------------------------------------------------
@transaction.atomic
def checkout_demo_seed() -> dict[str, int]:
    """Shipping methods for the approved sellers that have none, and the demo promotions where missing
    (rows already there are left alone)."""
    now = timezone.now()
    sellers = list(SellerProfile.objects.filter(status=SellerProfile.Status.APPROVED).order_by("pk"))
    methods = _shipping_methods_seed(sellers)
    coupons = _coupons_seed(sellers, now)
    if sellers and not FlashSale.objects.exists():
        _flash_sale_seed(sellers[0], now)
    return {"shipping_methods": methods, "coupons": coupons}


def _shipping_methods_seed(sellers: list[SellerProfile]) -> int:
    have_methods = set(ShippingMethod.objects.values_list("seller_id", flat=True).distinct())
    methods = []
    for index, seller in enumerate(sellers):
        if seller.pk in have_methods:
            continue
        methods.append(
            ShippingMethod(
                seller=seller,
                name="Standard",
                flat_amount=[499, 399, 595][index % 3],
                per_kg_amount=[0, 100, 50][index % 3],
                free_over_amount=[5000, 7500, None][index % 3],
                delivery_days_min=3,
                delivery_days_max=6,
                position=0,
            )
        )
        methods.append(
            ShippingMethod(
                seller=seller,
                name="Express",
                flat_amount=1299,
                delivery_days_min=1,
                delivery_days_max=2,
                position=1,
            )
        )
    ShippingMethod.objects.bulk_create(methods)
    return len(methods)


def _coupons_seed(sellers: list[SellerProfile], now: datetime) -> int:
    """The platform coupon, and the first seller's shop coupon with its spend-and-save tier."""
    coupons = 0
    if not Coupon.objects.filter(code__iexact=DEMO_PLATFORM_COUPON).exists():
        Coupon.objects.create(
            code=DEMO_PLATFORM_COUPON,
            description="10% off your first order, across every shop",
            kind=Coupon.Kind.PERCENT,
            percent_off=10,
            min_spend_amount=2000,
            usage_limit_per_user=1,
            starts_at=now - timedelta(days=1),
        )
        coupons += 1
    if sellers and not Coupon.objects.filter(seller=sellers[0]).exists():
        Coupon.objects.create(
            seller=sellers[0],
            code="SHOP5",
            description="$5 off at this shop from $30",
            kind=Coupon.Kind.FIXED,
            amount_off=500,
            min_spend_amount=3000,
            usage_limit_per_user=None,
            starts_at=now - timedelta(days=1),
        )
        coupons += 1
        if not SpendTier.objects.filter(seller=sellers[0]).exists():
            SpendTier.objects.create(
                seller=sellers[0],
                threshold_amount=10000,
                discount_amount=1000,
                starts_at=now - timedelta(days=1),
            )
    return coupons


def _flash_sale_seed(seller: SellerProfile, now: datetime) -> None:
    sale = FlashSale.objects.create(
        seller=seller,
        name="Demo flash sale",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=30),
    )
    variants = ProductVariant.objects.filter(product__seller=seller, stock__gt=0).order_by("pk")[:3]
    FlashSaleItem.objects.bulk_create(
        FlashSaleItem(flash_sale=sale, variant=v, sale_price_amount=v.price_amount * 8 // 10, stock_cap=5)
        for v in variants
    )
