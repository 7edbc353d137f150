"""Seller-portal forms for shipping: a parcel (carrier, tracking number, units per line), a tracking update
and a shipping method. They check the shape of what was typed; ``orders.shipping.services`` checks the
rules and its refusals are put back on these forms."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.forms import PRICE_MAX, _major, _minor
from orders.models import OrderLine, Shipment, ShippingMethod
from orders.shipping.services import CARRIER_MAX_LENGTH, DELIVERY_DAYS_MAX, POSITION_MAX, TRACKING_STATUSES

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


def _money_field(
    label: _StrOrPromise, *, required: bool = True, help_text: _StrOrPromise = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=PRICE_MAX,
        max_digits=9,
        decimal_places=2,
        help_text=help_text,
    )


class ShippingMethodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("e.g. Standard, Express"))
    flat_amount = _money_field(_("Flat amount"), help_text=_("Charged once per order, e.g. 4.95"))
    per_kg_amount = _money_field(
        _("Amount per started kilogram"), help_text=_("Added for every started kilogram; 0 for none")
    )
    free_over_amount = _money_field(
        _("Free from"),
        required=False,
        help_text=_("Free when your part of the order reaches this amount; leave empty for never free"),
    )
    delivery_days_min = forms.IntegerField(
        label=_("Delivery days (from)"), min_value=0, max_value=DELIVERY_DAYS_MAX, initial=2
    )
    delivery_days_max = forms.IntegerField(
        label=_("Delivery days (to)"), min_value=0, max_value=DELIVERY_DAYS_MAX, initial=5
    )
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=POSITION_MAX,
        initial=0,
        help_text=_("Lower numbers are listed first at checkout; the first is preselected"),
    )
    is_active = forms.BooleanField(label=_("Offer at checkout"), required=False, initial=True)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        low, high = data.get("delivery_days_min"), data.get("delivery_days_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "delivery_days_max", _("The longest delivery time cannot be shorter than the shortest.")
            )
        return data

    def to_kwargs(self) -> dict:
        """The service's keyword arguments, amounts in minor units."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "flat_amount": _minor(data["flat_amount"]),
            "per_kg_amount": _minor(data["per_kg_amount"]),
            "free_over_amount": _minor(data.get("free_over_amount")),
            "delivery_days_min": data["delivery_days_min"],
            "delivery_days_max": data["delivery_days_max"],
            "position": data["position"],
            "is_active": data["is_active"],
        }

    @staticmethod
    def initial_for(method: ShippingMethod) -> dict:
        return {
            "name": method.name,
            "flat_amount": _major(method.flat_amount),
            "per_kg_amount": _major(method.per_kg_amount),
            "free_over_amount": _major(method.free_over_amount),
            "delivery_days_min": method.delivery_days_min,
            "delivery_days_max": method.delivery_days_max,
            "position": method.position,
            "is_active": method.is_active,
        }


class ShipmentCreateForm(forms.Form):
    """Carrier, tracking number and, per line still to ship, how many units go in this parcel (all that
    remain by default)."""

    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=CARRIER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"list": "carrier-suggestions", "autocomplete": "off"}),
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=80)

    QUANTITY_PREFIX = "quantity_"

    def __init__(self, *args, lines: Sequence[OrderLine] = (), **kwargs) -> None:
        """``lines``: the part's lines, each with ``remaining_quantity`` (see ``seller_order_get``)."""
        super().__init__(*args, **kwargs)
        self.line_fields: list[tuple[OrderLine, str]] = []
        for line in lines:
            remaining: int = line.remaining_quantity  # type: ignore[attr-defined]  # set by seller_order_get
            if remaining <= 0:
                continue
            name = f"{self.QUANTITY_PREFIX}{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Units of %(sku)s to ship") % {"sku": line.sku},
                min_value=0,
                max_value=remaining,
                initial=remaining,
            )
            self.line_fields.append((line, name))

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        if self.line_fields and not any(data.get(name) for _line, name in self.line_fields):
            raise forms.ValidationError(_("Choose at least one item to ship."), code="empty")
        return data

    def quantities(self) -> dict[int, int]:
        """{order line id: units} for the lines with at least one unit in this parcel."""
        return {
            line.pk: self.cleaned_data[name] for line, name in self.line_fields if self.cleaned_data.get(name)
        }


class TrackingUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tracking status"),
        choices=[(value, Shipment.Status(value).label) for value in TRACKING_STATUSES],
    )
    location = forms.CharField(label=_("Location"), max_length=120, required=False)
    description = forms.CharField(label=_("Note"), max_length=300, required=False)
