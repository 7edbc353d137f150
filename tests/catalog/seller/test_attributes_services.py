"""Typed category attributes through ``catalog.services_listing`` and ``catalog.selectors_attributes``:
values are checked against the category's effective definitions, stored coerced, and re-checked when a
listing moves to another category."""

import pytest

from catalog.attributes import AttributeSpec
from catalog.models import CategoryAttribute, Product, ProductVariant, StockMovement
from catalog.selectors_attributes import category_attribute_specs, category_attribute_specs_cached
from catalog.services_listing import (
    VariantInput,
    product_create,
    product_update,
    variant_create,
    variant_update,
)
from common.exceptions import ApplicationError
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create

pytestmark = pytest.mark.django_db
Type = CategoryAttribute.Type
Scope = CategoryAttribute.Scope


def _define(category, code, name, type_=Type.TEXT, scope=Scope.PRODUCT, **fields):
    return CategoryAttribute.objects.create(
        category=category, code=code, name=name, type=type_, scope=scope, **fields
    )


@pytest.fixture
def seller():
    return SellerProfileFactory()


@pytest.fixture
def tree():
    """Fashion (colour and size per SKU, material per listing) > Shoes (own sizes) > Sneakers (required
    width) and Boots; Fashion > T-Shirts; Electronics > Phones (screen size in inches, a yes/no)."""
    fashion = category_create("Fashion")
    shoes = category_create("Shoes", parent=fashion)
    sneakers = category_create("Sneakers", parent=shoes)
    boots = category_create("Boots", parent=shoes)
    tees = category_create("T-Shirts", parent=fashion)
    electronics = category_create("Electronics")
    phones = category_create("Phones", parent=electronics)
    _define(fashion, "colour", "Colour", Type.CHOICE, Scope.VARIANT, choices=["Red", "Navy Blue"], position=0)
    _define(fashion, "size", "Size", Type.CHOICE, Scope.VARIANT, choices=["S", "M", "L"], position=1)
    _define(fashion, "material", "Material", Type.CHOICE, choices=["Cotton", "Wool", "Leather"], position=2)
    _define(shoes, "size", "Size (US)", Type.CHOICE, Scope.VARIANT, choices=["8", "9"])
    _define(sneakers, "width", "Width", Type.CHOICE, choices=["Regular", "Wide"], is_required=True)
    _define(phones, "screen_size", "Screen size", Type.NUMBER, unit="in", is_required=True)
    _define(phones, "dual_sim", "Dual SIM", Type.BOOLEAN)
    return {
        "fashion": fashion,
        "shoes": shoes,
        "sneakers": sneakers,
        "boots": boots,
        "tees": tees,
        "phones": phones,
    }


def _create(seller, category, variants=None, **kwargs):
    return product_create(
        seller_id=seller.id,
        actor_id=seller.user_id,
        title="Listing",
        category_id=category.id,
        variants=variants or [VariantInput(sku="SKU-1", price_amount=1000, stock=1)],
        **kwargs,
    )


def _update(seller, product, category, variants, **kwargs):
    return product_update(
        seller_id=seller.id,
        actor_id=seller.user_id,
        product_id=product.id,
        title=product.title,
        category_id=category.id,
        variants=variants,
        **kwargs,
    )


def _nothing_written():
    return (Product.objects.count(), ProductVariant.objects.count(), StockMovement.objects.count()) == (
        0,
        0,
        0,
    )


# --- the selector --------------------------------------------------------------------------------


def test_specs_are_inherited_root_first_and_a_closer_definition_wins_in_one_query(
    tree, django_assert_num_queries
):
    with django_assert_num_queries(1):
        specs = category_attribute_specs(category_id=tree["sneakers"].id)

    assert specs == [
        AttributeSpec("colour", "Colour", "choice", "variant", ("Red", "Navy Blue")),
        AttributeSpec("size", "Size (US)", "choice", "variant", ("8", "9")),
        AttributeSpec("material", "Material", "choice", "product", ("Cotton", "Wool", "Leather")),
        AttributeSpec("width", "Width", "choice", "product", ("Regular", "Wide"), is_required=True),
    ]


def test_a_category_sees_neither_its_siblings_nor_its_descendants_definitions(tree):
    assert [s.code for s in category_attribute_specs(category_id=tree["tees"].id)] == [
        "colour",
        "size",
        "material",
    ]
    assert [s.code for s in category_attribute_specs(category_id=tree["phones"].id)] == [
        "screen_size",
        "dual_sim",
    ]
    assert category_attribute_specs(category_id=tree["fashion"].id)[1].name == "Size"


def test_an_unknown_category_has_no_attributes(tree):
    assert category_attribute_specs(category_id=999_999) == []


def test_the_cached_specs_are_read_once(tree, django_assert_num_queries):
    category_attribute_specs_cached(category_id=tree["phones"].id)

    with django_assert_num_queries(0):
        specs = category_attribute_specs_cached(category_id=tree["phones"].id)

    assert [s.code for s in specs] == ["screen_size", "dual_sim"]


# --- product_create ------------------------------------------------------------------------------


def test_create_stores_coerced_product_and_sku_values(seller, tree):
    product = _create(
        seller,
        tree["tees"],
        [
            VariantInput(
                sku="T-1", price_amount=1000, stock=1, attributes={"colour": "navy blue", "size": "m"}
            ),
            VariantInput(sku="T-2", price_amount=1000, stock=1, attributes={"colour": "Red"}),
        ],
        attributes={"material": "COTTON"},
    )

    assert product.attributes == {"material": "Cotton"}
    assert list(product.variants.values_list("sku", "attributes")) == [
        ("T-1", {"colour": "Navy Blue", "size": "M"}),
        ("T-2", {"colour": "Red"}),
    ]


def test_numbers_and_booleans_are_stored_as_json_numbers_and_booleans(seller, tree):
    product = _create(seller, tree["phones"], attributes={"screen_size": "6.10", "dual_sim": "yes"})

    product.refresh_from_db()
    assert product.attributes == {"screen_size": 6.1, "dual_sim": True}
    assert Product.objects.filter(attributes__screen_size__gt=6).count() == 1


@pytest.mark.parametrize(
    ("attributes", "errors"),
    [
        ({"screen_size": "six"}, {"screen_size": ["Enter a number."]}),
        ({"screen_size": "6.1", "dual_sim": "maybe"}, {"dual_sim": ["Enter yes or no."]}),
        (
            {"screen_size": "6.1", "colour": "Red"},
            {"colour": ["This attribute is not defined for the category."]},
        ),
        ({"dual_sim": True}, {"screen_size": ["This attribute is required."]}),
        (None, {"screen_size": ["This attribute is required."]}),
    ],
)
def test_create_refuses_bad_product_values_naming_the_attribute_and_writes_nothing(
    seller, tree, attributes, errors
):
    with pytest.raises(ApplicationError) as exc:
        _create(seller, tree["phones"], attributes=attributes)

    assert exc.value.message == "Please correct the attributes."
    assert exc.value.extra == {"attributes": errors}
    assert _nothing_written()


def test_create_refuses_a_sku_value_outside_the_choices_by_row_and_attribute(seller, tree):
    variants = [
        VariantInput(sku="S-1", price_amount=1000, stock=1, attributes={"size": "9"}),
        VariantInput(sku="S-2", price_amount=1000, stock=1, attributes={"size": "M", "colour": "Red"}),
    ]

    with pytest.raises(ApplicationError) as exc:
        _create(seller, tree["sneakers"], variants, attributes={"width": "wide"})

    assert exc.value.extra == {"variants": {1: {"attributes": {"size": ["Choose one of: 8, 9."]}}}}
    assert _nothing_written()


def test_product_and_sku_errors_are_reported_together(seller, tree):
    variants = [VariantInput(sku="S-1", price_amount=1000, stock=1, attributes={"flavour": "Mint"})]

    with pytest.raises(ApplicationError) as exc:
        _create(seller, tree["sneakers"], variants)

    assert exc.value.extra == {
        "attributes": {"width": ["This attribute is required."]},
        "variants": {0: {"attributes": {"flavour": ["This attribute is not defined for the category."]}}},
    }


def test_a_category_without_definitions_takes_listings_without_values(seller):
    leaf = category_create("Misc")

    product = _create(seller, leaf)

    assert (product.attributes, product.variants.get().attributes) == ({}, {})


# --- product_update ------------------------------------------------------------------------------


@pytest.fixture
def tee(seller, tree):
    return _create(
        seller,
        tree["tees"],
        [VariantInput(sku="T-1", price_amount=1000, stock=1, attributes={"colour": "Red", "size": "S"})],
        attributes={"material": "Wool"},
    )


def test_update_replaces_the_values_given(seller, tree, tee):
    variant = tee.variants.get()

    product = _update(
        seller,
        tee,
        tree["tees"],
        [
            VariantInput(
                id=variant.id, sku="T-1", price_amount=1000, stock=1, attributes={"colour": "navy blue"}
            )
        ],
        attributes={},
    )

    assert product.attributes == {}
    variant.refresh_from_db()
    assert variant.attributes == {"colour": "Navy Blue"}


def test_update_without_values_keeps_the_stored_ones(seller, tree, tee):
    variant = tee.variants.get()

    product = _update(
        seller, tee, tree["tees"], [VariantInput(id=variant.id, sku="T-1", price_amount=1200, stock=1)]
    )

    variant.refresh_from_db()
    assert (product.attributes, variant.attributes, variant.price_amount) == (
        {"material": "Wool"},
        {"colour": "Red", "size": "S"},
        1200,
    )


def test_update_refuses_a_bad_value_and_changes_nothing(seller, tree, tee):
    variant = tee.variants.get()

    with pytest.raises(ApplicationError) as exc:
        _update(
            seller,
            tee,
            tree["tees"],
            [VariantInput(id=variant.id, sku="T-1", price_amount=1200, stock=1, attributes={"size": "XXL"})],
            attributes={"material": "Silk"},
        )

    assert exc.value.extra == {
        "attributes": {"material": ["Choose one of: Cotton, Wool, Leather."]},
        "variants": {0: {"attributes": {"size": ["Choose one of: S, M, L."]}}},
    }
    tee.refresh_from_db()
    variant.refresh_from_db()
    assert (tee.attributes, variant.attributes, variant.price_amount) == (
        {"material": "Wool"},
        {"colour": "Red", "size": "S"},
        1000,
    )


def test_moving_category_drops_values_the_new_category_does_not_define(seller, tree, tee):
    # given a tee moved to Boots: "size" there means US sizes ("S" is no longer valid), "colour" and
    # "material" are inherited from Fashion as before
    variant = tee.variants.get()

    # when the seller sends new SKU values but leaves the listing's alone
    product = _update(
        seller,
        tee,
        tree["boots"],
        [
            VariantInput(
                id=variant.id,
                sku="T-1",
                price_amount=1000,
                stock=1,
                attributes={"colour": "Red", "size": "9"},
            )
        ],
    )

    # then
    variant.refresh_from_db()
    assert (product.category_id, product.attributes, variant.attributes) == (
        tree["boots"].id,
        {"material": "Wool"},
        {"colour": "Red", "size": "9"},
    )


def test_moving_category_re_checks_kept_values_and_refuses_a_stale_one(seller, tree, tee):
    variant = tee.variants.get()

    with pytest.raises(ApplicationError) as exc:
        _update(
            seller, tee, tree["boots"], [VariantInput(id=variant.id, sku="T-1", price_amount=1000, stock=1)]
        )

    assert exc.value.extra == {"variants": {0: {"attributes": {"size": ["Choose one of: 8, 9."]}}}}
    tee.refresh_from_db()
    assert tee.category_id == tree["tees"].id


def test_moving_category_drops_codes_nobody_defines_there(seller, tree, tee):
    variant = tee.variants.get()

    product = _update(
        seller,
        tee,
        tree["phones"],
        [VariantInput(id=variant.id, sku="T-1", price_amount=1000, stock=1)],
        attributes={"screen_size": 6},
    )

    variant.refresh_from_db()
    assert (product.attributes, variant.attributes) == ({"screen_size": 6}, {})


def test_moving_to_a_category_with_a_required_attribute_needs_its_value(seller, tree, tee):
    variant = tee.variants.get()
    row = VariantInput(id=variant.id, sku="T-1", price_amount=1000, stock=1, attributes={"size": "8"})

    with pytest.raises(ApplicationError) as exc:
        _update(seller, tee, tree["sneakers"], [row])

    assert exc.value.extra == {"attributes": {"width": ["This attribute is required."]}}
    tee.refresh_from_db()
    assert (tee.category_id, tee.attributes) == (tree["tees"].id, {"material": "Wool"})


def test_moving_category_prunes_skus_the_rows_leave_out(seller, tree):
    # given a listing with two SKUs, one of which the update does not mention
    product = ProductFactory(seller=seller, category=tree["tees"], attributes={"material": "Wool"})
    listed = ProductVariantFactory(product=product, attributes={"colour": "Red"})
    other = ProductVariantFactory(product=product, attributes={"colour": "Red", "size": "M", "old": "x"})

    # when it moves to Phones
    _update(
        seller,
        product,
        tree["phones"],
        [VariantInput(id=listed.id, sku=listed.sku, price_amount=listed.price_amount, stock=10)],
        attributes={"screen_size": "6.7"},
    )

    # then the other SKU keeps nothing the new category does not define
    other.refresh_from_db()
    assert other.attributes == {}


def test_moving_category_refuses_a_left_out_sku_with_a_stale_value(seller, tree):
    product = ProductFactory(seller=seller, category=tree["tees"])
    listed = ProductVariantFactory(product=product, attributes={})
    other = ProductVariantFactory(product=product, sku="OTHER-1", attributes={"size": "M"})

    with pytest.raises(ApplicationError) as exc:
        _update(
            seller,
            product,
            tree["boots"],
            [VariantInput(id=listed.id, sku=listed.sku, price_amount=listed.price_amount, stock=10)],
        )

    assert exc.value.extra == {"skus": {"OTHER-1": {"attributes": {"size": ["Choose one of: 8, 9."]}}}}
    other.refresh_from_db()
    assert other.attributes == {"size": "M"}


# --- single SKUs ---------------------------------------------------------------------------------


def test_variant_create_checks_and_stores_its_values(seller, tree, tee):
    variant = variant_create(
        seller_id=seller.id,
        product_id=tee.id,
        actor_id=seller.user_id,
        sku="T-2",
        price_amount=1000,
        stock=0,
        attributes={"size": "l"},
    )

    variant.refresh_from_db()
    assert variant.attributes == {"size": "L"}


def test_variant_create_refuses_an_unknown_code(seller, tree, tee):
    with pytest.raises(ApplicationError) as exc:
        variant_create(
            seller_id=seller.id,
            product_id=tee.id,
            actor_id=seller.user_id,
            sku="T-2",
            price_amount=1000,
            stock=0,
            attributes={"material": "Wool"},
        )

    assert exc.value.extra == {
        "variants": {0: {"attributes": {"material": ["This attribute is not defined for the category."]}}}
    }
    assert tee.variants.count() == 1


def test_variant_update_replaces_values_or_keeps_them_when_not_given(seller, tree, tee):
    variant = tee.variants.get()
    kwargs = {"seller_id": seller.id, "variant_id": variant.id, "actor_id": seller.user_id, "sku": "T-1"}

    variant_update(**kwargs, price_amount=1000, stock=1, attributes={"size": "M"})
    variant.refresh_from_db()
    replaced = variant.attributes
    variant_update(**kwargs, price_amount=900, stock=1)
    variant.refresh_from_db()

    assert (replaced, variant.attributes, variant.price_amount) == ({"size": "M"}, {"size": "M"}, 900)


def test_variant_update_refuses_a_bad_value(seller, tree, tee):
    variant = tee.variants.get()

    with pytest.raises(ApplicationError) as exc:
        variant_update(
            seller_id=seller.id,
            variant_id=variant.id,
            actor_id=seller.user_id,
            sku="T-1",
            price_amount=1000,
            stock=1,
            attributes={"colour": "Green"},
        )

    assert exc.value.extra == {
        "variants": {0: {"attributes": {"colour": ["Choose one of: Red, Navy Blue."]}}}
    }
    variant.refresh_from_db()
    assert variant.attributes == {"colour": "Red", "size": "S"}
