"""The operators' listing moderation queue and the product admin's status actions, through the admin."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product, ProductStatusEvent
from tests.factories import (
    OperatorFactory,
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    UserFactory,
)

Status = Product.Status
pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:catalog_listingmoderation_changelist")
PRODUCTS = reverse("admin:catalog_product_changelist")


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def seller():
    return SellerProfileFactory(shop_name="Attic", user__email="attic@example.com")


def _pending(seller, title, *, waiting_since, reason="screening: flagged words: replica"):
    product = ProductFactory(
        seller=seller,
        title=title,
        status=Status.PENDING_REVIEW,
        published_at=None,
        status_changed_at=waiting_since,
    )
    ProductVariantFactory(product=product)
    ProductStatusEvent.objects.create(
        product=product, from_status=Status.DRAFT, to_status=Status.PENDING_REVIEW, reason=reason
    )
    return product


def _action(client, url, action, products, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [p.pk for p in products], **extra}
    return client.post(url, data)


def test_the_queue_lists_only_pending_listings_oldest_first_with_screening_reasons(client, operator, seller):
    now = timezone.now()
    newer = _pending(seller, "Newer lamp", waiting_since=now - timedelta(hours=1))
    older = _pending(
        seller,
        "Older desk",
        waiting_since=now - timedelta(days=2),
        reason="screening: new seller (0 of the first 3 listings reviewed)",
    )
    ProductFactory(seller=seller, title="Live chair", status=Status.ACTIVE)
    ProductFactory(seller=seller, title="Draft stool", status=Status.DRAFT)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [older, newer]
    assert response.context["title"] == "Listing moderation queue"
    html = response.content.decode()
    assert "Live chair" not in html
    assert "Draft stool" not in html
    assert "new seller (0 of the first 3 listings reviewed)" in html
    assert "flagged words: replica" in html
    assert reverse("admin:catalog_listingmoderation_preview", args=[older.pk]) in html


def test_the_preview_shows_the_listing_as_shoppers_will_see_it(client, operator, seller):
    product = _pending(seller, "Oak desk", waiting_since=timezone.now())

    response = client.get(reverse("admin:catalog_listingmoderation_preview", args=[product.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Oak desk</h1>" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "this listing is not live (status: Pending review)" in html


def test_approve_action_makes_the_listing_live(
    client, operator, seller, django_capture_on_commit_callbacks, mailoutbox
):
    product = _pending(seller, "Oak desk", waiting_since=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        response = _action(client, QUEUE, "approve_listings", [product])

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == Status.ACTIVE
    assert product.status_events.first().actor == operator
    assert [m.subject for m in mailoutbox] == ["Your listing “Oak desk” is live"]
    assert client.get(QUEUE).context["cl"].result_count == 0


def test_reject_action_asks_for_a_reason_then_rejects(
    client, operator, seller, django_capture_on_commit_callbacks, mailoutbox
):
    product = _pending(seller, "Oak desk", waiting_since=timezone.now())

    confirm = _action(client, QUEUE, "reject_listings", [product])
    missing = _action(client, QUEUE, "reject_listings", [product], apply="yes", reason="")

    assert confirm.status_code == 200
    assert "Oak desk" in confirm.content.decode()
    assert missing.status_code == 200
    assert "This field is required." in missing.content.decode()
    product.refresh_from_db()
    assert product.status == Status.PENDING_REVIEW
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = _action(client, QUEUE, "reject_listings", [product], apply="yes", reason="Blurry photos.")

    assert done.status_code == 302
    product.refresh_from_db()
    assert product.status == Status.DRAFT
    assert product.status_events.first().reason == "Blurry photos."
    assert [m.subject for m in mailoutbox] == ["Your listing “Oak desk” was not approved"]


def test_a_rejected_listing_shows_the_reason_on_the_sellers_edit_page(client, operator, seller):
    product = _pending(seller, "Oak desk", waiting_since=timezone.now())
    _action(client, QUEUE, "reject_listings", [product], apply="yes", reason="Blurry photos.")
    client.force_login(seller.user)

    html = client.get(reverse("seller:product-edit", args=[product.pk])).content.decode()

    assert "This listing was not approved in review." in html
    assert "Reason: Blurry photos." in html


def test_a_pending_listing_shows_its_state_to_the_seller(client, seller):
    product = _pending(seller, "Oak desk", waiting_since=timezone.now())
    client.force_login(seller.user)

    edit = client.get(reverse("seller:product-edit", args=[product.pk])).content.decode()
    listing = client.get(reverse("seller:product-list")).content.decode()

    assert "Status: Pending review" in edit
    assert "Our team reviews this listing before it goes live." in edit
    assert "Pending review" in listing
    # The screening reasons are for operators only.
    assert "flagged words" not in edit


def test_an_illegal_action_is_reported_and_changes_nothing(client, operator, seller):
    live = ProductFactory(seller=seller, title="Live chair", status=Status.ACTIVE)

    response = _action(client, PRODUCTS, "approve_listings", [live])

    live.refresh_from_db()
    assert live.status == Status.ACTIVE
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Not changed — Live chair: A listing cannot go from “Active” to “Active”."]


def test_product_admin_delists_with_a_reason(client, operator, seller):
    live = ProductFactory(seller=seller, title="Live chair", status=Status.ACTIVE)

    confirm = _action(client, PRODUCTS, "delist_listings", [live])
    done = _action(client, PRODUCTS, "delist_listings", [live], apply="yes", reason="Unsafe.")

    assert confirm.status_code == 200
    assert done.status_code == 302
    live.refresh_from_db()
    assert live.status == Status.DELISTED
    assert live.status_events.get().reason == "Unsafe."


def test_product_status_is_read_only_in_the_change_form(client, operator, seller):
    product = ProductFactory(seller=seller, title="Oak desk", status=Status.DRAFT)

    html = client.get(reverse("admin:catalog_product_change", args=[product.pk])).content.decode()

    assert 'name="title"' in html
    assert 'name="status"' not in html


def test_a_queued_listing_opens_read_only_with_its_status_history(client, operator, seller):
    product = _pending(seller, "Oak desk", waiting_since=timezone.now())

    response = client.get(reverse("admin:catalog_listingmoderation_change", args=[product.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Oak desk" in html
    assert "screening: flagged words: replica" in html
    assert 'name="title"' not in html
    assert 'name="_save"' not in html


def test_operators_cannot_add_or_delete_from_the_queue(client, operator, seller):
    product = _pending(seller, "Oak desk", waiting_since=timezone.now())

    assert client.get(reverse("admin:catalog_listingmoderation_add")).status_code == 403
    assert client.get(reverse("admin:catalog_listingmoderation_delete", args=[product.pk])).status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "shopper", "seller"])
def test_non_operators_are_sent_to_the_admin_login(client, seller, who):
    product = _pending(seller, "Oak desk", waiting_since=timezone.now())
    if who == "shopper":
        client.force_login(UserFactory())
    elif who == "seller":
        client.force_login(seller.user)

    queue = client.get(QUEUE)
    preview = client.get(reverse("admin:catalog_listingmoderation_preview", args=[product.pk]))
    approve = _action(client, QUEUE, "approve_listings", [product])

    for response in (queue, preview, approve):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    product.refresh_from_db()
    assert product.status == Status.PENDING_REVIEW


def test_the_preview_shows_pictures_and_offers_nothing_to_buy(client, operator, seller):
    from tests.catalog.views.test_product_images import _images_add

    product = _pending(seller, "Oak desk", waiting_since=timezone.now())
    images = _images_add(product, 2, alt_text="Oak desk")

    html = client.get(reverse("admin:catalog_listingmoderation_preview", args=[product.pk])).content.decode()

    assert all(f"#picture-{image.pk}" in html for image in images)
    assert reverse("orders:cart-add") not in html
    assert "Not on sale until the listing is approved." in html
