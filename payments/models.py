"""Payments per order. The checkout issue needs only "start a payment" and "the money is confirmed"; the
payments issue grows this into PaymentIntents, webhooks, refunds and the ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class Payment(TimeStampedModel):
    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        REQUIRES_ACTION = "requires_action", _("Requires action")
        AUTHORISED = "authorised", _("Authorised")
        CAPTURED = "captured", _("Captured")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    reference = models.CharField(max_length=100, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_gte_0")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.provider} {self.status}"
