import pytest
from django.core.exceptions import ValidationError

from accounts.models import SellerProfile
from accounts.services import (
    seller_apply,
    seller_approve,
    seller_reinstate,
    seller_reject,
    seller_status_transition,
    seller_suspend,
)
from common.exceptions import ApplicationError
from common.tracking_buffer import get_buffer
from tests.factories import OperatorFactory, SellerProfileFactory, UserFactory

Status = SellerProfile.Status
pytestmark = pytest.mark.django_db


def test_seller_apply_creates_a_pending_profile_with_a_slug_from_the_shop_name():
    user = UserFactory()

    profile = seller_apply(
        user=user, shop_name="  Ada's Attic ", description="Old books.", kind=SellerProfile.Kind.INDIVIDUAL
    )

    profile.refresh_from_db()
    assert profile.user == user
    assert profile.shop_name == "Ada's Attic"
    assert profile.slug == "adas-attic"
    assert profile.description == "Old books."
    assert profile.kind == SellerProfile.Kind.INDIVIDUAL
    assert profile.status == Status.PENDING
    assert profile.status_changed_at is None
    assert "seller" not in user.roles


def test_seller_apply_tracks_a_seller_applied_event():
    user = UserFactory()

    profile = seller_apply(user=user, shop_name="Attic", kind=SellerProfile.Kind.BUSINESS)

    [event] = get_buffer().pop_batch(10)
    assert event["type"] == "seller_applied"
    assert event["user_id"] == user.id
    assert event["object_type"] == "accounts.sellerprofile"
    assert event["object_id"] == str(profile.id)
    assert event["properties"] == {"kind": "business"}


def test_seller_apply_adds_a_numeric_suffix_when_the_slug_is_taken():
    SellerProfileFactory(slug="attic")
    SellerProfileFactory(slug="attic-2")

    profile = seller_apply(user=UserFactory(), shop_name="Attic", kind=SellerProfile.Kind.INDIVIDUAL)

    assert profile.slug == "attic-3"


def test_seller_apply_gives_a_chinese_shop_name_an_ascii_fallback_slug():
    user = UserFactory()

    profile = seller_apply(user=user, shop_name="小明的店", kind=SellerProfile.Kind.INDIVIDUAL)

    assert profile.shop_name == "小明的店"
    assert profile.slug == f"shop-{user.id}"


def test_seller_apply_refuses_a_second_application():
    existing = SellerProfileFactory(status=Status.REJECTED)

    with pytest.raises(ApplicationError, match="already applied"):
        seller_apply(user=existing.user, shop_name="Another", kind=SellerProfile.Kind.INDIVIDUAL)

    assert SellerProfile.objects.filter(user=existing.user).count() == 1
    assert SellerProfile.objects.get(user=existing.user).shop_name == existing.shop_name


def test_seller_apply_refuses_an_inactive_user():
    user = UserFactory(is_active=False)

    with pytest.raises(ApplicationError, match="inactive"):
        seller_apply(user=user, shop_name="Attic", kind=SellerProfile.Kind.INDIVIDUAL)

    assert not SellerProfile.objects.exists()


def test_seller_apply_with_a_blank_shop_name_is_invalid():
    with pytest.raises(ValidationError) as excinfo:
        seller_apply(user=UserFactory(), shop_name="   ", kind=SellerProfile.Kind.INDIVIDUAL)

    assert "shop_name" in excinfo.value.error_dict
    assert not SellerProfile.objects.exists()


def test_seller_approve_records_who_and_when_and_emails_the_seller_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    seller = SellerProfileFactory(status=Status.PENDING, shop_name="Attic", user__email="ada@example.com")
    operator = OperatorFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seller_approve(seller_id=seller.id, actor=operator)
        assert mailoutbox == []  # nothing leaves before the commit

    seller.refresh_from_db()
    assert len(callbacks) == 2  # the e-mail, and a new generation of cached storefront listings
    assert seller.status == Status.APPROVED
    assert seller.status_reason == ""
    assert seller.status_changed_by == operator
    assert seller.status_changed_at is not None
    assert "seller" in seller.user.roles
    [mail] = mailoutbox
    assert mail.to == ["ada@example.com"]
    assert mail.subject == "Your shop “Attic” is open"
    assert "Approved" in mail.body


def test_seller_suspend_an_approved_seller_with_a_reason(django_capture_on_commit_callbacks, mailoutbox):
    seller = SellerProfileFactory(status=Status.APPROVED, shop_name="Attic")
    operator = OperatorFactory()

    with django_capture_on_commit_callbacks(execute=True):
        seller_suspend(seller_id=seller.id, actor=operator, reason="  Counterfeit goods reported. ")

    seller.refresh_from_db()
    assert seller.status == Status.SUSPENDED
    assert seller.status_reason == "Counterfeit goods reported."
    assert seller.status_changed_by == operator
    [event] = seller.status_events.all()
    assert (event.action, event.from_status, event.to_status) == ("suspend", "approved", "suspended")
    assert (event.actor, event.reason) == (operator, "Counterfeit goods reported.")
    [mail] = mailoutbox
    assert mail.subject == "Your shop “Attic” has been suspended"
    assert "Reason: Counterfeit goods reported." in mail.body


@pytest.mark.parametrize("service", [seller_suspend, seller_reject])
def test_suspend_and_reject_require_a_reason(service):
    seller = SellerProfileFactory(status=Status.APPROVED if service is seller_suspend else Status.PENDING)
    before = seller.status

    with pytest.raises(ApplicationError, match="reason is required"):
        service(seller_id=seller.id, actor=OperatorFactory(), reason="  ")

    seller.refresh_from_db()
    assert seller.status == before
    assert seller.status_changed_at is None


def test_seller_reinstate_a_suspended_seller_clears_the_old_reason():
    seller = SellerProfileFactory(status=Status.SUSPENDED, status_reason="Counterfeit goods reported.")

    seller_reinstate(seller_id=seller.id, actor=OperatorFactory())

    seller.refresh_from_db()
    assert seller.status == Status.APPROVED
    assert seller.status_reason == ""


def test_seller_reject_a_pending_application(django_capture_on_commit_callbacks, mailoutbox):
    seller = SellerProfileFactory(status=Status.PENDING, shop_name="Attic")

    with django_capture_on_commit_callbacks(execute=True):
        seller_reject(seller_id=seller.id, actor=OperatorFactory(), reason="Prohibited items.")

    seller.refresh_from_db()
    assert seller.status == Status.REJECTED
    assert seller.status_reason == "Prohibited items."
    assert mailoutbox[0].subject == "Your application for “Attic” was not approved"


def test_a_rejected_application_can_be_approved_on_appeal():
    seller = SellerProfileFactory(status=Status.REJECTED, status_reason="Prohibited items.")

    seller_approve(seller_id=seller.id, actor=OperatorFactory(), reason="Appeal accepted.")

    seller.refresh_from_db()
    assert seller.status == Status.APPROVED
    assert seller.status_reason == "Appeal accepted."


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.SUSPENDED, "approve"),  # a suspended seller is reinstated, not approved
        (Status.APPROVED, "approve"),
        (Status.APPROVED, "reject"),
        (Status.APPROVED, "reinstate"),
        (Status.PENDING, "suspend"),
        (Status.PENDING, "reinstate"),
        (Status.REJECTED, "suspend"),
        (Status.REJECTED, "reinstate"),
        (Status.SUSPENDED, "suspend"),
        (Status.SUSPENDED, "reject"),
        (Status.PENDING, "delete"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(
    status, action, django_capture_on_commit_callbacks, mailoutbox
):
    seller = SellerProfileFactory(status=status, status_reason="original")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError, match="Cannot"):
        seller_status_transition(seller_id=seller.id, actor=OperatorFactory(), action=action, reason="why")

    seller.refresh_from_db()
    assert seller.status == status
    assert seller.status_reason == "original"
    assert seller.status_changed_at is None
    assert seller.status_changed_by is None
    assert seller.status_events.count() == 0
    assert mailoutbox == []
