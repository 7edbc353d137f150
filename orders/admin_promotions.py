"""Operators' tool for promotions; ``orders.admin`` imports this module to register it.

Operators create platform-wide coupons, flash sales and spend tiers by leaving "seller" empty. The forms
run the same rule checks as ``orders.services_promotions``; use counters (``times_used``, ``sold_count``)
are read-only (only checkout moves them), and "stop" actions go through the services.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from orders import services_promotions
from orders.models import Coupon, FlashSale, FlashSaleItem, SpendTier


class CouponAdminForm(forms.ModelForm):
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
            "is_active",
        )

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        errors = services_promotions.coupon_check(
            seller_id=data["seller"].pk if data.get("seller") else None,
            code=data.get("code", ""),
            kind=data.get("kind", ""),
            percent_off=data.get("percent_off"),
            amount_off=data.get("amount_off"),
            min_spend_amount=data.get("min_spend_amount") or 0,
            scope=data.get("scope", ""),
            category_ids=[c.pk for c in data.get("categories") or []],
            product_ids=[p.pk for p in data.get("products") or []],
            usage_limit_total=data.get("usage_limit_total"),
            usage_limit_per_user=data.get("usage_limit_per_user"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            coupon_id=self.instance.pk,
            times_used=self.instance.times_used or 0,
        )
        for field, msgs in errors.items():
            target = field if field in self.fields else None
            for msg in msgs:
                self.add_error(target, msg)
        return data


def _stop(modeladmin, request, queryset, stop) -> None:
    stopped = 0
    for obj in queryset.filter(is_active=True).order_by("pk"):
        stop(obj)
        stopped += 1
    modeladmin.message_user(
        request,
        ngettext("Stopped %(n)d promotion.", "Stopped %(n)d promotions.", stopped) % {"n": stopped},
        messages.SUCCESS,
    )


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    form = CouponAdminForm
    list_display = (
        "code",
        "seller",
        "kind",
        "percent_off",
        "amount_off",
        "times_used",
        "usage_limit_total",
        "starts_at",
        "ends_at",
        "is_active",
    )
    list_filter = ("is_active", "kind", "scope")
    search_fields = ("code", "seller__shop_name")
    list_select_related = ("seller",)
    raw_id_fields = ("seller", "products")  # thousands of products: picked by id
    filter_horizontal = ("categories",)
    readonly_fields = ("times_used", "created_at", "updated_at")
    actions = ["stop"]

    @admin.action(description=_("Stop the selected coupons"))
    def stop(self, request, queryset):
        _stop(
            self,
            request,
            queryset,
            lambda c: services_promotions.coupon_deactivate(seller_id=c.seller_id, coupon_id=c.pk),
        )


class FlashSaleItemInline(admin.TabularInline):
    model = FlashSaleItem
    extra = 1
    fields = ("variant", "sale_price_amount", "stock_cap", "sold_count")
    readonly_fields = ("sold_count",)
    raw_id_fields = ("variant",)


class FlashSaleAdminForm(forms.ModelForm):
    class Meta:
        model = FlashSale
        fields = ("seller", "name", "starts_at", "ends_at", "is_active")

    def clean(self) -> dict:
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class FlashSaleItemInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seller = self.instance.seller_id if self.instance else None
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            variant = data.get("variant")
            price, cap = data.get("sale_price_amount"), data.get("stock_cap")
            if variant is not None and seller is not None and variant.product.seller_id != seller:
                form.add_error("variant", _("A shop's flash sale may only include that shop's SKUs."))
            if price is not None and not 0 <= price <= services_promotions.MONEY_MAX:
                form.add_error("sale_price_amount", _("Enter a price between 0 and 100000000 minor units."))
            if form.instance.pk and cap is not None and cap < form.instance.sold_count:
                form.add_error("stock_cap", _("The cap cannot be lower than the units already sold."))


FlashSaleItemInline.formset = FlashSaleItemInlineFormSet


@admin.register(FlashSale)
class FlashSaleAdmin(admin.ModelAdmin):
    form = FlashSaleAdminForm
    list_display = ("name", "seller", "starts_at", "ends_at", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "seller__shop_name")
    list_select_related = ("seller",)
    raw_id_fields = ("seller",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [FlashSaleItemInline]
    actions = ["stop"]

    @admin.action(description=_("Stop the selected flash sales"))
    def stop(self, request, queryset):
        _stop(
            self,
            request,
            queryset,
            lambda s: services_promotions.flash_sale_deactivate(seller_id=s.seller_id, flash_sale_id=s.pk),
        )


class SpendTierAdminForm(forms.ModelForm):
    class Meta:
        model = SpendTier
        fields = (
            "seller",
            "threshold_amount",
            "discount_amount",
            "currency",
            "starts_at",
            "ends_at",
            "is_active",
        )

    def clean(self) -> dict:
        data = super().clean()
        errors = services_promotions.spend_tier_check(
            threshold_amount=data.get("threshold_amount"),
            discount_amount=data.get("discount_amount"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
        )
        for field, msgs in errors.items():
            for msg in msgs:
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, msg)
        return data


@admin.register(SpendTier)
class SpendTierAdmin(admin.ModelAdmin):
    form = SpendTierAdminForm
    list_display = (
        "__str__",
        "seller",
        "threshold_amount",
        "discount_amount",
        "currency",
        "starts_at",
        "ends_at",
        "is_active",
    )
    list_filter = ("is_active",)
    search_fields = ("seller__shop_name",)
    list_select_related = ("seller",)
    raw_id_fields = ("seller",)
    readonly_fields = ("created_at", "updated_at")
    actions = ["stop"]

    @admin.action(description=_("Stop the selected spend tiers"))
    def stop(self, request, queryset):
        _stop(
            self,
            request,
            queryset,
            lambda t: services_promotions.spend_tier_deactivate(seller_id=t.seller_id, spend_tier_id=t.pk),
        )
