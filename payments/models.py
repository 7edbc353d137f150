"""Money in and out of the marketplace: payments per order (and their provider events), refunds, the
double-entry ledger, commission rules, seller payouts and daily reconciliation reports.

All amounts are integer minor units of a 3-letter currency. Ledger rows are append-only: a correction is
a new reversing entry, never an edit (``payments.ledger`` is the only writer).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel


class Payment(TimeStampedModel):
    """One attempt to collect an order's total through a provider (a Stripe PaymentIntent, or the test
    provider's page). The status is derived from provider facts by ``payments.services``."""

    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        REQUIRES_ACTION = "requires_action", _("Requires action")
        AUTHORISED = "authorised", _("Authorised")
        CAPTURED = "captured", _("Captured")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
        REFUNDED = "refunded", _("Refunded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    # The provider's id for this payment (a PaymentIntent id "pi_..."); unique per provider.
    reference = models.CharField(max_length=100, blank=True)
    # Stripe.js needs the PaymentIntent's client secret to run 3-D Secure; only the order's owner sees it.
    client_secret = models.CharField(max_length=200, blank=True)
    capture_method = models.CharField(max_length=10, default="automatic")
    captured_amount = models.BigIntegerField(default=0)
    refunded_amount = models.BigIntegerField(default=0)
    fee_amount = models.BigIntegerField(default=0)
    # The provider's charge id once there is one ("ch_..."), for refunds and reconciliation.
    charge_reference = models.CharField(max_length=100, blank=True)
    payment_method_summary = models.CharField(max_length=80, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    # Time of the newest provider fact applied (an event's "created"): an older event never rolls back.
    provider_updated_at = models.DateTimeField(null=True, blank=True)
    authorised_at = models.DateTimeField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_gte_0"),
            models.CheckConstraint(
                condition=models.Q(captured_amount__gte=0)
                & models.Q(captured_amount__lte=models.F("amount")),
                name="payment_captured_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0)
                & models.Q(refunded_amount__lte=models.F("captured_amount")),
                name="payment_refunded_within_captured",
            ),
            models.UniqueConstraint(
                fields=["provider", "reference"],
                condition=~models.Q(reference=""),
                name="payment_provider_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.provider} {self.status}"

    @property
    def refundable_amount(self) -> int:
        return self.captured_amount - self.refunded_amount


class Refund(TimeStampedModel):
    """Money given back on a captured payment: a whole order, a seller's part, chosen lines or shipping.
    ``lines`` records what it covers: ``[{"order_line": id, "quantity": n, "amount": minor}]``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Reason(models.TextChoices):
        CANCELLED = "cancelled", _("Order cancelled")
        RETURN = "return", _("Return accepted")
        LATE_PAYMENT = "late_payment", _("Paid after the order was cancelled")
        GOODWILL = "goodwill", _("Goodwill")
        OTHER = "other", _("Other")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    seller_order = models.ForeignKey(
        "orders.SellerOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.BigIntegerField()
    shipping_amount = models.BigIntegerField(default=0, help_text=_("Part of the amount that is shipping"))
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.OTHER)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reference = models.CharField(max_length=100, blank=True)
    # Who asked for it: "refund:<what>" keys make a repeated request return the first refund.
    idempotency_key = models.CharField(max_length=120, unique=True)
    lines = models.JSONField(default=list, blank=True)
    restock = models.BooleanField(default=False)
    # How the refund is borne, fixed when it is created: taken back from the seller, commission the
    # platform gives back, platform-funded promotion unwound. seller + commission - promotions = amount
    # for a seller's refund; all three are 0 for a payment never allocated to sellers.
    seller_amount = models.BigIntegerField(default=0)
    commission_amount = models.BigIntegerField(default=0)
    promotions_amount = models.BigIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    failure_message = models.CharField(max_length=300, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # Reports book a refund on the day it succeeded (analytics rollups read one day at a time).
        indexes = [models.Index(fields=["succeeded_at"], name="refund_succeeded_at")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_gt_0"),
            models.CheckConstraint(
                condition=models.Q(shipping_amount__gte=0)
                & models.Q(shipping_amount__lte=models.F("amount")),
                name="refund_shipping_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"refund {self.pk} {self.amount} {self.currency} {self.status}"


class WebhookEvent(models.Model):
    """Every provider event, stored once by its id before anything is done with it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed")

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100)
    # The provider's time for the event; orders facts about one object.
    provider_created_at = models.DateTimeField()
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_provider_id_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} {self.type}"


# --- Ledger -----------------------------------------------------------------------------------------


class LedgerAccount(models.Model):
    """One account per (kind, seller, currency). Balances are the sum of its journal lines; debits are
    positive, credits negative, so liabilities and revenue have negative balances."""

    class Kind(models.TextChoices):
        PROVIDER_CASH = "provider_cash", _("Platform cash at the payment provider")
        SHOPPER_CLEARING = "shopper_clearing", _("Shopper payments clearing")
        SELLER_PENDING = "seller_pending", _("Seller payable (pending)")
        SELLER_AVAILABLE = "seller_available", _("Seller payable (available)")
        COMMISSION_REVENUE = "commission_revenue", _("Platform commission revenue")
        PROMOTIONS = "promotions", _("Platform-funded promotions")
        REFUNDS = "refunds", _("Refunds")
        PROVIDER_FEES = "provider_fees", _("Payment provider fees")
        PAYOUTS_IN_TRANSIT = "payouts_in_transit", _("Payouts in transit")
        CHARGEBACKS = "chargebacks", _("Chargebacks")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    seller = models.ForeignKey(
        "accounts.SellerProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(max_length=3)

    class Meta:
        constraints = [
            # Two partial constraints rather than one with nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["kind", "seller", "currency"],
                condition=models.Q(seller__isnull=False),
                name="ledger_account_seller_unique",
            ),
            models.UniqueConstraint(
                fields=["kind", "currency"],
                condition=models.Q(seller__isnull=True),
                name="ledger_account_platform_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["seller_pending", "seller_available"], seller__isnull=False)
                | (
                    ~models.Q(kind__in=["seller_pending", "seller_available"]) & models.Q(seller__isnull=True)
                ),
                name="ledger_account_seller_only_for_seller_kinds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}{f':{self.seller_id}' if self.seller_id else ''} {self.currency}"


class JournalEntry(models.Model):
    """An immutable posting. ``key`` makes posting idempotent: the same business fact (``capture:pi_1``,
    ``refund:7``) is posted once however often it is reported."""

    class Kind(models.TextChoices):
        CAPTURE = "capture", _("Payment captured")
        FEE = "fee", _("Provider fee")
        REFUND = "refund", _("Refund")
        FUNDS_AVAILABLE = "funds_available", _("Seller funds available")
        PAYOUT = "payout", _("Payout created")
        PAYOUT_PAID = "payout_paid", _("Payout paid")
        PAYOUT_FAILED = "payout_failed", _("Payout failed")
        CHARGEBACK = "chargeback", _("Chargeback")
        REVERSAL = "reversal", _("Reversal")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=120, unique=True)
    memo = models.CharField(max_length=300, blank=True)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    # When the fact happened: now for live postings, the fact's own time for history posted after it
    # (``EntrySpec.occurred_at``, e.g. imported orders), so reports book it on the right day.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="lines")
    amount = models.BigIntegerField(help_text=_("Debit positive, credit negative (minor units)"))
    currency = models.CharField(max_length=3)
    # Which seller order the amount belongs to, so a seller's pending funds can be released per order.
    seller_order = models.ForeignKey(
        "orders.SellerOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["account", "seller_order"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="journal_line_amount_non_zero")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


# --- Commissions ------------------------------------------------------------------------------------

RATE_BP_VALIDATORS = [MaxValueValidator(10_000)]


class CategoryCommission(TimeStampedModel):
    """Commission in basis points (1/100 of a percent) for a category and, unless they set their own, its
    subcategories."""

    category = models.OneToOneField("catalog.Category", on_delete=models.CASCADE, related_name="+")
    rate_bp = models.PositiveIntegerField(_("rate (basis points)"), validators=RATE_BP_VALIDATORS)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_bp__lte=10_000), name="category_commission_rate_le_100pct"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id}: {self.rate_bp} bp"


class SellerCommission(TimeStampedModel):
    """A per-seller override that beats every category rate."""

    seller = models.OneToOneField("accounts.SellerProfile", on_delete=models.CASCADE, related_name="+")
    rate_bp = models.PositiveIntegerField(_("rate (basis points)"), validators=RATE_BP_VALIDATORS)
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_bp__lte=10_000), name="seller_commission_rate_le_100pct"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seller_id}: {self.rate_bp} bp"


class LineCommission(models.Model):
    """The commission taken on one order line at capture, with the rate and where it came from."""

    order_line = models.OneToOneField("orders.OrderLine", on_delete=models.PROTECT, related_name="+")
    seller_order = models.ForeignKey("orders.SellerOrder", on_delete=models.PROTECT, related_name="+")
    seller = models.ForeignKey("accounts.SellerProfile", on_delete=models.PROTECT, related_name="+")
    # What the seller charged for the line: after the seller's own discounts, before the platform's
    # (line total + platform_discount_amount). Commission is taken on it; the seller is credited
    # base_amount - amount, and the platform funds platform_discount_amount.
    base_amount = models.BigIntegerField()
    platform_discount_amount = models.BigIntegerField(default=0)
    rate_bp = models.PositiveIntegerField()
    rate_source = models.CharField(max_length=20)  # "seller", "category:<id>" or "default"
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) & models.Q(amount__lte=models.F("base_amount")),
                name="line_commission_within_base",
            )
        ]

    def __str__(self) -> str:
        return f"line {self.order_line_id}: {self.amount} {self.currency} at {self.rate_bp} bp"


# --- Payouts ----------------------------------------------------------------------------------------


class SellerPayoutAccount(TimeStampedModel):
    """Where a seller's money goes: the manual bank-transfer details, or a Stripe Connect account."""

    seller = models.OneToOneField("accounts.SellerProfile", on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=20, default="manual")
    account_holder = models.CharField(_("account holder"), max_length=120, blank=True)
    # Shown masked; the full number is what the operator needs for a manual transfer.
    bank_account = models.CharField(_("bank account (IBAN or number)"), max_length=64, blank=True)
    stripe_account_id = models.CharField(_("Stripe account"), max_length=64, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.seller_id} {self.provider}"


class Payout(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_TRANSIT = "in_transit", _("In transit")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")

    seller = models.ForeignKey("accounts.SellerProfile", on_delete=models.PROTECT, related_name="payouts")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    provider = models.CharField(max_length=20)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    # The payout run that made it: one payout per seller and currency per run.
    run_key = models.CharField(max_length=60)
    paid_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_gt_0"),
            models.UniqueConstraint(fields=["seller", "currency", "run_key"], name="payout_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"payout {self.pk} {self.seller_id} {self.amount} {self.currency} {self.status}"


# --- Reconciliation ---------------------------------------------------------------------------------


class ReconciliationReport(TimeStampedModel):
    class Status(models.TextChoices):
        MATCHED = "matched", _("Matched")
        MISMATCHED = "mismatched", _("Mismatched")
        ERROR = "error", _("Could not run")

    provider = models.CharField(max_length=20)
    day = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices)
    ours_captured = models.BigIntegerField(default=0)
    ours_refunded = models.BigIntegerField(default=0)
    provider_captured = models.BigIntegerField(default=0)
    provider_refunded = models.BigIntegerField(default=0)
    # [{"reference": "ch_..", "ours": 100, "provider": 90, "problem": "amount differs"}]
    mismatches = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "day"], name="reconciliation_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.day} {self.status}"
