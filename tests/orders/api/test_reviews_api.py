"""Reviews through the API: the shopper's review and seller rating of a delivered purchase (theirs only),
editing it, and the seller's reply (to their own products' reviews only)."""

import pytest
from django.utils import timezone

from orders.models import OrderStatus, ProductReview, SellerRating
from orders.reviews.services import product_review_create
from orders.shipping.services import shipment_create, shipment_event_add
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.api.conftest import client_for, place_order, seller_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(shopper, variant, seller):
    """The shopper's order, shipped and delivered."""
    order = place_order(shopper, [(variant, 1)])
    part = order.seller_orders.get()
    shipment = shipment_create(
        seller_order_id=part.pk, seller_id=seller.pk, carrier="DHL", tracking_number="RV0001"
    )
    shipment_event_add(
        shipment_id=shipment.pk, status="delivered", occurred_at=timezone.now(), source="seller"
    )
    part.refresh_from_db()
    assert part.status == OrderStatus.DELIVERED
    return part


def test_the_buyer_reviews_a_delivered_item_and_edits_it(api, delivered):
    line = delivered.lines.get()

    created = api.post(
        "/api/orders/reviews/",
        {"order_line": line.pk, "rating": 4, "title": "Good pot", "body": "Pours well."},
        format="json",
    )
    edited = api.patch(f"/api/orders/reviews/{created.json()['id']}/", {"rating": 5}, format="json")

    assert created.status_code == 201
    assert (created.json()["order_line"], created.json()["rating"], created.json()["title"]) == (
        line.pk,
        4,
        "Good pot",
    )
    assert edited.status_code == 200
    assert (edited.json()["rating"], edited.json()["title"], edited.json()["body"]) == (
        5,
        "Good pot",
        "Pours well.",
    )


def test_a_second_review_of_the_same_item_is_a_400(api, delivered):
    body = {"order_line": delivered.lines.get().pk, "rating": 4}
    api.post("/api/orders/reviews/", body, format="json")

    response = api.post("/api/orders/reviews/", body, format="json")

    assert response.status_code == 400
    assert ProductReview.objects.count() == 1


@pytest.mark.parametrize("rating", [0, 6, -1, "five"])
def test_a_rating_outside_1_to_5_is_a_400(api, delivered, rating):
    response = api.post(
        "/api/orders/reviews/", {"order_line": delivered.lines.get().pk, "rating": rating}, format="json"
    )

    assert response.status_code == 400
    assert "rating" in response.json()
    assert not ProductReview.objects.exists()


def test_someone_elses_item_or_review_is_refused_and_nothing_changes(delivered, shopper):
    intruder = client_for(UserFactory())
    review = product_review_create(
        order_line_id=delivered.lines.get().pk, author_id=shopper.pk, rating=3, title="Fine", body=""
    )

    created = intruder.post(
        "/api/orders/reviews/", {"order_line": delivered.lines.get().pk, "rating": 1}, format="json"
    )
    edited = intruder.patch(f"/api/orders/reviews/{review.pk}/", {"rating": 1}, format="json")
    rated = intruder.post(
        "/api/orders/seller-ratings/", {"seller_order": delivered.pk, "rating": 1}, format="json"
    )

    assert created.status_code == 400
    assert "not found" in created.json()["order_line"][0]
    assert edited.status_code == 404
    assert rated.status_code == 400
    assert ProductReview.objects.get().rating == 3
    assert not SellerRating.objects.exists()


def test_a_review_needs_a_signed_in_shopper(delivered):
    response = client_for().post(
        "/api/orders/reviews/", {"order_line": delivered.lines.get().pk, "rating": 5}, format="json"
    )

    assert response.status_code == 403


def test_the_buyer_rates_the_seller(api, delivered, seller):
    response = api.post(
        "/api/orders/seller-ratings/",
        {"seller_order": delivered.pk, "rating": 5, "comment": "Fast"},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["seller"], response.json()["rating"]) == (seller.pk, 5)


def test_an_undelivered_part_cannot_be_reviewed(api, shopper, variant):
    part = place_order(shopper, [(variant, 1)]).seller_orders.get()

    response = api.post(
        "/api/orders/reviews/", {"order_line": part.lines.get().pk, "rating": 5}, format="json"
    )

    assert response.status_code == 400
    assert not ProductReview.objects.exists()


def test_the_seller_replies_once_and_another_seller_gets_a_404(delivered, shopper, seller):
    review = product_review_create(
        order_line_id=delivered.lines.get().pk, author_id=shopper.pk, rating=2, title="Chipped", body=""
    )
    url = f"/api/seller/reviews/{review.pk}/reply/"

    foreign = seller_client(SellerProfileFactory()).post(url, {"reply": "Not ours"}, format="json")
    unchanged = ProductReview.objects.get().seller_reply
    replied = seller_client(seller).post(url, {"reply": "Sorry, we will replace it."}, format="json")
    again = seller_client(seller).post(url, {"reply": "Again"}, format="json")
    empty = seller_client(seller).post(url, {"reply": ""}, format="json")

    assert foreign.status_code == 404
    assert unchanged == ""
    assert replied.status_code == 200
    assert replied.json()["seller_reply"] == "Sorry, we will replace it."
    assert again.status_code == 400
    assert empty.status_code == 400
    assert ProductReview.objects.get().seller_reply == "Sorry, we will replace it."
