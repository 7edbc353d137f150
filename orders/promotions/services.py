"""Every write to promotions: coupon uses and flash-sale units (safe under concurrency), and the seller
portal's (and the admin's) create / update / deactivate of coupons, flash sales and spend tiers.

Counters move only by conditional UPDATEs with ``F()`` on a row locked for the transaction, so concurrent
checkouts can never use a coupon more often than its limits allow nor sell more flash units than the cap
(PostgreSQL row locks; SQLite runs every transaction ``IMMEDIATE``, one writer at a time).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypedDict, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Manager, Model, Q
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from catalog.models import Category, Product, ProductVariant
from common.exceptions import ApplicationError
from orders.models import Coupon, CouponRedemption, FlashSale, FlashSaleItem, SpendTier
from orders.promotions.selectors import coupon_problem, coupon_uses_by

MONEY_MAX = 100_000_000  # 1,000,000.00 in minor units: a sane cap for any promotion amount
COUNT_MAX = 1_000_000
FLASH_ITEMS_MAX = 50
CODE_MAX_LENGTH = 40
CODE_RE = re.compile(r"^[A-Za-z0-9_-]+$")

Errors = dict[str, list[str]]
_M = TypeVar("_M", bound=Model)


class _CouponRules(TypedDict):
    """The fields ``coupon_create`` and ``coupon_update`` check and set the same way."""

    kind: str
    percent_off: int | None
    amount_off: int | None
    min_spend_amount: int
    scope: str
    usage_limit_total: int | None
    usage_limit_per_user: int | None
    starts_at: datetime
    ends_at: datetime | None


class CouponUnavailable(ApplicationError):
    """The coupon cannot be used for this order (any more)."""


class FlashSaleSoldOut(ApplicationError):
    """Not enough units left at the flash-sale price."""


class PromotionNotFound(ApplicationError):
    """No such promotion for this seller (views answer 404)."""


def _raise_if(errors: Errors) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, extra=errors)


def _full_clean(obj: Model, *, exclude: Collection[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        errors = {key: [str(m) for m in msgs] for key, msgs in exc.message_dict.items()}
        raise ApplicationError(next(iter(errors.values()))[0], extra=errors) from exc


def _money_check(
    errors: Errors, key: str, value: int | None, *, minimum: int = 0, required: bool = True
) -> None:
    if value is None:
        if required:
            errors.setdefault(key, []).append(_("Enter an amount."))
        return
    if value < minimum or value > MONEY_MAX:
        errors.setdefault(key, []).append(
            _("Enter an amount between %(low)s and %(high)s.")
            % {"low": Decimal(minimum).scaleb(-2), "high": Decimal(MONEY_MAX).scaleb(-2)}
        )


def _window_check(errors: Errors, starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is None:
        errors.setdefault("starts_at", []).append(_("Enter when it starts."))
    elif ends_at is not None and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The end must be after the start."))


# --- coupon uses (checkout) ---------------------------------------------------------------------------


@transaction.atomic
def coupon_redeem(
    *, coupon_id: int, order_id: int, user_id: int | None, email: str, discount_amount: int, now: datetime
) -> CouponRedemption:
    """Record one use of the coupon by an order. Refused (``CouponUnavailable``) when the coupon is
    inactive or outside its window, its total uses are spent, or this shopper has used it up."""
    # Lock the row first: concurrent redemptions of this coupon queue here, so the counts below are final.
    coupon = Coupon.objects.select_for_update().filter(pk=coupon_id).first()
    if coupon is None:
        raise CouponUnavailable(_("There is no coupon with this code."), extra={"coupon": ["not found"]})
    problem = coupon_problem(coupon=coupon, now=now, currency=coupon.currency, user_id=user_id, email=email)
    if problem:
        raise CouponUnavailable(problem, extra={"coupon": [problem]})
    if CouponRedemption.objects.filter(coupon_id=coupon_id, order_id=order_id).exists():
        raise CouponUnavailable(
            _("This coupon is already applied to this order."), extra={"coupon": ["already applied"]}
        )
    # Conditional even under the lock: the database, not this process, decides the last use.
    within_limit = Q(usage_limit_total__isnull=True) | Q(times_used__lt=F("usage_limit_total"))
    if not Coupon.objects.filter(within_limit, pk=coupon_id).update(times_used=F("times_used") + 1):
        message = _("This coupon has reached its usage limit.")
        raise CouponUnavailable(message, extra={"coupon": [message]})
    return CouponRedemption.objects.create(
        coupon_id=coupon_id,
        order_id=order_id,
        user_id=user_id,
        email=email.strip(),
        discount_amount=max(discount_amount, 0),
    )


@transaction.atomic
def coupon_release(*, order_id: int) -> int:
    """Give back the coupon uses of an order that was never paid; returns how many were given back.
    Releasing twice gives back nothing the second time (the rows are gone)."""
    coupon_ids = sorted(
        set(CouponRedemption.objects.filter(order_id=order_id).values_list("coupon_id", flat=True))
    )
    released = 0
    for coupon_id in coupon_ids:
        # Lock the coupon before deleting, as coupon_redeem does, so both take their locks in one order.
        Coupon.objects.select_for_update().filter(pk=coupon_id).first()
        deleted, _detail = CouponRedemption.objects.filter(order_id=order_id, coupon_id=coupon_id).delete()
        if deleted:
            Coupon.objects.filter(pk=coupon_id).update(times_used=Greatest(F("times_used") - deleted, 0))
            released += deleted
    return released


# --- flash-sale units (checkout) ----------------------------------------------------------------------


@transaction.atomic
def flash_sale_claim(*, flash_item_id: int, quantity: int) -> None:
    """Take ``quantity`` units at the flash price; all or nothing (``FlashSaleSoldOut``)."""
    if quantity < 1:
        raise ApplicationError(_("Claim at least one unit."), extra={"quantity": ["must be at least 1"]})
    claimed = FlashSaleItem.objects.filter(
        pk=flash_item_id, sold_count__lte=F("stock_cap") - quantity
    ).update(sold_count=F("sold_count") + quantity)
    if not claimed:
        if not FlashSaleItem.objects.filter(pk=flash_item_id).exists():
            raise ApplicationError(
                _("This flash sale item does not exist."), extra={"flash_item": ["not found"]}
            )
        raise FlashSaleSoldOut(
            _("The flash sale price has sold out for this item."), extra={"flash_item": ["sold out"]}
        )


@transaction.atomic
def flash_sale_release(*, flash_item_id: int, quantity: int) -> None:
    """Give back units of an unpaid or cancelled order (never below zero)."""
    if quantity < 1:
        return
    FlashSaleItem.objects.filter(pk=flash_item_id).update(sold_count=Greatest(F("sold_count") - quantity, 0))


# --- coupons (seller portal and admin) ----------------------------------------------------------------


def coupon_check(
    *,
    seller_id: int | None,
    code: str,
    kind: str,
    percent_off: int | None,
    amount_off: int | None,
    min_spend_amount: int,
    scope: str,
    category_ids: Collection[int],
    product_ids: Collection[int],
    usage_limit_total: int | None,
    usage_limit_per_user: int | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    coupon_id: int | None = None,
    times_used: int = 0,
) -> Errors:
    """The rules a coupon must meet, as {field: [message]} (empty when it meets them all)."""
    errors: Errors = {}
    code = code.strip()
    taken = Coupon.objects.filter(code__iexact=code)
    if coupon_id is not None:
        taken = taken.exclude(pk=coupon_id)
    if not code:
        errors["code"] = [_("Enter a code.")]
    elif len(code) > CODE_MAX_LENGTH or not CODE_RE.match(code):
        errors["code"] = [
            _("Use up to %(n)d letters, digits, hyphens or underscores.") % {"n": CODE_MAX_LENGTH}
        ]
    elif taken.exists():
        errors["code"] = [_("This code is already taken. Choose another one.")]
    if kind == Coupon.Kind.PERCENT:
        if percent_off is None or not 1 <= percent_off <= 100:
            errors["percent_off"] = [_("Enter a percentage from 1 to 100.")]
    elif kind == Coupon.Kind.FIXED:
        _money_check(errors, "amount_off", amount_off, minimum=1)
    else:
        errors["kind"] = [_("Choose percent off or a fixed amount off.")]
    _money_check(errors, "min_spend_amount", min_spend_amount)
    if scope == Coupon.Scope.CATEGORY:
        found = Category.objects.filter(pk__in=list(category_ids)).count()
        if not category_ids:
            errors["categories"] = [_("Choose at least one category.")]
        elif found != len(set(category_ids)):
            errors["categories"] = [_("Choose categories that exist.")]
    elif scope == Coupon.Scope.PRODUCTS:
        products = Product.objects.filter(pk__in=list(product_ids))
        if seller_id is not None:
            products = products.filter(seller_id=seller_id)
        if not product_ids:
            errors["products"] = [_("Choose at least one product.")]
        elif products.count() != len(set(product_ids)):
            errors["products"] = [_("Choose among your own products.")]
    elif scope != Coupon.Scope.SHOP:
        errors["scope"] = [_("Choose what the coupon applies to.")]
    if usage_limit_total is not None and not max(times_used, 1) <= usage_limit_total <= COUNT_MAX:
        errors["usage_limit_total"] = [
            _("Enter a number from %(low)d to %(high)d (it has been used %(used)d times).")
            % {"low": max(times_used, 1), "high": COUNT_MAX, "used": times_used}
        ]
    if usage_limit_per_user is not None and not 1 <= usage_limit_per_user <= COUNT_MAX:
        errors["usage_limit_per_user"] = [_("Enter a number from 1 to %(high)d.") % {"high": COUNT_MAX}]
    _window_check(errors, starts_at, ends_at)
    return errors


def _coupon_fields(
    coupon: Coupon,
    *,
    code: str,
    description: str,
    kind: str,
    percent_off: int | None,
    amount_off: int | None,
    min_spend_amount: int,
    scope: str,
    usage_limit_total: int | None,
    usage_limit_per_user: int | None,
    starts_at: datetime,
    ends_at: datetime | None,
) -> None:
    coupon.code = code.strip().upper()
    coupon.description = description.strip()[:200]
    coupon.kind = kind
    coupon.percent_off = percent_off if kind == Coupon.Kind.PERCENT else None
    coupon.amount_off = amount_off if kind == Coupon.Kind.FIXED else None
    coupon.min_spend_amount = min_spend_amount
    coupon.scope = scope
    coupon.usage_limit_total = usage_limit_total
    coupon.usage_limit_per_user = usage_limit_per_user
    coupon.starts_at = starts_at
    coupon.ends_at = ends_at


def _coupon_save(coupon: Coupon, *, update_fields: list[str] | None = None) -> None:
    _full_clean(coupon, exclude=["seller"])
    try:
        with transaction.atomic():
            coupon.save(update_fields=update_fields)
    except IntegrityError as exc:  # a concurrent coupon took the code after our check
        message = _("This code is already taken. Choose another one.")
        raise ApplicationError(message, extra={"code": [message]}) from exc


def _coupon_targets(
    coupon: Coupon, scope: str, category_ids: Collection[int], product_ids: Collection[int]
) -> None:
    coupon.categories.set(list(category_ids) if scope == Coupon.Scope.CATEGORY else [])
    coupon.products.set(list(product_ids) if scope == Coupon.Scope.PRODUCTS else [])


@transaction.atomic
def coupon_create(
    *,
    seller_id: int | None,
    code: str,
    kind: str,
    percent_off: int | None = None,
    amount_off: int | None = None,
    min_spend_amount: int = 0,
    scope: str = Coupon.Scope.SHOP,
    category_ids: Collection[int] = (),
    product_ids: Collection[int] = (),
    usage_limit_total: int | None = None,
    usage_limit_per_user: int | None = 1,
    starts_at: datetime,
    ends_at: datetime | None = None,
    description: str = "",
    currency: str | None = None,
) -> Coupon:
    """A new coupon of a shop (``seller_id``) or of the platform (``seller_id`` None, operators only)."""
    rules: _CouponRules = {
        "kind": kind,
        "percent_off": percent_off,
        "amount_off": amount_off,
        "min_spend_amount": min_spend_amount,
        "scope": scope,
        "usage_limit_total": usage_limit_total,
        "usage_limit_per_user": usage_limit_per_user,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    _raise_if(
        coupon_check(
            seller_id=seller_id, code=code, category_ids=category_ids, product_ids=product_ids, **rules
        )
    )
    coupon = Coupon(seller_id=seller_id, currency=currency or settings.DEFAULT_CURRENCY)
    _coupon_fields(coupon, code=code, description=description, **rules)
    _coupon_save(coupon)
    _coupon_targets(coupon, scope, category_ids, product_ids)
    return coupon


def _locked(queryset: Manager[_M], *, seller_id: int | None, pk: int, what: str) -> _M:
    rows = queryset.select_for_update().filter(pk=pk)
    rows = rows.filter(seller__isnull=True) if seller_id is None else rows.filter(seller_id=seller_id)
    obj = rows.first()
    if obj is None:
        raise PromotionNotFound(
            _("This %(what)s does not exist.") % {"what": what}, extra={"id": ["not found"]}
        )
    return obj


@transaction.atomic
def coupon_update(
    *,
    seller_id: int | None,
    coupon_id: int,
    code: str,
    kind: str,
    percent_off: int | None = None,
    amount_off: int | None = None,
    min_spend_amount: int = 0,
    scope: str = Coupon.Scope.SHOP,
    category_ids: Collection[int] = (),
    product_ids: Collection[int] = (),
    usage_limit_total: int | None = None,
    usage_limit_per_user: int | None = 1,
    starts_at: datetime,
    ends_at: datetime | None = None,
    description: str = "",
) -> Coupon:
    """Change a coupon of this seller (``PromotionNotFound`` for anyone else's). Its use count is kept;
    the total limit cannot go below it."""
    coupon = _locked(Coupon.objects, seller_id=seller_id, pk=coupon_id, what=_("coupon"))
    rules: _CouponRules = {
        "kind": kind,
        "percent_off": percent_off,
        "amount_off": amount_off,
        "min_spend_amount": min_spend_amount,
        "scope": scope,
        "usage_limit_total": usage_limit_total,
        "usage_limit_per_user": usage_limit_per_user,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    _raise_if(
        coupon_check(
            seller_id=seller_id,
            code=code,
            category_ids=category_ids,
            product_ids=product_ids,
            coupon_id=coupon.pk,
            times_used=coupon.times_used,
            **rules,
        )
    )
    _coupon_fields(coupon, code=code, description=description, **rules)
    _coupon_save(coupon, update_fields=["code", "description", *rules, "updated_at"])
    _coupon_targets(coupon, scope, category_ids, product_ids)
    return coupon


@transaction.atomic
def coupon_deactivate(*, seller_id: int | None, coupon_id: int) -> Coupon:
    """Stop a coupon from being accepted; orders that already used it keep their discount."""
    coupon = _locked(Coupon.objects, seller_id=seller_id, pk=coupon_id, what=_("coupon"))
    if coupon.is_active:
        coupon.is_active = False
        coupon.save(update_fields=["is_active", "updated_at"])
    return coupon


# --- flash sales (seller portal and admin) ------------------------------------------------------------


@dataclass(frozen=True)
class FlashSaleItemInput:
    sku: str
    sale_price_amount: int
    stock_cap: int


def _flash_items_resolve(
    *, seller_id: int | None, items: Sequence[FlashSaleItemInput]
) -> tuple[list[tuple[ProductVariant, FlashSaleItemInput]], dict[int, Errors]]:
    """Each row's SKU (the seller's own only) and the row errors as {row index: {field: [message]}}."""
    skus = [item.sku.strip() for item in items]
    variants = ProductVariant.objects.filter(sku__in=skus)
    if seller_id is not None:
        variants = variants.filter(product__seller_id=seller_id)
    by_sku = {v.sku: v for v in variants}
    resolved: list[tuple[ProductVariant, FlashSaleItemInput]] = []
    row_errors: dict[int, Errors] = {}
    seen: set[str] = set()
    for index, (sku, item) in enumerate(zip(skus, items, strict=True)):
        errors: Errors = {}
        variant = by_sku.get(sku)
        if variant is None:
            errors["sku"] = [_("You have no SKU with this code.")]
        elif sku in seen:
            errors["sku"] = [_("This SKU appears twice.")]
        _money_check(errors, "sale_price", item.sale_price_amount)
        if (
            variant is not None
            and "sale_price" not in errors
            and item.sale_price_amount >= variant.price_amount
        ):
            errors["sale_price"] = [_("The sale price must be lower than the SKU's current price.")]
        if not 1 <= item.stock_cap <= COUNT_MAX:
            errors["stock_cap"] = [_("Enter a number from 1 to %(high)d.") % {"high": COUNT_MAX}]
        seen.add(sku)
        if errors:
            row_errors[index] = errors
        elif variant is not None:
            resolved.append((variant, item))
    return resolved, row_errors


def _flash_sale_check(
    *,
    seller_id: int | None,
    name: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    items: Sequence[FlashSaleItemInput],
) -> list[tuple[ProductVariant, FlashSaleItemInput]]:
    errors: Errors = {}
    if not name.strip():
        errors["name"] = [_("Enter a name.")]
    elif len(name.strip()) > 120:
        errors["name"] = [_("Use at most 120 characters.")]
    if ends_at is None:
        errors["ends_at"] = [_("Enter when it ends.")]
    _window_check(errors, starts_at, ends_at)
    if not items:
        errors["items"] = [_("Add at least one SKU.")]
    elif len(items) > FLASH_ITEMS_MAX:
        errors["items"] = [_("Add at most %(n)d SKUs.") % {"n": FLASH_ITEMS_MAX}]
    resolved, row_errors = _flash_items_resolve(seller_id=seller_id, items=items)
    if errors or row_errors:
        first = next(iter(errors.values()))[0] if errors else _("Check the SKU rows.")
        raise ApplicationError(first, extra={**errors, **({"rows": row_errors} if row_errors else {})})
    return resolved


@transaction.atomic
def flash_sale_create(
    *,
    seller_id: int | None,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    items: Sequence[FlashSaleItemInput],
) -> FlashSale:
    """A flash sale on some of the seller's SKUs (any SKUs for a platform sale, ``seller_id`` None)."""
    resolved = _flash_sale_check(
        seller_id=seller_id, name=name, starts_at=starts_at, ends_at=ends_at, items=items
    )
    sale = FlashSale(seller_id=seller_id, name=name.strip(), starts_at=starts_at, ends_at=ends_at)
    _full_clean(sale, exclude=["seller"])
    sale.save()
    # With their history rows (who set which sale price), as for every later change of an item.
    bulk_create_with_history(
        [
            FlashSaleItem(
                flash_sale=sale,
                variant=variant,
                sale_price_amount=item.sale_price_amount,
                stock_cap=item.stock_cap,
            )
            for variant, item in resolved
        ],
        FlashSaleItem,
    )
    return sale


@transaction.atomic
def flash_sale_update(
    *,
    seller_id: int | None,
    flash_sale_id: int,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    items: Sequence[FlashSaleItemInput],
) -> FlashSale:
    """Change a flash sale and its SKU rows: new SKUs are added, missing ones removed (unless units were
    sold at the sale price), kept ones get the new price and cap (never below the units already sold)."""
    sale = _locked(FlashSale.objects, seller_id=seller_id, pk=flash_sale_id, what=_("flash sale"))
    resolved = _flash_sale_check(
        seller_id=seller_id, name=name, starts_at=starts_at, ends_at=ends_at, items=items
    )
    existing = {
        item.variant_id: item
        for item in FlashSaleItem.objects.select_for_update()
        .filter(flash_sale=sale)
        .select_related("variant")
        .order_by("pk")
    }
    row_errors: dict[int, Errors] = {}
    for index, (variant, item) in enumerate(resolved):
        current = existing.get(variant.pk)
        if current is not None and item.stock_cap < current.sold_count:
            row_errors[index] = {
                "stock_cap": [
                    _("%(n)d units were already sold at the sale price; the cap cannot be lower.")
                    % {"n": current.sold_count}
                ]
            }
    kept = {variant.pk for variant, _item in resolved}
    removed = [item for variant_id, item in existing.items() if variant_id not in kept]
    sold_removed = [item.variant.sku for item in removed if item.sold_count > 0]
    if row_errors or sold_removed:
        extra: dict[str, Any] = {"rows": row_errors} if row_errors else {}
        message = _("Check the SKU rows.")
        if sold_removed:
            message = _("Units of %(skus)s were sold at the sale price: keep them in the sale.") % {
                "skus": ", ".join(sold_removed)
            }
            extra["items"] = [message]
        raise ApplicationError(message, extra=extra)
    sale.name, sale.starts_at, sale.ends_at = name.strip(), starts_at, ends_at
    _full_clean(sale, exclude=["seller"])
    sale.save(update_fields=["name", "starts_at", "ends_at", "updated_at"])
    FlashSaleItem.objects.filter(pk__in=[item.pk for item in removed]).delete()
    for variant, item in resolved:
        current = existing.get(variant.pk)
        if current is None:
            FlashSaleItem.objects.create(
                flash_sale=sale,
                variant=variant,
                sale_price_amount=item.sale_price_amount,
                stock_cap=item.stock_cap,
            )
        elif (current.sale_price_amount, current.stock_cap) != (item.sale_price_amount, item.stock_cap):
            current.sale_price_amount, current.stock_cap = item.sale_price_amount, item.stock_cap
            current.save(update_fields=["sale_price_amount", "stock_cap"])
    return sale


@transaction.atomic
def flash_sale_deactivate(*, seller_id: int | None, flash_sale_id: int) -> FlashSale:
    sale = _locked(FlashSale.objects, seller_id=seller_id, pk=flash_sale_id, what=_("flash sale"))
    if sale.is_active:
        sale.is_active = False
        sale.save(update_fields=["is_active", "updated_at"])
    return sale


# --- spend tiers (seller portal and admin) ------------------------------------------------------------


def spend_tier_check(
    *,
    threshold_amount: int | None,
    discount_amount: int | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
) -> Errors:
    errors: Errors = {}
    _money_check(errors, "threshold_amount", threshold_amount, minimum=1)
    _money_check(errors, "discount_amount", discount_amount, minimum=1)
    if (
        not errors
        and threshold_amount is not None
        and discount_amount is not None
        and discount_amount > threshold_amount
    ):
        errors["discount_amount"] = [_("The saving cannot be more than the spend it needs.")]
    _window_check(errors, starts_at, ends_at)
    return errors


@transaction.atomic
def spend_tier_create(
    *,
    seller_id: int | None,
    threshold_amount: int,
    discount_amount: int,
    starts_at: datetime,
    ends_at: datetime | None = None,
    currency: str | None = None,
) -> SpendTier:
    """ "Spend X, save Y" on the seller's part of a cart (the whole cart when ``seller_id`` is None)."""
    _raise_if(
        spend_tier_check(
            threshold_amount=threshold_amount,
            discount_amount=discount_amount,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    )
    tier = SpendTier(
        seller_id=seller_id,
        threshold_amount=threshold_amount,
        discount_amount=discount_amount,
        starts_at=starts_at,
        ends_at=ends_at,
        currency=currency or settings.DEFAULT_CURRENCY,
    )
    _full_clean(tier, exclude=["seller"])
    tier.save()
    return tier


@transaction.atomic
def spend_tier_update(
    *,
    seller_id: int | None,
    spend_tier_id: int,
    threshold_amount: int,
    discount_amount: int,
    starts_at: datetime,
    ends_at: datetime | None = None,
) -> SpendTier:
    tier = _locked(SpendTier.objects, seller_id=seller_id, pk=spend_tier_id, what=_("spend tier"))
    _raise_if(
        spend_tier_check(
            threshold_amount=threshold_amount,
            discount_amount=discount_amount,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    )
    tier.threshold_amount, tier.discount_amount = threshold_amount, discount_amount
    tier.starts_at, tier.ends_at = starts_at, ends_at
    _full_clean(tier, exclude=["seller"])
    tier.save(update_fields=["threshold_amount", "discount_amount", "starts_at", "ends_at", "updated_at"])
    return tier


@transaction.atomic
def spend_tier_deactivate(*, seller_id: int | None, spend_tier_id: int) -> SpendTier:
    tier = _locked(SpendTier.objects, seller_id=seller_id, pk=spend_tier_id, what=_("spend tier"))
    if tier.is_active:
        tier.is_active = False
        tier.save(update_fields=["is_active", "updated_at"])
    return tier


__all__ = [
    "CouponUnavailable",
    "FlashSaleItemInput",
    "FlashSaleSoldOut",
    "PromotionNotFound",
    "coupon_check",
    "coupon_create",
    "coupon_deactivate",
    "coupon_redeem",
    "coupon_release",
    "coupon_update",
    "coupon_uses_by",
    "flash_sale_claim",
    "flash_sale_create",
    "flash_sale_deactivate",
    "flash_sale_release",
    "flash_sale_update",
    "spend_tier_check",
    "spend_tier_create",
    "spend_tier_deactivate",
    "spend_tier_update",
]
