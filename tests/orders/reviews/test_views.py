"""The shopper's review page, the seller's review pages in the portal and the reviews on the product page:
who may see and post what (anyone else gets a 404 and nothing changes), form errors, escaping, queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Product
from orders.models import ProductReview, SellerRating
from orders.reviews import services as svc
from tests.caches import caches_clear
from tests.catalog.views.test_query_counts import PRODUCT_MAX
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.reviews.factories import delivered_line, review_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(product, buyer):
    return delivered_line(buyer=buyer, product=product)


def _page(line):
    return reverse("reviews:order-reviews", args=[line.seller_order.order.number])


def _line_url(line):
    return reverse("reviews:line-review", args=[line.seller_order.order.number, line.pk])


def _part_url(line):
    return reverse("reviews:seller-rating", args=[line.seller_order.order.number, line.seller_order_id])


def _review_data(line, **data):
    prefix = f"line-{line.pk}"
    return {f"{prefix}-{k}": v for k, v in {"rating": "4", "title": "", "body": "", **data}.items()}


def _rating_data(line, **data):
    prefix = f"part-{line.seller_order_id}"
    return {f"{prefix}-{k}": v for k, v in {"rating": "5", "comment": "", **data}.items()}


# --- the shopper's page -------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in(client, line):
    response = client.get(_page(line))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_buyer_sees_a_form_per_item_and_per_seller(client, line, buyer):
    client.force_login(buyer)

    response = client.get(_page(line))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="{_line_url(line)}"' in html
    assert f'action="{_part_url(line)}"' in html
    assert f'type="radio" name="line-{line.pk}-rating" value="4"' in html
    assert "4 stars — very good" in html
    assert "<legend>Your rating" in html
    assert "Rate the seller Attic" in html


def test_the_buyer_publishes_a_review_and_a_seller_rating(client, line, buyer, product, seller):
    client.force_login(buyer)

    first = client.post(_line_url(line), _review_data(line, rating="4", title="Warm", body="Nice light."))
    second = client.post(_part_url(line), _rating_data(line, rating="5", comment="Fast"))

    assert first.status_code == second.status_code == 302
    assert first.url == _page(line) + f"#line-{line.pk}"
    review = ProductReview.objects.get()
    assert (review.order_line_id, review.author_id, review.rating, review.title, review.body) == (
        line.pk,
        buyer.pk,
        4,
        "Warm",
        "Nice light.",
    )
    rating = SellerRating.objects.get()
    assert (rating.seller_id, rating.rating, rating.comment) == (seller.pk, 5, "Fast")
    product.refresh_from_db()
    seller.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("4.00"), 1)
    assert (seller.rating_avg, seller.rating_count) == (Decimal("5.00"), 1)
    page = client.get(_page(line)).content.decode()
    assert "Thank you! Your review of “Brass Lamp” is published." in page
    assert "You can change your review until" in page


def test_the_buyer_changes_a_review(client, line, buyer):
    client.force_login(buyer)
    client.post(_line_url(line), _review_data(line, rating="5", title="Great"))

    response = client.post(_line_url(line), _review_data(line, rating="3", title="Fine"))

    assert response.status_code == 302
    assert list(ProductReview.objects.values_list("rating", "title")) == [(3, "Fine")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        ("body", "x" * 4001, "Ensure this value has at most 4000 characters (it has 4001)."),
        ("rating", "", "Choose a rating from 1 to 5 stars."),
        ("rating", "6", "Select a valid choice. 6 is not one of the available choices."),
    ],
)
def test_invalid_review_input_is_a_form_error_and_nothing_is_written(
    client, line, buyer, field, value, message
):
    client.force_login(buyer)

    response = client.post(_line_url(line), _review_data(line, **{field: value}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ProductReview.objects.count() == 0


def test_a_too_long_seller_comment_is_a_form_error(client, line, buyer):
    client.force_login(buyer)

    response = client.post(_part_url(line), _rating_data(line, comment="x" * 501))

    assert response.status_code == 400
    assert "Ensure this value has at most 500 characters (it has 501)." in response.content.decode()
    assert SellerRating.objects.count() == 0


def test_a_line_break_counts_as_one_character(client, line, buyer):
    client.force_login(buyer)
    body = ("x" * 99 + "\r\n") * 40  # 4000 characters as the browser counts them

    response = client.post(_line_url(line), _review_data(line, body=body))

    assert response.status_code == 302
    assert ProductReview.objects.get().body == ("x" * 99 + "\n") * 39 + "x" * 99


def test_a_service_refusal_is_shown_on_the_form(client, line, buyer):
    client.force_login(buyer)
    part = line.seller_order
    part.status = "shipped"
    part.save(update_fields=["status"])

    response = client.post(_line_url(line), _review_data(line))

    assert response.status_code == 400
    assert "You can review this order once it has been delivered." in response.content.decode()
    assert ProductReview.objects.count() == 0


def test_another_shopper_gets_404_everywhere_and_nothing_changes(client, line):
    client.force_login(UserFactory())

    page = client.get(_page(line))
    review = client.post(_line_url(line), _review_data(line))
    rating = client.post(_part_url(line), _rating_data(line))

    assert page.status_code == review.status_code == rating.status_code == 404
    assert ProductReview.objects.count() == SellerRating.objects.count() == 0


def test_a_line_of_another_order_is_404(client, line, buyer, product):
    other = delivered_line(product=product)  # someone else's line, posted under the buyer's order
    client.force_login(buyer)
    url = reverse("reviews:line-review", args=[line.seller_order.order.number, other.pk])

    response = client.post(url, {f"line-{other.pk}-rating": "1"})

    assert response.status_code == 404
    assert ProductReview.objects.count() == 0


def test_the_forms_are_post_only(client, line, buyer):
    client.force_login(buyer)

    assert client.get(_line_url(line)).status_code == 405


# --- the seller portal --------------------------------------------------------------------------------


def test_the_seller_lists_only_their_reviews(client, line, seller, django_assert_max_num_queries):
    mine = review_row(line, title="Mine", body="About the lamp")
    for _ in range(5):
        review_row(delivered_line(product=line.variant.product), title="More")
    review_row(delivered_line(seller=SellerProfileFactory()), title="Someone else's")
    client.force_login(seller.user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("seller:review-list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mine" in html
    assert "Someone else&#x27;s" not in html
    assert "Someone else's" not in html
    assert reverse("seller:review-reply", args=[mine.pk]) in html


def test_the_seller_filters_reviews_awaiting_a_reply(client, line, seller, product):
    waiting = review_row(line, title="Waiting")
    answered = review_row(delivered_line(product=product), title="Answered", seller_reply="Thanks")
    client.force_login(seller.user)

    response = client.get(reverse("seller:review-list"), {"replied": "no"})

    assert [r.pk for r in response.context["reviews"]] == [waiting.pk]
    assert answered.pk not in [r.pk for r in response.context["reviews"]]


def test_the_seller_replies_once(client, line, seller):
    review = review_row(line, title="Lovely")
    client.force_login(seller.user)
    url = reverse("seller:review-reply", args=[review.pk])

    form = client.get(url)
    sent = client.post(url, {"reply": "Glad you like it!"})
    again = client.post(url, {"reply": "Changed my mind"})

    assert form.status_code == 200
    assert 'name="reply"' in form.content.decode()
    assert (sent.status_code, sent.url) == (302, reverse("seller:review-list"))
    assert again.status_code == 400
    assert "You have already replied to this review." in again.content.decode()
    review.refresh_from_db()
    assert review.seller_reply == "Glad you like it!"
    assert 'name="reply"' not in client.get(url).content.decode()


def test_a_too_long_reply_is_a_form_error(client, line, seller):
    review = review_row(line)
    client.force_login(seller.user)

    response = client.post(reverse("seller:review-reply", args=[review.pk]), {"reply": "x" * 2001})

    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters (it has 2001)." in response.content.decode()
    assert ProductReview.objects.get(pk=review.pk).seller_reply == ""


def test_another_seller_gets_404_on_reply_and_nothing_changes(client, line):
    review = review_row(line)
    client.force_login(SellerProfileFactory().user)
    url = reverse("seller:review-reply", args=[review.pk])

    shown = client.get(url)
    sent = client.post(url, {"reply": "Buy from me instead"})

    assert shown.status_code == sent.status_code == 404
    review.refresh_from_db()
    assert (review.seller_reply, review.seller_replied_at) == ("", None)


# --- the product and seller pages ---------------------------------------------------------------------


def test_the_product_page_shows_the_summary_histogram_reviews_and_replies(client, product, line):
    svc.product_review_create(
        order_line_id=line.pk, author_id=line.seller_order.order.buyer_id, rating=4, title="Warm", body="Nice"
    )
    other = delivered_line(product=product, buyer=UserFactory(display_name=""))
    review = svc.product_review_create(
        order_line_id=other.pk, author_id=other.seller_order.order.buyer_id, rating=5, title="", body="Great"
    )
    svc.product_review_reply(review_id=review.pk, seller_id=product.seller_id, reply="Thank you!")

    html = client.get(reverse("catalog:product-detail", args=[product.slug])).content.decode()

    assert "Customer reviews" in html
    assert "4.5 out of 5" in html
    assert "2 reviews" in html
    assert '<th scope="row">5 stars</th>' in html
    assert "1 (50%)" in html
    assert "Warm" in html
    assert "Ada" in html
    assert "A shopper" in html  # no display name: the e-mail address is never shown
    assert other.seller_order.order.buyer.email.split("@")[0] not in html
    assert "Reply from Attic" in html
    assert "Thank you!" in html


def test_stored_markup_is_shown_escaped_on_every_page(client, line, seller, buyer):
    review_row(
        line,
        title="<script>alert('t')</script>",
        body="<img src=x onerror=alert(1)>",
        seller_reply="<script>alert('r')</script>",
    )
    pages = [reverse("catalog:product-detail", args=[line.variant.product.slug])]

    client.force_login(buyer)
    pages_html = [client.get(url).content.decode() for url in pages]
    pages_html.append(client.get(_page(line)).content.decode())
    client.force_login(seller.user)
    pages_html.append(client.get(reverse("seller:review-list")).content.decode())
    review = ProductReview.objects.get()
    pages_html.append(client.get(reverse("seller:review-reply", args=[review.pk])).content.decode())

    for html in pages_html:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in pages_html[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages_html[0]


def test_the_product_page_queries_do_not_grow_with_reviews_and_repeat_from_cache(
    client, product, django_assert_max_num_queries, django_assert_num_queries
):
    for _ in range(15):
        review_row(delivered_line(product=product), seller_reply="Thanks")
    url = reverse("catalog:product-detail", args=[product.slug])
    caches_clear()

    with django_assert_max_num_queries(PRODUCT_MAX):
        first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)

    assert first.status_code == again.status_code == 200
    assert first.content.decode().count('class="review"') == 10
    assert again.content == first.content


def test_a_new_review_shows_on_the_cached_product_page(
    client, product, line, django_capture_on_commit_callbacks
):
    url = reverse("catalog:product-detail", args=[product.slug])
    assert "No reviews yet." in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        svc.product_review_create(
            order_line_id=line.pk, author_id=line.seller_order.order.buyer_id, rating=4, title="Warm", body=""
        )

    html = client.get(url).content.decode()
    assert "Warm" in html
    assert Product.objects.get(pk=product.pk).rating_count == 1


def test_the_seller_store_shows_the_seller_rating(client, seller, line, django_capture_on_commit_callbacks):
    url = reverse("catalog:seller-store", args=[seller.slug])
    client.get(url)  # cached

    with django_capture_on_commit_callbacks(execute=True):
        svc.seller_rating_create(
            seller_order_id=line.seller_order_id, author_id=line.seller_order.order.buyer_id, rating=4
        )

    assert "Rated 4.0 out of 5 from 1 review" in client.get(url).content.decode()
