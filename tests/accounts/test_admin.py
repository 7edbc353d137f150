import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts.models import SellerProfile, User
from tests.factories import AddressFactory, OperatorFactory, SellerProfileFactory

Status = SellerProfile.Status
pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_sellerprofile_changelist")


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


def _action(client, action, sellers, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [s.pk for s in sellers], **extra}
    return client.post(CHANGELIST, data)


def test_approve_action_asks_for_confirmation_then_approves(
    client, operator, django_capture_on_commit_callbacks, mailoutbox
):
    seller = SellerProfileFactory(status=Status.PENDING, shop_name="Attic")

    confirm = _action(client, "approve_sellers", [seller])
    assert confirm.status_code == 200
    assert "Attic" in confirm.content.decode()
    seller.refresh_from_db()
    assert seller.status == Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = _action(client, "approve_sellers", [seller], apply="yes", reason="")

    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.status == Status.APPROVED
    assert seller.status_changed_by == operator
    assert [m.subject for m in mailoutbox] == ["Your shop “Attic” is open"]


def test_suspend_action_requires_a_reason(client, operator):
    seller = SellerProfileFactory(status=Status.APPROVED)

    response = _action(client, "suspend_sellers", [seller], apply="yes", reason="")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    seller.refresh_from_db()
    assert seller.status == Status.APPROVED


def test_suspend_action_with_a_reason_suspends_every_selected_seller(client, operator):
    sellers = [SellerProfileFactory(status=Status.APPROVED) for _ in range(2)]

    response = _action(client, "suspend_sellers", sellers, apply="yes", reason="Unpaid fees.")

    assert response.status_code == 302
    assert list(
        SellerProfile.objects.filter(pk__in=[s.pk for s in sellers]).values_list("status", "status_reason")
    ) == [(Status.SUSPENDED, "Unpaid fees."), (Status.SUSPENDED, "Unpaid fees.")]


def test_an_illegal_action_is_reported_and_changes_nothing(client, operator):
    suspended = SellerProfileFactory(status=Status.SUSPENDED, shop_name="Attic", status_reason="Unpaid fees.")
    pending = SellerProfileFactory(status=Status.PENDING)

    response = _action(client, "approve_sellers", [suspended, pending], apply="yes", reason="")

    suspended.refresh_from_db()
    pending.refresh_from_db()
    assert (suspended.status, suspended.status_reason) == (Status.SUSPENDED, "Unpaid fees.")
    assert pending.status == Status.APPROVED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(m.startswith("Not changed — Attic: Cannot approve") for m in messages)


def test_status_fields_are_read_only_in_the_change_form(client, operator):
    seller = SellerProfileFactory(status=Status.PENDING, shop_name="Attic", slug="attic")
    url = reverse("admin:accounts_sellerprofile_change", args=[seller.pk])

    page = client.get(url)
    response = client.post(
        url,
        {
            "shop_name": "Attic Books",
            "slug": "attic",
            "kind": "individual",
            "description": "",
            "status": Status.APPROVED,
            "status_reason": "sneaky",
            # the (read-only) review-history inline still posts its management form
            "status_events-TOTAL_FORMS": "0",
            "status_events-INITIAL_FORMS": "0",
        },
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="status"' not in html
    assert 'name="status_reason"' not in html
    assert 'name="shop_name"' in html
    assert response.status_code == 302
    seller.refresh_from_db()
    assert (seller.shop_name, seller.status, seller.status_reason) == ("Attic Books", Status.PENDING, "")


def test_operators_cannot_add_or_delete_seller_profiles_in_the_admin(client, operator):
    seller = SellerProfileFactory()

    assert client.get(reverse("admin:accounts_sellerprofile_add")).status_code == 403
    assert client.get(reverse("admin:accounts_sellerprofile_delete", args=[seller.pk])).status_code == 403


def test_seller_changelist_filters_by_status_and_searches_by_email(client, operator):
    SellerProfileFactory(status=Status.PENDING, shop_name="Pending Attic", user__email="ada@example.com")
    SellerProfileFactory(status=Status.APPROVED, shop_name="Approved Barn")

    filtered = client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    searched = client.get(CHANGELIST, {"q": "ada@example"}).content.decode()

    assert "Pending Attic" in filtered
    assert "Approved Barn" not in filtered
    assert "Pending Attic" in searched
    assert "Approved Barn" not in searched


def test_user_admin_creates_a_user_by_email(client, operator):
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Grace@Example.com",
            "usable_password": "true",
            "password1": "purple-otter-windmill-42",
            "password2": "purple-otter-windmill-42",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="grace@example.com")
    assert user.check_password("purple-otter-windmill-42")


def test_user_admin_refuses_an_email_differing_only_in_case(client, operator):
    OperatorFactory(email="grace@example.com")

    response = client.post(
        reverse("admin:accounts_user_add"),
        {"email": "GRACE@example.com", "usable_password": "false"},
    )

    assert response.status_code == 200
    assert "A user with that e-mail address already exists." in response.content.decode()


def test_user_admin_lists_searches_and_shows_addresses_read_only(client, operator):
    address = AddressFactory(user__email="ada@example.com", line1="12 Analytical Row")
    AddressFactory(user__email="zed@example.com")

    changelist = client.get(reverse("admin:accounts_user_changelist"), {"q": "ada@"})
    change = client.get(reverse("admin:accounts_user_change", args=[address.user.pk]))

    assert "ada@example.com" in changelist.content.decode()
    assert "zed@example.com" not in changelist.content.decode()
    html = change.content.decode()
    assert change.status_code == 200
    assert 'name="email"' in html
    assert "12 Analytical Row" in html
    assert 'name="addresses-0-line1"' not in html
