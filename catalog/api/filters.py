"""Query-string filters of the public product list API. They parse and validate; the querysets they
narrow come from ``catalog.selectors`` so the API and the storefront pages list the same products."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from accounts.models import SellerProfile
from catalog import selectors
from catalog.models import Category, Product


class ProductFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("min_price", _("Must not be greater than max_price."))
        return cleaned


class MinorUnitsFilter(filters.NumberFilter):
    """A price in minor units: a whole number >= 0 (``1.5`` and ``-1`` are 400s, not silently ignored)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, **kwargs)


class ProductFilter(filters.FilterSet):
    category = filters.ModelChoiceFilter(
        queryset=Category.objects.filter(is_active=True),
        to_field_name="slug",
        method="filter_category",
        help_text=_("Category slug; products of its whole subtree are included."),
        error_messages={"invalid_choice": _("No active category with this slug.")},
    )
    seller = filters.ModelChoiceFilter(
        queryset=SellerProfile.objects.filter(status=SellerProfile.Status.APPROVED),
        to_field_name="slug",
        field_name="seller",
        help_text=_("Shop slug."),
        error_messages={"invalid_choice": _("No shop with this slug.")},
    )
    min_price = MinorUnitsFilter(
        field_name="price_amount", lookup_expr="gte", help_text=_("Lowest 'from' price, in minor units.")
    )
    max_price = MinorUnitsFilter(
        field_name="price_amount", lookup_expr="lte", help_text=_("Highest 'from' price, in minor units.")
    )
    condition = filters.ChoiceFilter(choices=Product.Condition.choices)
    brand = filters.CharFilter(
        field_name="brand", lookup_expr="iexact", help_text=_("Exact brand, any case.")
    )
    q = filters.CharFilter(
        method="filter_q",
        max_length=selectors.SEARCH_MAX_LENGTH,
        help_text=_("Words that must all appear in the title, brand, description or a tag."),
    )
    ordering = filters.ChoiceFilter(
        choices=selectors.ProductSort.choices,
        method="filter_ordering",
        help_text=_("Sort order; newest first by default."),
    )

    class Meta:
        model = Product
        fields: list[str] = []
        form = ProductFilterForm

    def filter_category(self, queryset, name, value: Category):
        return selectors.product_qs_in_category_subtree(queryset, category=value)

    def filter_q(self, queryset, name, value: str):
        return selectors.product_qs_search(queryset, query=value)

    def filter_ordering(self, queryset, name, value: str):
        return selectors.product_qs_order(queryset, sort=value)
