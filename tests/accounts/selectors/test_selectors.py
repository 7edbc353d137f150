import pytest
from django.http import Http404

from accounts.models import SellerProfile
from accounts.selectors import address_get, address_list, seller_get_public
from tests.factories import AddressFactory, SellerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_address_list_returns_only_the_users_addresses_default_first():
    user = UserFactory()
    other = AddressFactory(user=user, is_default=False)
    default = AddressFactory(user=user, is_default=True)
    AddressFactory()  # someone else's

    assert list(address_list(user=user)) == [default, other]


def test_address_get_hides_another_users_address():
    address = AddressFactory()

    with pytest.raises(Http404):
        address_get(user=UserFactory(), address_id=address.pk)
    assert address_get(user=address.user, address_id=address.pk) == address


@pytest.mark.parametrize(
    "status", [SellerProfile.Status.PENDING, SellerProfile.Status.SUSPENDED, SellerProfile.Status.REJECTED]
)
def test_seller_get_public_hides_shops_that_are_not_approved(status):
    SellerProfileFactory(slug="attic", status=status)

    with pytest.raises(Http404):
        seller_get_public(slug="attic")


def test_seller_get_public_returns_an_approved_shop():
    seller = SellerProfileFactory(slug="attic")

    assert seller_get_public(slug="attic") == seller
