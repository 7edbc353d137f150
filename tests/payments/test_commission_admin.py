"""Commission rates change in the admin only through ``payments.commissions``, and every change keeps a
history row naming the operator; payout accounts are read-only there, with their history."""

import pytest
from django.urls import reverse

from payments.commissions import category_commission_update, seller_commission_create
from payments.models import CategoryCommission, SellerCommission, SellerPayoutAccount
from tests.factories import OperatorFactory, SellerProfileFactory, category_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = OperatorFactory(email="ops@example.com")
    client.force_login(user)
    return user


def test_a_new_category_rate_is_created_by_the_service_with_the_operator_in_its_history(client, operator):
    category = category_create("Books")

    response = client.post(
        reverse("admin:payments_categorycommission_add"), {"category": category.pk, "rate_bp": 750}
    )

    assert response.status_code == 302
    commission = CategoryCommission.objects.get()
    assert commission.rate_bp == 750
    assert list(commission.history.values_list("history_type", "rate_bp", "history_user")) == [
        ("+", 750, operator.pk)
    ]


def test_a_second_rate_for_the_same_category_is_refused_on_the_form(client, operator):
    category = category_create("Books")
    CategoryCommission.objects.create(category=category, rate_bp=500)

    response = client.post(
        reverse("admin:payments_categorycommission_add"), {"category": category.pk, "rate_bp": 750}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["category"] == [
        "This category already has a rate: change that one instead."
    ]
    assert list(CategoryCommission.objects.values_list("rate_bp", flat=True)) == [500]


def test_a_changed_rate_is_saved_by_the_service_and_its_category_cannot_move(client, operator):
    books, games = category_create("Books"), category_create("Games")
    commission = CategoryCommission.objects.create(category=books, rate_bp=500)
    url = reverse("admin:payments_categorycommission_change", args=[commission.pk])

    response = client.post(url, {"category": games.pk, "rate_bp": 800})

    assert response.status_code == 302
    commission.refresh_from_db()
    assert (commission.category_id, commission.rate_bp) == (books.pk, 800)
    latest = commission.history.latest()
    assert (latest.history_type, latest.rate_bp, latest.history_user) == ("~", 800, operator)
    history = client.get(reverse("admin:payments_categorycommission_history", args=[commission.pk]))
    assert history.status_code == 200
    assert "ops@example.com" in history.content.decode()


def test_a_seller_rate_above_100_percent_is_refused_and_nothing_is_saved(client, operator):
    seller = SellerProfileFactory()
    commission = SellerCommission.objects.create(seller=seller, rate_bp=300)
    url = reverse("admin:payments_sellercommission_change", args=[commission.pk])

    response = client.post(url, {"rate_bp": 10_001, "note": "typo"})

    assert response.status_code == 200
    assert "rate_bp" in response.context["adminform"].form.errors
    commission.refresh_from_db()
    assert (commission.rate_bp, commission.note) == (300, "")


def test_removing_a_seller_rate_goes_through_the_service_and_is_in_the_history(client, operator):
    seller = SellerProfileFactory()
    commission = seller_commission_create(seller_id=seller.pk, rate_bp=300, actor_id=None)

    response = client.post(
        reverse("admin:payments_sellercommission_delete", args=[commission.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not SellerCommission.objects.exists()
    deleted = SellerCommission.history.latest()
    assert (deleted.history_type, deleted.seller_id, deleted.history_user) == ("-", seller.pk, operator)


def test_a_service_call_outside_a_request_records_the_acting_user():
    operator = OperatorFactory()
    commission = CategoryCommission.objects.create(category=category_create("Books"), rate_bp=500)

    category_commission_update(category_id=commission.category_id, rate_bp=650, actor_id=operator.pk)

    latest = commission.history.latest()
    assert (latest.rate_bp, latest.history_user) == (650, operator)


def test_the_history_cannot_be_reverted_from_the_admin(client, operator):
    commission = CategoryCommission.objects.create(category=category_create("Books"), rate_bp=500)
    category_commission_update(category_id=commission.category_id, rate_bp=650, actor_id=operator.pk)
    first = commission.history.earliest()
    url = reverse("admin:payments_categorycommission_simple_history", args=[commission.pk, first.history_id])

    response = client.post(url, {"rate_bp": 500})

    assert response.status_code == 403
    commission.refresh_from_db()
    assert commission.rate_bp == 650


def test_payout_account_changes_by_the_seller_are_in_the_history_operators_see(client, operator):
    seller = SellerProfileFactory(shop_name="Attic")
    seller_client = client.__class__()
    seller_client.force_login(seller.user)

    seller_client.post(
        reverse("seller:payout-account"),
        {"account_holder": "Attic Ltd", "bank_account": "DE89370400440532013000"},
    )
    seller_client.post(
        reverse("seller:payout-account"),
        {"account_holder": "Attic Ltd", "bank_account": "GB33BUKB20201555555555"},
    )

    account = SellerPayoutAccount.objects.get(seller=seller)
    assert list(account.history.order_by("history_id").values_list("bank_account", "history_user")) == [
        ("DE89370400440532013000", seller.user.pk),
        ("GB33BUKB20201555555555", seller.user.pk),
    ]
    history = client.get(reverse("admin:payments_sellerpayoutaccount_history", args=[account.pk]))
    assert history.status_code == 200
    assert "GB33BUKB20201555555555" in history.content.decode()
    change = client.post(
        reverse("admin:payments_sellerpayoutaccount_change", args=[account.pk]), {"bank_account": "X"}
    )
    assert change.status_code == 403
