from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Product, ProductStatusEvent
from catalog.services import products_schedule_run
from catalog.tasks import products_schedule_run_task
from catalog.transitions import ALLOWED_TRANSITIONS, IllegalTransition, product_transition
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Product.Status


def test_publishing_a_draft_sets_published_at_and_records_the_event():
    product = ProductFactory(status=Status.DRAFT, published_at=None)
    actor = product.seller.user

    product_transition(product_id=product.id, to_status=Status.ACTIVE, actor_id=actor.id, reason="ready")

    product.refresh_from_db()
    assert product.status == Status.ACTIVE
    assert product.published_at is not None
    event = ProductStatusEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor_id, event.reason) == (
        "draft",
        "active",
        actor.id,
        "ready",
    )


def test_illegal_transition_raises_and_changes_nothing():
    product = ProductFactory(status=Status.DRAFT)

    with pytest.raises(IllegalTransition):
        product_transition(product_id=product.id, to_status=Status.SOLD_OUT, actor_id=None)

    product.refresh_from_db()
    assert product.status == Status.DRAFT
    assert ProductStatusEvent.objects.count() == 0


def test_every_status_has_a_row_in_the_transition_table():
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)
    assert all(targets <= set(Status.values) for targets in ALLOWED_TRANSITIONS.values())


def test_schedule_run_publishes_due_drafts_and_delists_due_listings():
    now = timezone.now()
    due = ProductFactory(status=Status.DRAFT, published_at=None, publish_at=now - timedelta(minutes=1))
    later = ProductFactory(status=Status.DRAFT, published_at=None, publish_at=now + timedelta(hours=1))
    ending = ProductFactory(status=Status.ACTIVE, delist_at=now - timedelta(seconds=1))
    UserFactory()

    counts = products_schedule_run(now=now)

    assert counts == {"published": 1, "held_for_review": 0, "delisted": 1, "skipped": 0}
    due.refresh_from_db()
    later.refresh_from_db()
    ending.refresh_from_db()
    assert (due.status, due.publish_at) == (Status.ACTIVE, None)
    assert later.status == Status.DRAFT
    assert (ending.status, ending.delist_at) == (Status.DELISTED, None)


def test_schedule_task_is_idempotent():
    ProductFactory(status=Status.DRAFT, published_at=None, publish_at=timezone.now() - timedelta(minutes=5))

    first = products_schedule_run_task.apply().get()
    second = products_schedule_run_task.apply().get()

    assert first["published"] == 1
    assert second == {"published": 0, "held_for_review": 0, "delisted": 0, "skipped": 0}
