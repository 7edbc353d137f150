"""The storefront's facet filters (price, brand, condition, seller rating, stock, sold out) as django-filter
FilterSets, shared by the category and search pages and the public product list API.

They parse and validate the query string into ``selectors.ProductFacetFilters``; what each facet means
(e.g. "in stock" = any variant with stock) is decided in ``catalog.selectors``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from catalog import selectors
from catalog.models import Product
from common.money import Money, currency_exponent

BRAND_MAX_LENGTH = Product._meta.get_field("brand").max_length
MAX_BRANDS = 20
ATTRIBUTE_MAX_LENGTH = 60
MINOR_UNITS_MAX = 10**15


class PriceRangeForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("min_price", _("Must not be greater than max_price."))
        return cleaned


class AnyValueMultipleField(forms.MultipleChoiceField):
    """Several free-text values (``?brand=a&brand=b``): any non-empty value up to a length is valid."""

    def __init__(self, *args, max_length: int, max_values: int, **kwargs):
        self.max_length = max_length
        self.max_values = max_values
        super().__init__(*args, **kwargs)

    def valid_value(self, value: str) -> bool:
        return 0 < len(value) <= self.max_length

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > self.max_values:
            raise forms.ValidationError(
                _("Choose at most %(count)d values."), code="max_values", params={"count": self.max_values}
            )


class AnyValueMultipleFilter(filters.MultipleChoiceFilter):
    field_class = AnyValueMultipleField


class BooleanChoiceFilter(filters.ChoiceFilter):
    """``true`` or ``false``: anything else is a field error, not silently ignored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", _("Yes")), ("false", _("No"))])
        super().__init__(*args, **kwargs)


class MajorUnitsPriceFilter(filters.NumberFilter):
    """A price as a shopper types it, e.g. ``12.50``; converted to minor units of the store currency."""

    field_class = forms.DecimalField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class MinorUnitsFilter(filters.NumberFilter):
    """A price in minor units: a whole number >= 0 (``1.5`` and ``-1`` are 400s, not silently ignored)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        # Far above any price, far below the 64-bit column: a bigger number is a 400, not a 500.
        kwargs.setdefault("max_value", MINOR_UNITS_MAX)
        super().__init__(*args, **kwargs)


class ProductFacetFilterBase(filters.FilterSet):
    """The facets themselves; subclasses add the price fields in the unit their clients use."""

    brand = AnyValueMultipleFilter(
        method="filter_nothing",
        max_length=BRAND_MAX_LENGTH,
        max_values=MAX_BRANDS,
        help_text=_("Brand, any case; repeat the parameter for several brands (any of them)."),
    )
    condition = filters.MultipleChoiceFilter(
        method="filter_nothing",
        choices=Product.Condition.choices,
        help_text=_("Condition; repeat the parameter for several (any of them)."),
    )
    min_rating = filters.ChoiceFilter(
        method="filter_nothing",
        choices=[(str(floor), str(floor)) for floor in selectors.SELLER_RATING_FLOORS],
        help_text=_("Only sellers rated at least this many stars."),
    )
    in_stock = BooleanChoiceFilter(
        method="filter_nothing", help_text=_("true: only products with a variant in stock.")
    )
    include_sold_out = BooleanChoiceFilter(
        method="filter_nothing",
        choices=[("true", _("Yes")), ("1", _("Yes")), ("false", _("No")), ("0", _("No"))],
        help_text=_("true: also list sold-out products (no variant in stock), which are left out otherwise."),
    )

    class Meta:
        model = Product
        fields: list[str] = []
        form = PriceRangeForm

    def __init__(self, *args, facet_attributes: Sequence[selectors.FacetAttribute] = (), **kwargs):
        """``facet_attributes``: the listing's attribute facets (``selectors.product_facet_attributes``);
        each becomes a parameter named by its code (``?colour=Red&colour=Blue``)."""
        super().__init__(*args, **kwargs)
        self.facet_attributes = list(facet_attributes)
        for attribute in self.facet_attributes:
            attribute_filter = AnyValueMultipleFilter(
                field_name=attribute.code,
                method="filter_attribute",
                label=attribute.label,
                max_length=ATTRIBUTE_MAX_LENGTH,
                max_values=MAX_BRANDS,
            )
            attribute_filter.parent = self
            self.filters[attribute.code] = attribute_filter

    def filter_nothing(self, queryset, name, value):
        """Facets are applied together in ``filter_queryset`` (they are built as one set of conditions)."""
        return queryset

    def filter_attribute(self, queryset, name, value: str):
        """Like ``filter_nothing``; the type hint tells the API schema each value is a string."""
        return queryset

    def price_to_minor(self, value) -> int | None:
        return value

    def facet_filters(self) -> selectors.ProductFacetFilters:
        """The validated facets; call after ``is_valid()`` (an invalid field counts as not set)."""
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        rating = data.get("min_rating")
        return selectors.ProductFacetFilters(
            min_price=self.price_to_minor(data.get("min_price")),
            max_price=self.price_to_minor(data.get("max_price")),
            brands=tuple(data.get("brand") or ()),
            conditions=tuple(data.get("condition") or ()),
            min_seller_rating=int(rating) if rating else None,
            in_stock=data.get("in_stock") == "true",
            include_sold_out=data.get("include_sold_out") in ("true", "1"),
            attributes=tuple(
                (
                    attribute.code,
                    attribute.scope,
                    tuple(
                        selectors.facet_value_parse(value, attribute.type) for value in data[attribute.code]
                    ),
                )
                for attribute in self.facet_attributes
                if data.get(attribute.code)
            ),
        )

    def filter_queryset(self, queryset: QuerySet[Product]) -> QuerySet[Product]:
        queryset = super().filter_queryset(queryset)
        return selectors.product_qs_filter_facets(queryset, filters=self.facet_filters())


class ProductFacetFilter(ProductFacetFilterBase):
    """The storefront pages' form: prices in major units as typed ("12.50")."""

    min_price = MajorUnitsPriceFilter(method="filter_nothing", label=_("Min price"))
    max_price = MajorUnitsPriceFilter(method="filter_nothing", label=_("Max price"))

    def price_to_minor(self, value: Decimal | None) -> int | None:
        if value is None:
            return None
        currency = settings.DEFAULT_CURRENCY
        try:
            return Money.from_decimal(value, currency).amount
        except ValueError:  # more decimals than the currency has (e.g. JPY): drop the fraction
            return int(value.scaleb(currency_exponent(currency)))

    @property
    def active(self) -> bool:
        """Whether any facet is set (for the "Clear" link)."""
        return any(self.form.cleaned_data.get(name) for name in self.filters) if self.is_bound else False
