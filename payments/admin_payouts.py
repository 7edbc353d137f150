"""Operators' tools for commissions and payouts: commission rates per category and per seller, the
sellers' payout accounts (read-only, with their history), and the payouts list with "mark paid (with
reference)", "mark failed" and "run payouts now".

Commission rates change only through ``payments.commissions`` (``category_commission_*``,
``seller_commission_*``), which keep a history row naming the operator. Payout money and status are
read-only here: every change goes through ``payments.services_payouts``, which checks the status table
and posts the ledger entry.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, ServiceHistoryAdmin, ServiceModelForm
from common.exceptions import ApplicationError
from common.money import format_money
from payments import commissions, selectors_payouts, services_payouts
from payments.forms_payouts import PayoutFailureForm
from payments.models import CategoryCommission, Payout, SellerCommission, SellerPayoutAccount
from payments.selectors_payouts import rate_percent_text

# --- commission rates ---------------------------------------------------------------------------------


class CategoryCommissionForm(ServiceModelForm):
    class Meta:
        model = CategoryCommission
        fields = ("category", "rate_bp")

    def service_save(self) -> CategoryCommission:
        rate_bp = self.cleaned_data["rate_bp"]
        if self.instance.pk:
            return commissions.category_commission_update(
                category_id=self.instance.category_id, rate_bp=rate_bp, actor_id=self.actor_id
            )
        return commissions.category_commission_create(
            category_id=self.cleaned_data["category"].pk, rate_bp=rate_bp, actor_id=self.actor_id
        )


class SellerCommissionForm(ServiceModelForm):
    class Meta:
        model = SellerCommission
        fields = ("seller", "rate_bp", "note")

    def service_save(self) -> SellerCommission:
        data = self.cleaned_data
        if self.instance.pk:
            return commissions.seller_commission_update(
                seller_id=self.instance.seller_id,
                rate_bp=data["rate_bp"],
                note=data.get("note", ""),
                actor_id=self.actor_id,
            )
        return commissions.seller_commission_create(
            seller_id=data["seller"].pk,
            rate_bp=data["rate_bp"],
            note=data.get("note", ""),
            actor_id=self.actor_id,
        )


class _CommissionAdmin(ServiceHistoryAdmin):
    """Rates change through ``payments.commissions``; the category or seller of a rate is fixed once set
    (remove the rate and add another instead)."""

    owner_field = ""

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ("updated_at",) if obj is None else (self.owner_field, "updated_at")

    @admin.display(description=_("rate (%)"))
    def rate_percent(self, obj) -> str:
        return f"{rate_percent_text(obj.rate_bp)} %"

    def _delete(self, request: HttpRequest, obj) -> None:
        raise NotImplementedError

    def delete_model(self, request: HttpRequest, obj) -> None:
        try:
            self._delete(request, obj)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset.order_by("pk"):
            self.delete_model(request, obj)


@admin.register(CategoryCommission)
class CategoryCommissionAdmin(_CommissionAdmin):
    """A category's rate applies to its subcategories unless they have their own; a seller's own rate
    beats every category rate. Changes apply to payments captured afterwards."""

    form = CategoryCommissionForm
    owner_field = "category"
    list_display = ("category", "rate_bp", "rate_percent", "updated_at")
    search_fields = ("category__name",)
    list_select_related = ("category",)
    raw_id_fields = ("category",)

    def _delete(self, request: HttpRequest, obj: CategoryCommission) -> None:
        commissions.category_commission_delete(category_id=obj.category_id, actor_id=request.user.pk)


@admin.register(SellerCommission)
class SellerCommissionAdmin(_CommissionAdmin):
    form = SellerCommissionForm
    owner_field = "seller"
    list_display = ("seller", "rate_bp", "rate_percent", "note", "updated_at")
    search_fields = ("seller__shop_name",)
    list_select_related = ("seller",)
    raw_id_fields = ("seller",)

    def _delete(self, request: HttpRequest, obj: SellerCommission) -> None:
        commissions.seller_commission_delete(seller_id=obj.seller_id, actor_id=request.user.pk)


# --- payout accounts ----------------------------------------------------------------------------------


@admin.register(SellerPayoutAccount)
class SellerPayoutAccountAdmin(HistoryAdmin):
    """Where each seller's payouts go, and who changed it when (sellers set it on their payout page,
    through ``services_payouts.seller_payout_account_update``). Read-only here."""

    list_display = ("seller", "provider", "account_holder", "bank_account", "stripe_account_id", "updated_at")
    list_filter = ("provider",)
    search_fields = ("seller__shop_name", "account_holder", "stripe_account_id")
    list_select_related = ("seller",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# --- payouts ------------------------------------------------------------------------------------------


class PayoutReferencesForm(forms.Form):
    """One reference per payout being marked paid."""

    def __init__(self, *args, payouts: list[Payout], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.payouts = payouts
        for payout in payouts:
            self.fields[f"reference_{payout.pk}"] = forms.CharField(
                label=gettext("Reference for payout #%(id)s") % {"id": payout.pk},
                max_length=100,
                required=not payout.reference,
                initial=payout.reference,
                help_text=gettext("%(shop)s, %(amount)s")
                % {"shop": payout.seller.shop_name, "amount": format_money(payout.amount, payout.currency)},
            )

    def references(self) -> dict[int, str]:
        return {payout.pk: self.cleaned_data[f"reference_{payout.pk}"] for payout in self.payouts}


def _pay_to(account) -> str:
    if account is None:
        return gettext("no payout details")
    if account.provider == "stripe_connect":
        return gettext("Stripe account %(id)s") % {"id": account.stripe_account_id}
    return gettext("bank transfer to %(holder)s, %(account)s") % {
        "holder": account.account_holder,
        "account": account.bank_account,
    }


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    change_list_template = "ops/payments/payout_change_list.html"
    list_display = (
        "id",
        "seller",
        "amount_display",
        "status",
        "provider",
        "reference",
        "created_at",
        "paid_at",
    )
    list_filter = ("status", "provider", "currency")
    search_fields = ("seller__shop_name", "reference", "run_key")
    list_select_related = ("seller",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "seller",
        "amount",
        "currency",
        "status",
        "provider",
        "pay_to",
        "reference",
        "failure_message",
        "run_key",
        "paid_at",
        "marked_by",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    actions = ["mark_paid", "mark_failed"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj: Payout) -> str:
        return format_money(obj.amount, obj.currency)

    @admin.display(description=_("pay to"))
    def pay_to(self, obj: Payout) -> str:
        accounts = selectors_payouts.payout_accounts_by_seller(seller_ids={obj.seller_id})
        return _pay_to(accounts.get(obj.seller_id))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payout | None = None) -> bool:
        return False

    # --- actions --------------------------------------------------------------------------------------

    def _confirm_page(self, request: HttpRequest, queryset, *, form, action: str, title: str, label: str):
        payouts = list(queryset)
        accounts = selectors_payouts.payout_accounts_by_seller(seller_ids={p.seller_id for p in payouts})
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": payouts,
            "rows": [
                {
                    "payout": payout,
                    "amount": format_money(payout.amount, payout.currency),
                    "pay_to": _pay_to(accounts.get(payout.seller_id)),
                }
                for payout in payouts
            ],
            "form": form,
            "action_name": action,
            "action_label": label,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "ops/payments/payout_action_confirm.html", context)

    def _refused(self, request: HttpRequest, payout: Payout, exc: ApplicationError) -> None:
        self.message_user(
            request,
            gettext("Payout #%(id)s not changed — %(detail)s") % {"id": payout.pk, "detail": exc.message},
            messages.ERROR,
        )

    @admin.action(description=_("Mark paid (with reference)…"), permissions=["change"])
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Payout]) -> HttpResponse | None:
        payouts = list(queryset.select_related("seller").order_by("pk"))
        form = PayoutReferencesForm(request.POST if "apply" in request.POST else None, payouts=payouts)
        if "apply" in request.POST and form.is_valid():
            for payout in payouts:
                try:
                    services_payouts.payout_mark_paid(
                        payout_id=payout.pk, reference=form.references()[payout.pk], actor_id=request.user.pk
                    )
                except ApplicationError as exc:
                    self._refused(request, payout, exc)
                else:
                    self.message_user(
                        request, gettext("Payout #%(id)s marked paid.") % {"id": payout.pk}, messages.SUCCESS
                    )
            return None
        return self._confirm_page(
            request,
            payouts,
            form=form,
            action="mark_paid",
            title=gettext("Mark payouts paid"),
            label=gettext("Mark paid"),
        )

    @admin.action(description=_("Mark failed (money back to the seller)…"), permissions=["change"])
    def mark_failed(self, request: HttpRequest, queryset: QuerySet[Payout]) -> HttpResponse | None:
        payouts = list(queryset.select_related("seller").order_by("pk"))
        form = PayoutFailureForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            for payout in payouts:
                try:
                    services_payouts.payout_mark_failed(
                        payout_id=payout.pk, reason=form.cleaned_data["reason"], actor_id=request.user.pk
                    )
                except ApplicationError as exc:
                    self._refused(request, payout, exc)
                else:
                    self.message_user(
                        request,
                        gettext("Payout #%(id)s marked failed.") % {"id": payout.pk},
                        messages.SUCCESS,
                    )
            return None
        return self._confirm_page(
            request,
            payouts,
            form=form,
            action="mark_failed",
            title=gettext("Mark payouts failed"),
            label=gettext("Mark failed"),
        )

    # --- run payouts now ------------------------------------------------------------------------------

    def get_urls(self):
        urls = [
            path("run/", self.admin_site.admin_view(self.run_view), name="payments_payout_run"),
        ]
        return urls + super().get_urls()

    def run_view(self, request: HttpRequest) -> HttpResponse:
        """GET: who would be paid; POST: run payouts now (the daily run, on demand)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        changelist = reverse("admin:payments_payout_changelist")
        if request.method == "POST":
            result = services_payouts.payouts_run(
                run_key=f"operator:{request.user.pk}:{timezone.now():%Y%m%dT%H%M%S.%f}",
                actor_id=request.user.pk,
            )
            self.message_user(
                request,
                gettext(
                    "Payout run done: %(created)d payouts created, %(missing)d sellers without payout details."
                )
                % {"created": len(result.created), "missing": len(result.without_account)},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(changelist)
        due = selectors_payouts.payouts_due_list(minimum=self._minimum())
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Run payouts now"),
            "opts": self.model._meta,
            "rows": [{"due": row, "amount": format_money(row.available, row.currency)} for row in due],
            "minimum": self._minimum(),
            "changelist_url": changelist,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "ops/payments/payouts_run_confirm.html", context)

    @staticmethod
    def _minimum() -> int:
        return settings.PAYOUT_MINIMUM_AMOUNT

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "run_url": reverse("admin:payments_payout_run")}
        return super().changelist_view(request, extra_context=extra_context)
