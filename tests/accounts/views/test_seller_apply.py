import pytest
from django.urls import reverse

from accounts.models import SellerProfile
from tests.factories import SellerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:seller-apply")


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={URL}"


def test_a_shopper_without_a_shop_sees_the_application_form(client, shopper):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sell on Marketplace</h1>" in html
    assert '<label for="id_shop_name">Shop name</label>' in html
    assert "<legend>Seller type</legend>" in html


def test_applying_creates_a_pending_shop_and_shows_its_status(client, shopper):
    response = client.post(
        URL, {"shop_name": "Ada's Attic", "description": "Old books.", "kind": "individual"}, follow=True
    )

    assert response.redirect_chain == [(URL, 302)]
    profile = SellerProfile.objects.get(user=shopper)
    assert (profile.shop_name, profile.slug, profile.status) == ("Ada's Attic", "adas-attic", "pending")
    html = response.content.decode()
    assert "Your application was received" in html
    assert "<strong>Pending approval</strong>" in html
    assert 'name="shop_name"' not in html


def test_a_second_application_is_refused(client, shopper):
    SellerProfileFactory(user=shopper, shop_name="First shop", status=SellerProfile.Status.PENDING)

    response = client.post(URL, {"shop_name": "Second shop", "description": "", "kind": "individual"})

    assert response.status_code == 200
    assert "You have already applied to sell on the marketplace." in response.content.decode()
    assert list(SellerProfile.objects.filter(user=shopper).values_list("shop_name", flat=True)) == [
        "First shop"
    ]


def test_an_empty_shop_name_is_an_error_next_to_the_field(client, shopper):
    response = client.post(URL, {"shop_name": "   ", "description": "", "kind": "individual"})

    assert response.status_code == 200
    assert (
        '<ul class="errorlist" id="id_shop_name_error"><li>This field is required.</li></ul>'
        in response.content.decode()
    )
    assert not SellerProfile.objects.filter(user=shopper).exists()


def test_a_suspended_seller_sees_the_status_and_the_reason(client, shopper):
    SellerProfileFactory(
        user=shopper, status=SellerProfile.Status.SUSPENDED, status_reason="Counterfeit goods reported."
    )

    response = client.get(URL)

    html = response.content.decode()
    assert "<strong>Suspended</strong>" in html
    assert "Reason: Counterfeit goods reported." in html
    assert 'name="shop_name"' not in html


def test_an_approved_seller_gets_a_link_to_the_shop_page(client, shopper):
    SellerProfileFactory(user=shopper, slug="adas-attic")

    response = client.get(URL)

    assert reverse("catalog:seller-store", args=["adas-attic"]) in response.content.decode()


def test_account_overview_links_to_the_account_pages(client, shopper):
    response = client.get(reverse("accounts:overview"))

    html = response.content.decode()
    assert response.status_code == 200
    for url in (
        reverse("accounts:address-list"),
        reverse("accounts:seller-apply"),
        reverse("account_change_password"),
        reverse("account_logout"),
    ):
        assert f'href="{url}"' in html
