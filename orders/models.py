"""Placed orders: one ``Order`` per checkout, one ``SellerOrder`` per seller in it, lines as snapshots.

Line prices, titles and SKUs are copied at purchase time so later catalog edits never change an order.
Statuses move only through ``orders.transitions``; every move writes an ``OrderEvent`` (the timeline).
Carts, shipping methods, promotions, shipments and reviews live here too: they are what a checkout
reads and what a placed order leads to.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Pending payment")
    PAID = "paid", _("Paid")
    PROCESSING = "processing", _("Processing")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Order(TimeStampedModel):
    number = models.CharField(_("order number"), max_length=32, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    email = models.EmailField(_("e-mail"))
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT)
    currency = models.CharField(max_length=3)
    subtotal_amount = models.BigIntegerField(default=0)
    shipping_amount = models.BigIntegerField(default=0)
    discount_amount = models.BigIntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)
    tax_amount = models.BigIntegerField(default=0, help_text=_("Tax included in the total"))
    placed_at = models.DateTimeField(db_index=True)
    # Shipping address as it was at checkout (the address book may change later).
    shipping_address = models.JSONField(default=dict, blank=True)
    coupon_code = models.CharField(max_length=40, blank=True)
    # "<owner>:<key>" digest of the checkout's idempotency key; a retried checkout finds the same order.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # Unpaid orders give their reserved stock back after this moment (periodic task).
    payment_due_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)
    pricing_explanation = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        indexes = [
            models.Index(fields=["buyer", "-placed_at"]),
            models.Index(fields=["status", "payment_due_at"]),
            # A guest's earlier orders by e-mail in any letter case (analytics: new or returning customer).
            models.Index(Lower("email"), F("placed_at"), name="order_email_ci_placed"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="order_total_gte_0"),
            models.CheckConstraint(condition=models.Q(discount_amount__gte=0), name="order_discount_gte_0"),
        ]

    def __str__(self) -> str:
        return self.number


class SellerOrder(TimeStampedModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="seller_orders")
    seller = models.ForeignKey(
        "accounts.SellerProfile", on_delete=models.PROTECT, related_name="seller_orders"
    )
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT)
    subtotal_amount = models.BigIntegerField(default=0)
    shipping_amount = models.BigIntegerField(default=0)
    discount_amount = models.BigIntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)
    tax_amount = models.BigIntegerField(default=0)
    shipping_method_name = models.CharField(max_length=80, blank=True)
    shipping_method = models.ForeignKey(
        "orders.ShippingMethod", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)
    cancelled_by = models.CharField(
        max_length=10, blank=True, help_text=_("shopper, seller, operator, system")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "seller"], name="seller_order_unique_per_seller"),
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="seller_order_total_gte_0"),
        ]
        indexes = [
            models.Index(fields=["seller", "status"]),
            models.Index(fields=["seller", "-created_at"]),
            models.Index(fields=["status", "delivered_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} / {self.seller.shop_name}"


class OrderLine(models.Model):
    seller_order = models.ForeignKey(SellerOrder, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", null=True, blank=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    product_id_snapshot = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200)
    sku = models.CharField(max_length=64)
    unit_price_amount = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    discount_amount = models.BigIntegerField(default=0)
    tax_amount = models.BigIntegerField(default=0)
    total_amount = models.BigIntegerField()
    list_unit_price_amount = models.BigIntegerField(
        null=True, blank=True, help_text=_("The catalog price before a flash sale, if one applied")
    )
    flash_sale_item = models.ForeignKey(
        "orders.FlashSaleItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    variant_name = models.CharField(max_length=120, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    weight_grams = models.PositiveIntegerField(default=0)
    # reserved (stock taken at placement) -> committed (paid) or released (unpaid/cancelled)
    stock_state = models.CharField(max_length=10, default="committed")
    pricing_explanation = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_quantity_gt_0"),
            models.CheckConstraint(
                condition=models.Q(discount_amount__gte=0)
                & models.Q(discount_amount__lte=models.F("unit_price_amount") * models.F("quantity")),
                name="order_line_discount_within_price",
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price_amount__gte=0), name="order_line_price_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"


class OrderEvent(models.Model):
    """The timeline: one append-only row per status change (of the order or one seller's part), shipment
    update or note, with who did it and why. Shown to the shopper and to the seller concerned."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        SHIPMENT = "shipment", _("Shipment update")
        NOTE = "note", _("Note")

    class Actor(models.TextChoices):
        SHOPPER = "shopper", _("Shopper")
        SELLER = "seller", _("Seller")
        OPERATOR = "operator", _("Operator")
        SYSTEM = "system", _("System")
        CARRIER = "carrier", _("Carrier")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    seller_order = models.ForeignKey(
        SellerOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATUS)
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    actor_kind = models.CharField(max_length=10, choices=Actor.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Typed by a person: shown verbatim. Written by the system: an English rendering of ``reason_code``.
    reason = models.CharField(max_length=500, blank=True)
    # A system reason (``orders.reasons``), translated for whoever reads the timeline, with its parameters.
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} -> {self.to_status}"

    @property
    def reason_display(self) -> str:
        """The reason in the reader's (active) language; a reason someone typed, as typed."""
        from orders.lifecycle.reasons import reason_text

        return reason_text(code=self.reason_code, params=self.reason_params, fallback=self.reason)

    @property
    def shipment_status_display(self) -> str:
        """The label of a shipment event's tracking status."""
        status = (self.data or {}).get("status", "")
        return str(Shipment.Status(status).label) if status in Shipment.Status.values else status


class Cart(models.Model):
    """A shopper's cart: one per signed-in user, or one per anonymous session (its id kept in the
    session). Merged into the user's cart at sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="cart"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    # The unit price the shopper saw when adding: a later change is shown, never silently charged.
    seen_unit_price_amount = models.BigIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_line_unique_variant"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="cart_line_quantity_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.variant_id}"


class ShippingMethod(TimeStampedModel):
    """A seller's shipping rule: flat amount + amount per started kilogram, free when the seller's part of
    the cart reaches ``free_over_amount`` (if set)."""

    seller = models.ForeignKey(
        "accounts.SellerProfile", on_delete=models.CASCADE, related_name="shipping_methods"
    )
    name = models.CharField(_("name"), max_length=80)
    flat_amount = models.BigIntegerField(_("flat amount (minor units)"), default=0)
    per_kg_amount = models.BigIntegerField(_("amount per started kg (minor units)"), default=0)
    free_over_amount = models.BigIntegerField(
        _("free from (minor units)"), null=True, blank=True, help_text=_("Leave empty for never free")
    )
    currency = models.CharField(max_length=3, default="USD")
    delivery_days_min = models.PositiveSmallIntegerField(_("delivery days (from)"), default=2)
    delivery_days_max = models.PositiveSmallIntegerField(_("delivery days (to)"), default=5)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["seller", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(flat_amount__gte=0) & models.Q(per_kg_amount__gte=0),
                name="shipping_method_amounts_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(free_over_amount__isnull=True) | models.Q(free_over_amount__gte=0),
                name="shipping_method_free_over_gte_0",
            ),
        ]

    def __str__(self) -> str:
        # Which shop's method, and its price: every shop has a "Standard" and an "Express".
        from common.money import format_money

        price = format_money(self.flat_amount, self.currency)
        return f"{self.seller.shop_name} · {self.name} ({price})"


class Shipment(TimeStampedModel):
    class Status(models.TextChoices):
        SHIPPED = "shipped", _("Shipped")
        IN_TRANSIT = "in_transit", _("In transit")
        OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
        DELIVERED = "delivered", _("Delivered")
        EXCEPTION = "exception", _("Delivery problem")

    seller_order = models.ForeignKey(SellerOrder, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=60)
    tracking_number = models.CharField(_("tracking number"), max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SHIPPED)
    shipped_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shipped_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "tracking_number"], name="shipment_unique_tracking"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="shipment_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shipment", "order_line"], name="shipment_line_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="shipment_line_quantity_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.order_line_id}"


class ShipmentEvent(models.Model):
    """A tracking update, posted by the seller or by the carrier's webhook. ``external_id`` makes a
    carrier's redelivered event a no-op."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Shipment.Status.choices)
    location = models.CharField(max_length=120, blank=True)
    description = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=OrderEvent.Actor.choices)
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status}"


# --- promotions ---------------------------------------------------------------------------------------


class Coupon(TimeStampedModel):
    """A code the shopper types at checkout. ``seller`` empty means a platform coupon (any shop)."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percent off")
        FIXED = "fixed", _("Fixed amount off")

    class Scope(models.TextChoices):
        SHOP = "shop", _("Whole shop (or whole platform)")
        CATEGORY = "category", _("Categories")
        PRODUCTS = "products", _("Products")

    seller = models.ForeignKey(
        "accounts.SellerProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="coupons"
    )
    code = models.CharField(_("code"), max_length=40)
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PERCENT)
    percent_off = models.PositiveSmallIntegerField(
        _("percent off"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    amount_off = models.BigIntegerField(_("amount off (minor units)"), null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    min_spend_amount = models.BigIntegerField(_("minimum spend (minor units)"), default=0)
    scope = models.CharField(_("applies to"), max_length=10, choices=Scope.choices, default=Scope.SHOP)
    categories = models.ManyToManyField("catalog.Category", blank=True, related_name="+")
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+")
    usage_limit_total = models.PositiveIntegerField(_("total uses"), null=True, blank=True)
    usage_limit_per_user = models.PositiveIntegerField(
        _("uses per shopper"), null=True, blank=True, default=1
    )
    times_used = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField(_("valid from"))
    ends_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Upper("code"), name="coupon_code_ci_unique"),
            models.CheckConstraint(
                condition=(models.Q(kind="percent") & models.Q(percent_off__isnull=False))
                | (models.Q(kind="fixed") & models.Q(amount_off__gt=0)),
                name="coupon_value_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(min_spend_amount__gte=0), name="coupon_min_spend_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(usage_limit_total__isnull=True)
                | models.Q(times_used__lte=models.F("usage_limit_total")),
                name="coupon_usage_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CouponRedemption(models.Model):
    """One use of a coupon by one order; removed again if the order is never paid."""

    coupon = models.ForeignKey(Coupon, on_delete=models.CASCADE, related_name="redemptions")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="coupon_redemptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField()
    discount_amount = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coupon", "order"], name="coupon_redemption_once_per_order")
        ]
        indexes = [models.Index(fields=["coupon", "email"])]

    def __str__(self) -> str:
        return f"{self.coupon_id} on {self.order_id}"


class FlashSale(TimeStampedModel):
    """A time-boxed sale price on some SKUs, each with its own cap of units sold at that price."""

    seller = models.ForeignKey(
        "accounts.SellerProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="flash_sales"
    )
    name = models.CharField(_("name"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="flash_sale_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FlashSaleItem(models.Model):
    flash_sale = models.ForeignKey(FlashSale, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.CASCADE, related_name="flash_sale_items"
    )
    sale_price_amount = models.BigIntegerField(_("sale price (minor units)"))
    stock_cap = models.PositiveIntegerField(_("units at this price"))
    sold_count = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flash_sale", "variant"], name="flash_sale_item_unique_variant"),
            models.CheckConstraint(
                condition=models.Q(sale_price_amount__gte=0), name="flash_sale_price_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(sold_count__lte=models.F("stock_cap")), name="flash_sale_sold_within_cap"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flash_sale_id}: {self.variant_id}"


class SpendTier(TimeStampedModel):
    """Spend X, save Y: ``seller`` set means on that shop's part of the cart, empty means platform-wide."""

    seller = models.ForeignKey(
        "accounts.SellerProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="spend_tiers"
    )
    threshold_amount = models.BigIntegerField(_("spend at least (minor units)"))
    discount_amount = models.BigIntegerField(_("save (minor units)"))
    currency = models.CharField(max_length=3, default="USD")
    starts_at = models.DateTimeField(_("valid from"))
    ends_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["threshold_amount"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold_amount__gt=0)
                & models.Q(discount_amount__gt=0)
                & models.Q(discount_amount__lte=models.F("threshold_amount")),
                name="spend_tier_sane_amounts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.threshold_amount} -> {self.discount_amount}"


# --- reviews and reputation ---------------------------------------------------------------------------


class ProductReview(TimeStampedModel):
    """A verified-purchase review: one per order line, editable for 30 days, one seller reply."""

    order_line = models.OneToOneField(OrderLine, on_delete=models.CASCADE, related_name="review")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    seller = models.ForeignKey(
        "accounts.SellerProfile", on_delete=models.CASCADE, related_name="product_reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="product_reviews"
    )
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    title = models.CharField(_("title"), max_length=120, blank=True)
    body = models.TextField(_("review"), max_length=4000, blank=True)
    is_visible = models.BooleanField(default=True)
    seller_reply = models.TextField(_("seller reply"), max_length=2000, blank=True)
    seller_replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["product", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="product_review_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.rating}"


class SellerRating(TimeStampedModel):
    """The shopper's rating of one seller for one seller order (verified purchase, once per part)."""

    seller_order = models.OneToOneField(SellerOrder, on_delete=models.CASCADE, related_name="seller_rating")
    seller = models.ForeignKey("accounts.SellerProfile", on_delete=models.CASCADE, related_name="ratings")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_ratings"
    )
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="seller_rating_1_5")
        ]

    def __str__(self) -> str:
        return f"{self.seller_id}: {self.rating}"
