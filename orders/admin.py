from django.contrib import admin

import orders.admin_promotions  # noqa: F401  (registers coupons, flash sales, spend tiers)
from orders.models import Order, OrderEvent, OrderLine, SellerOrder, Shipment, ShippingMethod


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
