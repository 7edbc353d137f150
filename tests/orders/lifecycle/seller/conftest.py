import pytest

from tests.factories import SellerProfileFactory
from tests.orders.factories_seller import paid_part


@pytest.fixture
def seller(client):
    """An approved seller, signed in."""
    profile = SellerProfileFactory(shop_name="Attic")
    client.force_login(profile.user)
    return profile


@pytest.fixture
def part(seller):
    """A paid part of an order for the signed-in seller: two lines (2 units and 1 unit)."""
    return paid_part(seller=seller, quantities=(2, 1))
