"""Reads of the cart: its lines with their live prices, problems, promotions, tax and shipping options."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Sum

from catalog.selectors import CART_VARIANT_FIELDS, category_ancestor_ids, product_is_visible
from orders.models import CartLine

if TYPE_CHECKING:
    from accounts.models import SellerProfile
    from orders import pricing
    from orders.promotions.selectors import PromotionInputs

# A cart holds at most this many different SKUs and this many units of one.
CART_MAX_LINES = 50
CART_MAX_QUANTITY = 99
CART_LINE_FIELDS = ("cart", "quantity", "seen_unit_price_amount", "added_at")


@dataclass
class CartItem:
    line: CartLine
    purchasable: bool
    stock: int
    unit_price: int
    price_changed: bool
    pricing: pricing.LinePricing | None = None

    @property
    def variant(self):
        return self.line.variant

    @property
    def product(self):
        return self.line.variant.product

    @property
    def too_many(self) -> bool:
        return self.line.quantity > self.stock


@dataclass
class SellerGroup:
    seller: SellerProfile
    items: list[CartItem]
    shipping_methods: list = field(default_factory=list)
    shipping_method_id: int | None = None
    pricing: pricing.SellerPricing | None = None


@dataclass
class CartSummary:
    cart_id: int | None
    items: list[CartItem]
    groups: list[SellerGroup]
    currency: str
    pricing: pricing.CartPricing | None
    coupon_code: str = ""
    coupon_error: str = ""
    flash_items: dict[int, int] = field(default_factory=dict)  # variant id -> flash sale item id

    @property
    def count(self) -> int:
        return sum(item.line.quantity for item in self.items)

    @property
    def problems(self) -> list[CartItem]:
        return [i for i in self.items if not i.purchasable or i.too_many or i.price_changed]

    @property
    def ready(self) -> bool:
        return bool(self.items) and not any(not i.purchasable or i.too_many for i in self.items)


def tax_rate() -> Decimal:
    return Decimal(settings.ORDER_TAX_RATE)


def cart_lines(*, cart_id: int) -> list[CartLine]:
    """The cart's lines, oldest first, each with its SKU, product, seller and category in ``line.variant``
    (one query; only ``CART_VARIANT_FIELDS``), the SKU marked ``purchasable`` as ``variant_map_for_cart``
    marks it."""
    lines = list(
        CartLine.objects.filter(cart_id=cart_id)
        .select_related("variant__product__seller", "variant__product__category")
        .only(*CART_LINE_FIELDS, *(f"variant__{name}" for name in CART_VARIANT_FIELDS))
        .order_by("added_at", "pk")
    )
    for line in lines:
        line.variant.purchasable = product_is_visible(line.variant.product)  # type: ignore[attr-defined]
    return lines


def cart_units(*, cart_id: int) -> int:
    """How many units the cart holds (the header's cart badge), without pricing anything."""
    return CartLine.objects.filter(cart_id=cart_id).aggregate(units=Sum("quantity"))["units"] or 0


def _cart_items(*, cart_id: int, currency: str) -> list[CartItem]:
    """The cart's lines with the SKU's price and stock now, and whether the price moved since added."""
    items: list[CartItem] = []
    for line in cart_lines(cart_id=cart_id):
        variant = line.variant
        items.append(
            CartItem(
                line=line,
                purchasable=variant.purchasable and variant.currency == currency,  # type: ignore[attr-defined]  # set by cart_lines
                stock=variant.stock,
                unit_price=variant.price_amount,
                price_changed=variant.price_amount != line.seen_unit_price_amount,
            )
        )
    return items


def _seller_groups(
    *, items: list[CartItem], methods: dict[int, list], shipping_choice: dict[int, int]
) -> dict[int, SellerGroup]:
    """One group per seller in cart order, with the seller's shipping options and the chosen one (the
    shopper's choice if the seller offers it, else the first)."""
    groups: dict[int, SellerGroup] = {}
    for item in items:
        seller = item.product.seller
        group = groups.get(seller.pk)
        if group is None:
            options = methods.get(seller.pk, [])
            chosen = next((m.pk for m in options if m.pk == shipping_choice.get(seller.pk)), None)
            if chosen is None and options:
                chosen = options[0].pk
            group = groups[seller.pk] = SellerGroup(
                seller=seller, items=[], shipping_methods=options, shipping_method_id=chosen
            )
        group.items.append(item)
    return groups


def _shipping_rules(groups: dict[int, SellerGroup]) -> dict[int, pricing.ShippingRule | None]:
    """{seller id: the chosen shipping method as a pricing rule, or None when the seller has none}."""
    from orders import pricing

    rules: dict[int, pricing.ShippingRule | None] = {}
    for group in groups.values():
        method = next((m for m in group.shipping_methods if m.pk == group.shipping_method_id), None)
        rules[group.seller.pk] = (
            pricing.ShippingRule(
                id=method.pk,
                seller_id=group.seller.pk,
                name=method.name,
                flat=method.flat_amount,
                per_kg=method.per_kg_amount,
                free_over=method.free_over_amount,
            )
            if method
            else None
        )
    return rules


def _cart_price(
    *, priced: list[CartItem], groups: dict[int, SellerGroup], promotions: PromotionInputs, currency: str
) -> pricing.CartPricing:
    """Price the purchasable lines and hang each line's and each seller's result on the item and group."""
    from orders import pricing

    # Only a category-scoped coupon looks at a line's categories (its own and every ancestor).
    ancestors: dict[str, frozenset[int]] = {}
    if promotions.coupon is not None and promotions.coupon.scope == "category":
        ancestors = category_ancestor_ids(paths={item.product.category.path for item in priced})
    result = pricing.price_cart(
        lines=[
            pricing.PricingLine(
                key=item.line.variant_id,
                seller_id=item.product.seller_id,
                product_id=item.product.pk,
                category_ids=ancestors.get(item.product.category.path, frozenset()),
                unit_price=item.unit_price,
                quantity=item.line.quantity,
                weight_grams=item.variant.weight_grams,
                flash_price=promotions.flash.get(item.line.variant_id, (None, None))[0],
                flash_item_id=promotions.flash.get(item.line.variant_id, (None, None))[1],
            )
            for item in priced
        ],
        currency=currency,
        coupon=promotions.coupon,
        tiers=promotions.tiers,
        shipping=_shipping_rules(groups),
        tax_rate=tax_rate(),
    )
    by_key = {line.key: line for line in result.lines}
    for item in priced:
        item.pricing = by_key[item.line.variant_id]
    by_seller = {s.seller_id: s for s in result.sellers}
    for group in groups.values():
        group.pricing = by_seller.get(group.seller.pk)
    return result


def cart_summary(
    *,
    cart_id: int | None,
    now: datetime,
    coupon_code: str = "",
    shipping_choice: dict[int, int] | None = None,
    email: str = "",
    user_id: int | None = None,
    with_prices: bool = True,
) -> CartSummary:
    """The cart as the shopper sees it now: current prices (flash sales included) and stock, what changed
    since each line was added, one group per seller with its shipping options, and the pricing service's
    line-by-line result. A bounded number of queries whatever the cart's size: the lines with their SKUs,
    the promotions, the shipping methods, and the categories only for a category-scoped coupon. A cart
    that does not exist (any more) reads as an empty one. ``with_prices=False`` leaves out the promotions
    and the pricing (``pricing`` is None) for a caller that needs only the lines and the groups."""
    from orders.promotions.selectors import PromotionInputs, pricing_inputs_for
    from orders.shipping.selectors import shipping_methods_for_sellers

    currency = settings.DEFAULT_CURRENCY
    if cart_id is None:
        return CartSummary(cart_id=None, items=[], groups=[], currency=currency, pricing=None)
    items = _cart_items(cart_id=cart_id, currency=currency)
    seller_ids = list(dict.fromkeys(item.product.seller_id for item in items))
    promotions = (
        pricing_inputs_for(
            variant_ids=[item.line.variant_id for item in items],
            seller_ids=seller_ids,
            coupon_code=coupon_code,
            now=now,
            email=email,
            user_id=user_id,
        )
        if with_prices
        else PromotionInputs()
    )
    groups = _seller_groups(
        items=items,
        methods=shipping_methods_for_sellers(seller_ids=seller_ids),
        shipping_choice=shipping_choice or {},
    )
    priced = [item for item in items if item.purchasable] if with_prices else []
    result = (
        _cart_price(priced=priced, groups=groups, promotions=promotions, currency=currency)
        if priced
        else None
    )
    return CartSummary(
        cart_id=cart_id,
        items=items,
        groups=list(groups.values()),
        currency=currency,
        pricing=result,
        coupon_code=coupon_code,
        coupon_error=promotions.coupon_error,
        flash_items={variant_id: item_id for variant_id, (_, item_id) in promotions.flash.items()},
    )
