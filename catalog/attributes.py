"""Typed category attributes: which attributes a category's listings have, how their values are checked
and how they are shown. Pure: no ORM. ``catalog.selectors_attributes`` feeds it the definitions
(``CategoryAttribute`` rows) and ``catalog.services_listing`` stores what it returns.

How a clean value is stored (``Product.attributes`` for product scope, ``ProductVariant.attributes`` for
variant scope, keyed by the attribute's code):

- text: the stripped string; choice: the canonical spelling from the definition's choices;
- boolean: JSON ``true``/``false``;
- number: a JSON number, an int when integral and a float otherwise, so PostgreSQL can order and
  range-filter it (jsonb compares numbers numerically) for facets. A number has at most
  ``NUMBER_MAX_DECIMAL_PLACES`` decimal places and lies strictly between -10^9 and 10^9: at most 13
  significant digits, which a float's shortest repr gives back exactly (``Decimal(str(stored))`` is what
  the seller typed, normalised).

An empty value (``None`` or a blank string) is not stored at all: the key is absent. ``False`` is a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# The values of ``CategoryAttribute.Type`` and ``CategoryAttribute.Scope`` (this module has no ORM).
TEXT = "text"
NUMBER = "number"
BOOLEAN = "boolean"
CHOICE = "choice"
PRODUCT = "product"
VARIANT = "variant"

TEXT_MAX_LENGTH = 100
NUMBER_MAX_DECIMAL_PLACES = 4
NUMBER_LIMIT = Decimal(10**9)
# Any "<" that opens a tag, a comment or a declaration; "a < b" stays allowed (as for titles).
_HTML_TAG = re.compile(r"<\s*[a-zA-Z/!?]")
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})
SUMMARY_SEPARATOR = " · "

AttributeValue = str | int | float | bool


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """One effective attribute of a category (immutable and picklable, so it caches well)."""

    code: str
    name: str
    type: str = TEXT
    scope: str = PRODUCT
    choices: tuple[str, ...] = ()
    unit: str = ""
    is_required: bool = False
    is_facet: bool = True
    # (canonical choice, label shown for it) where the label differs: the name and these labels are in
    # the language the spec was read in (``catalog.selectors_attributes``); stored values stay canonical.
    choice_labels: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """The name with the unit, as a form label or table header: "Screen size (in)"."""
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def choice_label(self, value: object) -> str:
        """How a stored choice value is shown: its translated label, else the value itself."""
        text = str(value)
        return next((label for choice, label in self.choice_labels if choice == text), text)


def attribute_specs_effective(chain: Iterable[AttributeSpec]) -> list[AttributeSpec]:
    """The attributes of a category from the definitions along its path, root first and the category
    itself last: a closer definition of a code replaces a farther one in the farther one's place."""
    effective: dict[str, AttributeSpec] = {}
    for spec in chain:
        effective[spec.code] = spec
    return list(effective.values())


def attribute_specs_scoped(specs: Iterable[AttributeSpec], scope: str) -> list[AttributeSpec]:
    return [spec for spec in specs if spec.scope == scope]


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_clean(value: object) -> tuple[int | float | None, str]:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None, _("Enter a number.")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        return None, _("Enter a number.")
    if not number.is_finite():
        return None, _("Enter a number.")
    if abs(number) >= NUMBER_LIMIT:
        return None, _("Enter a number between -999,999,999 and 999,999,999.")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > NUMBER_MAX_DECIMAL_PLACES:
        return None, _("Use at most %(n)d decimal places.") % {"n": NUMBER_MAX_DECIMAL_PLACES}
    if number == number.to_integral_value():
        return int(number), ""
    return float(number), ""


def _boolean_clean(value: object) -> tuple[bool | None, str]:
    if isinstance(value, bool):
        return value, ""
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE:
            return True, ""
        if word in _FALSE:
            return False, ""
    return None, _("Enter yes or no.")


def _choice_clean(spec: AttributeSpec, value: object) -> tuple[str | None, str]:
    if isinstance(value, str):
        wanted = value.strip().casefold()
        for choice in spec.choices:
            if choice.casefold() == wanted:
                return choice, ""
    return None, _("Choose one of: %(choices)s.") % {"choices": ", ".join(spec.choices)}


def _text_clean(value: object) -> tuple[str | None, str]:
    if not isinstance(value, str):
        return None, _("Enter text.")
    text = value.strip()
    if len(text) > TEXT_MAX_LENGTH:
        return None, _("Use at most %(n)d characters.") % {"n": TEXT_MAX_LENGTH}
    if _HTML_TAG.search(text):
        return None, _("HTML is not allowed.")
    return text, ""


def attribute_value_clean(spec: AttributeSpec, value: object) -> tuple[AttributeValue | None, str]:
    """One non-empty value coerced to its stored form, or ``None`` and why it was refused."""
    if spec.type == NUMBER:
        return _number_clean(value)
    if spec.type == BOOLEAN:
        return _boolean_clean(value)
    if spec.type == CHOICE:
        return _choice_clean(spec, value)
    return _text_clean(value)


def attribute_values_clean(
    specs: Sequence[AttributeSpec], raw: Mapping[str, object]
) -> tuple[dict[str, AttributeValue], dict[str, list[str]]]:
    """Check submitted values against ``specs`` (one scope's attributes). Returns the values to store
    (in the order of ``specs``, empty ones left out) and the errors per code: a code ``specs`` does not
    define, a value of the wrong type or out of range, a required attribute without a value."""
    by_code = {spec.code: spec for spec in specs}
    errors: dict[str, list[str]] = {}
    for code in raw:
        if code not in by_code:
            errors[str(code)] = [_("This attribute is not defined for the category.")]
    clean: dict[str, AttributeValue] = {}
    for spec in specs:
        value = raw.get(spec.code)
        if _is_empty(value):
            if spec.is_required:
                errors[spec.code] = [_("This attribute is required.")]
            continue
        cleaned, error = attribute_value_clean(spec, value)
        if cleaned is None:
            errors[spec.code] = [error]
        else:
            clean[spec.code] = cleaned
    return clean, errors


def attribute_values_known(specs: Iterable[AttributeSpec], values: Mapping[str, object]) -> dict[str, object]:
    """Only the values whose code ``specs`` defines (what survives a move to another category)."""
    codes = {spec.code for spec in specs}
    return {code: value for code, value in values.items() if code in codes}


def _number_display(value: object) -> str:
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def attribute_value_display(spec: AttributeSpec, value: object) -> str:
    """A stored value as a shopper reads it, with the unit: "6.1 in", "Yes", "Cotton"."""
    if spec.type == BOOLEAN:
        return _("Yes") if value else _("No")
    if spec.type == NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
        text = _number_display(value)
    elif spec.type == CHOICE:
        text = spec.choice_label(value)
    else:
        text = str(value)
    return f"{text} {spec.unit}" if spec.unit else text


def attribute_values_display(
    specs: Iterable[AttributeSpec], values: Mapping[str, object]
) -> list[tuple[AttributeSpec, str]]:
    """(attribute, shown value) for each attribute in ``specs`` that has a value, in ``specs`` order;
    stored values of codes the category no longer defines are not shown."""
    return [
        (spec, attribute_value_display(spec, values[spec.code]))
        for spec in specs
        if spec.code in values and not _is_empty(values[spec.code])
    ]


def attribute_summary(specs: Iterable[AttributeSpec], values: Mapping[str, object]) -> str:
    """One line for a variant picker: "Colour: Red · Size: M" (empty when nothing is set)."""
    return SUMMARY_SEPARATOR.join(
        f"{spec.name}: {shown}" for spec, shown in attribute_values_display(specs, values)
    )
