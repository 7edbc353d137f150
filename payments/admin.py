"""Operators' view of payments, refunds and provider events. Money and status are read-only: every change
goes through the payment services (refund, re-read from the provider, retry an event), so the ledger and
the order timeline always follow."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Imported for what they register: commission and payout admin, the reconciliation report admin.
import payments.admin_payouts
import payments.admin_reconciliation  # noqa: F401
from common.exceptions import ApplicationError
from payments.models import Payment, Refund, WebhookEvent
from payments.providers import ProviderRefused, ProviderUnavailable
from payments.services import order_refund_all, payment_refresh, refund_submit
from payments.webhooks import webhook_event_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    fields = ("created_at", "seller_order", "amount", "shipping_amount", "reason", "status", "reference")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    """Payments are written by the payment services from the provider's answers."""

    list_display = (
        "order",
        "provider",
        "status",
        "amount",
        "captured_amount",
        "refunded_amount",
        "currency",
        "reference",
        "created_at",
    )
    list_filter = ("provider", "status", "capture_method")
    search_fields = ("order__number", "reference", "charge_reference")
    list_select_related = ("order",)
    inlines = [RefundInline]
    actions = ["refund_everything", "refresh_from_provider"]

    @admin.action(description=_("Refund everything still refundable (each shop's part in full)"))
    def refund_everything(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        for payment in queryset:
            try:
                refunds = order_refund_all(
                    payment_id=payment.pk, requested_by_id=request.user.pk, note=gettext("Operator refund")
                )
            except ApplicationError as exc:
                self.message_user(request, f"{payment.order}: {exc.message}", messages.ERROR)
                continue
            for refund in refunds:
                level = messages.SUCCESS if refund.status == Refund.Status.SUCCEEDED else messages.WARNING
                self.message_user(
                    request,
                    gettext("%(order)s: refund of %(amount)s %(currency)s is %(status)s.")
                    % {
                        "order": payment.order,
                        "amount": refund.amount,
                        "currency": refund.currency,
                        "status": refund.get_status_display(),
                    },
                    level,
                )

    @admin.action(description=_("Read again from the payment provider"))
    def refresh_from_provider(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        for payment in queryset.filter(provider="stripe").exclude(reference=""):
            try:
                payment = payment_refresh(payment_id=payment.pk)
            except ApplicationError as exc:
                self.message_user(request, f"{payment.order}: {exc.message}", messages.ERROR)
                continue
            self.message_user(request, f"{payment.order}: {payment.get_status_display()}", messages.INFO)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = (
        "payment",
        "seller_order",
        "amount",
        "currency",
        "reason",
        "status",
        "reference",
        "created_at",
    )
    list_filter = ("status", "reason")
    search_fields = ("payment__order__number", "reference", "idempotency_key")
    list_select_related = ("payment__order", "seller_order")
    actions = ["submit_again"]

    @admin.action(description=_("Ask the provider again for pending refunds"))
    def submit_again(self, request: HttpRequest, queryset: QuerySet[Refund]) -> None:
        for refund in queryset.filter(status=Refund.Status.PENDING):
            try:
                refund = refund_submit(refund_id=refund.pk)
            except (ProviderUnavailable, ProviderRefused) as exc:
                self.message_user(request, f"{refund}: {exc}", messages.ERROR)
                continue
            self.message_user(request, str(refund), messages.INFO)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    """Every provider event as received. Failed ones show why; "retry" processes them again."""

    list_display = ("event_id", "type", "status", "attempts", "received_at", "processed_at", "error_summary")
    list_filter = ("status", "provider", "type")
    search_fields = ("event_id", "type")
    date_hierarchy = "received_at"
    actions = ["retry"]

    @admin.display(description=_("last error"))
    def error_summary(self, obj: WebhookEvent) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Process the failed events again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> None:
        count = 0
        for event in queryset.filter(status=WebhookEvent.Status.FAILED):
            webhook_event_retry(event_pk=event.pk)
            count += 1
        self.message_user(
            request, gettext("%(count)d event(s) queued again.") % {"count": count}, messages.SUCCESS
        )
