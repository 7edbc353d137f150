"""Operators word a category and its attributes in both languages in the admin: one field per language,
saved into the rows' translations, shown to Chinese shoppers at once; choice values stay canonical."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertInHTML

from catalog.models import Category, CategoryAttribute
from tests.factories import OperatorFactory, ProductFactory, ProductVariantFactory, category_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


def _form(category=None, **overrides):
    data = {
        "name": category.name if category else "",
        "slug": category.slug if category else "",
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


def _attribute(index=0, **overrides):
    data = {
        "code": "size",
        "name": "Size",
        "type": "choice",
        "scope": "variant",
        "choices": '["S", "M", "L"]',
        "unit": "",
        "is_facet": "on",
        "position": "0",
    }
    data.update(overrides)
    return {f"attribute_definitions-{index}-{key}": value for key, value in data.items()}


def test_the_change_form_has_a_field_per_language_for_the_category_and_its_attributes(client, operator):
    root = category_create("Clothing")
    CategoryAttribute.objects.create(
        category=root,
        code="size",
        name="Size",
        type="choice",
        choices=["S", "M"],
        translations={"zh-hans": {"name": "尺码", "choices": {"S": "小号", "M": "中号"}}},
    )

    response = client.get(reverse("admin:catalog_category_change", args=[root.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("name_zh_hans", "description_zh_hans", "seo_title_zh_hans", "seo_description_zh_hans"):
        assert f'name="{name}"' in html
    assert 'name="attribute_definitions-0-name_zh_hans"' in html
    assert 'name="attribute_definitions-0-name_zh_hans" value="尺码"' in html
    assert "S = 小号\nM = 中号</textarea>" in html
    assert 'name="translations"' not in html  # the raw JSON is not edited by hand


def test_saving_both_languages_stores_the_chinese_wording_and_shows_it_to_chinese_shoppers(
    client, operator, django_capture_on_commit_callbacks
):
    root = category_create("Clothing")
    product = ProductFactory(category=root)
    ProductVariantFactory(product=product, attributes={"size": "M"})
    # a Chinese shopper's page is cached in English before the operator words it
    assert (
        "服装"
        not in client.get(
            reverse("catalog:category-detail", args=["clothing"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:catalog_category_change", args=[root.pk]),
            _form(
                root,
                description="Clothes for everyone.",
                name_zh_hans="服装",
                description_zh_hans="  人人都能穿的衣服。 ",
                seo_title_zh_hans="",
                **{"attribute_definitions-TOTAL_FORMS": "1"},
                **_attribute(name_zh_hans="尺码", choices_zh_hans="s = 小号\nM=中号\n\n"),
            ),
        )

    assert response.status_code == 302
    category = Category.objects.get(pk=root.pk)
    assert (category.name, category.description) == ("Clothing", "Clothes for everyone.")
    assert category.translations == {"zh-hans": {"name": "服装", "description": "人人都能穿的衣服。"}}
    attribute = CategoryAttribute.objects.get()
    assert (attribute.name, attribute.choices) == ("Size", ["S", "M", "L"])
    assert attribute.translations == {"zh-hans": {"name": "尺码", "choices": {"S": "小号", "M": "中号"}}}

    html = client.get(
        reverse("catalog:category-detail", args=["clothing"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assertInHTML("<h1>服装</h1>", html)
    assertInHTML("<legend>尺码</legend>", html)
    assert 'name="size" value="M"' in html
    assert "中号" in html


def test_the_form_shows_the_stored_wording_and_blank_fields_remove_it(client, operator):
    root = Category.objects.add_root(
        {
            "name": "Clothing",
            "slug": "clothing",
            "translations": {"zh-hans": {"name": "服装", "seo_title": "服装"}, "fr": {"name": "Vêtements"}},
        }
    )
    page = client.get(reverse("admin:catalog_category_change", args=[root.pk])).content.decode()
    assert 'name="name_zh_hans" value="服装"' in page

    response = client.post(
        reverse("admin:catalog_category_change", args=[root.pk]),
        _form(root, name_zh_hans="服饰", seo_title_zh_hans=" "),
    )

    assert response.status_code == 302
    # a language the site does not offer (any more) is left as it was
    assert Category.objects.get(pk=root.pk).translations == {
        "zh-hans": {"name": "服饰"},
        "fr": {"name": "Vêtements"},
    }


def test_a_label_for_a_value_that_is_not_a_choice_is_refused_and_nothing_is_saved(client, operator):
    root = category_create("Clothing")

    response = client.post(
        reverse("admin:catalog_category_change", args=[root.pk]),
        _form(
            root,
            name_zh_hans="服装",
            **{"attribute_definitions-TOTAL_FORMS": "1"},
            **_attribute(choices_zh_hans="XXL = 特大号"),
        ),
    )

    assert response.status_code == 200
    assert (
        escape('"XXL = 特大号" is not "choice = label" for one of the choices.') in response.content.decode()
    )
    assert CategoryAttribute.objects.count() == 0
    assert Category.objects.get(pk=root.pk).translations == {}


def test_a_new_category_is_added_with_its_chinese_name(client, operator):
    response = client.post(
        reverse("admin:catalog_category_add"),
        _form(name="Garden", slug="garden", name_zh_hans="园艺"),
    )

    assert response.status_code == 302
    garden = Category.objects.get(slug="garden")
    assert (garden.name, garden.translations) == ("Garden", {"zh-hans": {"name": "园艺"}})
