"""The dashboards' GET forms: the date range (a preset or custom dates) and each page's own parameters.
Shape only; what a valid range is (``analytics.selectors.date_range_resolve``) is the selectors' rule,
shared with the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.selectors import DateRange, Preset, RangeError, date_range_resolve, platform_today
from analytics.selectors_products import LEAD_DAYS_DEFAULT, SLOW_DAYS_DEFAULT

# The largest id a bigint column holds: a larger one cannot name a category.
ID_MAX = 2**63 - 1
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateRangeForm(forms.Form):
    """``preset`` picks a range ending today; ``start`` and ``end`` give a custom one (``preset`` may be
    left out then). Always bound to the query string: no parameters means the default preset."""

    preset = forms.ChoiceField(label=_("Range"), choices=Preset.CHOICES, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    date_range: DateRange

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        preset = cleaned.get("preset") or (Preset.CUSTOM if start or end else Preset.DEFAULT)
        try:
            self.date_range = date_range_resolve(preset=preset, start=start, end=end, today=platform_today())
        except RangeError as error:
            placed = False
            for name, messages in error.extra.items():
                if name in self.fields:
                    for message in messages:
                        self.add_error(name, message)
                    placed = True
            if not placed:
                self.add_error(None, error.message)
        cleaned["preset"] = preset
        return cleaned


class ProductsForm(DateRangeForm):
    slow_days = forms.IntegerField(
        label=_("No sale in (days)"), required=False, min_value=1, max_value=365, initial=SLOW_DAYS_DEFAULT
    )
    lead_days = forms.IntegerField(
        label=_("Lead time (days)"), required=False, min_value=1, max_value=90, initial=LEAD_DAYS_DEFAULT
    )
    category = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["slow_days"] = cleaned.get("slow_days") or SLOW_DAYS_DEFAULT
        cleaned["lead_days"] = cleaned.get("lead_days") or LEAD_DAYS_DEFAULT
        return cleaned
