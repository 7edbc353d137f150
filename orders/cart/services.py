"""Every write to carts and the checkout that places an order: cart lines, the idempotency key, and the
order with its seller parts and lines. What happens to an order after that is ``orders.lifecycle``'s.

The checkout is one transaction: the order, its seller parts and lines (price, discount, tax and shipping
snapshots), the stock reservation (catalog's conditional UPDATE, in SKU order), flash-sale units and the
coupon use. If any of them is refused, nothing is written. An idempotency key makes a repeated "place
order" (double click, retried API call) return the first order instead of creating a second.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import country_code_check
from catalog.selectors import variant_map_for_cart
from catalog.services import OutOfStock
from common.domain_events import publish
from common.exceptions import ApplicationError
from common.money import Money
from common.tracking import track
from orders.cart.selectors import CART_MAX_LINES, CART_MAX_QUANTITY, CartSummary, cart_summary
from orders.domain_events import OrderPlaced
from orders.lifecycle import notifications
from orders.lifecycle.reasons import ReasonCode
from orders.models import Cart, CartLine, Order, OrderEvent, OrderLine, OrderStatus, SellerOrder
from orders.services_stock import StockState, stock_reserve

if TYPE_CHECKING:
    from catalog.models import ProductVariant
    from orders.cart.selectors import CartItem
    from orders.pricing import Adjustment, CartPricing

logger = logging.getLogger(__name__)

Actor = OrderEvent.Actor

ORDER_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class CartError(ApplicationError):
    pass


class CheckoutError(ApplicationError):
    pass


class PriceChanged(CheckoutError):
    """The total the shopper confirmed is not the total now: show the new one, charge nothing."""


# --- cart -----------------------------------------------------------------------------------------------


@transaction.atomic
def cart_create(*, user_id: int | None) -> Cart:
    if user_id is None:
        return Cart.objects.create()
    cart, _created = Cart.objects.get_or_create(user_id=user_id)
    return cart


def _variant_for_cart(variant_id: int) -> ProductVariant:
    variant = variant_map_for_cart(variant_ids=[variant_id]).get(variant_id)
    if variant is None or not variant.purchasable:  # type: ignore[attr-defined]  # set by variant_map_for_cart
        raise CartError(_("This product is not available."), extra={"variant": ["not available"]})
    if variant.currency != settings.DEFAULT_CURRENCY:
        raise CartError(_("This product is sold in another currency."), extra={"variant": ["currency"]})
    if variant.stock <= 0:
        raise OutOfStock(_("Sorry, this product is out of stock."), extra={"quantity": ["out of stock"]})
    return variant


@transaction.atomic
def cart_line_add(*, cart_id: int, variant_id: int, quantity: int) -> tuple[CartLine, bool]:
    """Add units of a SKU; the quantity in the cart is capped by the stock on hand (and a sane maximum).
    Returns the line and whether the cap cut the quantity down."""
    if quantity < 1:
        raise CartError(_("Choose a quantity of at least 1."), extra={"quantity": ["must be at least 1"]})
    variant = _variant_for_cart(variant_id)
    # Touching the cart locks its row first: one writer per cart at a time.
    Cart.objects.filter(pk=cart_id).update(updated_at=timezone.now())
    lines = {line.variant_id: line for line in CartLine.objects.filter(cart_id=cart_id)}
    line = lines.get(variant_id)
    if line is None and len(lines) >= CART_MAX_LINES:
        raise CartError(
            _("Your cart is full (%(max)d different products).") % {"max": CART_MAX_LINES},
            extra={"variant": ["cart full"]},
        )
    wanted = (line.quantity if line else 0) + quantity
    allowed = min(wanted, variant.stock, CART_MAX_QUANTITY)
    if line is None:
        line = CartLine.objects.create(
            cart_id=cart_id,
            variant_id=variant_id,
            quantity=allowed,
            seen_unit_price_amount=variant.price_amount,
        )
    else:
        line.quantity = allowed
        line.seen_unit_price_amount = variant.price_amount
        line.save(update_fields=["quantity", "seen_unit_price_amount"])
    return line, allowed < wanted


@transaction.atomic
def cart_quantities_set(*, cart_id: int, quantities: dict[int, int]) -> tuple[list[int], bool]:
    """Set several lines' quantities at once (0 removes a line), each capped by stock, in one
    transaction and one read of the SKUs: all of it happens or none. The shopper has now seen the
    current prices, so they become the lines' seen prices. Returns the removed SKU ids and whether a cap
    cut any quantity down."""
    lines = {
        line.variant_id: line
        for line in CartLine.objects.select_for_update().filter(
            cart_id=cart_id, variant_id__in=list(quantities)
        )
    }
    missing = set(quantities) - set(lines)
    if missing:
        raise CartError(_("This product is not in your cart."), extra={"variant": ["not in cart"]})
    variants = variant_map_for_cart(variant_ids=[v for v, q in quantities.items() if q > 0])
    removed, capped = [], False
    for variant_id, quantity in quantities.items():
        line = lines[variant_id]
        variant = variants.get(variant_id)
        allowed = min(quantity, variant.stock if variant is not None else 0, CART_MAX_QUANTITY)
        if allowed <= 0 or variant is None:  # no SKU: allowed is 0 already
            line.delete()
            removed.append(variant_id)
            capped = capped or quantity > 0
            continue
        line.quantity = allowed
        line.seen_unit_price_amount = variant.price_amount
        line.save(update_fields=["quantity", "seen_unit_price_amount"])
        capped = capped or allowed < quantity
    return removed, capped


def cart_line_set_quantity(*, cart_id: int, variant_id: int, quantity: int) -> tuple[CartLine | None, bool]:
    """One line's quantity (0 removes it): ``cart_quantities_set`` for a single SKU."""
    removed, capped = cart_quantities_set(cart_id=cart_id, quantities={variant_id: quantity})
    if removed:
        return None, capped
    return CartLine.objects.get(cart_id=cart_id, variant_id=variant_id), capped


@transaction.atomic
def cart_line_remove(*, cart_id: int, variant_id: int) -> bool:
    deleted, _detail = CartLine.objects.filter(cart_id=cart_id, variant_id=variant_id).delete()
    return bool(deleted)


@transaction.atomic
def cart_prices_accept(*, cart_id: int) -> int:
    """The shopper has seen the current prices: they become the lines' seen prices."""
    changed = 0
    lines = list(CartLine.objects.select_for_update().filter(cart_id=cart_id))
    variants = variant_map_for_cart(variant_ids=[line.variant_id for line in lines])
    for line in lines:
        variant = variants.get(line.variant_id)
        if variant is not None and variant.price_amount != line.seen_unit_price_amount:
            line.seen_unit_price_amount = variant.price_amount
            line.save(update_fields=["seen_unit_price_amount"])
            changed += 1
    return changed


@transaction.atomic
def cart_merge(*, from_cart_id: int, user_id: int) -> Cart:
    """At sign-in, the visitor's cart joins the user's: quantities add up, capped by stock."""
    target = cart_create(user_id=user_id)
    if target.pk == from_cart_id:
        return target
    source_lines = list(CartLine.objects.filter(cart_id=from_cart_id).order_by("pk"))
    for line in source_lines:
        try:
            cart_line_add(cart_id=target.pk, variant_id=line.variant_id, quantity=line.quantity)
        except ApplicationError:
            continue  # gone or sold out meanwhile: dropped, the rest still merges
    Cart.objects.filter(pk=from_cart_id, user__isnull=True).delete()
    return target


# --- checkout -------------------------------------------------------------------------------------------


def idempotency_digest(*, owner: str, key: str) -> str:
    return hashlib.sha256(f"{owner}:{key}".encode()).hexdigest()


def checkout_owner(*, user_id: int | None, session_key: str | None) -> str | None:
    """Whose idempotency keys these are: a key is only "the same" for the same signed-in user, or the
    same visitor session (the HTML checkout and the API alike). None for a visitor without a session,
    who has no cart and so no earlier order either."""
    if user_id is not None:
        return f"user:{user_id}"
    return f"session:{session_key}" if session_key else None


def _order_number() -> str:
    return "M" + "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(10))


# The largest amount a 64-bit column holds: a "confirmed total" beyond it is refused, not compared.
MONEY_AMOUNT_MAX = 2**63 - 1

ADDRESS_FIELDS = ("full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone")
ADDRESS_REQUIRED = ("full_name", "line1", "city", "postal_code", "country")


def checkout_place(
    *,
    cart_id: int,
    buyer_id: int | None,
    email: str,
    shipping_address: dict[str, Any],
    shipping_choice: dict[int, int],
    coupon_code: str,
    expected_total: int | None,
    idempotency_key: str,
    owner: str,
    language: str = "",
    visitor_key: str = "",
    now: datetime | None = None,
) -> tuple[Order, bool]:
    """Place the cart as one order split by seller. Returns ``(order, created)``; ``created`` is False
    when the idempotency key had already placed an order (nothing new is written): a retry gets the
    same order whatever the cart holds by now.

    The cart is priced first, outside any lock; then the order is written in one transaction that
    begins by claiming the cart's lines (their rows locked), so a cart is consumed exactly once: a concurrent
    checkout of the same cart waits, then finds either the order its own key placed (a double click:
    the same order) or its lines gone (another key, another tab: refused, nothing written).

    ``visitor_key`` is the shopper's anonymous analytics id (``common.tracking.visitor_id``): the
    ``order_placed`` event carries it, so analytics joins the order to the visit it was placed in."""
    now = now or timezone.now()
    digest = _checkout_digest(owner=owner, idempotency_key=idempotency_key)
    summary = cart_summary(
        cart_id=cart_id,
        now=now,
        coupon_code=coupon_code,
        shipping_choice=shipping_choice,
        email=email,
        user_id=buyer_id,
    )
    try:
        address = _checkout_address(shipping_address)
        _checkout_cart_check(summary=summary, shipping_choice=shipping_choice)
        _checkout_promotions_check(summary=summary, coupon_code=coupon_code)
        _checkout_total_check(summary=summary, expected_total=expected_total)
    except ApplicationError:
        existing = Order.objects.filter(idempotency_key=digest).first()
        if existing is not None:  # placed by this key already: the cart has since been emptied
            return existing, False
        raise
    try:
        order = _order_write(
            summary=summary,
            buyer_id=buyer_id,
            email=email,
            address=address,
            coupon_code=coupon_code,
            digest=digest,
            language=language,
            visitor_key=visitor_key,
            now=now,
        )
    except _AlreadyPlaced as placed:
        return Order.objects.get(pk=placed.order_id), False
    except IntegrityError:
        # The same key won a race with us through another cart: theirs is the order.
        existing = Order.objects.filter(idempotency_key=digest).first()
        if existing is None:
            raise
        return existing, False
    return order, True


class _AlreadyPlaced(Exception):
    def __init__(self, order_id: int) -> None:
        self.order_id = order_id


def _checkout_digest(*, owner: str, idempotency_key: str) -> str:
    if not idempotency_key or len(idempotency_key) > 200:
        raise CheckoutError(
            _("The checkout form has expired; please try again."),
            extra={"idempotency_key": ["missing or too long"]},
        )
    return idempotency_digest(owner=owner, key=idempotency_key)


def _checkout_address(shipping_address: dict[str, Any]) -> dict[str, str]:
    address = {key: str(shipping_address.get(key, "") or "").strip()[:200] for key in ADDRESS_FIELDS}
    missing = [key for key in ADDRESS_REQUIRED if not address[key]]
    if missing:
        raise CheckoutError(
            _("Please give a complete shipping address."), extra={key: ["required"] for key in missing}
        )
    address["country"] = country_code_check(country=address["country"])
    return address


def _checkout_cart_check(*, summary: CartSummary, shipping_choice: dict[int, int]) -> None:
    if not summary.items:
        raise CheckoutError(_("Your cart is empty."), extra={"cart": ["empty"]})
    unavailable = [i for i in summary.items if not i.purchasable]
    if unavailable:
        raise CheckoutError(
            _("Some products in your cart are no longer available: %(titles)s. Remove them to continue.")
            % {"titles": ", ".join(i.product.title for i in unavailable)},
            extra={"cart": ["unavailable items"]},
        )
    short = [i for i in summary.items if i.too_many]
    if short:
        raise OutOfStock(
            _("Not enough stock for: %(titles)s. Lower the quantity to continue.")
            % {"titles": ", ".join(i.product.title for i in short)},
            extra={"cart": ["insufficient stock"]},
        )
    shipping_check(summary=summary, shipping_choice=shipping_choice)


def shipping_check(*, summary: CartSummary, shipping_choice: dict[int, int]) -> None:
    """Every shipping method chosen must be one its seller offers for this cart: a method of another
    seller, an inactive one or one for a seller with nothing in the cart is refused, never swapped."""
    offered = {group.seller.pk: {m.pk for m in group.shipping_methods} for group in summary.groups}
    refused = {
        str(seller_id): [_("Not one of this seller's shipping methods.")]
        for seller_id, method_id in shipping_choice.items()
        if method_id not in offered.get(seller_id, set())
    }
    if refused:
        raise CheckoutError(_("Choose one of the shipping methods offered."), extra={"shipping": refused})


def _checkout_promotions_check(*, summary: CartSummary, coupon_code: str) -> None:
    if coupon_code and summary.coupon_error:
        raise CheckoutError(summary.coupon_error, extra={"coupon_code": [summary.coupon_error]})
    pricing = summary.pricing
    assert pricing is not None  # noqa: S101 - _checkout_cart_check passed: every item is priced
    if coupon_code and pricing.coupon_problem:
        message = (
            _("Your cart does not reach the coupon's minimum spend.")
            if pricing.coupon_problem == "min_spend"
            else _("This coupon does not apply to anything in your cart.")
        )
        raise CheckoutError(message, extra={"coupon_code": [pricing.coupon_problem]})


def _checkout_total_check(*, summary: CartSummary, expected_total: int | None) -> None:
    assert summary.pricing is not None  # noqa: S101 - _checkout_cart_check passed: every item is priced
    if expected_total is not None and not 0 <= expected_total <= MONEY_AMOUNT_MAX:
        raise CheckoutError(
            _("The confirmed total is not a possible amount."),
            extra={"expected_total": [f"must be between 0 and {MONEY_AMOUNT_MAX}"]},
        )
    total = summary.pricing.total
    if expected_total is not None and expected_total != total:
        raise PriceChanged(
            _(
                "The total changed from %(old)s to %(new)s since you last saw it. Please check and confirm again."
            )
            % {
                "old": Money(expected_total, summary.currency).format(),
                "new": Money(total, summary.currency).format(),
            },
            extra={"expected_total": [f"now {total}"]},
        )


@transaction.atomic
def _order_write(
    *,
    summary: CartSummary,
    buyer_id: int | None,
    email: str,
    address: dict[str, str],
    coupon_code: str,
    digest: str,
    language: str,
    visitor_key: str,
    now: datetime,
) -> Order:
    """The order's rows, its stock, flash units and coupon use, in one transaction that first claims
    the cart (see ``checkout_place``)."""
    items = {item.line.variant_id: item for item in summary.items}
    assert summary.cart_id is not None  # noqa: S101 - checkout_place checked the cart has items
    _cart_consume(cart_id=summary.cart_id, digest=digest, variant_ids=list(items))
    pricing = summary.pricing
    assert pricing is not None  # noqa: S101 - checkout_place checked every item is priced
    order = _order_create(
        summary=summary,
        buyer_id=buyer_id,
        email=email,
        address=address,
        coupon_code=coupon_code,
        digest=digest,
        language=language,
        now=now,
    )
    parts = _seller_orders_create(order=order, pricing=pricing, now=now)
    lines = OrderLine.objects.bulk_create(_order_lines_build(parts=parts, pricing=pricing, items=items))
    _order_claims_take(order=order, lines=lines, pricing=pricing, buyer_id=buyer_id, email=email, now=now)
    OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.STATUS,
        to_status=OrderStatus.PENDING_PAYMENT,
        actor_kind=Actor.SHOPPER,
        actor_id=buyer_id,
        reason="placed",
        reason_code=ReasonCode.ORDER_PLACED,
    )
    order_id, number, total = order.pk, order.number, order.total_amount
    transaction.on_commit(lambda: notifications.order_placed_notify(order_id=order_id))
    publish(OrderPlaced(order_id=order_id))
    transaction.on_commit(
        lambda: track(
            event_type="order_placed",
            user_id=buyer_id,
            session_key=visitor_key,
            object_type="orders.order",
            object_id=order_id,
            properties={
                "number": number,
                "total": total,
                "sellers": len(pricing.sellers),
                "lines": len(lines),
            },
        )
    )
    return order


def _cart_consume(*, cart_id: int, digest: str, variant_ids: list[int]) -> None:
    """Claim the cart by taking the priced lines out of it: the DELETE locks those rows until this
    transaction ends, so a concurrent checkout of the same cart waits here and then finds them gone.
    Then either its own key placed the order meanwhile (a double click: ``_AlreadyPlaced``) or another
    checkout won (refused)."""
    deleted = CartLine.objects.filter(cart_id=cart_id, variant_id__in=variant_ids).delete()[0]
    if deleted == len(variant_ids):
        return
    placed_id = Order.objects.filter(idempotency_key=digest).values_list("pk", flat=True).first()
    if placed_id is not None:
        raise _AlreadyPlaced(placed_id)
    raise CheckoutError(
        _("Your cart was checked out in another window meanwhile; nothing was placed twice."),
        extra={"cart": ["checked out meanwhile"]},
    )


def _order_create(
    *,
    summary: CartSummary,
    buyer_id: int | None,
    email: str,
    address: dict[str, str],
    coupon_code: str,
    digest: str,
    language: str,
    now: datetime,
) -> Order:
    pricing = summary.pricing
    assert pricing is not None  # noqa: S101 - checkout_place checked every item is priced
    return Order.objects.create(
        number=_order_number(),
        buyer_id=buyer_id,
        email=email,
        status=OrderStatus.PENDING_PAYMENT,
        currency=summary.currency,
        subtotal_amount=pricing.subtotal,
        shipping_amount=pricing.shipping,
        discount_amount=pricing.discount,
        tax_amount=pricing.tax,
        total_amount=pricing.total,
        placed_at=now,
        shipping_address=address,
        coupon_code=coupon_code.strip().upper() if pricing.coupon_id else "",
        idempotency_key=digest,
        payment_due_at=now + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES),
        pricing_explanation=[_adjustment_json(a) for a in pricing.adjustments],
        language=language[:10],
    )


def _seller_orders_create(*, order: Order, pricing: CartPricing, now: datetime) -> list[SellerOrder]:
    return SellerOrder.objects.bulk_create(
        [
            SellerOrder(
                order=order,
                seller_id=seller_pricing.seller_id,
                status=OrderStatus.PENDING_PAYMENT,
                subtotal_amount=seller_pricing.subtotal,
                discount_amount=seller_pricing.discount,
                shipping_amount=seller_pricing.shipping,
                tax_amount=seller_pricing.tax,
                total_amount=seller_pricing.total,
                shipping_method_id=seller_pricing.shipping_rule_id,
                shipping_method_name=seller_pricing.shipping_name or _("Free shipping"),
                status_changed_at=now,
            )
            for seller_pricing in pricing.sellers
        ]
    )


def _order_lines_build(
    *, parts: list[SellerOrder], pricing: CartPricing, items: dict[int, CartItem]
) -> list[OrderLine]:
    lines: list[OrderLine] = []
    for part in parts:
        for line_pricing in (lp for lp in pricing.lines if lp.seller_id == part.seller_id):
            variant = items[line_pricing.key].variant
            lines.append(
                OrderLine(
                    seller_order=part,
                    variant_id=variant.pk,
                    product_id_snapshot=variant.product_id,
                    title=variant.product.title,
                    sku=variant.sku,
                    variant_name=variant.name,
                    attributes=variant.attributes,
                    weight_grams=variant.weight_grams,
                    unit_price_amount=line_pricing.unit_price,
                    list_unit_price_amount=line_pricing.list_unit_price,
                    flash_sale_item_id=line_pricing.flash_item_id,
                    quantity=line_pricing.quantity,
                    discount_amount=line_pricing.discount,
                    tax_amount=line_pricing.tax,
                    total_amount=line_pricing.total,
                    stock_state=StockState.RESERVED,
                    pricing_explanation=[_adjustment_json(a) for a in line_pricing.adjustments],
                )
            )
    return lines


def _order_claims_take(
    *,
    order: Order,
    lines: list[OrderLine],
    pricing: CartPricing,
    buyer_id: int | None,
    email: str,
    now: datetime,
) -> None:
    """Reserve the stock (SKU order), claim the flash-sale units and redeem the coupon use."""
    from orders.promotions.services import coupon_redeem, flash_sale_claim

    stock_reserve(
        quantities=[(cast(int, line.variant_id), line.quantity) for line in lines],  # just written with a SKU
        order_number=order.number,
        actor_id=buyer_id,
    )
    for line in lines:
        if line.flash_sale_item_id is not None:
            flash_sale_claim(flash_item_id=line.flash_sale_item_id, quantity=line.quantity)
    if pricing.coupon_id is not None:
        coupon_redeem(
            coupon_id=pricing.coupon_id,
            order_id=order.pk,
            user_id=buyer_id,
            email=email,
            discount_amount=pricing.coupon_discount,
            now=now,
        )


def _adjustment_json(adjustment: Adjustment) -> dict[str, str | int | None]:
    return {
        "kind": adjustment.kind,
        "label": adjustment.label,
        "amount": adjustment.amount,
        "rule_id": adjustment.rule_id,
    }
