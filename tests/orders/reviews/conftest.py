import pytest

from tests.factories import ProductFactory, SellerProfileFactory, UserFactory


@pytest.fixture
def seller():
    return SellerProfileFactory(shop_name="Attic")


@pytest.fixture
def product(seller):
    return ProductFactory(seller=seller, title="Brass Lamp", slug="brass-lamp")


@pytest.fixture
def buyer():
    return UserFactory(email="ada@example.com", display_name="Ada")
