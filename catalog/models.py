"""The catalog: a category tree, products with variants (SKUs), prices in minor units, stock and tags."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from common.models import TimeStampedModel

# How operators word catalog names in the languages other than the default (English): a JSON object per
# row, ``{"zh-hans": {"name": "手机", ...}}`` (language code as in ``settings.LANGUAGES``, then field). The
# plain columns stay the English, canonical text that slugs, filters, search and imports use, and what a
# language without its own wording shows.
TRANSLATIONS_HELP = _("Wording in the other languages, by language code and field.")


def translation_get(translations: object, field: str, default: str, *, language: str | None = None) -> str:
    """``field`` in ``language`` (the active one by default) from a ``translations`` object, or ``default``
    when that language has no non-blank wording of it."""
    language = language or get_language()
    if not language or not isinstance(translations, dict):
        return default
    wording = translations.get(language)
    value = wording.get(field) if isinstance(wording, dict) else None
    return value if isinstance(value, str) and value.strip() else default


class Category(MP_Node):
    """A node of the category tree (materialised path: subtree reads are one indexed prefix query)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=160, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Other languages' name, description, SEO title and SEO description (see ``translation_get``).
    translations = models.JSONField(_("translations"), default=dict, blank=True, help_text=TRANSLATIONS_HELP)

    node_order_by = ["position", "name"]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """The name in the active language (English when it has none)."""
        return translation_get(self.translations, "name", self.name)

    @property
    def localized_description(self) -> str:
        return translation_get(self.translations, "description", self.description)

    @property
    def localized_seo_title(self) -> str:
        """The SEO title in the active language; blank (so the page falls back to the localized name)
        where the language names the category but has no SEO title of its own."""
        return self._localized_seo("seo_title", "name")

    @property
    def localized_seo_description(self) -> str:
        return self._localized_seo("seo_description", "description")

    def _localized_seo(self, field: str, source: str) -> str:
        own = translation_get(self.translations, field, "")
        if own or translation_get(self.translations, source, ""):
            return own
        return getattr(self, field)


class CategoryAttribute(models.Model):
    """A typed attribute defined on a category and inherited by all its descendants (a closer
    definition with the same code wins). Values live in ``Product.attributes`` or
    ``ProductVariant.attributes`` (by ``scope``), keyed by ``code``."""

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        BOOLEAN = "boolean", _("Yes/no")
        CHOICE = "choice", _("Choice")

    class Scope(models.TextChoices):
        PRODUCT = "product", _("Product (one value per listing)")
        VARIANT = "variant", _("Variant (one value per SKU)")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attribute_definitions")
    code = models.SlugField(_("code"), max_length=40, help_text=_("Key of the value, e.g. colour"))
    name = models.CharField(_("name"), max_length=80)
    type = models.CharField(_("type"), max_length=8, choices=Type.choices, default=Type.TEXT)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.PRODUCT)
    choices = models.JSONField(_("choices"), default=list, blank=True, help_text=_("For choice attributes"))
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    is_required = models.BooleanField(_("required"), default=False)
    is_facet = models.BooleanField(_("filterable"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Other languages' name and choice labels: ``{"zh-hans": {"name": "颜色", "choices": {"Red": "红色"}}}``.
    # A choice's stored value (in listings' attributes, facet parameters and URLs) stays the canonical one
    # of ``choices``; only the label shown for it is translated.
    translations = models.JSONField(_("translations"), default=dict, blank=True, help_text=TRANSLATIONS_HELP)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category attribute")
        verbose_name_plural = _("category attributes")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="category_attribute_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"

    @property
    def localized_name(self) -> str:
        return translation_get(self.translations, "name", self.name)

    def choice_labels(self, *, language: str | None = None) -> dict[str, str]:
        """Shown label per canonical choice value in ``language`` (the active one by default): the
        translated label where there is one, else the value itself."""
        return choice_labels_get(self.translations, self.choices or [], language=language)


def choice_labels_get(translations: object, choices: list, *, language: str | None = None) -> dict[str, str]:
    """``CategoryAttribute.choice_labels`` for a row read with ``values()``."""
    language = language or get_language()
    wording = translations.get(language) if language and isinstance(translations, dict) else None
    labels = wording.get("choices") if isinstance(wording, dict) else None
    labels = labels if isinstance(labels, dict) else {}
    shown = {}
    for choice in choices:
        label = labels.get(str(choice))
        shown[str(choice)] = label if isinstance(label, str) and label.strip() else str(choice)
    return shown


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
    # Values of the category's PRODUCT-scope attributes, keyed by ``CategoryAttribute.code``.
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    # Whether any SKU has stock, kept by the stock services (``catalog.services``) in the transaction
    # that moves the stock, so listings can hide sold-out products without reading the SKUs. An ACTIVE
    # product without stock stays published: its page says "Sold out", listings leave it out by default.
    in_stock = models.BooleanField(_("in stock"), default=False, editable=False)
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
    # The weighted search document (title A; brand and tags B; category path C; description D), written
    # by ``catalog.search.product_search_vector_refresh`` whenever one of its sources changes.
    # PostgreSQL only; NULL elsewhere.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

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
            # Listing sorts over visible (active) products, each matching an ORDER BY of
            # ``catalog.selectors`` so the first page is an index scan, not a sort of the catalogue.
            # Those with NULLS LAST are PostgreSQL only (SQLite cannot index it; the migration skips them).
            models.Index(
                F("published_at").desc(nulls_last=True),
                F("id").desc(),
                name="catalog_prod_active_newest",
                condition=Q(status="active"),
            ),
            models.Index(
                fields=["price_amount", "id"], name="catalog_prod_active_price", condition=Q(status="active")
            ),
            models.Index(
                F("sales_count").desc(),
                F("rating_avg").desc(nulls_last=True),
                F("id").desc(),
                name="catalog_prod_active_best",
                condition=Q(status="active"),
            ),
            models.Index(
                F("rating_avg").desc(nulls_last=True),
                F("rating_count").desc(),
                F("id").desc(),
                name="catalog_prod_active_rating",
                condition=Q(status="active"),
            ),
            # PostgreSQL only (the migration skips them elsewhere).
            GinIndex(fields=["search_vector"], name="catalog_prod_search_vector"),
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


def product_image_path(instance: ProductImage, filename: str) -> str:
    """Uploads are re-encoded by the images service, so the stored name is ours, not the client's."""
    return f"products/{instance.product_id}/{filename}"


class ProductImage(TimeStampedModel):
    """An uploaded picture of a product, validated and re-encoded, with a generated thumbnail."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"), upload_to=product_image_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=product_image_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("alternative text"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name


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


class ListingModeration(Product):
    """The operators' moderation queue in the admin: the same rows as ``Product``, listed while they wait
    in PENDING_REVIEW (the admin filters them; no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("listing awaiting moderation")
        verbose_name_plural = _("listings awaiting moderation")
