"""Reads of promotions: what the pricing engine needs for one cart, and the seller portal's lists.

``pricing_inputs_for`` turns rows into ``orders.pricing`` rules in a fixed number of queries whatever the
cart's size; the portal lists are always scoped to one seller.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import Category, Product
from orders.models import Coupon, CouponRedemption, FlashSale, FlashSaleItem, SpendTier
from orders.pricing import CouponRule, TierRule


@dataclass
class PromotionInputs:
    flash: dict[int, tuple[int, int]] = field(
        default_factory=dict
    )  # variant id -> (sale price, flash item id)
    coupon: CouponRule | None = None
    coupon_error: str = ""  # translated, for the shopper; "" when the code is usable (or none was given)
    tiers: list[TierRule] = field(default_factory=list)


def _active_window(now: datetime) -> Q:
    return Q(is_active=True, starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def flash_prices_for(*, variant_ids: Collection[int], now: datetime) -> dict[int, tuple[int, int]]:
    """variant id -> (sale price, flash item id) of the cheapest running flash sale with units left."""
    if not variant_ids:
        return {}
    items = (
        FlashSaleItem.objects.filter(
            variant_id__in=list(variant_ids),
            flash_sale__is_active=True,
            flash_sale__starts_at__lte=now,
            flash_sale__ends_at__gt=now,
            sold_count__lt=F("stock_cap"),
        )
        .order_by("variant_id", "sale_price_amount", "pk")
        .values_list("variant_id", "sale_price_amount", "pk")
    )
    flash: dict[int, tuple[int, int]] = {}
    for variant_id, price, item_id in items:
        flash.setdefault(variant_id, (price, item_id))
    return flash


def coupon_rule(coupon: Coupon) -> CouponRule:
    """The pricing rule of a coupon whose ``categories`` and ``products`` are prefetched."""
    return CouponRule(
        id=coupon.pk,
        code=coupon.code,
        seller_id=coupon.seller_id,
        kind=coupon.kind,
        percent_off=coupon.percent_off,
        amount_off=coupon.amount_off,
        min_spend=coupon.min_spend_amount,
        scope=coupon.scope,
        category_ids=frozenset(c.pk for c in coupon.categories.all()),
        product_ids=frozenset(p.pk for p in coupon.products.all()),
    )


def coupon_uses_by(*, coupon_id: int, user_id: int | None, email: str) -> int:
    """How often this shopper used the coupon. Signed in: the account's uses, and uses as a guest with
    the account's own e-mail. As a guest: uses with this e-mail, and the uses of the account that has it
    — so checking out as a guest with an account's e-mail and then signed in is one shopper. E-mails
    compare trimmed and in any case."""
    uses = CouponRedemption.objects.filter(coupon_id=coupon_id)
    if user_id is not None:
        account_email = User.objects.filter(pk=user_id).values_list("email", flat=True).first() or ""
        who = Q(user_id=user_id)
        if account_email.strip():
            who |= Q(user__isnull=True, email__iexact=account_email.strip())
        return uses.filter(who).count()
    if not email.strip():
        return 0
    return uses.filter(Q(email__iexact=email.strip()) | Q(user__email__iexact=email.strip())).count()


def coupon_problem(*, coupon: Coupon, now: datetime, currency: str, user_id: int | None, email: str) -> str:
    """Why the coupon cannot be used now by this shopper (translated), or "" when it can."""
    if not coupon.is_active:
        return _("This coupon is no longer active.")
    if coupon.starts_at > now:
        return _("This coupon is not valid yet.")
    if coupon.ends_at is not None and coupon.ends_at <= now:
        return _("This coupon has expired.")
    if coupon.kind == Coupon.Kind.FIXED and coupon.currency != currency:
        return _("This coupon cannot be used in this currency.")
    if coupon.usage_limit_total is not None and coupon.times_used >= coupon.usage_limit_total:
        return _("This coupon has reached its usage limit.")
    if coupon.usage_limit_per_user is not None:
        used = coupon_uses_by(coupon_id=coupon.pk, user_id=user_id, email=email)
        if used >= coupon.usage_limit_per_user:
            return _("You have already used this coupon.")
    return ""


def pricing_inputs_for(
    *,
    variant_ids: Collection[int],
    seller_ids: Collection[int],
    coupon_code: str,
    now: datetime,
    email: str,
    user_id: int | None,
) -> PromotionInputs:
    """Flash prices, the coupon (or why it cannot be used) and the spend tiers for one cart.

    At most six queries: flash items, tiers, the coupon, its categories, its products, the shopper's uses.
    """
    currency = settings.DEFAULT_CURRENCY
    inputs = PromotionInputs(flash=flash_prices_for(variant_ids=variant_ids, now=now))
    inputs.tiers = [
        TierRule(id=pk, seller_id=seller_id, threshold=threshold, discount=discount)
        for pk, seller_id, threshold, discount in SpendTier.objects.filter(
            _active_window(now), Q(seller_id__in=list(seller_ids)) | Q(seller__isnull=True), currency=currency
        )
        .order_by("threshold_amount", "pk")
        .values_list("pk", "seller_id", "threshold_amount", "discount_amount")
    ]
    code = coupon_code.strip()
    if not code:
        return inputs
    coupon = (
        Coupon.objects.filter(code__iexact=code)
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.only("pk")),
            Prefetch("products", queryset=Product.objects.only("pk")),
        )
        .first()
    )
    if coupon is None:
        inputs.coupon_error = _("There is no coupon with this code.")
        return inputs
    inputs.coupon_error = coupon_problem(
        coupon=coupon, now=now, currency=currency, user_id=user_id, email=email
    )
    if not inputs.coupon_error:
        inputs.coupon = coupon_rule(coupon)
    return inputs


# --- seller portal ------------------------------------------------------------------------------------


def coupon_list_for_seller(*, seller_id: int) -> QuerySet[Coupon]:
    return Coupon.objects.filter(seller_id=seller_id).order_by("-created_at", "-pk")


def coupon_get_for_seller(*, seller_id: int, coupon_id: int) -> Coupon | None:
    return (
        Coupon.objects.filter(pk=coupon_id, seller_id=seller_id)
        .prefetch_related("categories", "products")
        .first()
    )


def flash_sale_list_for_seller(*, seller_id: int) -> QuerySet[FlashSale]:
    return (
        FlashSale.objects.filter(seller_id=seller_id)
        .annotate(item_count=Count("items"))
        .order_by("-starts_at", "-pk")
    )


def flash_sale_get_for_seller(*, seller_id: int, flash_sale_id: int) -> FlashSale | None:
    items = FlashSaleItem.objects.select_related("variant__product").order_by("pk")
    return (
        FlashSale.objects.filter(pk=flash_sale_id, seller_id=seller_id)
        .prefetch_related(Prefetch("items", queryset=items))
        .first()
    )


def spend_tier_list_for_seller(*, seller_id: int) -> QuerySet[SpendTier]:
    return SpendTier.objects.filter(seller_id=seller_id).order_by("-is_active", "threshold_amount", "pk")
