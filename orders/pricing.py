"""The one pricing engine: the final price of a cart, line by line, with an explanation of every step.

Pure computation: no ORM, no Django. ``orders.promotions.selectors`` reads the rules from the database
and ``orders.cart.selectors.cart_summary`` feeds them in; checkout stores the result. All amounts are integer
minor units of ``currency``; rates are ``Decimal``.

Stacking rules, applied in this order (each one pinned by ``tests/orders/pricing``):

1. **Flash sale.** A line's flash price replaces its unit price only when it is lower than the list price
   (a flash sale never raises a price). The saving is shown as a ``flash_sale`` adjustment but is not part
   of ``discount``: it is already in ``unit_price``/``subtotal``. A flash item that did not apply is not
   reported (``LinePricing.flash_item_id`` is None), so checkout claims no flash units for it.
2. **Seller spend tiers.** Per seller, among that seller's tiers the one with the highest threshold met
   by the seller's subtotal (after flash prices) applies. Its discount is capped at that subtotal and
   split over the seller's lines in proportion to their subtotals.
3. **Coupon** (at most one). Eligible lines: the coupon's seller's lines (every line for a platform
   coupon), narrowed by scope (``category``: the line's categories, ancestors included, meet the
   coupon's; ``products``: the product is one of the coupon's). Eligible amount: what those lines still
   cost after step 2. No eligible line, or an eligible amount of 0 → ``coupon_problem="not_applicable"``;
   eligible amount below ``min_spend`` → ``"min_spend"``. Percent: ``floor(eligible * pct / 100)``;
   fixed: ``min(amount_off, eligible)``. A coupon worth 0 (a tiny percentage of a tiny amount) is
   ``"not_applicable"`` too, so a use is never spent on nothing. The discount is split over the eligible
   lines in proportion to what they still cost.
4. **Platform spend tiers** (``seller_id`` None): the highest threshold met by the whole cart's amount
   after steps 1 to 3 applies, capped at that amount, split over all lines in proportion to what they still
   cost.
5. **Shipping**, per seller, from ``shipping[seller_id]`` (missing or None → 0, name ""): ``flat +
   per_kg * ceil(total weight / 1000)``, where the total weight is ``weight_grams * quantity`` summed
   over the seller's lines; 0 when ``free_over`` is set and the seller's merchandise total after all
   discounts reaches it (then a ``free_shipping`` adjustment shows what was waived). Coupons and tiers
   never discount shipping.
6. **Tax is included** in prices: ``line tax = round_half_up(total * rate / (1 + rate))``; a seller's and
   the order's tax are the sums of their lines' taxes. Shipping is not taxed.

Splitting a discount uses the largest-remainder method (floors first, then one minor unit each to the
lines with the largest fractional parts, earlier lines first on ties). ``common.money.Money.allocate``
gives the whole remainder to the last line, which can push that line's discount above its price
(3 lines of 1 sharing 2 → 0, 0, 2); largest remainder never gives a line more than ``ceil`` of its fair
share, so ``0 <= discount <= subtotal`` holds for every line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from babel.numbers import get_currency_precision

# Adjustment kinds, in the order the steps above apply them.
FLASH_SALE = "flash_sale"
SELLER_TIER = "seller_tier"
PLATFORM_TIER = "platform_tier"
COUPON = "coupon"
SHIPPING = "shipping"
FREE_SHIPPING = "free_shipping"
TAX = "tax"

# coupon_problem codes
MIN_SPEND = "min_spend"
NOT_APPLICABLE = "not_applicable"

_NO_SHIPPING: Mapping[int, ShippingRule | None] = MappingProxyType({})


@dataclass(frozen=True)
class PricingLine:
    key: int  # the variant id (unique within a cart)
    seller_id: int
    product_id: int
    category_ids: frozenset[int]  # the product's leaf category and all its ancestors
    unit_price: int  # catalog price, minor units, >= 0
    quantity: int  # >= 1
    weight_grams: int = 0  # per unit
    flash_price: int | None = None  # a valid flash-sale price for this SKU (window and cap checked)
    flash_item_id: int | None = None


@dataclass(frozen=True)
class CouponRule:
    id: int
    code: str
    seller_id: int | None  # None = platform coupon (applies across shops)
    kind: str  # "percent" | "fixed"
    percent_off: int | None  # 1..100
    amount_off: int | None  # minor units > 0
    min_spend: int  # measured on the ELIGIBLE lines' amount after tier discounts
    scope: str  # "shop" | "category" | "products"
    category_ids: frozenset[int] = frozenset()
    product_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class TierRule:
    id: int
    seller_id: int | None  # None = platform-wide
    threshold: int
    discount: int


@dataclass(frozen=True)
class ShippingRule:
    id: int
    seller_id: int
    name: str
    flat: int
    per_kg: int  # per STARTED kilogram of the seller part's total weight
    free_over: int | None  # free when the seller part's merchandise total after discounts >= this


@dataclass(frozen=True)
class Adjustment:
    kind: str  # one of the kind constants above
    label: str  # short English description; the UI translates by ``kind``
    amount: int  # minor units; discounts are positive numbers that are subtracted
    rule_id: int | None = None


@dataclass(frozen=True)
class LinePricing:
    key: int
    seller_id: int
    quantity: int
    list_unit_price: int  # catalog price
    unit_price: int  # price per unit before discounts (the flash price if it applied)
    subtotal: int  # unit_price * quantity
    discount: int  # 0 <= discount <= subtotal
    tax: int  # tax INCLUDED in (subtotal - discount)
    total: int  # subtotal - discount (>= 0)
    flash_item_id: int | None
    adjustments: tuple[Adjustment, ...]


@dataclass(frozen=True)
class SellerPricing:
    seller_id: int
    subtotal: int
    discount: int
    shipping: int
    tax: int
    total: int  # subtotal - discount + shipping
    shipping_rule_id: int | None
    shipping_name: str
    adjustments: tuple[Adjustment, ...]


@dataclass(frozen=True)
class CartPricing:
    currency: str
    lines: tuple[LinePricing, ...]  # same order as the input lines
    sellers: tuple[SellerPricing, ...]  # ordered by first appearance in the input lines
    subtotal: int
    discount: int
    shipping: int
    tax: int
    total: int
    coupon_id: int | None  # the coupon that applied, or None
    coupon_discount: int
    coupon_problem: str  # "" when applied or none given; else "min_spend" | "not_applicable"
    adjustments: tuple[Adjustment, ...]  # order-level explanation (all adjustments, for display)


@dataclass
class _Work:
    """One line while it is being priced."""

    line: PricingLine
    unit_price: int
    subtotal: int
    flash_item_id: int | None
    discount: int = 0
    adjustments: list[Adjustment] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.subtotal - self.discount


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` over ``weights`` proportionally (largest remainder). With ``0 <= amount <=
    sum(weights)`` no share exceeds its weight; zero weights get nothing."""
    total = sum(weights)
    if amount < 0 or any(w < 0 for w in weights):
        raise ValueError("allocate needs a non-negative amount and weights")
    if amount == 0 or total == 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    left = amount - sum(shares)
    # Largest fractional part first; the earlier line wins a tie (stable sort on the index).
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def _major(amount: int, currency: str) -> str:
    exponent = get_currency_precision(currency.upper())
    return f"{Decimal(amount).scaleb(-exponent):.{exponent}f} {currency}"


def shipping_quote(rule: ShippingRule, *, merchandise_amount: int, weight_grams: int) -> int:
    """What ``rule`` charges for a seller's part: flat + per started kilogram, or 0 from ``free_over``."""
    if rule.free_over is not None and merchandise_amount >= rule.free_over:
        return 0
    return _shipping_cost(rule, weight_grams)


def _shipping_cost(rule: ShippingRule, weight_grams: int) -> int:
    started_kg = -(-max(weight_grams, 0) // 1000)
    return rule.flat + rule.per_kg * started_kg


def _best_tier(tiers: Sequence[TierRule], amount: int) -> TierRule | None:
    met = [t for t in tiers if t.threshold <= amount]
    if not met:
        return None
    # Highest threshold; on equal thresholds the bigger discount, then the lower id (deterministic).
    return max(met, key=lambda t: (t.threshold, t.discount, -t.id))


def _apply_discount(work: Sequence[_Work], amount: int, adjustment: Adjustment) -> None:
    """Split ``adjustment.amount`` over ``work`` by what each line still costs and record each share."""
    shares = allocate(amount, [w.remaining for w in work])
    for w, share in zip(work, shares, strict=True):
        if share:
            w.discount += share
            w.adjustments.append(
                Adjustment(
                    kind=adjustment.kind, label=adjustment.label, amount=share, rule_id=adjustment.rule_id
                )
            )


def _coupon_eligible(coupon: CouponRule, line: PricingLine) -> bool:
    if coupon.seller_id is not None and line.seller_id != coupon.seller_id:
        return False
    if coupon.scope == "category":
        return bool(line.category_ids & coupon.category_ids)
    if coupon.scope == "products":
        return line.product_id in coupon.product_ids
    return coupon.scope == "shop"


def _coupon_label(coupon: CouponRule, currency: str) -> str:
    if coupon.kind == "percent":
        return f"Coupon {coupon.code} ({coupon.percent_off}% off)"
    return f"Coupon {coupon.code} ({_major(coupon.amount_off or 0, currency)} off)"


def _coupon_amount(coupon: CouponRule, eligible: int) -> int:
    if coupon.kind == "percent":
        return eligible * min(max(coupon.percent_off or 0, 0), 100) // 100
    if coupon.kind == "fixed":
        return min(max(coupon.amount_off or 0, 0), eligible)
    return 0


def _summed(adjustments: Sequence[Adjustment]) -> list[Adjustment]:
    """Adjustments of the same kind and rule added together, in order of first appearance."""
    totals: dict[tuple[str, int | None, str], int] = {}
    for a in adjustments:
        k = (a.kind, a.rule_id, a.label)
        totals[k] = totals.get(k, 0) + a.amount
    return [
        Adjustment(kind=k, label=label, amount=amount, rule_id=rid)
        for (k, rid, label), amount in totals.items()
    ]


def _by_step(adjustments: Sequence[Adjustment]) -> list[Adjustment]:
    step = {FLASH_SALE: 0, SELLER_TIER: 1, COUPON: 2, PLATFORM_TIER: 3, SHIPPING: 4, FREE_SHIPPING: 4, TAX: 5}
    return sorted(adjustments, key=lambda a: step.get(a.kind, 9))  # stable: first appearance within a step


def _percent(rate: Decimal) -> str:
    text = f"{rate * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _tax_included(total: int, rate: Decimal) -> int:
    if rate <= 0 or total <= 0:
        return 0
    return int((Decimal(total) * rate / (1 + rate)).quantize(Decimal(1), ROUND_HALF_UP))


def _work_lines(lines: Sequence[PricingLine]) -> list[_Work]:
    """1. flash sales: a line's unit price is its flash price when that is lower."""
    work: list[_Work] = []
    for line in lines:
        flash, unit = False, line.unit_price
        if line.flash_price is not None and 0 <= line.flash_price < line.unit_price:
            flash, unit = True, line.flash_price
        w = _Work(
            line=line,
            unit_price=unit,
            subtotal=unit * line.quantity,
            flash_item_id=line.flash_item_id if flash else None,
        )
        if flash:
            w.adjustments.append(
                Adjustment(
                    kind=FLASH_SALE,
                    label="Flash sale price",
                    amount=(line.unit_price - unit) * line.quantity,
                    rule_id=line.flash_item_id,
                )
            )
        work.append(w)
    return work


def _seller_tiers_apply(
    by_seller: Mapping[int, list[_Work]], tiers: Sequence[TierRule], currency: str
) -> None:
    """2. seller spend tiers: each seller's best tier met by that seller's subtotal."""
    for sid, part in by_seller.items():
        part_subtotal = sum(w.subtotal for w in part)
        tier = _best_tier([t for t in tiers if t.seller_id == sid], part_subtotal)
        if tier is not None:
            amount = min(tier.discount, part_subtotal)
            label = f"Spend {_major(tier.threshold, currency)}, save {_major(tier.discount, currency)}"
            _apply_discount(part, amount, Adjustment(SELLER_TIER, label, amount, tier.id))


def _coupon_apply(
    work: Sequence[_Work], coupon: CouponRule | None, currency: str
) -> tuple[int | None, int, str]:
    """3. the coupon, over the lines it applies to: (coupon id, discount, problem) — the id is None and
    the problem says why when it gives nothing."""
    coupon_id: int | None = None
    coupon_discount = 0
    coupon_problem = ""
    if coupon is not None:
        eligible = [w for w in work if _coupon_eligible(coupon, w.line)]
        eligible_amount = sum(w.remaining for w in eligible)
        amount = _coupon_amount(coupon, eligible_amount)
        if not eligible or eligible_amount <= 0:
            coupon_problem = NOT_APPLICABLE
        elif eligible_amount < coupon.min_spend:
            coupon_problem = MIN_SPEND
        elif amount <= 0:
            coupon_problem = NOT_APPLICABLE
        else:
            coupon_id, coupon_discount = coupon.id, amount
            label = _coupon_label(coupon, currency)
            _apply_discount(eligible, amount, Adjustment(COUPON, label, amount, coupon.id))
    return coupon_id, coupon_discount, coupon_problem


def _platform_tier_apply(work: Sequence[_Work], tiers: Sequence[TierRule], currency: str) -> None:
    """4. platform spend tiers: the best one met by what the whole cart still costs."""
    cart_amount = sum(w.remaining for w in work)
    tier = _best_tier([t for t in tiers if t.seller_id is None], cart_amount)
    if tier is not None:
        amount = min(tier.discount, cart_amount)
        label = f"Spend {_major(tier.threshold, currency)}, save {_major(tier.discount, currency)}"
        _apply_discount(work, amount, Adjustment(PLATFORM_TIER, label, amount, tier.id))


def _line_results(work: Sequence[_Work], tax_rate: Decimal) -> list[LinePricing]:
    """6. tax (per line, included), and each line's result."""
    line_results: list[LinePricing] = []
    for w in work:
        total = w.remaining
        tax = _tax_included(total, tax_rate)
        line_results.append(
            LinePricing(
                key=w.line.key,
                seller_id=w.line.seller_id,
                quantity=w.line.quantity,
                list_unit_price=w.line.unit_price,
                unit_price=w.unit_price,
                subtotal=w.subtotal,
                discount=w.discount,
                tax=tax,
                total=total,
                flash_item_id=w.flash_item_id,
                adjustments=tuple(w.adjustments),
            )
        )
    return line_results


def _seller_result(
    *,
    sid: int,
    part: Sequence[_Work],
    results: Sequence[LinePricing],
    rule: ShippingRule | None,
    tax_rate: Decimal,
    currency: str,
) -> SellerPricing:
    """5. one seller's part: its lines' sums and its shipping."""
    subtotal = sum(r.subtotal for r in results)
    discount = sum(r.discount for r in results)
    tax = sum(r.tax for r in results)
    merchandise = subtotal - discount
    adjustments = _summed([a for r in results for a in r.adjustments])
    cost = 0
    if rule is not None:
        weight = sum(w.line.weight_grams * w.line.quantity for w in part)
        cost = shipping_quote(rule, merchandise_amount=merchandise, weight_grams=weight)
        if rule.free_over is not None and merchandise >= rule.free_over:
            label = f"Free shipping from {_major(rule.free_over, currency)} ({rule.name})"
            adjustments.append(Adjustment(FREE_SHIPPING, label, _shipping_cost(rule, weight), rule.id))
        else:
            adjustments.append(Adjustment(SHIPPING, rule.name, cost, rule.id))
    if tax:
        adjustments.append(Adjustment(TAX, f"Included tax ({_percent(tax_rate)}%)", tax))
    return SellerPricing(
        seller_id=sid,
        subtotal=subtotal,
        discount=discount,
        shipping=cost,
        tax=tax,
        total=merchandise + cost,
        shipping_rule_id=rule.id if rule is not None else None,
        shipping_name=rule.name if rule is not None else "",
        adjustments=tuple(_by_step(adjustments)),
    )


def price_cart(
    *,
    lines: Sequence[PricingLine],
    currency: str,
    coupon: CouponRule | None = None,
    tiers: Sequence[TierRule] = (),
    shipping: Mapping[int, ShippingRule | None] = _NO_SHIPPING,
    tax_rate: Decimal = Decimal("0"),
) -> CartPricing:
    """Price ``lines`` by the stacking rules of this module's docstring."""
    tax_rate = Decimal(tax_rate)
    work = _work_lines(lines)
    seller_ids = list(dict.fromkeys(line.seller_id for line in lines))
    by_seller = {sid: [w for w in work if w.line.seller_id == sid] for sid in seller_ids}
    _seller_tiers_apply(by_seller, tiers, currency)
    coupon_id, coupon_discount, coupon_problem = _coupon_apply(work, coupon, currency)
    _platform_tier_apply(work, tiers, currency)
    line_results = _line_results(work, tax_rate)
    priced = dict(zip((id(w) for w in work), line_results, strict=True))
    seller_results = [
        _seller_result(
            sid=sid,
            part=part,
            results=[priced[id(w)] for w in part],
            rule=shipping.get(sid),
            tax_rate=tax_rate,
            currency=currency,
        )
        for sid, part in by_seller.items()
    ]
    order_adjustments = _by_step(
        _summed([a for s in seller_results for a in s.adjustments if a.kind not in (SHIPPING, FREE_SHIPPING)])
        + [a for s in seller_results for a in s.adjustments if a.kind in (SHIPPING, FREE_SHIPPING)]
    )
    return CartPricing(
        currency=currency,
        lines=tuple(line_results),
        sellers=tuple(seller_results),
        subtotal=sum(s.subtotal for s in seller_results),
        discount=sum(s.discount for s in seller_results),
        shipping=sum(s.shipping for s in seller_results),
        tax=sum(s.tax for s in seller_results),
        total=sum(s.total for s in seller_results),
        coupon_id=coupon_id,
        coupon_discount=coupon_discount,
        coupon_problem=coupon_problem,
        adjustments=tuple(order_adjustments),
    )
