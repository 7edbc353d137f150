"""Product descriptions keep simple formatting and lose everything that could run or restyle the page."""

import pytest
from django.urls import reverse

from catalog.richtext import description_clean, description_html, description_plain
from catalog.services_listing import VariantInput, product_create
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Solid oak.\nOiled.", "Solid oak.\nOiled."),
        (
            "<p>Solid <strong>oak</strong></p><ul><li>Oiled</li></ul>",
            "<p>Solid <strong>oak</strong></p><ul><li>Oiled</li></ul>",
        ),
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ('<p onclick="steal()">Hi</p>', "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow ugc noopener">x</a>'),
        (
            '<a href="https://example.com">x</a>',
            '<a href="https://example.com" rel="nofollow ugc noopener">x</a>',
        ),
        ('<img src="x" onerror="steal()"><iframe src="https://evil.example"></iframe>ok', "ok"),
        ('<p style="position:fixed">Hi</p>', "<p>Hi</p>"),
    ],
)
def test_description_clean_keeps_the_allowed_formatting_only(raw, stored):
    assert description_clean(raw) == stored


def test_plain_text_keeps_its_line_breaks_and_is_escaped():
    assert description_html("a < b\n\nNew paragraph") == "<p>a &lt; b</p>\n\n<p>New paragraph</p>"


def test_the_plain_version_has_no_tags():
    assert description_plain("<h3>Care</h3><p>Wipe <em>gently</em>.</p>") == "CareWipe gently."


@pytest.mark.django_db
def test_a_listing_saved_with_a_script_stores_and_shows_none_of_it(client):
    # given
    category = category_create("Tables")
    seller = SellerProfileFactory()

    # when
    product = product_create(
        seller_id=seller.id,
        actor_id=None,
        title="Oak table",
        category_id=category.id,
        description='<p>Solid <strong>oak</strong><script>alert("x")</script></p>',
        variants=[VariantInput(sku="OAK-1", price_amount=50000, stock=1)],
        publish=True,
    )

    # then
    assert product.description == "<p>Solid <strong>oak</strong></p>"
    html = client.get(reverse("catalog:product-detail", args=[product.slug])).content.decode()
    assert "<p>Solid <strong>oak</strong></p>" in html
    assert "alert(" not in html


@pytest.mark.django_db
def test_markup_stored_before_cleaning_is_still_cleaned_when_shown(client):
    # given a description written straight into the database, bypassing the services
    product = ProductFactory(slug="lamp", description='<p>Lamp</p><script>alert("x")</script>')
    ProductVariantFactory(product=product)

    html = client.get(reverse("catalog:product-detail", args=["lamp"])).content.decode()

    assert "<p>Lamp</p>" in html
    assert "alert(" not in html


def test_plain_text_is_marked_safe_so_the_page_shows_paragraphs_not_escaped_tags():
    from django.template import Context, Template

    html = Template("{% load catalog_text %}{{ text|rich_description }}").render(
        Context({"text": "It's solid oak.\n\nOiled by hand."})
    )

    assert html == "<p>It&#x27;s solid oak.</p>\n\n<p>Oiled by hand.</p>"


def test_html_without_block_tags_keeps_its_paragraphs():
    assert description_html("<strong>Oak</strong> table.\n\nOiled.\nTwice.") == (
        "<p><strong>Oak</strong> table.</p>\n\n<p>Oiled.<br>Twice.</p>"
    )
