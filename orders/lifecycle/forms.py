"""Forms for placed orders: the shopper's cancellation and the guest order look-up, the seller portal's
order filter and cancellation with a reason. They check the shape of what was typed; the services check
the rules and their refusals are put back on these forms (``service_error_add``, also used by the
shipping pages)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import ServiceErrorsFormMixin
from common.exceptions import ApplicationError
from orders.models import OrderStatus


def service_error_add(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service's refusal next to the field it names (``exc.extra`` keys), or on top of the form."""
    for key in exc.extra:
        if key in form.fields:
            form.add_error(key, exc.message)
            return
    form.add_error(None, exc.message)


class SellerOrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *OrderStatus.choices]
    )


class SellerOrderCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The shopper sees this reason."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the order is cancelled."), code="required")
        return reason


class GuestOrderLookupForm(ServiceErrorsFormMixin, forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=32)
    email = forms.EmailField(label=_("E-mail used for the order"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why are you cancelling? (optional)"), required=False, max_length=500)
