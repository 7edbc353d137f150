"""Country names for the ISO 3166 codes addresses store (orders keep theirs as a JSON dict). Named
so as not to clash with django-countries' own `countries` tag library."""

from __future__ import annotations

from django import template
from django_countries import countries

register = template.Library()


@register.filter
def country_name(code: object) -> str:
    """``{{ address.country|country_name }}`` -> ``United States of America`` (``美国`` in Chinese), in the
    reader's language; a code the list does not know is shown as it is."""
    value = str(code or "")
    return str(countries.name(value)) or value
