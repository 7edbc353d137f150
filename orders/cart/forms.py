"""The checkout form: address, e-mail for guests, shipping per seller, coupon. It checks shape; the
services check the rules."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import AddressForm
from orders.cart.services import MONEY_AMOUNT_MAX


class CheckoutForm(AddressForm):
    """The address fields of the address book's form, plus who to tell and which saved address to use."""

    email = forms.EmailField(
        label=_("E-mail for order updates"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    saved_address = forms.TypedChoiceField(
        label=_("Ship to a saved address"), coerce=int, required=False, empty_value=None
    )
    coupon_code = forms.CharField(label=_("Coupon code"), required=False, max_length=40)
    expected_total = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=0, max_value=MONEY_AMOUNT_MAX
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, addresses=(), groups=(), placing: bool = True, **kwargs):
        """``placing=False``: the shopper only updates the totals (a coupon, a shipping method), so the
        address and e-mail they have not filled in yet are not asked for."""
        super().__init__(*args, **kwargs)
        self.placing = placing
        del self.fields["label"]
        self.addresses = {a.pk: a for a in addresses}
        if self.addresses:
            cast(forms.ChoiceField, self.fields["saved_address"]).choices = [
                ("", _("A new address (below)"))
            ] + [(a.pk, str(a)) for a in addresses]
        else:
            del self.fields["saved_address"]
        self.shipping_fields = []
        for group in groups:
            if not group.shipping_methods:
                continue
            name = f"shipping_{group.seller.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("Shipping from %(shop)s") % {"shop": group.seller.shop_name},
                choices=[(m.pk, m.name) for m in group.shipping_methods],
                coerce=int,
                widget=forms.RadioSelect,
                initial=group.shipping_method_id,
                required=False,  # none chosen: the seller's first method, as the review shows
            )
            self.shipping_fields.append((group, name))

    def full_clean(self):
        # With a saved address chosen, or when only the totals are updated, the address is not needed.
        saved = self.is_bound and self.data.get("saved_address") and "saved_address" in self.fields
        if saved or not self.placing:
            for key in ("full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone"):
                self.fields[key].required = False
        if not self.placing:
            self.fields["email"].required = False
        super().full_clean()

    def clean_coupon_code(self) -> str:
        return self.cleaned_data["coupon_code"].strip().upper()

    def clean_country(self) -> str:
        if not self.cleaned_data.get("country") and (self.data.get("saved_address") or not self.placing):
            return ""
        return super().clean_country()

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for _group, name in self.shipping_fields):
            # The radio buttons are drawn by the template, so say it where the shopper will look.
            self.add_error(None, _("Choose one of the shipping methods offered."))
        address_id = cleaned.get("saved_address")
        if address_id is not None:
            address = self.addresses.get(address_id)
            if address is None:
                self.add_error("saved_address", _("Choose one of your addresses."))
            else:
                for key in (
                    "full_name",
                    "line1",
                    "line2",
                    "city",
                    "region",
                    "postal_code",
                    "country",
                    "phone",
                ):
                    cleaned[key] = getattr(address, key)
        return cleaned

    def shipping_choice(self) -> dict[int, int]:
        return {
            group.seller.pk: self.cleaned_data[name]
            for group, name in self.shipping_fields
            if self.cleaned_data.get(name)
        }

    def address(self) -> dict:
        keys = ("full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone")
        return {key: self.cleaned_data.get(key, "") for key in keys}
