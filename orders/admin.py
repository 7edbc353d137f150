"""Operators' view of orders, and their tool for shipping methods.

Orders and their parts are read-only here: status, money, addresses and timestamps change only through
the orders services, which the actions call (cancel with a reason here; refunds from the payment admin),
so the status table, the timeline and the ledger are never bypassed. Money shows in major units with
its currency.

Shipping methods are created and changed through ``orders.services_shipping`` (amounts typed in major
units), stopped rather than deleted (placed orders point at them), and keep a history naming who
changed them.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

import orders.admin_promotions  # noqa: F401  (registers coupons, flash sales, spend tiers)
from common.admin import ServiceHistoryAdmin, ServiceModelForm, major, money_field
from common.exceptions import ApplicationError
from common.money import format_money
from orders.lifecycle.transitions import seller_order_transition
from orders.models import Order, OrderEvent, OrderLine, OrderStatus, SellerOrder, Shipment, ShippingMethod
from orders.shipping import services as services_shipping


def _money(amount: int | None, currency: str) -> str:
    return "" if amount is None else format_money(amount, currency)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SellerOrderInline(_ReadOnlyInline):
    model = SellerOrder
    fields = ("seller", "status", "subtotal", "shipping", "discount", "total")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("seller", "order")

    @admin.display(description=_("subtotal"))
    def subtotal(self, obj: SellerOrder) -> str:
        return _money(obj.subtotal_amount, obj.order.currency)

    @admin.display(description=_("shipping"))
    def shipping(self, obj: SellerOrder) -> str:
        return _money(obj.shipping_amount, obj.order.currency)

    @admin.display(description=_("discount"))
    def discount(self, obj: SellerOrder) -> str:
        return _money(obj.discount_amount, obj.order.currency)

    @admin.display(description=_("total"))
    def total(self, obj: SellerOrder) -> str:
        return _money(obj.total_amount, obj.order.currency)


class OrderLineInline(_ReadOnlyInline):
    model = OrderLine
    fields = ("title", "sku", "unit_price", "quantity", "discount", "tax", "total")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("seller_order__order")

    @admin.display(description=_("unit price"))
    def unit_price(self, obj: OrderLine) -> str:
        return _money(obj.unit_price_amount, obj.seller_order.order.currency)

    @admin.display(description=_("discount"))
    def discount(self, obj: OrderLine) -> str:
        return _money(obj.discount_amount, obj.seller_order.order.currency)

    @admin.display(description=_("tax"))
    def tax(self, obj: OrderLine) -> str:
        return _money(obj.tax_amount, obj.seller_order.order.currency)

    @admin.display(description=_("total"))
    def total(self, obj: OrderLine) -> str:
        return _money(obj.total_amount, obj.seller_order.order.currency)


class OrderEventInline(_ReadOnlyInline):
    """The timeline, as the shopper and sellers see it (append-only)."""

    model = OrderEvent
    fields = (
        "created_at",
        "seller_order",
        "kind",
        "from_status",
        "to_status",
        "actor_kind",
        "actor",
        "reason",
    )
    readonly_fields = fields


class ShipmentInline(_ReadOnlyInline):
    model = Shipment
    fields = ("carrier", "tracking_number", "status", "shipped_at", "delivered_at")
    readonly_fields = fields


class _ReadOnlyOrderAdmin(admin.ModelAdmin):
    """The change page only shows: an order changes through the services the actions call. (Change
    permission without an object is what the changelist's actions need.)"""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return flatten_fieldsets(self.get_fieldsets(request, obj))

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        """Never: see the class docstring."""


@admin.register(Order)
class OrderAdmin(_ReadOnlyOrderAdmin):
    """Orders change state only through the orders services; here they are read, with their timeline."""

    list_display = ("number", "email", "status", "total", "placed_at")
    list_filter = ("status", "currency")
    search_fields = ("number", "email")
    date_hierarchy = "placed_at"
    inlines = [SellerOrderInline, OrderEventInline]
    fieldsets = (
        (None, {"fields": ("number", "buyer", "email", "status", "language")}),
        (
            _("Money"),
            {"fields": ("subtotal", "shipping", "discount", "tax", "total", "coupon_code", "pricing")},
        ),
        (_("Shipping address"), {"fields": ("address",)}),
        (
            _("Dates"),
            {"fields": ("placed_at", "payment_due_at", "paid_at", "cancelled_at", "cancel_reason")},
        ),
    )

    @admin.display(description=_("subtotal"))
    def subtotal(self, obj: Order) -> str:
        return _money(obj.subtotal_amount, obj.currency)

    @admin.display(description=_("shipping"))
    def shipping(self, obj: Order) -> str:
        return _money(obj.shipping_amount, obj.currency)

    @admin.display(description=_("discount"))
    def discount(self, obj: Order) -> str:
        return _money(obj.discount_amount, obj.currency)

    @admin.display(description=_("tax included"))
    def tax(self, obj: Order) -> str:
        return _money(obj.tax_amount, obj.currency)

    @admin.display(description=_("total"), ordering="total_amount")
    def total(self, obj: Order) -> str:
        return _money(obj.total_amount, obj.currency)

    @admin.display(description=_("discounts applied"))
    def pricing(self, obj: Order) -> str:
        return format_html_join(
            "\n",
            "<div>{}: {}</div>",
            (
                (row.get("label", ""), _money(int(row.get("amount") or 0), obj.currency))
                for row in obj.pricing_explanation or []
                if isinstance(row, dict)
            ),
        )

    @admin.display(description=_("address"))
    def address(self, obj: Order) -> str:
        address = obj.shipping_address if isinstance(obj.shipping_address, dict) else {}
        keys = ("full_name", "line1", "line2", "postal_code", "city", "region", "country", "phone")
        return format_html_join("\n", "<div>{}</div>", ((address[key],) for key in keys if address.get(key)))


class OperatorCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the shopper and the seller on the order timeline and in their e-mails."),
    )


@admin.register(SellerOrder)
class SellerOrderAdmin(_ReadOnlyOrderAdmin):
    list_display = ("order", "seller", "status", "total")
    list_filter = ("status",)
    search_fields = ("order__number", "seller__shop_name")
    list_select_related = ("order", "seller")
    inlines = [OrderLineInline, ShipmentInline]
    actions = ["cancel_seller_orders"]
    fieldsets = (
        (None, {"fields": ("order", "seller", "status")}),
        (_("Money"), {"fields": ("subtotal", "shipping", "discount", "tax", "total")}),
        (_("Shipping"), {"fields": ("shipping_method", "shipping_method_name")}),
        (
            _("Dates"),
            {
                "fields": (
                    "status_changed_at",
                    "shipped_at",
                    "delivered_at",
                    "completed_at",
                    "cancelled_at",
                    "cancelled_by",
                    "cancel_reason",
                )
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[SellerOrder]:
        return super().get_queryset(request).select_related("order", "seller", "shipping_method__seller")

    @admin.display(description=_("subtotal"))
    def subtotal(self, obj: SellerOrder) -> str:
        return _money(obj.subtotal_amount, obj.order.currency)

    @admin.display(description=_("shipping"))
    def shipping(self, obj: SellerOrder) -> str:
        return _money(obj.shipping_amount, obj.order.currency)

    @admin.display(description=_("discount"))
    def discount(self, obj: SellerOrder) -> str:
        return _money(obj.discount_amount, obj.order.currency)

    @admin.display(description=_("tax included"))
    def tax(self, obj: SellerOrder) -> str:
        return _money(obj.tax_amount, obj.order.currency)

    @admin.display(description=_("total"), ordering="total_amount")
    def total(self, obj: SellerOrder) -> str:
        return _money(obj.total_amount, obj.order.currency)

    @admin.action(description=_("Cancel (with a reason)"), permissions=["change"])
    def cancel_seller_orders(self, request: HttpRequest, queryset: QuerySet[SellerOrder]):
        """Operators cancel through the state machine like anyone else: the table decides (nothing shipped
        yet), the timeline records who and why, stock goes back and both sides are told."""
        if "apply" in request.POST:
            form = OperatorCancelForm(request.POST)
            if form.is_valid():
                for part in queryset.select_related("order").order_by("pk"):
                    try:
                        seller_order_transition(
                            seller_order_id=part.pk,
                            to_status=OrderStatus.CANCELLED,
                            actor_kind=OrderEvent.Actor.OPERATOR,
                            actor_id=request.user.pk,
                            reason=form.cleaned_data["reason"],
                        )
                    except ApplicationError as exc:
                        self.message_user(
                            request,
                            gettext("Not changed — %(detail)s") % {"detail": f"{part}: {exc.message}"},
                            messages.ERROR,
                        )
                    else:
                        self.message_user(
                            request, gettext("Cancelled: %(part)s") % {"part": part}, messages.SUCCESS
                        )
                return None
        else:
            form = OperatorCancelForm()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Cancel seller orders"),
            "opts": self.model._meta,
            "queryset": queryset.select_related("order", "seller"),
            "form": form,
            "action_name": "cancel_seller_orders",
            "action_label": gettext("Cancel"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "ops/orders/seller_order_cancel_confirm.html", context)


# --- shipping methods ---------------------------------------------------------------------------------


class ShippingMethodAdminForm(ServiceModelForm):
    flat_amount = money_field(_("flat amount"), help_text=_("Charged once per order, e.g. 4.95"))
    per_kg_amount = money_field(
        _("amount per started kilogram"), help_text=_("Added for every started kilogram; 0 for none")
    )
    free_over_amount = money_field(
        _("free from"),
        required=False,
        help_text=_("Free when the shop's part of the cart reaches this, e.g. 50.00. Empty: never free."),
    )

    class Meta:
        model = ShippingMethod
        fields = (
            "seller",
            "name",
            "flat_amount",
            "per_kg_amount",
            "free_over_amount",
            "delivery_days_min",
            "delivery_days_max",
            "position",
            "is_active",
        )

    def _currency(self) -> str:
        return self.instance.currency if self.instance.pk else settings.DEFAULT_CURRENCY

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("flat_amount", "per_kg_amount", "free_over_amount"):
                self.initial[name] = major(getattr(self.instance, name), self.instance.currency)

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # ModelForm.clean returns cleaned_data
        currency = self._currency()
        self.amounts = {
            name: self.minor(name, currency) for name in ("flat_amount", "per_kg_amount", "free_over_amount")
        }
        return data

    def service_save(self) -> ShippingMethod:
        data = self.cleaned_data
        kwargs = {
            "name": data["name"],
            "flat_amount": self.amounts["flat_amount"],
            "per_kg_amount": self.amounts["per_kg_amount"],
            "free_over_amount": self.amounts["free_over_amount"],
            "delivery_days_min": data["delivery_days_min"],
            "delivery_days_max": data["delivery_days_max"],
            "position": data["position"],
            "is_active": data.get("is_active", False),
        }
        if self.instance.pk:
            return services_shipping.shipping_method_update(
                seller_id=self.instance.seller_id, shipping_method_id=self.instance.pk, **kwargs
            )
        return services_shipping.shipping_method_create(
            seller_id=data["seller"].pk, currency=self._currency(), **kwargs
        )


@admin.register(ShippingMethod)
class ShippingMethodAdmin(ServiceHistoryAdmin):
    form = ShippingMethodAdminForm
    list_display = ("name", "seller", "flat", "per_kg", "free_over", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "seller__shop_name")
    list_select_related = ("seller",)
    raw_id_fields = ("seller",)
    actions = ["stop"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # A method belongs to its shop: moving it to another is not an edit.
        return ("created_at", "updated_at") if obj is None else ("seller", "created_at", "updated_at")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # placed orders point at it: stop offering it instead

    @admin.display(description=_("flat amount"), ordering="flat_amount")
    def flat(self, obj: ShippingMethod) -> str:
        return _money(obj.flat_amount, obj.currency)

    @admin.display(description=_("per started kg"), ordering="per_kg_amount")
    def per_kg(self, obj: ShippingMethod) -> str:
        return _money(obj.per_kg_amount, obj.currency)

    @admin.display(description=_("free from"), ordering="free_over_amount")
    def free_over(self, obj: ShippingMethod) -> str:
        return _money(obj.free_over_amount, obj.currency)

    @admin.action(description=_("Stop offering the selected shipping methods"), permissions=["change"])
    def stop(self, request: HttpRequest, queryset: QuerySet[ShippingMethod]) -> None:
        stopped = 0
        for method in queryset.filter(is_active=True).order_by("pk"):
            try:
                services_shipping.shipping_method_deactivate(
                    seller_id=method.seller_id, shipping_method_id=method.pk
                )
            except ApplicationError as exc:
                self.message_user(request, f"{method}: {exc.message}", messages.ERROR)
            else:
                stopped += 1
        self.message_user(
            request,
            ngettext(
                "Stopped offering %(n)d shipping method.", "Stopped offering %(n)d shipping methods.", stopped
            )
            % {"n": stopped},
            messages.SUCCESS,
        )
