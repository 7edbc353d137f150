"""Listing screening (pure rules, no database) and the moderation services that act on what it decides."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Product, ProductStatusEvent
from catalog.screening import (
    ListingFacts,
    ScreeningRules,
    flagged_words_found,
    listing_screening_reasons,
    screening_reason_text,
)
from catalog.selectors import product_list_visible
from catalog.services import products_schedule_run
from catalog.services_listing import VariantInput, product_create, product_seller_transition
from catalog.services_moderation import (
    ModerationNotAllowed,
    product_moderation_approve,
    product_moderation_reject,
    product_operator_delist,
)
from catalog.transitions import IllegalTransition
from common.exceptions import ApplicationError
from tests.factories import (
    OperatorFactory,
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    category_create,
)

Status = Product.Status


def _facts(**overrides):
    values = {
        "title": "Oak desk",
        "description": "Solid oak, two drawers.",
        "price_amount": 25_000,
        "first_publication": True,
        "seller_published_count": 0,
        "category_typical_price": None,
    }
    values.update(overrides)
    return ListingFacts(**values)


# --- pure rules (no database) -----------------------------------------------------------------------


def test_no_rules_screen_nothing():
    assert listing_screening_reasons(facts=_facts(title="Replica desk"), rules=ScreeningRules()) == []


def test_a_new_sellers_first_listings_are_screened():
    rules = ScreeningRules(new_seller_listings=3)

    assert listing_screening_reasons(facts=_facts(seller_published_count=2), rules=rules) == [
        "new seller (2 of the first 3 listings reviewed)"
    ]
    assert listing_screening_reasons(facts=_facts(seller_published_count=3), rules=rules) == []


def test_a_listing_that_was_live_before_is_not_new():
    rules = ScreeningRules(new_seller_listings=3)

    reasons = listing_screening_reasons(facts=_facts(first_publication=False), rules=rules)

    assert reasons == []


def test_flagged_words_match_whole_words_in_any_case_in_title_or_description():
    rules = ScreeningRules(flagged_words=("replica", "knock-off", "fake"))

    in_title = listing_screening_reasons(facts=_facts(title="REPLICA watch"), rules=rules)
    in_description = listing_screening_reasons(
        facts=_facts(description="A knock off of the famous one."), rules=rules
    )
    inside_a_word = listing_screening_reasons(facts=_facts(title="Fakeroo figurine"), rules=rules)

    assert in_title == ["flagged words: replica"]
    assert in_description == ["flagged words: knock-off"]
    assert inside_a_word == []


def test_flagged_words_found_lists_each_word_once_in_rule_order():
    found = flagged_words_found("Fake replica, a real fake", ["replica", "fake", "stolen"])

    assert found == ["replica", "fake"]


def test_a_price_far_above_the_category_typical_price_is_screened():
    rules = ScreeningRules(price_factor=10)

    above = listing_screening_reasons(
        facts=_facts(price_amount=100_001, category_typical_price=10_000), rules=rules
    )
    at_limit = listing_screening_reasons(
        facts=_facts(price_amount=100_000, category_typical_price=10_000), rules=rules
    )
    unknown = listing_screening_reasons(facts=_facts(price_amount=10**9), rules=rules)

    assert above == ["price over 10x the category's typical price"]
    assert at_limit == []
    assert unknown == []


def test_every_reason_is_reported_and_joined_for_the_event():
    rules = ScreeningRules(new_seller_listings=1, flagged_words=("replica",), price_factor=2)

    reasons = listing_screening_reasons(
        facts=_facts(title="Replica", price_amount=500, category_typical_price=100), rules=rules
    )

    assert screening_reason_text(reasons) == (
        "screening: new seller (0 of the first 1 listings reviewed); flagged words: replica; "
        "price over 2x the category's typical price"
    )


# --- services -----------------------------------------------------------------------------------------


@pytest.fixture
def seller():
    return SellerProfileFactory(shop_name="Attic", user__email="attic@example.com")


@pytest.fixture
def leaf():
    return category_create("Desks", parent=category_create("Furniture"))


@pytest.fixture
def operator():
    return OperatorFactory()


def _publish_new(seller, leaf, *, title="Oak desk", description="Solid oak.", price=25_000):
    return product_create(
        seller_id=seller.id,
        actor_id=seller.user_id,
        title=title,
        description=description,
        category_id=leaf.id,
        variants=[VariantInput(sku=f"SKU-{title}", price_amount=price, stock=1)],
        publish=True,
    )


def _pending(seller, *, title="Oak desk", reason="screening: flagged words: replica"):
    """A listing screening held back, as the publish service leaves it (with its event)."""
    product = ProductFactory(seller=seller, title=title, status=Status.PENDING_REVIEW, published_at=None)
    ProductVariantFactory(product=product)
    ProductStatusEvent.objects.create(
        product=product, from_status=Status.DRAFT, to_status=Status.PENDING_REVIEW, reason=reason
    )
    return product


@pytest.mark.django_db
def test_a_new_sellers_first_listing_waits_for_moderation(settings, seller, leaf):
    settings.LISTING_REVIEW_NEW_SELLER_LISTINGS = 3

    product = _publish_new(seller, leaf)

    assert product.status == Status.PENDING_REVIEW
    assert product.published_at is None
    event = product.status_events.get()
    assert (event.from_status, event.to_status, event.actor_id, event.reason) == (
        Status.DRAFT,
        Status.PENDING_REVIEW,
        seller.user_id,
        "screening: new seller (0 of the first 3 listings reviewed)",
    )
    assert list(product_list_visible()) == []


@pytest.mark.django_db
def test_an_established_sellers_listing_goes_live(settings, seller, leaf):
    settings.LISTING_REVIEW_NEW_SELLER_LISTINGS = 3
    ProductFactory.create_batch(3, seller=seller, status=Status.DELISTED)

    product = _publish_new(seller, leaf)

    assert product.status == Status.ACTIVE
    assert product.status_events.get().reason == "seller"


@pytest.mark.django_db
def test_by_default_a_plain_listing_goes_live(seller, leaf):
    product = _publish_new(seller, leaf)

    assert product.status == Status.ACTIVE


@pytest.mark.django_db
def test_flagged_words_send_a_listing_to_moderation(seller, leaf):
    product = _publish_new(seller, leaf, title="Designer handbag", description="A perfect replica.")

    assert product.status == Status.PENDING_REVIEW
    assert product.status_events.get().reason == "screening: flagged words: replica"


@pytest.mark.django_db
def test_a_price_far_above_the_category_median_sends_a_listing_to_moderation(settings, seller, leaf):
    settings.LISTING_REVIEW_PRICE_MIN_LISTINGS = 3
    for price in (900, 1000, 1100):
        ProductFactory(category=leaf, price_amount=price)

    cheap = _publish_new(seller, leaf, title="Pine desk", price=10_000)
    dear = _publish_new(seller, leaf, title="Gold desk", price=10_001)

    assert cheap.status == Status.ACTIVE
    assert dear.status == Status.PENDING_REVIEW
    assert dear.status_events.get().reason == "screening: price over 10x the category's typical price"


@pytest.mark.django_db
def test_relisting_a_delisted_listing_is_screened_again(seller):
    product = ProductFactory(seller=seller, status=Status.DELISTED, title="Replica scarf")
    ProductVariantFactory(product=product)

    product_seller_transition(seller_id=seller.id, product_id=product.id, action="publish", actor_id=None)

    product.refresh_from_db()
    assert product.status == Status.PENDING_REVIEW


@pytest.mark.django_db
def test_a_seller_cannot_publish_past_pending_review(seller):
    product = _pending(seller)

    with pytest.raises(IllegalTransition):
        product_seller_transition(seller_id=seller.id, product_id=product.id, action="publish", actor_id=None)

    product.refresh_from_db()
    assert product.status == Status.PENDING_REVIEW


@pytest.mark.django_db
def test_a_scheduled_publish_is_screened(seller):
    past = timezone.now() - timedelta(minutes=1)
    held = ProductFactory(
        seller=seller, title="Replica lamp", status=Status.DRAFT, published_at=None, publish_at=past
    )
    plain = ProductFactory(
        seller=seller, title="Lamp", status=Status.DRAFT, published_at=None, publish_at=past
    )

    counts = products_schedule_run(now=timezone.now())

    assert counts == {"published": 1, "held_for_review": 1, "delisted": 0, "skipped": 0}
    held.refresh_from_db()
    plain.refresh_from_db()
    assert (held.status, plain.status) == (Status.PENDING_REVIEW, Status.ACTIVE)
    assert held.status_events.get().actor_id is None


@pytest.mark.django_db
def test_approve_makes_the_listing_live_and_tells_the_seller(
    seller, operator, django_capture_on_commit_callbacks, mailoutbox
):
    product = _pending(seller, title="Oak desk")

    with django_capture_on_commit_callbacks(execute=True):
        product_moderation_approve(product_id=product.id, actor_id=operator.id)

    product.refresh_from_db()
    assert product.status == Status.ACTIVE
    assert product.published_at is not None
    assert list(product_list_visible()) == [product]
    event = product.status_events.first()
    assert (event.from_status, event.to_status, event.actor_id, event.reason) == (
        Status.PENDING_REVIEW,
        Status.ACTIVE,
        operator.id,
        "approved in review",
    )
    assert [(m.subject, m.to) for m in mailoutbox] == [
        ("Your listing “Oak desk” is live", ["attic@example.com"])
    ]


@pytest.mark.django_db
def test_reject_returns_the_listing_to_draft_and_emails_the_reason_after_commit(
    seller, operator, django_capture_on_commit_callbacks, mailoutbox
):
    product = _pending(seller, title="Oak desk")
    product.publish_at = timezone.now() - timedelta(minutes=1)
    product.save(update_fields=["publish_at"])

    with django_capture_on_commit_callbacks() as callbacks:
        product_moderation_reject(
            product_id=product.id, actor_id=operator.id, reason="  Photos show a different desk. "
        )
    assert mailoutbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()

    product.refresh_from_db()
    assert (product.status, product.publish_at) == (Status.DRAFT, None)
    event = product.status_events.first()
    assert (event.to_status, event.actor_id, event.reason) == (
        Status.DRAFT,
        operator.id,
        "Photos show a different desk.",
    )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert (mail.subject, mail.to) == ("Your listing “Oak desk” was not approved", ["attic@example.com"])
    assert "Reason: Photos show a different desk." in mail.body
    assert products_schedule_run(now=timezone.now())["held_for_review"] == 0


@pytest.mark.django_db
def test_reject_requires_a_reason_and_changes_nothing_without_one(seller, operator, mailoutbox):
    product = _pending(seller)

    with pytest.raises(ApplicationError) as excinfo:
        product_moderation_reject(product_id=product.id, actor_id=operator.id, reason="   ")

    assert excinfo.value.extra == {"reason": ["This field is required."]}
    product.refresh_from_db()
    assert product.status == Status.PENDING_REVIEW
    assert product.status_events.count() == 1
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.DRAFT, Status.ACTIVE, Status.DELISTED])
def test_only_pending_listings_can_be_approved_or_rejected(seller, operator, status):
    product = ProductFactory(seller=seller, status=status)

    with pytest.raises(IllegalTransition):
        product_moderation_approve(product_id=product.id, actor_id=operator.id)
    with pytest.raises(IllegalTransition):
        product_moderation_reject(product_id=product.id, actor_id=operator.id, reason="No.")

    product.refresh_from_db()
    assert product.status == status
    assert ProductStatusEvent.objects.count() == 0


@pytest.mark.django_db
def test_a_seller_cannot_approve_their_own_listing(seller):
    product = _pending(seller)

    with pytest.raises(ModerationNotAllowed):
        product_moderation_approve(product_id=product.id, actor_id=seller.user_id)

    product.refresh_from_db()
    assert product.status == Status.PENDING_REVIEW


@pytest.mark.django_db
def test_an_operator_cannot_moderate_a_listing_of_their_own_shop():
    operator = OperatorFactory()
    product = _pending(SellerProfileFactory(user=operator))

    with pytest.raises(ModerationNotAllowed) as excinfo:
        product_moderation_approve(product_id=product.id, actor_id=operator.id)

    assert excinfo.value.message == "You cannot moderate your own listing."
    product.refresh_from_db()
    assert product.status == Status.PENDING_REVIEW


@pytest.mark.django_db
def test_operator_delist_takes_a_live_listing_down_with_a_reason(
    seller, operator, django_capture_on_commit_callbacks, mailoutbox
):
    product = ProductFactory(seller=seller, title="Oak desk", status=Status.ACTIVE)

    with django_capture_on_commit_callbacks(execute=True):
        product_operator_delist(product_id=product.id, actor_id=operator.id, reason="Reported as unsafe.")

    product.refresh_from_db()
    assert product.status == Status.DELISTED
    assert [m.subject for m in mailoutbox] == ["Your listing “Oak desk” has been taken down"]
    assert "Reason: Reported as unsafe." in mailoutbox[0].body
