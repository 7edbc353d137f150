"""Query-string filters of the public product list API. They parse and validate; the querysets they
narrow come from ``catalog.selectors`` so the API and the storefront pages list the same products.

The facets (brand, condition, seller rating, stock) are the storefront's ``catalog.filters``; only the
prices differ: integer minor units here, as typed on the pages there.
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from accounts.models import SellerProfile
from catalog import selectors
from catalog.filters import MinorUnitsFilter, ProductFacetFilterBase
from catalog.models import Category


class ProductFilter(ProductFacetFilterBase):
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
    min_price = MinorUnitsFilter(method="filter_nothing", help_text=_("Lowest 'from' price, in minor units."))
    max_price = MinorUnitsFilter(
        method="filter_nothing", help_text=_("Highest 'from' price, in minor units.")
    )
    q = filters.CharFilter(
        method="filter_q",
        max_length=selectors.SEARCH_MAX_LENGTH,
        help_text=_(
            "Words to search for in the title, brand, description, tags and category name; "
            "results are ordered by relevance unless `ordering` is given."
        ),
    )
    ordering = filters.ChoiceFilter(
        choices=selectors.ProductSort.choices,
        method="filter_ordering",
        help_text=_("Sort order; relevance for a search, newest first otherwise."),
    )

    class Meta(ProductFacetFilterBase.Meta):
        pass

    def __init__(self, data=None, *args, **kwargs):
        """The attribute facets are those of the ``category`` asked for (none without one): each is a
        parameter named by its code, e.g. ``?category=shirts&colour=Red``."""
        if "facet_attributes" not in kwargs:
            slug = data.get("category") if data is not None else None
            category = Category.objects.filter(slug=slug, is_active=True).first() if slug else None
            kwargs["facet_attributes"] = selectors.product_facet_attributes(category=category)
        super().__init__(data, *args, **kwargs)

    def filter_category(self, queryset, name, value: Category):
        return selectors.product_qs_in_category_subtree(queryset, category=value)

    def filter_q(self, queryset, name, value: str):
        queryset = selectors.product_qs_search(queryset, query=value)
        if not self.form.cleaned_data.get("ordering"):
            queryset = selectors.product_qs_order(queryset, sort=selectors.ProductSort.RELEVANCE)
        return queryset

    def filter_ordering(self, queryset, name, value: str):
        return selectors.product_qs_order(queryset, sort=value)
