"""Operators' view of payments, refunds and provider events. Money and status are read-only (amounts in
major units with their currency): every change goes through the payment services (refund, re-read from
the provider, retry an event), so the ledger and the order timeline always follow. A refund is asked for
on a confirmation page that shows the amount and asks for the reason; only its confirmation refunds."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Q, QuerySet, Sum
from django.db.models.fields import BLANK_CHOICE_DASH
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Imported for what they register: commission and payout admin, the reconciliation report admin.
import payments.admin_payouts
import payments.admin_reconciliation  # noqa: F401
from common.exceptions import ApplicationError
from common.money import format_money
from payments.models import Payment, Refund, WebhookEvent
from payments.providers import ProviderRefused, ProviderUnavailable
from payments.services import order_refund_all, payment_refresh, refund_submit
from payments.webhooks import webhook_event_retry


def money_column(field: str, label: Any) -> Callable[[Any, Any], str]:
    """A read-only admin column showing the minor-unit amount ``field`` in major units with the row's
    currency ("$599.99")."""

    @admin.display(description=label, ordering=field)
    def show(modeladmin: Any, obj: Any) -> str:
        return format_money(getattr(obj, field), obj.currency)

    return show


class ReadOnlyAdmin(admin.ModelAdmin):
    # model field -> the ModelAdmin attribute that shows it as money
    money_fields: dict[str, str] = {}

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The page of one object only shows; the changelist's actions (which need "change") write.
        return obj is None and super().has_change_permission(request)

    def get_fields(self, request, obj=None):
        return [self.money_fields.get(field.name, field.name) for field in self.model._meta.fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    fields = ("created_at", "seller_order", "amount_shown", "shipping_shown", "reason", "status", "reference")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    amount_shown = money_column("amount", _("amount"))
    shipping_shown = money_column("shipping_amount", _("of which shipping"))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RefundConfirmForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=BLANK_CHOICE_DASH + list(Refund.Reason.choices))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the refund for the team (optional)."),
    )


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    """Payments are written by the payment services from the provider's answers."""

    list_display = (
        "order",
        "provider",
        "status",
        "amount_shown",
        "captured_shown",
        "refunded_shown",
        "reference",
        "created_at",
    )
    list_filter = ("provider", "status", "capture_method")
    search_fields = ("order__number", "reference", "charge_reference")
    list_select_related = ("order",)
    inlines = [RefundInline]
    actions = ["refund_everything", "refresh_from_provider"]
    money_fields = {
        "amount": "amount_shown",
        "captured_amount": "captured_shown",
        "refunded_amount": "refunded_shown",
        "fee_amount": "fee_shown",
    }

    amount_shown = money_column("amount", _("amount"))
    captured_shown = money_column("captured_amount", _("captured"))
    refunded_shown = money_column("refunded_amount", _("refunded"))
    fee_shown = money_column("fee_amount", _("provider fee"))

    @admin.action(
        description=_("Refund everything still refundable (each shop's part in full)…"),
        permissions=["change"],
    )
    def refund_everything(self, request: HttpRequest, queryset: QuerySet[Payment]) -> TemplateResponse | None:
        """First a confirmation page with what is still refundable and a reason to choose; only its POST
        ("apply") refunds, through ``order_refund_all`` (``refund_create`` per shop's part)."""
        payments = list(
            queryset.select_related("order")
            .annotate(
                pending=Coalesce(Sum("refunds__amount", filter=Q(refunds__status=Refund.Status.PENDING)), 0)
            )
            .order_by("pk")
        )
        if "apply" in request.POST:
            form = RefundConfirmForm(request.POST)
            if form.is_valid():
                for payment in payments:
                    self._refund_all(request, payment, **form.cleaned_data)
                return None
        else:
            form = RefundConfirmForm()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Refund payments"),
            "opts": self.model._meta,
            "queryset": payments,
            "rows": [
                {
                    "payment": payment,
                    "refundable": max(payment.captured_amount - payment.refunded_amount - payment.pending, 0),
                }
                for payment in payments
            ],
            "form": form,
            "action_name": "refund_everything",
            "action_label": gettext("Refund"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "ops/payments/payment_refund_confirm.html", context)

    def _refund_all(self, request: HttpRequest, payment: Payment, *, reason: str, note: str) -> None:
        try:
            refunds = order_refund_all(
                payment_id=payment.pk,
                requested_by_id=request.user.pk,
                note=note or gettext("Operator refund"),
                reason=reason,
            )
        except ApplicationError as exc:
            self.message_user(request, f"{payment.order}: {exc.message}", messages.ERROR)
            return
        for refund in refunds:
            level = messages.SUCCESS if refund.status == Refund.Status.SUCCEEDED else messages.WARNING
            self.message_user(
                request,
                gettext("%(order)s: refund of %(amount)s is %(status)s.")
                % {
                    "order": payment.order,
                    "amount": format_money(refund.amount, refund.currency),
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
        "amount_shown",
        "reason",
        "status",
        "reference",
        "created_at",
    )
    list_filter = ("status", "reason")
    search_fields = ("payment__order__number", "reference", "idempotency_key")
    list_select_related = ("payment__order", "seller_order")
    actions = ["submit_again"]
    money_fields = {
        "amount": "amount_shown",
        "shipping_amount": "shipping_shown",
        "seller_amount": "seller_shown",
        "commission_amount": "commission_shown",
        "promotions_amount": "promotions_shown",
    }

    amount_shown = money_column("amount", _("amount"))
    shipping_shown = money_column("shipping_amount", _("of which shipping"))
    seller_shown = money_column("seller_amount", _("taken back from the seller"))
    commission_shown = money_column("commission_amount", _("commission given back"))
    promotions_shown = money_column("promotions_amount", _("platform promotions unwound"))

    @admin.action(description=_("Ask the provider again for pending refunds"))
    def submit_again(self, request: HttpRequest, queryset: QuerySet[Refund]) -> None:
        for refund in queryset.filter(status=Refund.Status.PENDING):
            try:
                refund = refund_submit(refund_id=refund.pk)
            except (ProviderUnavailable, ProviderRefused) as exc:
                self.message_user(request, f"#{refund.pk}: {exc}", messages.ERROR)
                continue
            self.message_user(
                request,
                gettext("Refund #%(id)s of %(amount)s: %(status)s.")
                % {
                    "id": refund.pk,
                    "amount": format_money(refund.amount, refund.currency),
                    "status": refund.get_status_display(),
                },
                messages.INFO,
            )


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
