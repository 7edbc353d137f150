"""The address book's country is picked from a list of country names in the reader's language, and the
book shows the name, not the code."""

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
    "country": "US",
    "phone": "",
}


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_the_address_form_offers_a_select_of_country_names_with_the_usual_one_chosen(client, shopper):
    response = client.get(reverse("accounts:address-create"))

    html = response.content.decode()
    assert response.context["form"]["country"].value() == "US"
    assert '<select name="country" autocomplete="country"' in html
    assert '<option value="US" selected>United States of America</option>' in html
    assert '<option value="GB">United Kingdom</option>' in html
    assert '<option value="">Choose a country</option>' in html
    assert 'value="UN"' not in html
    assert "two-letter" not in html


def test_the_address_form_names_the_countries_in_chinese_for_a_chinese_reader(client, shopper):
    response = client.get(reverse("accounts:address-create"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = response.content.decode()
    assert '<option value="CN" selected>中国</option>' in html
    assert '<option value="US">美国</option>' in html


def test_the_address_form_keeps_the_country_of_the_address_being_edited(client, shopper):
    address = AddressFactory(user=shopper, country="GB")

    response = client.get(reverse("accounts:address-update", args=[address.pk]))

    assert '<option value="GB" selected>United Kingdom</option>' in response.content.decode()


@pytest.mark.parametrize("country", ["UN", "XX", "United States", "GBR"])
def test_adding_an_address_refuses_what_is_not_a_country_next_to_the_field(client, shopper, country):
    response = client.post(reverse("accounts:address-create"), {**NEW_ADDRESS, "country": country})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["country"]
    assert 'id="id_country_error"' in response.content.decode()
    assert not Address.objects.filter(user=shopper).exists()


def test_editing_an_address_refuses_what_is_not_a_country(client, shopper):
    address = AddressFactory(user=shopper, country="GB")

    response = client.post(
        reverse("accounts:address-update", args=[address.pk]), {**NEW_ADDRESS, "country": "UN"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["country"]
    address.refresh_from_db()
    assert address.country.code == "GB"


def test_the_address_book_shows_the_country_name(client, shopper):
    AddressFactory(user=shopper, country="US")

    english = client.get(reverse("accounts:address-list")).content.decode()
    chinese = client.get(reverse("accounts:address-list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "United States of America" in english
    assert "美国" in chinese
