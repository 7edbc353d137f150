"""Commission: what the platform keeps of each order line, fixed at capture.

Rates are basis points (1 bp = 0.01 %). The rate of a line is, first match wins: the seller's override
(``SellerCommission``), the rate of the product's category or its nearest ancestor that has one
(``CategoryCommission``), else ``settings.COMMISSION_DEFAULT_BP``.

Commission is taken on what the seller charged for the line: the line total after the seller's own
discounts (flash price, seller tiers, seller coupons) but before the platform's (platform coupons and
platform tiers), which the platform funds. So for each line::

    base       = line total paid by the shopper + platform-funded discount on the line
    commission = round_half_up(base * rate_bp / 10000)
    seller gets base - commission        (shipping goes to the seller in full, no commission)

A refund gives back commission and unwinds the platform's discount in proportion to the part of the line
refunded, cumulatively (the sum over several partial refunds equals what a single full refund gives).

Operators set the rates (``category_commission_*``, ``seller_commission_*``); each change keeps a history
row naming the operator. A new rate applies to payments captured afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import SellerProfile, User
from catalog.models import Category
from catalog.selectors_paths import product_category_lineages
from common.exceptions import ApplicationError
from common.services import model_update
from orders.models import Coupon, Order, OrderLine, SellerOrder
from orders.pricing import COUPON, PLATFORM_TIER
from payments.ledger import SellerAllocation
from payments.models import CategoryCommission, LineCommission, Refund, SellerCommission


class CommissionError(ApplicationError):
    pass


def commission_of(*, base: int, rate_bp: int) -> int:
    if base <= 0:
        return 0
    return min(base, (base * rate_bp + 5_000) // 10_000)


def _rates(*, seller_ids: set[int], product_ids: set[int]) -> tuple[dict, dict, dict]:
    seller_rates = dict(
        SellerCommission.objects.filter(seller_id__in=seller_ids).values_list("seller_id", "rate_bp")
    )
    lineages = product_category_lineages(product_ids=sorted(product_ids))
    category_ids = {cid for lineage in lineages.values() for cid in lineage}
    category_rates = dict(
        CategoryCommission.objects.filter(category_id__in=category_ids).values_list("category_id", "rate_bp")
    )
    return seller_rates, lineages, category_rates


def _rate_for(*, seller_id, product_id, seller_rates, lineages, category_rates) -> tuple[int, str]:
    if seller_id in seller_rates:
        return seller_rates[seller_id], "seller"
    for category_id in lineages.get(product_id, []):
        if category_id in category_rates:
            return category_rates[category_id], f"category:{category_id}"
    return settings.COMMISSION_DEFAULT_BP, "default"


def commission_rate(*, seller_id: int, product_id: int | None) -> tuple[int, str]:
    """The rate that applies today to a product of a seller, and where it comes from."""
    seller_rates, lineages, category_rates = _rates(
        seller_ids={seller_id}, product_ids={product_id} if product_id else set()
    )
    return _rate_for(
        seller_id=seller_id,
        product_id=product_id,
        seller_rates=seller_rates,
        lineages=lineages,
        category_rates=category_rates,
    )


def _platform_discount(line: OrderLine, platform_coupon_ids: set[int]) -> int:
    total = 0
    for adjustment in line.pricing_explanation or []:
        kind = adjustment.get("kind")
        if kind == PLATFORM_TIER or (kind == COUPON and adjustment.get("rule_id") in platform_coupon_ids):
            total += int(adjustment.get("amount") or 0)
    return total


def _allocations_from_rows(order: Order) -> list[SellerAllocation]:
    parts = {part.pk: part for part in SellerOrder.objects.filter(order=order)}
    by_part: dict[int, list[LineCommission]] = defaultdict(list)
    for row in LineCommission.objects.filter(seller_order__order=order):
        by_part[row.seller_order_id].append(row)
    return [
        SellerAllocation(
            seller_id=parts[part_id].seller_id,
            seller_order_id=part_id,
            seller_amount=sum(r.base_amount - r.amount for r in rows) + parts[part_id].shipping_amount,
            commission=sum(r.amount for r in rows),
            promotions=sum(r.platform_discount_amount for r in rows),
        )
        for part_id, rows in sorted(by_part.items())
    ]


@transaction.atomic
def order_allocate(*, order_id: int) -> list[SellerAllocation]:
    """Fix the commission of every line of an order (once: a second call returns the same split) and
    return each seller's share. Every part is allocated, cancelled ones too: a part cancelled before the
    money arrived is refunded from its seller's share like any cancellation after payment."""
    order = Order.objects.get(pk=order_id)
    if LineCommission.objects.filter(seller_order__order=order).exists():
        return _allocations_from_rows(order)
    lines = list(
        OrderLine.objects.filter(seller_order__order=order)
        .select_related("seller_order")
        .order_by("seller_order_id", "pk")
    )
    coupon_ids = {
        adjustment.get("rule_id")
        for line in lines
        for adjustment in (line.pricing_explanation or [])
        if adjustment.get("kind") == COUPON and adjustment.get("rule_id") is not None
    }
    platform_coupon_ids = set(
        Coupon.objects.filter(pk__in=coupon_ids, seller__isnull=True).values_list("pk", flat=True)
    )
    seller_rates, lineages, category_rates = _rates(
        seller_ids={line.seller_order.seller_id for line in lines},
        product_ids={line.product_id_snapshot for line in lines if line.product_id_snapshot},
    )
    rows = []
    for line in lines:
        seller_id = line.seller_order.seller_id
        platform_discount = _platform_discount(line, platform_coupon_ids)
        base = line.total_amount + platform_discount
        rate_bp, source = _rate_for(
            seller_id=seller_id,
            product_id=line.product_id_snapshot,
            seller_rates=seller_rates,
            lineages=lineages,
            category_rates=category_rates,
        )
        rows.append(
            LineCommission(
                order_line=line,
                seller_order_id=line.seller_order_id,
                seller_id=seller_id,
                base_amount=base,
                platform_discount_amount=platform_discount,
                rate_bp=rate_bp,
                rate_source=source,
                amount=commission_of(base=base, rate_bp=rate_bp),
                currency=order.currency,
            )
        )
    LineCommission.objects.bulk_create(rows)
    allocations = _allocations_from_rows(order)
    paid = sum(a.paid_by_shopper for a in allocations)
    if paid != order.total_amount:
        raise CommissionError(
            f"order {order.number}: lines and shipping add up to {paid}, the order total is {order.total_amount}"
        )
    return allocations


@dataclass(frozen=True)
class RefundedSoFar:
    """What earlier refunds of one seller order (pending or succeeded) cover: per order line the units
    and the amount, and the shipping."""

    quantities: dict[int, int]
    amounts: dict[int, int]
    shipping: int


def seller_order_refunded(*, seller_order_id: int, exclude_refund_id: int | None = None) -> RefundedSoFar:
    quantities: dict[int, int] = defaultdict(int)
    amounts: dict[int, int] = defaultdict(int)
    shipping = 0
    earlier = Refund.objects.filter(seller_order_id=seller_order_id).exclude(status=Refund.Status.FAILED)
    if exclude_refund_id is not None:
        earlier = earlier.exclude(pk=exclude_refund_id)
    for refund in earlier.only("lines", "shipping_amount"):
        shipping += refund.shipping_amount
        for item in refund.lines or []:
            quantities[int(item["order_line"])] += int(item.get("quantity") or 0)
            amounts[int(item["order_line"])] += int(item["amount"])
    return RefundedSoFar(quantities=quantities, amounts=amounts, shipping=shipping)


def refund_split(
    *,
    seller_order_id: int,
    lines: list[tuple[int, int]],
    shipping_amount: int,
    exclude_refund_id: int | None = None,
    refunded: RefundedSoFar | None = None,
) -> tuple[int, int, int]:
    """How a refund of ``lines`` (order line id, amount) plus ``shipping_amount`` of one seller order is
    borne: ``(seller_amount, commission, promotions)`` with seller_amount + commission - promotions equal
    to the refund. Earlier refunds of the same lines (pending or succeeded; ``refunded`` when the caller
    has read them already) count, so proportional shares add up exactly over several partial refunds."""
    part = SellerOrder.objects.get(pk=seller_order_id)
    if shipping_amount < 0 or shipping_amount > part.shipping_amount:
        raise CommissionError(f"shipping refund {shipping_amount} is outside 0..{part.shipping_amount}")
    line_ids = [line_id for line_id, _amount in lines]
    order_lines = {
        line.pk: line for line in OrderLine.objects.filter(pk__in=line_ids, seller_order_id=part.pk)
    }
    commissions = {
        row.order_line_id: row for row in LineCommission.objects.filter(order_line_id__in=line_ids)
    }
    if refunded is None:
        refunded = seller_order_refunded(seller_order_id=part.pk, exclude_refund_id=exclude_refund_id)
    commission = promotions = total = 0
    for line_id, amount in lines:
        line = order_lines.get(line_id)
        if line is None:
            raise CommissionError(f"order line {line_id} is not part of seller order {part.pk}")
        before = refunded.amounts.get(line_id, 0)
        if amount <= 0 or before + amount > line.total_amount:
            raise CommissionError(
                f"order line {line_id}: refunding {amount} after {before} exceeds its total {line.total_amount}"
            )
        total += amount
        row = commissions.get(line_id)
        if row is None or line.total_amount == 0:
            continue
        commission += _share(row.amount, before + amount, line.total_amount) - _share(
            row.amount, before, line.total_amount
        )
        promotions += _share(row.platform_discount_amount, before + amount, line.total_amount) - _share(
            row.platform_discount_amount, before, line.total_amount
        )
    total += shipping_amount
    return total + promotions - commission, commission, promotions


def _share(amount: int, part: int, whole: int) -> int:
    return amount * part // whole


# --- rates (operators) --------------------------------------------------------------------------------

RATE_BP_MAX = 10_000


def _history_user_set(instance: CategoryCommission | SellerCommission, actor_id: int | None) -> None:
    """Name the operator on the history row the write leaves, also outside a request (a command)."""
    if actor_id is not None:
        instance._history_user = User.objects.filter(pk=actor_id).first()  # type: ignore[union-attr]


def _rate_check(rate_bp: int) -> None:
    if isinstance(rate_bp, bool) or not isinstance(rate_bp, int) or not 0 <= rate_bp <= RATE_BP_MAX:
        message = _("Enter a rate from 0 to 10000 basis points (0 to 100 %).")
        raise CommissionError(message, extra={"rate_bp": [message]})


def _commission_save(instance: CategoryCommission | SellerCommission, *, key: str, taken: str) -> None:
    """Validate and insert; ``taken`` is the refusal when the category or seller already has a rate."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        if key in errors:
            errors[key] = [taken]
        raise CommissionError(next(iter(errors.values()))[0], extra=errors) from exc
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # a concurrent operator set one between the check and the insert
        raise CommissionError(taken, extra={key: [taken]}) from exc


def _locked(model: type, *, actor_id: int | None, what: str, **lookup: int):
    row = model.objects.select_for_update().filter(**lookup).first()
    if row is None:
        raise CommissionError(what, extra={"id": ["not found"]})
    _history_user_set(row, actor_id)
    return row


@transaction.atomic
def category_commission_create(*, category_id: int, rate_bp: int, actor_id: int | None) -> CategoryCommission:
    """A rate for a category and, unless they have their own, its subcategories."""
    _rate_check(rate_bp)
    if not Category.objects.filter(pk=category_id).exists():
        raise CommissionError(_("This category does not exist."), extra={"category": ["not found"]})
    commission = CategoryCommission(category_id=category_id, rate_bp=rate_bp)
    _history_user_set(commission, actor_id)
    _commission_save(
        commission, key="category", taken=_("This category already has a rate: change that one instead.")
    )
    return commission


@transaction.atomic
def category_commission_update(*, category_id: int, rate_bp: int, actor_id: int | None) -> CategoryCommission:
    _rate_check(rate_bp)
    commission = _locked(
        CategoryCommission,
        actor_id=actor_id,
        what=_("This category has no rate of its own."),
        category_id=category_id,
    )
    model_update(instance=commission, fields=["rate_bp"], data={"rate_bp": rate_bp})
    return commission


@transaction.atomic
def category_commission_delete(*, category_id: int, actor_id: int | None) -> None:
    """The category falls back to its nearest ancestor's rate (or the default)."""
    _locked(
        CategoryCommission,
        actor_id=actor_id,
        what=_("This category has no rate of its own."),
        category_id=category_id,
    ).delete()


@transaction.atomic
def seller_commission_create(
    *, seller_id: int, rate_bp: int, note: str = "", actor_id: int | None
) -> SellerCommission:
    """A seller's own rate, which beats every category rate."""
    _rate_check(rate_bp)
    if not SellerProfile.objects.filter(pk=seller_id).exists():
        raise CommissionError(_("This seller does not exist."), extra={"seller": ["not found"]})
    commission = SellerCommission(seller_id=seller_id, rate_bp=rate_bp, note=note.strip())
    _history_user_set(commission, actor_id)
    _commission_save(
        commission, key="seller", taken=_("This seller already has a rate: change that one instead.")
    )
    return commission


@transaction.atomic
def seller_commission_update(
    *, seller_id: int, rate_bp: int, note: str = "", actor_id: int | None
) -> SellerCommission:
    _rate_check(rate_bp)
    commission = _locked(
        SellerCommission,
        actor_id=actor_id,
        what=_("This seller has no rate of their own."),
        seller_id=seller_id,
    )
    try:
        model_update(
            instance=commission, fields=["rate_bp", "note"], data={"rate_bp": rate_bp, "note": note.strip()}
        )
    except ValidationError as exc:
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        raise CommissionError(next(iter(errors.values()))[0], extra=errors) from exc
    return commission


@transaction.atomic
def seller_commission_delete(*, seller_id: int, actor_id: int | None) -> None:
    """The seller's lines go back to the category rates."""
    _locked(
        SellerCommission,
        actor_id=actor_id,
        what=_("This seller has no rate of their own."),
        seller_id=seller_id,
    ).delete()
