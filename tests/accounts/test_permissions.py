"""The per-audience mixins, exercised through throwaway views (no URLconf needed)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views import View

from accounts.models import SellerProfile
from accounts.permissions import OperatorRequiredMixin, SellerRequiredMixin, ShopperRequiredMixin
from tests.factories import OperatorFactory, SellerProfileFactory, UserFactory

Status = SellerProfile.Status
pytestmark = pytest.mark.django_db


class ShopperOnlyView(ShopperRequiredMixin, View):
    def get(self, request):
        return HttpResponse("shopper page")


class SellerOnlyView(SellerRequiredMixin, View):
    def get(self, request):
        return HttpResponse(f"seller page of {request.seller.shop_name}")


class OperatorOnlyView(OperatorRequiredMixin, View):
    def get(self, request):
        return HttpResponse("operator page")


def _get(view_class, user, path="/throwaway/"):
    request = RequestFactory().get(path)
    request.user = user
    response = view_class.as_view()(request)
    if hasattr(response, "render"):
        response.render()
    return response


@pytest.mark.parametrize("view_class", [ShopperOnlyView, SellerOnlyView])
def test_anonymous_visitors_are_redirected_to_sign_in(view_class):
    response = _get(view_class, AnonymousUser(), path="/throwaway/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/throwaway/"


def test_a_signed_in_user_is_a_shopper():
    response = _get(ShopperOnlyView, UserFactory())

    assert response.status_code == 200
    assert response.content == b"shopper page"


def test_an_approved_seller_gets_in_with_request_seller_attached():
    seller = SellerProfileFactory(shop_name="Attic", status=Status.APPROVED)

    response = _get(SellerOnlyView, seller.user)

    assert response.status_code == 200
    assert response.content == b"seller page of Attic"


@pytest.mark.parametrize("status", [None, Status.PENDING, Status.REJECTED])
def test_users_without_an_approved_shop_are_sent_to_the_apply_page(status):
    user = UserFactory() if status is None else SellerProfileFactory(status=status).user

    response = _get(SellerOnlyView, user)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:seller-apply")


def test_a_suspended_seller_gets_a_403_page_with_the_reason():
    seller = SellerProfileFactory(status=Status.SUSPENDED, status_reason="Counterfeit goods reported.")

    response = _get(SellerOnlyView, seller.user)

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your shop is suspended" in html
    assert "Counterfeit goods reported." in html


def test_an_operator_gets_in():
    response = _get(OperatorOnlyView, OperatorFactory())

    assert response.status_code == 200
    assert response.content == b"operator page"


@pytest.mark.parametrize(
    "make_user",
    [
        AnonymousUser,
        UserFactory,
        lambda: SellerProfileFactory().user,
        lambda: OperatorFactory(is_active=False),
    ],
    ids=["anonymous", "shopper", "seller", "inactive-staff"],
)
def test_everyone_else_gets_404_from_operator_pages(make_user):
    with pytest.raises(Http404):
        _get(OperatorOnlyView, make_user())
