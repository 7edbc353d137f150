"""The category tree in the admin: attributes inline, and an edit or move keeps products findable."""

import pytest
from django.urls import reverse

from catalog import selectors
from catalog.models import Category, CategoryAttribute
from tests.factories import OperatorFactory, ProductFactory, category_create

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_category_changelist")


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


def _refetch(category):
    return Category.objects.get(pk=category.pk)


def _change_form(category, **overrides):
    data = {
        "name": category.name,
        "slug": category.slug,
        "description": "",
        "seo_title": "",
        "seo_description": "",
        "position": "0",
        "is_active": "on",
        "treebeard_position": "sorted-child",
        "treebeard_ref_node": "",
        "attribute_definitions-TOTAL_FORMS": "0",
        "attribute_definitions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_moving_a_subtree_under_another_root_keeps_its_products_listed():
    kitchen = category_create("Kitchen")
    knives = category_create("Knives", parent=kitchen)
    garden = category_create("Garden")
    product = ProductFactory(category=knives, title="Chef's knife")
    assert list(selectors.product_list(category=_refetch(kitchen))) == [product]

    Category.objects.move(_refetch(knives), _refetch(garden), pos="sorted-child")
    selectors.category_list_top_invalidate()

    assert list(selectors.product_list(category=_refetch(garden))) == [product]
    assert list(selectors.product_list(category=_refetch(kitchen))) == []
    assert list(selectors.product_list(category=_refetch(knives))) == [product]


def test_a_move_in_the_admin_tree_shows_the_products_on_the_new_parents_page(
    client, operator, django_capture_on_commit_callbacks
):
    kitchen = category_create("Kitchen")
    knives = category_create("Knives", parent=kitchen)
    garden = category_create("Garden")
    ProductFactory(category=knives, title="Chef's knife")
    assert (
        "Chef&#x27;s knife"
        not in client.get(reverse("catalog:category-detail", args=["garden"])).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST + "move/", {"node": knives.pk, "target": garden.pk, "relation": "child"}
        )

    assert response.status_code == 200
    assert Category.objects.get_parent(_refetch(knives)) == _refetch(garden)
    garden_page = client.get(reverse("catalog:category-detail", args=["garden"])).content.decode()
    kitchen_page = client.get(reverse("catalog:category-detail", args=["kitchen"])).content.decode()
    assert "Chef&#x27;s knife" in garden_page
    assert "Chef&#x27;s knife" not in kitchen_page


def test_renaming_a_category_in_the_admin_makes_its_products_findable_by_the_new_name(client, operator):
    kitchen = category_create("Kitchen")
    knives = category_create("Knives", parent=kitchen)
    product = ProductFactory(category=knives, title="Chef's knife", description="Sharp.")
    assert list(selectors.product_list(query="cutlery")) == []

    response = client.post(
        reverse("admin:catalog_category_change", args=[knives.pk]),
        _change_form(knives, name="Cutlery", treebeard_ref_node=str(kitchen.pk)),
    )

    assert response.status_code == 302
    assert _refetch(knives).name == "Cutlery"
    assert list(selectors.product_list(query="cutlery")) == [product]


def test_category_attributes_are_edited_inline(client, operator):
    root = category_create("Clothing")

    response = client.post(
        reverse("admin:catalog_category_change", args=[root.pk]),
        _change_form(
            root,
            **{
                "attribute_definitions-TOTAL_FORMS": "1",
                "attribute_definitions-0-code": "size",
                "attribute_definitions-0-name": "Size",
                "attribute_definitions-0-type": "choice",
                "attribute_definitions-0-scope": "variant",
                "attribute_definitions-0-choices": '["S", "M", "L"]',
                "attribute_definitions-0-unit": "",
                "attribute_definitions-0-is_facet": "on",
                "attribute_definitions-0-position": "0",
            },
        ),
    )

    assert response.status_code == 302
    attribute = CategoryAttribute.objects.get()
    assert (attribute.category_id, attribute.code, attribute.type, attribute.scope, attribute.choices) == (
        root.pk,
        "size",
        "choice",
        "variant",
        ["S", "M", "L"],
    )
