"""Placed orders: one ``Order`` per checkout, one ``SellerOrder`` per seller in it, lines as snapshots.

Line prices, titles and SKUs are copied at purchase time so later catalog edits never change an order.
The full state machine (transitions table, timeline) arrives with the checkout issue; the statuses are
declared here so historical demo orders already carry them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    placed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["buyer", "-placed_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="order_total_gte_0"),
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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "seller"], name="seller_order_unique_per_seller")
        ]
        indexes = [models.Index(fields=["seller", "status"])]

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

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_quantity_gt_0"),
            models.CheckConstraint(
                condition=models.Q(unit_price_amount__gte=0), name="order_line_price_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"
