"""The pure rules of typed category attributes (``catalog.attributes``): no database."""

import pickle
from decimal import Decimal

import pytest

from catalog.attributes import (
    BOOLEAN,
    CHOICE,
    NUMBER,
    PRODUCT,
    TEXT,
    VARIANT,
    AttributeSpec,
    attribute_specs_effective,
    attribute_specs_scoped,
    attribute_summary,
    attribute_value_display,
    attribute_values_clean,
    attribute_values_display,
    attribute_values_known,
)

COLOUR = AttributeSpec("colour", "Colour", CHOICE, VARIANT, ("Red", "Navy Blue"))
SIZE = AttributeSpec("size", "Size", CHOICE, VARIANT, ("S", "M", "L"))
SCREEN = AttributeSpec("screen_size", "Screen size", NUMBER, PRODUCT, unit="in")
WATERPROOF = AttributeSpec("waterproof", "Waterproof", BOOLEAN, PRODUCT)
MATERIAL = AttributeSpec("material", "Material", TEXT, PRODUCT)


def _clean(spec, value):
    return attribute_values_clean([spec], {spec.code: value})


def test_a_closer_definition_replaces_an_inherited_one_in_its_place():
    # given root definitions, then the leaf's (which redefines size)
    shoe_size = AttributeSpec("size", "Size (US)", CHOICE, VARIANT, ("8", "9"))
    chain = [COLOUR, SIZE, MATERIAL, shoe_size]

    # when
    effective = attribute_specs_effective(chain)

    # then
    assert effective == [COLOUR, shoe_size, MATERIAL]


def test_no_definitions_means_no_attributes():
    assert attribute_specs_effective([]) == []


def test_specs_split_by_scope():
    specs = [COLOUR, SCREEN, SIZE, WATERPROOF]

    assert attribute_specs_scoped(specs, VARIANT) == [COLOUR, SIZE]
    assert attribute_specs_scoped(specs, PRODUCT) == [SCREEN, WATERPROOF]


def test_the_label_carries_the_unit():
    assert (SCREEN.label, COLOUR.label) == ("Screen size (in)", "Colour")


def test_specs_survive_pickling_for_the_cache():
    assert pickle.loads(pickle.dumps([SCREEN, COLOUR])) == [SCREEN, COLOUR]  # noqa: S301 - our own bytes


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("6.1", 6.1),
        (" 55 ", 55),
        ("55.00", 55),
        (Decimal("15.6"), 15.6),
        (27, 27),
        (6.5, 6.5),
        ("-12.5", -12.5),
        ("0.0001", 0.0001),
        ("999999999.9999", 999999999.9999),
        ("1e3", 1000),
    ],
)
def test_numbers_are_stored_as_json_numbers_int_when_integral(raw, stored):
    clean, errors = _clean(SCREEN, raw)

    assert errors == {}
    assert clean == {"screen_size": stored}
    assert type(clean["screen_size"]) is type(stored)


def test_a_stored_float_gives_back_exactly_the_number_typed():
    clean, _ = _clean(SCREEN, "123456789.1234")

    assert Decimal(str(clean["screen_size"])) == Decimal("123456789.1234")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "Enter a number."),
        ("6,1", "Enter a number."),
        ("NaN", "Enter a number."),
        ("Infinity", "Enter a number."),
        (float("inf"), "Enter a number."),
        (True, "Enter a number."),
        (["6"], "Enter a number."),
        ("1000000000", "Enter a number between -999,999,999 and 999,999,999."),
        ("-1000000000", "Enter a number between -999,999,999 and 999,999,999."),
        ("0.00001", "Use at most 4 decimal places."),
    ],
)
def test_a_bad_number_is_refused_with_the_reason(raw, message):
    assert _clean(SCREEN, raw) == ({}, {"screen_size": [message]})


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("No", False),
        ("1", True),
        ("off", False),
        (" TRUE ", True),
    ],
)
def test_booleans_are_stored_as_json_booleans(raw, stored):
    assert _clean(WATERPROOF, raw) == ({"waterproof": stored}, {})


@pytest.mark.parametrize("raw", ["maybe", 1, 0, 2.0])
def test_a_boolean_must_say_yes_or_no(raw):
    assert _clean(WATERPROOF, raw) == ({}, {"waterproof": ["Enter yes or no."]})


@pytest.mark.parametrize(("raw", "stored"), [("navy blue", "Navy Blue"), (" RED ", "Red"), ("Red", "Red")])
def test_a_choice_matches_case_insensitively_and_is_stored_as_defined(raw, stored):
    assert _clean(COLOUR, raw) == ({"colour": stored}, {})


@pytest.mark.parametrize("raw", ["Green", "Navy", 3, True])
def test_a_value_outside_the_choices_is_refused(raw):
    assert _clean(COLOUR, raw) == ({}, {"colour": ["Choose one of: Red, Navy Blue."]})


def test_text_is_stripped():
    assert _clean(MATERIAL, "  Organic cotton ") == ({"material": "Organic cotton"}, {})


def test_text_of_exactly_the_maximum_length_is_kept():
    assert _clean(MATERIAL, "x" * 100) == ({"material": "x" * 100}, {})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("x" * 101, "Use at most 100 characters."),
        ("<b>Cotton</b>", "HTML is not allowed."),
        ("Cotton <script>", "HTML is not allowed."),
        ("Cotton <!-- x -->", "HTML is not allowed."),
        (42, "Enter text."),
    ],
)
def test_bad_text_is_refused(raw, message):
    assert _clean(MATERIAL, raw) == ({}, {"material": [message]})


def test_a_less_than_sign_that_opens_no_tag_is_text():
    assert _clean(MATERIAL, "weight < 2 kg") == ({"material": "weight < 2 kg"}, {})


def test_empty_values_are_left_out_not_stored():
    specs = [MATERIAL, SCREEN, COLOUR]

    clean, errors = attribute_values_clean(specs, {"material": "   ", "screen_size": None, "colour": ""})

    assert (clean, errors) == ({}, {})


def test_a_required_attribute_without_a_value_is_an_error():
    required = AttributeSpec("format", "Format", CHOICE, VARIANT, ("Paperback",), is_required=True)

    assert attribute_values_clean([required], {}) == ({}, {"format": ["This attribute is required."]})
    assert attribute_values_clean([required], {"format": " "}) == (
        {},
        {"format": ["This attribute is required."]},
    )


def test_a_required_boolean_may_be_no():
    required = AttributeSpec("vegan", "Vegan", BOOLEAN, PRODUCT, is_required=True)

    assert attribute_values_clean([required], {"vegan": False}) == ({"vegan": False}, {})


def test_unknown_codes_are_refused_by_name():
    clean, errors = attribute_values_clean([COLOUR], {"colour": "red", "flavour": "Mint"})

    assert clean == {"colour": "Red"}
    assert errors == {"flavour": ["This attribute is not defined for the category."]}


def test_every_error_is_reported_at_once_and_clean_values_follow_the_specs_order():
    specs = [SCREEN, WATERPROOF, COLOUR]

    clean, errors = attribute_values_clean(
        specs, {"colour": "red", "waterproof": "perhaps", "screen_size": "x"}
    )

    assert clean == {"colour": "Red"}
    assert errors == {"screen_size": ["Enter a number."], "waterproof": ["Enter yes or no."]}


def test_clean_values_clean_again_to_themselves():
    specs = [SCREEN, WATERPROOF, COLOUR, MATERIAL]
    clean, _ = attribute_values_clean(
        specs, {"screen_size": "6.1", "waterproof": "yes", "colour": "red", "material": " Wool "}
    )

    assert attribute_values_clean(specs, clean) == (clean, {})


def test_known_values_keep_only_codes_the_specs_define():
    stored = {"colour": "Red", "size": "M", "material": "Wool"}

    assert attribute_values_known([COLOUR, MATERIAL], stored) == {"colour": "Red", "material": "Wool"}


@pytest.mark.parametrize(
    ("spec", "value", "shown"),
    [
        (SCREEN, 6.1, "6.1 in"),
        (SCREEN, 55, "55 in"),
        (SCREEN, 1e-4, "0.0001 in"),
        (WATERPROOF, True, "Yes"),
        (WATERPROOF, False, "No"),
        (COLOUR, "Navy Blue", "Navy Blue"),
        (AttributeSpec("pages", "Pages", NUMBER), 320, "320"),
    ],
)
def test_values_are_shown_with_their_unit(spec, value, shown):
    assert attribute_value_display(spec, value) == shown


def test_display_follows_the_specs_and_skips_codes_they_do_not_define():
    values = {"waterproof": False, "screen_size": 6.1, "legacy": "x"}

    shown = attribute_values_display([SCREEN, MATERIAL, WATERPROOF], values)

    assert shown == [(SCREEN, "6.1 in"), (WATERPROOF, "No")]


def test_a_variant_summary_names_each_value():
    assert attribute_summary([COLOUR, SIZE], {"size": "M", "colour": "Red"}) == "Colour: Red · Size: M"
    assert attribute_summary([COLOUR, SIZE], {}) == ""
