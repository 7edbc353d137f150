import pytest

from tests.factories import SellerProfileFactory


@pytest.fixture
def seller(client):
    """An approved seller, signed in."""
    profile = SellerProfileFactory(shop_name="Attic")
    client.force_login(profile.user)
    return profile
