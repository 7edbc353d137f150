"""Shape checks for the shopper's account pages; business rules live in ``accounts.services``."""

from __future__ import annotations

from typing import Any

from babel.core import get_global
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _
from django_countries import countries

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


def _country_choices() -> list[tuple[str, str]]:
    # Called each time the select is drawn: the names are in the reader's language and sorted in it.
    return [("", str(_("Choose a country")))] + [(country.code, str(country.name)) for country in countries]


def usual_country() -> str:
    """The country most readers of the active language live in (``en`` -> US, ``zh-hans`` -> CN), to
    preselect; empty when the language says nothing about a country."""
    language = to_locale(get_language() or settings.LANGUAGE_CODE)  # "en", "en_GB", "zh_Hans"
    if (code := language.split("_")[-1]) in countries:
        return code
    likely_subtags = get_global("likely_subtags")  # "en" -> "en_Latn_US", "zh" -> "zh_Hans_CN"
    likely = likely_subtags.get(language) or likely_subtags.get(language.split("_")[0], "")
    code = likely.split("_")[-1] if "_" in likely else ""
    return code if code in countries else ""


class CountryChoiceField(forms.ChoiceField):
    """A <select> of the countries django-countries knows, by name; posts the ISO 3166 two-letter code
    (any case). Whether the code is a country one can ship to is the services' rule, from the same list."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_country_choices, **kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()


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
    country = CountryChoiceField(
        label=capfirst(Address._meta.get_field("country").verbose_name),
        help_text=_("Where the parcel goes."),
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    phone = forms.CharField(
        **_model_field_kwargs(Address, "phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "country" not in self.initial:
            self.fields["country"].initial = usual_country()

    def clean_country(self) -> str:
        # Subclasses (the checkout's form) decide when an empty country is fine, then ask this one.
        return self.cleaned_data["country"]


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
