"""Reads of the typed category attributes (``CategoryAttribute``): the effective attributes of a category,
from its own definitions and its ancestors' (see ``catalog.attributes`` for the rules on values)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import F, Subquery
from django.utils.translation import get_language

from catalog.attributes import AttributeSpec, attribute_specs_effective
from catalog.listing_cache import listing_version
from catalog.models import Category, CategoryAttribute, choice_labels_get, translation_get

ATTRIBUTE_SPECS_CACHE_SECONDS = 300


def category_attribute_specs(*, category_id: int) -> list[AttributeSpec]:
    """The effective attributes of a category, inherited ones first; a closer definition of a code wins.
    Names and choice labels are in the active language (English where it has none); codes and choice
    values are the canonical ones.

    One query: the definitions of every category whose materialised path is a prefix of this
    category's path (the category and its ancestors), nearest last. An unknown id has none."""
    own_path = Category.objects.filter(pk=category_id).values("path")[:1]
    rows = (
        CategoryAttribute.objects.annotate(own_path=Subquery(own_path))
        .filter(own_path__startswith=F("category__path"))
        .order_by("category__depth", "position", "id")
        .values_list(
            "code", "name", "type", "scope", "choices", "unit", "is_required", "is_facet", "translations"
        )
    )
    language = get_language()
    specs = []
    for code, name, type_, scope, choices, unit, is_required, is_facet, translations in rows:
        labels = choice_labels_get(translations, list(choices or ()), language=language)
        specs.append(
            AttributeSpec(
                code=code,
                name=translation_get(translations, "name", name, language=language),
                type=type_,
                scope=scope,
                choices=tuple(labels),
                unit=unit,
                is_required=is_required,
                is_facet=is_facet,
                choice_labels=tuple((value, label) for value, label in labels.items() if label != value),
            )
        )
    return attribute_specs_effective(specs)


def category_attribute_specs_cached(*, category_id: int) -> list[AttributeSpec]:
    """``category_attribute_specs`` for storefront reads, cached per category and language (the names
    and choice labels are the active language's). Services check values with the uncached selector."""
    # Keyed by the listing generation, which a category save in the admin (its attribute inline
    # included) renews, so a changed definition shows on the next page.
    key = f"catalog:attribute-specs:v2:{listing_version()}:{get_language()}:{category_id}"
    specs = cache.get(key)
    if specs is None:
        specs = category_attribute_specs(category_id=category_id)
        cache.set(key, specs, ATTRIBUTE_SPECS_CACHE_SECONDS)
    return specs
