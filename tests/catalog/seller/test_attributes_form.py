"""The listing form's specification fields: typed fields for the chosen category's attributes, SKU-scope
ones as columns of the SKU table, errors next to their fields, and the "Refresh fields" round trip."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from catalog.models import Category, CategoryAttribute, Product, ProductVariant
from tests.factories import ProductFactory, ProductVariantFactory, category_create

pytestmark = pytest.mark.django_db
Type = CategoryAttribute.Type
Scope = CategoryAttribute.Scope

ROW = {"sku": "KNIFE-20", "name": "20 cm", "price": "19.99", "compare_at_price": "", "stock": 7}


@pytest.fixture
def specs(leaf):
    """Home: colour per SKU; Home > Kitchen: screen size (in, required), dishwasher-safe, finish (text)."""
    home = Category.objects.get(slug="home")
    CategoryAttribute.objects.create(
        category=home,
        code="colour",
        name="Colour",
        type=Type.CHOICE,
        scope=Scope.VARIANT,
        choices=["Red", "Blue"],
    )
    CategoryAttribute.objects.create(
        category=leaf, code="screen_size", name="Screen size", type=Type.NUMBER, unit="in", is_required=True
    )
    CategoryAttribute.objects.create(
        category=leaf, code="dishwasher", name="Dishwasher-safe", type=Type.BOOLEAN, position=1
    )
    CategoryAttribute.objects.create(category=leaf, code="finish", name="Finish", type=Type.TEXT, position=2)
    return leaf


@pytest.fixture
def garden(specs):
    """Another leaf of Home, with a capacity in litres instead of Kitchen's attributes."""
    garden = category_create("Garden", parent=Category.objects.get(slug="home"))
    CategoryAttribute.objects.create(
        category=garden, code="capacity", name="Capacity", type=Type.NUMBER, unit="l"
    )
    return garden


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_edit_page_shows_the_category_attributes_as_typed_labelled_fields(client, seller, specs):
    # given a listing with values
    product = ProductFactory(
        seller=seller, category=specs, attributes={"screen_size": 6.1, "dishwasher": True, "finish": "Matte"}
    )
    ProductVariantFactory(product=product, sku="K-1", attributes={"colour": "Blue"})

    # when
    html = _html(client.get(reverse("seller:product-edit", args=[product.pk])))

    # then the listing's attributes are typed fields labelled with their unit
    assertInHTML('<label for="id_attributes-screen_size">Screen size (in)</label>', html)
    assertInHTML(
        '<input type="number" name="attributes-screen_size" value="6.1" step="0.0001" required '
        'id="id_attributes-screen_size">',
        html,
    )
    assertInHTML(
        '<input type="checkbox" name="attributes-dishwasher" id="id_attributes-dishwasher" checked>', html
    )
    assertInHTML(
        '<input type="text" name="attributes-finish" value="Matte" maxlength="100" id="id_attributes-finish">',
        html,
    )
    # and the SKU ones are a column of the SKU table, with the row's value chosen
    assertInHTML('<th scope="col">Colour</th>', html)
    assertInHTML(
        '<label for="id_variants-0-attr_colour" class="visually-hidden">Colour (row 1)</label>', html
    )
    assertInHTML('<option value="Blue" selected>Blue</option>', html)


def test_the_create_page_offers_the_refresh_button_before_a_category_is_chosen(client, seller, specs):
    response = client.get(reverse("seller:product-create"))

    html = _html(response)
    assert list(response.context["attributes_form"].fields) == []
    assert "No listing-wide specifications for this category." in html
    assertInHTML(
        '<button type="submit" name="refresh" value="1" class="button-secondary">'
        "Refresh fields for the chosen category</button>",
        html,
    )


def test_refresh_draws_the_chosen_categorys_fields_keeps_what_was_typed_and_saves_nothing(
    client, seller, specs, product_post
):
    # given a seller who picked Kitchen and typed a title, a SKU row and an attribute value
    data = product_post(rows=[{**ROW, "attr_colour": "Red"}], title="Chef's knife", refresh="1")
    data["attributes-finish"] = "Brushed"

    # when
    response = client.post(reverse("seller:product-create"), data)

    # then
    html = _html(response)
    assert list(response.context["attributes_form"].fields) == ["screen_size", "dishwasher", "finish"]
    assert 'class="errorlist"' not in html  # the required screen size is not an error yet
    assertInHTML(
        '<input type="text" name="title" value="Chef&#x27;s knife" maxlength="200" required id="id_title">',
        html,
    )
    assertInHTML(
        '<input type="text" name="attributes-finish" value="Brushed" maxlength="100" id="id_attributes-finish">',
        html,
    )
    assertInHTML(
        '<input type="text" name="variants-0-sku" value="KNIFE-20" maxlength="64" id="id_variants-0-sku">',
        html,
    )
    assertInHTML('<option value="Red" selected>Red</option>', html)
    assert (Product.objects.count(), ProductVariant.objects.count()) == (0, 0)


def test_refresh_on_the_edit_page_swaps_in_the_new_categorys_fields_and_leaves_the_listing(
    client, seller, specs, garden, product_post
):
    product = ProductFactory(seller=seller, category=specs, title="Can", attributes={"screen_size": 7})
    variant = ProductVariantFactory(product=product, sku="CAN-1", attributes={"colour": "Red"})
    row = {"id": variant.pk, "sku": "CAN-1", "price": "5.00", "stock": 1, "attr_colour": "Red"}

    response = client.post(
        reverse("seller:product-edit", args=[product.pk]),
        product_post(rows=[row], initial_rows=1, category=garden.pk, refresh="1"),
    )

    html = _html(response)
    assert list(response.context["attributes_form"].fields) == ["capacity"]
    assertInHTML(
        '<label for="id_attributes-capacity">Capacity (l) <span class="muted">(optional)</span></label>', html
    )
    assertInHTML(
        f'<input type="hidden" name="variants-0-id" value="{variant.pk}" id="id_variants-0-id">', html
    )
    product.refresh_from_db()
    assert (product.category_id, product.attributes) == (specs.id, {"screen_size": 7})


def test_saving_stores_the_typed_values(client, seller, specs, product_post):
    data = product_post(rows=[{**ROW, "attr_colour": "Blue"}])
    data.update(
        {"attributes-screen_size": "6.10", "attributes-dishwasher": "on", "attributes-finish": " Matte "}
    )

    response = client.post(reverse("seller:product-create"), data)

    assert response.status_code == 302
    product = Product.objects.get()
    assert product.attributes == {"screen_size": 6.1, "dishwasher": True, "finish": "Matte"}
    assert product.variants.get().attributes == {"colour": "Blue"}


def test_an_unticked_yes_no_attribute_is_stored_as_no(client, seller, specs, product_post):
    data = product_post(rows=[ROW])
    data["attributes-screen_size"] = "5"

    client.post(reverse("seller:product-create"), data)

    assert Product.objects.get().attributes == {"screen_size": 5, "dishwasher": False}


def test_bad_values_are_shown_next_to_their_fields_and_nothing_is_written(
    client, seller, specs, product_post
):
    data = product_post(rows=[{**ROW, "attr_colour": "Green"}])
    data["attributes-screen_size"] = "six"

    response = client.post(reverse("seller:product-create"), data)

    html = _html(response)
    assertInHTML(
        '<ul class="errorlist" id="id_attributes-screen_size_error"><li>Enter a number.</li></ul>', html
    )
    assertInHTML(
        '<ul class="errorlist" id="id_variants-0-attr_colour_error">'
        "<li>Select a valid choice. Green is not one of the available choices.</li></ul>",
        html,
    )
    assert Product.objects.count() == 0


def test_a_missing_required_value_is_shown_on_its_field(client, seller, specs, product_post):
    response = client.post(reverse("seller:product-create"), product_post(rows=[ROW]))

    assert response.context["attributes_form"].errors == {"screen_size": ["This field is required."]}
    assert Product.objects.count() == 0


def test_a_refusal_by_the_service_lands_on_the_attribute_field(client, seller, specs, product_post):
    data = product_post(rows=[ROW])
    data.update({"attributes-screen_size": "6", "attributes-finish": "<b>Matte</b>"})

    response = client.post(reverse("seller:product-create"), data)

    html = _html(response)
    assertInHTML(
        '<ul class="errorlist" id="id_attributes-finish_error"><li>HTML is not allowed.</li></ul>', html
    )
    assert Product.objects.count() == 0


def test_values_under_codes_the_category_does_not_define_are_left_alone(client, seller, leaf, product_post):
    # given a listing in a category without attributes, whose SKU carries a value from older data
    product = ProductFactory(seller=seller, category=leaf, attributes={"legacy": "x"})
    variant = ProductVariantFactory(product=product, sku="OLD-1", attributes={"size": "S"})
    row = {"id": variant.pk, "sku": "OLD-1", "price": "5.00", "stock": 1}

    # when the seller saves the form
    response = client.post(
        reverse("seller:product-edit", args=[product.pk]), product_post(rows=[row], initial_rows=1)
    )

    # then
    assert response.status_code == 302
    product.refresh_from_db()
    variant.refresh_from_db()
    assert (product.attributes, variant.attributes) == ({"legacy": "x"}, {"size": "S"})
