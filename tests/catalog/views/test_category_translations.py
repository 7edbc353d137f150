"""Catalog names in the shopper's language: a category, its attribute names and choice labels show in
Simplified Chinese for a zh-hans visitor and in English for an English one, while the facet parameters
keep the canonical (English) values; cached pages and fragments are never served across languages."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertInHTML

from catalog import selectors, selectors_attributes
from catalog.models import Category, CategoryAttribute
from tests.factories import ProductFactory, ProductVariantFactory, UserFactory

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def phones():
    """Electronics > Phones, both named in Chinese, a colour choice attribute with Chinese labels for
    two of its three choices, and a red and a blue phone."""
    electronics = Category.objects.add_root(
        {"name": "Electronics", "slug": "electronics", "translations": {"zh-hans": {"name": "电子产品"}}}
    )
    phones = Category.objects.add_child(
        electronics,
        {
            "name": "Phones",
            "slug": "phones",
            "description": "Phones from independent shops.",
            "translations": {"zh-hans": {"name": "手机", "description": "来自独立店铺的手机。"}},
        },
    )
    CategoryAttribute.objects.create(
        category=electronics,
        code="colour",
        name="Colour",
        type=CategoryAttribute.Type.CHOICE,
        scope=CategoryAttribute.Scope.VARIANT,
        choices=["Red", "Blue", "Teal"],
        translations={"zh-hans": {"name": "颜色", "choices": {"Red": "红色", "Blue": "蓝色"}}},
    )
    for slug, colour in (("red-phone", "Red"), ("blue-phone", "Blue"), ("teal-phone", "Teal")):
        product = ProductFactory(category=phones, slug=slug, title=f"{colour} phone")
        ProductVariantFactory(product=product, attributes={"colour": colour})
    return phones


def _page(client, params=None, **headers):
    response = client.get(reverse("catalog:category-detail", args=["phones"]), params or {}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_chinese_visitor_sees_the_category_and_its_facet_in_chinese_with_canonical_values(client, phones):
    html = _page(client, **ZH)

    assertInHTML("<h1>手机</h1>", html)
    assert "来自独立店铺的手机。" in html
    assert "电子产品" in html  # breadcrumb and header nav
    assertInHTML("<legend>颜色</legend>", html)
    assertInHTML(
        '<input type="checkbox" id="facet-colour-1" name="colour" value="Blue">'
        '<label for="facet-colour-1">蓝色 <span class="facet-count">(1)</span></label>',
        html,
    )
    assertInHTML(
        '<input type="checkbox" id="facet-colour-2" name="colour" value="Red">'
        '<label for="facet-colour-2">红色 <span class="facet-count">(1)</span></label>',
        html,
    )
    # A choice without a Chinese label shows its canonical value.
    assertInHTML(
        '<input type="checkbox" id="facet-colour-3" name="colour" value="Teal">'
        '<label for="facet-colour-3">Teal <span class="facet-count">(1)</span></label>',
        html,
    )
    assert "Phones" not in html
    assert ">Colour<" not in html


def test_an_english_visitor_sees_the_english_names(client, phones):
    html = _page(client, **EN)

    assertInHTML("<h1>Phones</h1>", html)
    assertInHTML("<legend>Colour</legend>", html)
    assertInHTML(
        '<input type="checkbox" id="facet-colour-2" name="colour" value="Red">'
        '<label for="facet-colour-2">Red <span class="facet-count">(1)</span></label>',
        html,
    )
    for chinese in ("手机", "电子产品", "颜色", "红色", "来自独立店铺的手机。"):
        assert chinese not in html


def test_the_language_cookie_chooses_chinese_too(client, phones):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    html = _page(client)

    assertInHTML("<h1>手机</h1>", html)
    assertInHTML("<legend>颜色</legend>", html)


@pytest.mark.parametrize("headers", [ZH, EN], ids=["zh-hans", "en"])
def test_the_colour_filter_takes_the_canonical_value_in_both_languages(client, phones, headers):
    response = client.get(reverse("catalog:category-detail", args=["phones"]), {"colour": "Red"}, **headers)

    assert [product.slug for product in response.context["products"]] == ["red-phone"]
    html = response.content.decode()
    assert 'name="colour" value="Red" checked' in html


def test_a_page_cached_for_a_chinese_visitor_is_not_served_to_an_english_one(client, phones):
    # given an anonymous visitor's whole page (and its listing fragment) cached in Chinese
    assert "手机" in _page(client, {"colour": "Red"}, **ZH)

    # when an English visitor asks for the same URL, then the other way round on a fresh URL
    english = _page(client, {"colour": "Red"}, **EN)
    _page(client, {"colour": "Blue"}, **EN)
    chinese = _page(client, {"colour": "Blue"}, **ZH)

    # then each gets their own language
    assertInHTML("<h1>Phones</h1>", english)
    assertInHTML("<legend>Colour</legend>", english)
    assert "红色" not in english
    assertInHTML("<h1>手机</h1>", chinese)
    assertInHTML("<legend>颜色</legend>", chinese)


def test_cached_listing_fragments_follow_the_language_of_a_signed_in_shopper(client, phones):
    # A signed-in shopper's page is not cached whole; the facet sidebar fragment is.
    client.force_login(UserFactory())
    assert "红色" in _page(client, **ZH)

    english = _page(client, **EN)

    assertInHTML("<legend>Colour</legend>", english)
    assert "红色" not in english
    assert "电子产品" not in english  # the cached header nav too


def test_the_attribute_definitions_are_cached_per_language(phones):
    with translation.override("zh-hans"):
        chinese = selectors_attributes.category_attribute_specs_cached(category_id=phones.pk)
    with translation.override("en"):
        english = selectors_attributes.category_attribute_specs_cached(category_id=phones.pk)

    assert [(spec.code, spec.name, spec.choices) for spec in chinese] == [
        ("colour", "颜色", ("Red", "Blue", "Teal"))
    ]
    assert chinese[0].choice_labels == (("Red", "红色"), ("Blue", "蓝色"))
    assert [(spec.name, spec.choice_labels) for spec in english] == [("Colour", ())]


def test_the_header_nav_names_the_departments_in_the_visitors_language(phones):
    with translation.override("zh-hans"):
        chinese = selectors.category_list_top()
    with translation.override("en"):
        english = selectors.category_list_top()

    assert chinese == [{"name": "电子产品", "slug": "electronics"}]
    assert english == [{"name": "Electronics", "slug": "electronics"}]


def test_the_product_page_names_the_category_and_the_chosen_colour_in_chinese(client, phones):
    response = client.get(reverse("catalog:product-detail", args=["red-phone"]), **ZH)

    html = response.content.decode()
    category_url = reverse("catalog:category-detail", args=["phones"])
    assert f'<a href="{category_url}">手机</a>' in html
    variant = response.context["variants"][0]
    assert variant.attribute_summary == "颜色: 红色"
    assert response.context["variants"][0].attributes == {"colour": "Red"}  # stored value untouched
