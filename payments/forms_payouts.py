"""Forms of the seller's payout pages and the operators' payout actions: shape only; the rules (what a
valid bank account or Stripe account is, which status changes are allowed) are in
``payments.services_payouts``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.exceptions import ApplicationError
from payments.payouts import MANUAL, STRIPE_CONNECT
from payments.selectors_payouts import bank_account_masked

STATEMENT_MAX_DAYS = 3660


class PayoutAccountForm(forms.Form):
    """The fields of the marketplace's payout method: bank details (manual) or a Stripe account."""

    account_holder = forms.CharField(label=_("Account holder"), max_length=120)
    bank_account = forms.CharField(
        label=_("Bank account (IBAN or account number)"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    stripe_account_id = forms.CharField(
        label=_("Stripe account id"),
        max_length=64,
        help_text=_("Starts with “acct_”; find it in your Stripe dashboard."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, provider: str, saved_bank_account: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.saved_bank_account = saved_bank_account
        if provider == STRIPE_CONNECT:
            del self.fields["account_holder"], self.fields["bank_account"]
        else:
            del self.fields["stripe_account_id"]
            if saved_bank_account:
                # The full number is never sent back to the browser; blank keeps the saved one.
                field = self.fields["bank_account"]
                field.required = False
                field.help_text = _("Saved: %(masked)s. Leave blank to keep it.") % {
                    "masked": bank_account_masked(saved_bank_account)
                }

    def service_data(self) -> dict[str, str]:
        data = dict(self.cleaned_data)
        if self.provider == MANUAL and not data.get("bank_account"):
            data["bank_account"] = self.saved_bank_account
        return data

    def add_service_error(self, error: ApplicationError) -> None:
        placed = False
        for name, messages in error.extra.items():
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)


class StatementForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to:
            if date_from > date_to:
                raise forms.ValidationError(_("The start date is after the end date."))
            if (date_to - date_from).days > STATEMENT_MAX_DAYS:
                raise forms.ValidationError(_("Choose at most ten years."))
        return cleaned


class PayoutReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Transfer reference"),
        max_length=100,
        required=False,
        help_text=_(
            "The bank's reference of the transfer, shown to the seller. Leave blank to keep a provider's "
            "reference (Stripe transfers)."
        ),
    )


class PayoutFailureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the seller. The money goes back to their available balance."),
    )
