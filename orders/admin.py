from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import orders.admin_promotions  # noqa: F401  (registers coupons, flash sales, spend tiers)
from common.exceptions import ApplicationError
from orders.models import Order, OrderEvent, OrderLine, OrderStatus, SellerOrder, Shipment, ShippingMethod
from orders.transitions import seller_order_transition


class SellerOrderInline(admin.TabularInline):
    model = SellerOrder
    extra = 0
    fields = ("seller", "status", "subtotal_amount", "shipping_amount", "discount_amount", "total_amount")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = (
        "title",
        "sku",
        "unit_price_amount",
        "quantity",
        "discount_amount",
        "tax_amount",
        "total_amount",
    )
    readonly_fields = fields
    can_delete = False


class OrderEventInline(admin.TabularInline):
    """The timeline, as the shopper and sellers see it (append-only)."""

    model = OrderEvent
    extra = 0
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
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ShipmentInline(admin.TabularInline):
    model = Shipment
    extra = 0
    fields = ("carrier", "tracking_number", "status", "shipped_at", "delivered_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders change state only through the orders services; here they are read, with their timeline."""

    list_display = ("number", "email", "status", "total_amount", "currency", "placed_at")
    list_filter = ("status", "currency")
    search_fields = ("number", "email")
    date_hierarchy = "placed_at"
    raw_id_fields = ("buyer",)
    readonly_fields = (
        "number",
        "buyer",
        "email",
        "status",
        "currency",
        "subtotal_amount",
        "shipping_amount",
        "discount_amount",
        "total_amount",
        "placed_at",
    )
    inlines = [SellerOrderInline, OrderEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OperatorCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the shopper and the seller on the order timeline and in their e-mails."),
    )


@admin.register(SellerOrder)
class SellerOrderAdmin(admin.ModelAdmin):
    list_display = ("order", "seller", "status", "total_amount")
    list_filter = ("status",)
    search_fields = ("order__number", "seller__shop_name")
    list_select_related = ("order", "seller")
    readonly_fields = (
        "order",
        "seller",
        "status",
        "subtotal_amount",
        "shipping_amount",
        "discount_amount",
        "total_amount",
    )
    inlines = [OrderLineInline, ShipmentInline]
    actions = ["cancel_seller_orders"]

    @admin.action(description=_("Cancel (with a reason)"))
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

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "seller", "flat_amount", "per_kg_amount", "free_over_amount", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "seller__shop_name")
    list_select_related = ("seller",)
    raw_id_fields = ("seller",)
