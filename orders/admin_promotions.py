"""Operators' tool for promotions; ``orders.admin`` imports this module to register it.

Operators create platform-wide coupons, flash sales and spend tiers by leaving "seller" empty. The forms
check the shape of what was typed (amounts in major units, "12.50"); every save goes through
``orders.services_promotions`` (create / update), whose rule checks show as form errors. The owner and
currency of a promotion are fixed once it exists, use counters (``times_used``, ``sold_count``) are
read-only (only checkout moves them), "stop" goes through the services, and nothing is deleted (orders
point at promotions). Every change keeps a history row naming the operator.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.admin import ServiceHistoryAdmin, ServiceModelForm, major, money_field
from common.exceptions import ApplicationError
from common.money import Money, format_money
from orders.models import Coupon, FlashSale, FlashSaleItem, SpendTier
from orders.promotions import services as services_promotions

# Read-only once the promotion exists: moving it to another shop or currency is not an edit.
OWNER_FIELDS = ("seller", "currency")


def _currency_clean(form: ServiceModelForm) -> str:
    """The promotion's currency: the stored one, else the one typed (three letters)."""
    if form.instance.pk:
        return form.instance.currency
    currency = (form.cleaned_data.get("currency") or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        if "currency" in form.fields:
            form.add_error("currency", gettext("Enter a three-letter currency code, e.g. USD."))
        return settings.DEFAULT_CURRENCY
    return currency


def _owner_id(form: ServiceModelForm) -> int | None:
    if form.instance.pk:
        return form.instance.seller_id
    seller = form.cleaned_data.get("seller")
    return seller.pk if seller else None


class _PromotionAdmin(ServiceHistoryAdmin):
    list_filter: tuple[str, ...] = ("is_active",)
    list_select_related = ("seller",)
    raw_id_fields: tuple[str, ...] = ("seller",)
    actions = ["stop"]
    owner_fields: tuple[str, ...] = OWNER_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return (*(self.owner_fields if obj is not None else ()), *self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # stop it instead: placed orders keep pointing at it

    def _stop_one(self, obj) -> None:
        raise NotImplementedError

    def _stop_selected(self, request: HttpRequest, queryset) -> None:
        stopped = 0
        for obj in queryset.filter(is_active=True).order_by("pk"):
            try:
                self._stop_one(obj)
            except ApplicationError as exc:
                self.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
            else:
                stopped += 1
        self.message_user(
            request,
            ngettext("Stopped %(n)d promotion.", "Stopped %(n)d promotions.", stopped) % {"n": stopped},
            messages.SUCCESS,
        )


# --- coupons ------------------------------------------------------------------------------------------


class CouponAdminForm(ServiceModelForm):
    amount_off = money_field(
        _("amount off"), required=False, help_text=_("For fixed-amount coupons, e.g. 5.00")
    )
    min_spend_amount = money_field(
        _("minimum spend"),
        required=False,
        help_text=_("On the products it applies to, e.g. 50.00. Empty: none."),
    )

    class Meta:
        model = Coupon
        fields = (
            "seller",
            "code",
            "description",
            "kind",
            "percent_off",
            "amount_off",
            "currency",
            "min_spend_amount",
            "scope",
            "categories",
            "products",
            "usage_limit_total",
            "usage_limit_per_user",
            "starts_at",
            "ends_at",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            currency = self.instance.currency
            self.initial["amount_off"] = major(self.instance.amount_off, currency)
            self.initial["min_spend_amount"] = major(self.instance.min_spend_amount, currency)

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # ModelForm.clean returns cleaned_data
        currency = _currency_clean(self)
        self.amounts: dict[str, Any] = {
            "amount_off": self.minor("amount_off", currency),
            "min_spend_amount": self.minor("min_spend_amount", currency) or 0,
            "currency": currency,
        }
        return data

    def service_save(self) -> Coupon:
        data = self.cleaned_data
        kwargs = {
            "seller_id": _owner_id(self),
            "code": data["code"],
            "description": data.get("description") or "",
            "kind": data["kind"],
            "percent_off": data.get("percent_off"),
            "amount_off": self.amounts["amount_off"],
            "min_spend_amount": self.amounts["min_spend_amount"],
            "scope": data["scope"],
            "category_ids": [c.pk for c in data.get("categories") or []],
            "product_ids": [p.pk for p in data.get("products") or []],
            "usage_limit_total": data.get("usage_limit_total"),
            "usage_limit_per_user": data.get("usage_limit_per_user"),
            "starts_at": data["starts_at"],
            "ends_at": data.get("ends_at"),
        }
        if self.instance.pk:
            return services_promotions.coupon_update(coupon_id=self.instance.pk, **kwargs)
        return services_promotions.coupon_create(currency=self.amounts["currency"], **kwargs)


@admin.register(Coupon)
class CouponAdmin(_PromotionAdmin):
    form = CouponAdminForm
    list_display = (
        "code",
        "seller",
        "kind",
        "percent_off",
        "amount_off_display",
        "times_used",
        "usage_limit_total",
        "starts_at",
        "ends_at",
        "is_active",
    )
    list_filter = ("is_active", "kind", "scope")
    search_fields = ("code", "seller__shop_name")
    raw_id_fields = ("seller", "products")  # thousands of products: picked by id
    filter_horizontal = ("categories",)
    readonly_fields = ("is_active", "times_used", "created_at", "updated_at")

    @admin.display(description=_("amount off"), ordering="amount_off")
    def amount_off_display(self, obj: Coupon) -> str:
        return "" if obj.amount_off is None else format_money(obj.amount_off, obj.currency)

    def _stop_one(self, obj: Coupon) -> None:
        services_promotions.coupon_deactivate(seller_id=obj.seller_id, coupon_id=obj.pk)

    @admin.action(description=_("Stop the selected coupons"), permissions=["change"])
    def stop(self, request: HttpRequest, queryset) -> None:
        self._stop_selected(request, queryset)


# --- flash sales --------------------------------------------------------------------------------------


def _flash_items_text(sale: FlashSale) -> str:
    rows = sale.items.select_related("variant").order_by("pk")
    return "\n".join(
        f"{item.variant.sku}, {major(item.sale_price_amount, item.variant.currency)}, {item.stock_cap}"
        for item in rows
    )


class FlashSaleAdminForm(ServiceModelForm):
    items = forms.CharField(
        label=_("SKUs"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=_(
            "One SKU per line: SKU code, sale price in major units, units at this price — "
            "e.g. “DESK-1, 499.99, 20”. Units already sold at the sale price stay in the sale."
        ),
    )

    class Meta:
        model = FlashSale
        fields = ("seller", "name", "starts_at", "ends_at")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["items"] = _flash_items_text(self.instance)

    def clean_items(self) -> list[services_promotions.FlashSaleItemInput]:
        currency = settings.DEFAULT_CURRENCY  # listings are priced in the one marketplace currency
        items, errors = [], []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",")]
            try:
                if len(parts) != 3:
                    raise ValueError
                sku, price, cap = parts[0], Decimal(parts[1]), int(parts[2])
                amount = Money.from_decimal(price, currency).amount
            except (ValueError, InvalidOperation):
                errors.append(
                    gettext("Line %(n)d: write “SKU, sale price, units”, e.g. “DESK-1, 499.99, 20”.")
                    % {"n": number}
                )
                continue
            items.append(
                services_promotions.FlashSaleItemInput(sku=sku, sale_price_amount=amount, stock_cap=cap)
            )
        if errors:
            raise forms.ValidationError(errors)
        return items

    def service_error_add(self, exc: ApplicationError) -> None:
        # The service names bad rows by their index among the SKU lines: shown as "Line n: why".
        rows = exc.extra.get("rows") or {}
        for index, fields in sorted(rows.items()):
            for messages_ in fields.values():
                for message in messages_:
                    self.add_error("items", gettext("Line %(n)d: %(why)s") % {"n": index + 1, "why": message})
        rest = {key: value for key, value in exc.extra.items() if key != "rows"}
        if rest or not rows:
            super().service_error_add(ApplicationError(exc.message, extra=rest))

    def service_save(self) -> FlashSale:
        data = self.cleaned_data
        kwargs = {
            "seller_id": _owner_id(self),
            "name": data["name"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "items": data["items"],
        }
        if self.instance.pk:
            return services_promotions.flash_sale_update(flash_sale_id=self.instance.pk, **kwargs)
        return services_promotions.flash_sale_create(**kwargs)


@admin.register(FlashSale)
class FlashSaleAdmin(_PromotionAdmin):
    form = FlashSaleAdminForm
    owner_fields = ("seller",)
    list_display = ("name", "seller", "starts_at", "ends_at", "is_active")
    search_fields = ("name", "seller__shop_name")
    readonly_fields = ("is_active", "items_sold", "created_at", "updated_at")

    @admin.display(description=_("units sold at the sale price"))
    def items_sold(self, obj: FlashSale) -> str:
        if obj.pk is None:
            return ""
        rows = FlashSaleItem.objects.filter(flash_sale=obj).select_related("variant").order_by("pk")
        return format_html_join(
            "\n",
            "<div>{} — {} — {} / {}</div>",
            (
                (
                    item.variant.sku,
                    format_money(item.sale_price_amount, item.variant.currency),
                    item.sold_count,
                    item.stock_cap,
                )
                for item in rows
            ),
        )

    def _stop_one(self, obj: FlashSale) -> None:
        services_promotions.flash_sale_deactivate(seller_id=obj.seller_id, flash_sale_id=obj.pk)

    @admin.action(description=_("Stop the selected flash sales"), permissions=["change"])
    def stop(self, request: HttpRequest, queryset) -> None:
        self._stop_selected(request, queryset)


# --- spend tiers --------------------------------------------------------------------------------------


class SpendTierAdminForm(ServiceModelForm):
    threshold_amount = money_field(_("spend at least"), help_text=_("e.g. 50.00"))
    discount_amount = money_field(_("save"), help_text=_("e.g. 5.00"))

    class Meta:
        model = SpendTier
        fields = ("seller", "threshold_amount", "discount_amount", "currency", "starts_at", "ends_at")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            currency = self.instance.currency
            self.initial["threshold_amount"] = major(self.instance.threshold_amount, currency)
            self.initial["discount_amount"] = major(self.instance.discount_amount, currency)

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # ModelForm.clean returns cleaned_data
        currency = _currency_clean(self)
        self.amounts: dict[str, Any] = {
            "threshold_amount": self.minor("threshold_amount", currency),
            "discount_amount": self.minor("discount_amount", currency),
            "currency": currency,
        }
        return data

    def service_save(self) -> SpendTier:
        data = self.cleaned_data
        kwargs = {
            "seller_id": _owner_id(self),
            "threshold_amount": self.amounts["threshold_amount"],
            "discount_amount": self.amounts["discount_amount"],
            "starts_at": data["starts_at"],
            "ends_at": data.get("ends_at"),
        }
        if self.instance.pk:
            return services_promotions.spend_tier_update(spend_tier_id=self.instance.pk, **kwargs)
        return services_promotions.spend_tier_create(currency=self.amounts["currency"], **kwargs)


@admin.register(SpendTier)
class SpendTierAdmin(_PromotionAdmin):
    form = SpendTierAdminForm
    list_display = (
        "tier",
        "seller",
        "threshold_display",
        "discount_display",
        "starts_at",
        "ends_at",
        "is_active",
    )
    search_fields = ("seller__shop_name",)
    readonly_fields = ("is_active", "created_at", "updated_at")

    @admin.display(description=_("spend tier"))
    def tier(self, obj: SpendTier) -> str:
        return gettext("Spend %(threshold)s, save %(discount)s") % {
            "threshold": format_money(obj.threshold_amount, obj.currency),
            "discount": format_money(obj.discount_amount, obj.currency),
        }

    @admin.display(description=_("spend at least"), ordering="threshold_amount")
    def threshold_display(self, obj: SpendTier) -> str:
        return format_money(obj.threshold_amount, obj.currency)

    @admin.display(description=_("save"), ordering="discount_amount")
    def discount_display(self, obj: SpendTier) -> str:
        return format_money(obj.discount_amount, obj.currency)

    def _stop_one(self, obj: SpendTier) -> None:
        services_promotions.spend_tier_deactivate(seller_id=obj.seller_id, spend_tier_id=obj.pk)

    @admin.action(description=_("Stop the selected spend tiers"), permissions=["change"])
    def stop(self, request: HttpRequest, queryset) -> None:
        self._stop_selected(request, queryset)
