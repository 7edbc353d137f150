"""Operators' view of the catalog. Derived numbers (from-price, sales, ratings) and product status are
read-only here: they are maintained by catalog/orders/reviews services, and a status change must go
through the product transition service (with its audit row) once it exists."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from catalog.models import Category, Product, ProductVariant, Tag
from common.money import format_money


@admin.register(Category)
class CategoryAdmin(TreeAdmin):
    form = movenodeform_factory(Category)
    list_display = ("name", "slug", "is_active", "position")
    list_filter = ("is_active",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ProductVariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0
    fields = ("sku", "name", "price_amount", "compare_at_amount", "currency", "stock", "position")
    # Prices and stock change through catalog services (stock is reserved by checkout under a row lock).
    readonly_fields = ("price_amount", "compare_at_amount", "currency", "stock")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("title", "seller", "category", "status", "condition", "from_price", "published_at")
    list_filter = ("status", "condition", ("category", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("seller", "category")
    search_fields = ("title", "slug", "brand", "seller__shop_name")
    raw_id_fields = ("seller", "category")
    autocomplete_fields = ("tags",)
    date_hierarchy = "published_at"
    inlines = [ProductVariantInline]
    readonly_fields = (
        "status",
        "price_amount",
        "currency",
        "sales_count",
        "rating_avg",
        "rating_count",
        "published_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {"fields": ("title", "slug", "seller", "category", "brand", "condition", "tags", "description")},
        ),
        (
            _("Maintained by services"),
            {
                "fields": (
                    "status",
                    "price_amount",
                    "currency",
                    "published_at",
                    "sales_count",
                    "rating_avg",
                    "rating_count",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    @admin.display(description=_("from price"), ordering="price_amount")
    def from_price(self, obj: Product) -> str:
        return format_money(obj.price_amount, obj.currency)
