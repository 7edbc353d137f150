"""Shape checks for the shopper's account pages; business rules live in ``accounts.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Address, SellerProfile
from common.exceptions import ApplicationError


def _model_field_kwargs(model: type[models.Model], name: str, **overrides: Any) -> dict[str, Any]:
    """Label, length, required-ness and help text from the model, so the form and the table agree."""
    field = model._meta.get_field(name)
    return {
        "label": capfirst(field.verbose_name),
        "max_length": field.max_length,
        "required": not field.blank,
        "help_text": field.help_text,
        **overrides,
    }


class ServiceErrorsFormMixin:
    """Show a service's refusal where the user will look: next to the field it concerns, or on top."""

    def add_service_error(self, exc: ApplicationError | ValidationError) -> None:
        if isinstance(exc, ApplicationError):
            self.add_error(None, exc.message)
            return
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class AddressForm(ServiceErrorsFormMixin, forms.Form):
    label = forms.CharField(**_model_field_kwargs(Address, "label"))
    full_name = forms.CharField(
        **_model_field_kwargs(Address, "full_name"), widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    line1 = forms.CharField(
        **_model_field_kwargs(Address, "line1"),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line2 = forms.CharField(
        **_model_field_kwargs(Address, "line2"),
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = forms.CharField(
        **_model_field_kwargs(Address, "city"),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    region = forms.CharField(
        **_model_field_kwargs(Address, "region"),
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    postal_code = forms.CharField(
        **_model_field_kwargs(Address, "postal_code"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    country = forms.CharField(
        **_model_field_kwargs(Address, "country", min_length=2),
        widget=forms.TextInput(attrs={"autocomplete": "country", "size": 3}),
    )
    phone = forms.CharField(
        **_model_field_kwargs(Address, "phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if not (len(country) == 2 and country.isascii() and country.isalpha()):
            raise ValidationError(_("Enter a two-letter country code, e.g. US, GB or CN."), code="invalid")
        return country


class AddressCreateForm(AddressForm):
    is_default = forms.BooleanField(label=_("Use as my default address"), required=False)


class SellerApplyForm(ServiceErrorsFormMixin, forms.Form):
    shop_name = forms.CharField(
        **_model_field_kwargs(
            SellerProfile, "shop_name", help_text=_("Shown to shoppers on your shop page and your products.")
        ),
    )
    description = forms.CharField(
        **_model_field_kwargs(SellerProfile, "description"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    kind = forms.ChoiceField(
        label=_("Seller type"),
        choices=SellerProfile.Kind.choices,
        initial=SellerProfile.Kind.INDIVIDUAL,
        widget=forms.RadioSelect,
        help_text=_("Sell as an individual (second-hand, hand-made) or as a registered business."),
    )


class SellerStatusReasonForm(forms.Form):
    """The operator's reason for a review decision (admin confirmation page)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=SellerProfile._meta.get_field("status_reason").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the seller. Required to suspend or reject."),
    )

    def __init__(self, *args, reason_required: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
