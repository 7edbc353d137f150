"""The catalog: a category tree, products with variants (SKUs), prices in minor units, stock and tags."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from common.models import TimeStampedModel


class Category(MP_Node):
    """A node of the category tree (materialised path: subtree reads are one indexed prefix query)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=160, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["position", "name"]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    def __str__(self) -> str:
        return self.name


class Product(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_REVIEW = "pending_review", _("Pending review")
        ACTIVE = "active", _("Active")
        DELISTED = "delisted", _("Delisted")
        SOLD_OUT = "sold_out", _("Sold out")

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        USED = "used", _("Used")
        REFURBISHED = "refurbished", _("Refurbished")

    seller = models.ForeignKey("accounts.SellerProfile", on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    brand = models.CharField(_("brand"), max_length=80, blank=True, db_index=True)
    condition = models.CharField(
        _("condition"), max_length=12, choices=Condition.choices, default=Condition.NEW
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    tags = models.ManyToManyField(Tag, blank=True, related_name="products")
    # "From" price = cheapest variant, kept in step by catalog services so listings sort without a join.
    price_amount = models.BigIntegerField(_("from price (minor units)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Scheduled lifecycle: a periodic task publishes at publish_at and delists at delist_at.
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    delist_at = models.DateTimeField(_("delist at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Maintained by the orders/reviews services; read by listings ("best-selling", rating facet).
    sales_count = models.PositiveIntegerField(default=0)
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["status", "category", "-published_at"], name="catalog_prod_cat_listing"),
            models.Index(fields=["seller", "status"], name="catalog_prod_seller_status"),
            models.Index(
                fields=["publish_at"],
                name="catalog_prod_publish_at",
                condition=models.Q(publish_at__isnull=False),
            ),
            models.Index(
                fields=["delist_at"],
                name="catalog_prod_delist_at",
                condition=models.Q(delist_at__isnull=False),
            ),
            # PostgreSQL only (the migration skips them elsewhere). The expression must stay identical
            # to catalog.search.product_columns_vector() for full-text matches to use the index.
            GinIndex(
                SearchVector("title", weight="A", config="english")
                + SearchVector("brand", weight="B", config="english")
                + SearchVector("description", weight="D", config="english"),
                name="catalog_prod_search_gin",
            ),
            # Trigram index for typo-tolerant title matches (pg_trgm) and case-insensitive LIKE.
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="catalog_prod_title_trgm"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_amount__gte=0), name="product_price_gte_0")
        ]

    def __str__(self) -> str:
        return self.title


class ProductVariant(TimeStampedModel):
    """A sellable SKU: its own price, compare-at price, stock and attribute values."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("variant name"), max_length=120, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    price_amount = models.BigIntegerField(_("price (minor units)"))
    compare_at_amount = models.BigIntegerField(_("compare-at price (minor units)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    stock = models.PositiveIntegerField(_("stock"), default=0)
    low_stock_threshold = models.PositiveIntegerField(_("low-stock threshold"), default=3)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_amount__gte=0), name="variant_price_gte_0"),
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="variant_stock_gte_0"),
            models.CheckConstraint(
                condition=models.Q(compare_at_amount__isnull=True)
                | models.Q(compare_at_amount__gt=models.F("price_amount")),
                name="variant_compare_at_gt_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.title} ({self.name or self.sku})" if self.product_id else self.sku

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class ProductStatusEvent(models.Model):
    """One row per lifecycle transition of a product: who moved it, from what, to what, and why."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="status_events")
    from_status = models.CharField(max_length=16, choices=Product.Status.choices)
    to_status = models.CharField(max_length=16, choices=Product.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.from_status} -> {self.to_status}"


class StockMovement(models.Model):
    """Append-only stock history: every change of ``ProductVariant.stock`` writes one row here."""

    class Reason(models.TextChoices):
        INITIAL = "initial", _("Initial stock")
        RESTOCK = "restock", _("Restock")
        ADJUSTMENT = "adjustment", _("Manual adjustment")
        IMPORT = "import", _("Bulk import")
        RESERVATION = "reservation", _("Reserved by an order")
        RELEASE = "release", _("Reservation released")
        RETURN = "return", _("Returned")
        DAMAGE = "damage", _("Damaged / lost")

    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="stock_movements")
    delta = models.IntegerField()
    quantity_after = models.PositiveIntegerField()
    reason = models.CharField(max_length=12, choices=Reason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(max_length=64, blank=True, help_text=_("e.g. an order number or import id"))
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(delta=0), name="stock_movement_delta_not_0")
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} {self.delta:+d} ({self.reason})"
