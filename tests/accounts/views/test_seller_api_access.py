"""The seller portal's "API access" page: create, regenerate and revoke the seller's own API key."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import SellerApiToken, SellerProfile
from accounts.services import seller_api_token_create
from tests.factories import SellerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/seller/api-access/"


@pytest.fixture
def seller(client):
    profile = SellerProfileFactory(shop_name="Attic")
    client.force_login(profile.user)
    return profile


def _api_status(key: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api.get("/api/seller/products/").status_code


def test_the_page_is_at_the_documented_path_and_in_the_portal_nav(client, seller):
    response = client.get(URL)

    assert reverse("seller:api-access") == URL
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{URL}"' in html
    assert "You have no active API key." in html
    assert 'value="create"' in html


def test_creating_a_key_shows_it_once_and_stores_only_its_digest(client, seller):
    response = client.post(URL, {"action": "create"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    assert key.startswith("mps_")
    assert len(key) == 44
    assert key in response.content.decode()
    token = SellerApiToken.objects.get()
    assert (token.seller_id, token.prefix, token.key_digest, token.revoked_at) == (
        seller.id,
        key[:12],
        SellerApiToken.digest(key),
        None,
    )
    assert _api_status(key) == 200
    again = client.get(URL).content.decode()
    assert key not in again
    assert f"{key[:12]}…" in again


def test_regenerating_revokes_the_old_key(client, seller):
    old_key = client.post(URL, {"action": "create"}).context["new_key"]

    new_key = client.post(URL, {"action": "create"}).context["new_key"]

    assert new_key != old_key
    assert (_api_status(old_key), _api_status(new_key)) == (401, 200)
    assert SellerApiToken.objects.filter(seller=seller, revoked_at__isnull=True).count() == 1
    assert SellerApiToken.objects.count() == 2


def test_revoking_the_key_stops_it(client, seller):
    token, key = seller_api_token_create(seller_id=seller.id)

    response = client.post(URL, {"action": "revoke", "token": token.pk})

    assert response.status_code == 302
    assert response["Location"] == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api_status(key) == 401
    assert "You have no active API key." in client.get(URL).content.decode()


def test_a_seller_can_neither_see_nor_revoke_another_sellers_key(client, seller):
    other = SellerProfileFactory(shop_name="Barn")
    other_token, other_key = seller_api_token_create(seller_id=other.id)

    page = client.get(URL).content.decode()
    revoke = client.post(URL, {"action": "revoke", "token": other_token.pk})

    assert other_token.prefix not in page
    assert revoke.status_code == 404
    other_token.refresh_from_db()
    assert other_token.revoked_at is None
    assert _api_status(other_key) == 200


@pytest.mark.parametrize("data", [{"action": "revoke", "token": "x"}, {"action": "revoke"}])
def test_a_malformed_revoke_is_a_404(client, seller, data):
    assert client.post(URL, data).status_code == 404


def test_an_unknown_action_is_a_400(client, seller):
    assert client.post(URL, {"action": "steal"}).status_code == 400
    assert SellerApiToken.objects.count() == 0


def test_a_shopper_without_a_shop_is_sent_to_apply(client):
    client.force_login(UserFactory())

    response = client.post(URL, {"action": "create"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:seller-apply")
    assert SellerApiToken.objects.count() == 0


def test_a_suspended_seller_cannot_create_a_key(client):
    profile = SellerProfileFactory(status=SellerProfile.Status.SUSPENDED)
    client.force_login(profile.user)

    response = client.post(URL, {"action": "create"})

    assert response.status_code == 403
    assert SellerApiToken.objects.count() == 0
