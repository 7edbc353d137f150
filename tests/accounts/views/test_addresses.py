import pytest
from django.urls import reverse

from accounts.models import Address
from tests.factories import AddressFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_ADDRESS = {
    "label": "Office",
    "full_name": "Grace Hopper",
    "line1": "1 Compiler Way",
    "line2": "",
    "city": "Arlington",
    "region": "VA",
    "postal_code": "22201",
    "country": "us",
    "phone": "",
}


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "url",
    [
        reverse("accounts:overview"),
        reverse("accounts:address-list"),
        reverse("accounts:address-create"),
        reverse("accounts:address-update", args=[1]),
        reverse("accounts:address-delete", args=[1]),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_address_list_shows_only_my_addresses_and_marks_the_default(client, shopper):
    AddressFactory(user=shopper, is_default=True, line1="12 Analytical Row")
    AddressFactory(user=shopper, is_default=False, line1="1 Babbage Lane")
    AddressFactory(line1="99 Someone Else Street")

    response = client.get(reverse("accounts:address-list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Your addresses</h1>" in html
    assert "12 Analytical Row" in html
    assert "1 Babbage Lane" in html
    assert "99 Someone Else Street" not in html
    assert html.count("(Default)") == 1


def test_adding_my_first_address_makes_it_the_default(client, shopper):
    response = client.post(reverse("accounts:address-create"), NEW_ADDRESS, follow=True)

    assert response.redirect_chain == [(reverse("accounts:address-list"), 302)]
    address = Address.objects.get(user=shopper)
    assert address.full_name == "Grace Hopper"
    assert address.country == "US"
    assert address.is_default is True
    assert "Address saved." in response.content.decode()


def test_the_address_form_shows_errors_next_to_the_fields(client, shopper):
    response = client.post(reverse("accounts:address-create"), {**NEW_ADDRESS, "city": "", "country": "USA"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_city">City</label>' in html
    assert '<ul class="errorlist" id="id_city_error"><li>This field is required.</li></ul>' in html
    assert 'aria-describedby="id_country_helptext id_country_error"' in html
    assert not Address.objects.filter(user=shopper).exists()


def test_editing_my_address(client, shopper):
    address = AddressFactory(user=shopper, is_default=True)

    page = client.get(reverse("accounts:address-update", args=[address.pk]))
    response = client.post(
        reverse("accounts:address-update", args=[address.pk]), {**NEW_ADDRESS, "city": "Cambridge"}
    )

    assert page.status_code == 200
    assert 'value="Ada Lovelace"' in page.content.decode()
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.city == "Cambridge"
    assert address.full_name == "Grace Hopper"
    assert address.is_default is True


def test_deleting_my_address_asks_first_and_deletes_on_post(client, shopper):
    address = AddressFactory(user=shopper)

    confirm = client.get(reverse("accounts:address-delete", args=[address.pk]))
    assert confirm.status_code == 200
    assert Address.objects.filter(pk=address.pk).exists()

    response = client.post(reverse("accounts:address-delete", args=[address.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:address-list")
    assert not Address.objects.filter(pk=address.pk).exists()


def test_setting_my_default_address(client, shopper):
    first = AddressFactory(user=shopper, is_default=True)
    second = AddressFactory(user=shopper, is_default=False)

    response = client.post(reverse("accounts:address-set-default", args=[second.pk]))

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)


def test_set_default_is_post_only(client, shopper):
    address = AddressFactory(user=shopper, is_default=False)

    response = client.get(reverse("accounts:address-set-default", args=[address.pk]))

    assert response.status_code == 405
    address.refresh_from_db()
    assert address.is_default is False


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "accounts:address-update"),
        ("post", "accounts:address-update"),
        ("get", "accounts:address-delete"),
        ("post", "accounts:address-delete"),
        ("post", "accounts:address-set-default"),
    ],
)
def test_user_b_gets_404_for_user_as_address(client, method, url_name):
    user_a_address = AddressFactory(is_default=False, city="London")
    AddressFactory(user=user_a_address.user, is_default=True)
    client.force_login(UserFactory())

    response = getattr(client, method)(reverse(url_name, args=[user_a_address.pk]), {**NEW_ADDRESS})

    assert response.status_code == 404
    user_a_address.refresh_from_db()
    assert user_a_address.city == "London"
    assert user_a_address.is_default is False
