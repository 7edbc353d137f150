"""The address book holds real countries only: an ISO 3166 code django-countries knows, never a region
(UN, EU), an unknown code or a country's name."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Address
from accounts.services import address_create, address_update, country_code_check
from common.exceptions import ApplicationError
from tests.factories import AddressFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = {
    "full_name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "city": "London",
    "postal_code": "N1 9GU",
}
NOT_COUNTRIES = ["UN", "XX", "United States", "EU", "GBR", "840"]


@pytest.mark.parametrize("country", NOT_COUNTRIES)
def test_address_create_refuses_what_is_not_a_country(country):
    user = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        address_create(user=user, **HOME, country=country)

    assert set(excinfo.value.message_dict) == {"country"}
    assert excinfo.value.message_dict["country"] == [f"“{country.upper()}” is not a country."]
    assert not Address.objects.exists()


@pytest.mark.parametrize("country", NOT_COUNTRIES)
def test_address_update_refuses_what_is_not_a_country(country):
    address = AddressFactory(country="GB", city="London")

    with pytest.raises(ValidationError) as excinfo:
        address_update(user=address.user, address_id=address.pk, data={"country": country, "city": "Leeds"})

    assert set(excinfo.value.message_dict) == {"country"}
    address.refresh_from_db()
    assert (address.country.code, address.city) == ("GB", "London")


def test_address_create_takes_a_country_code_in_any_case():
    address = address_create(user=UserFactory(), **HOME, country=" us ")

    address.refresh_from_db()
    assert address.country.code == "US"
    assert address.country.name == "United States of America"


@pytest.mark.parametrize("country", [*NOT_COUNTRIES, "", "U"])
def test_country_code_check_refuses_with_a_country_field_error(country):
    with pytest.raises(ApplicationError) as excinfo:
        country_code_check(country=country)

    assert excinfo.value.message == "Choose a country from the list."
    assert list(excinfo.value.extra) == ["country"]


@pytest.mark.parametrize(("given", "code"), [("US", "US"), ("cn", "CN"), (" gb ", "GB")])
def test_country_code_check_returns_the_upper_case_code(given, code):
    assert country_code_check(country=given) == code
