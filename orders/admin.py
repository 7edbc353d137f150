from django.contrib import admin

from orders.models import Order, OrderLine, SellerOrder


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


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders change state only through the orders services (arriving with checkout); here they are read."""

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
    inlines = [SellerOrderInline]

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
    inlines = [OrderLineInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
