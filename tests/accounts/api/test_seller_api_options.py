"""OPTIONS on every seller API endpoint is a normal answer (it was a 500 on the write endpoints: DRF's
metadata looked for a ``serializer_class`` the views do not declare)."""

import re

import pytest
from rest_framework.test import APIClient

from accounts.services import seller_api_token_create
from catalog.api import urls_seller as catalog_urls
from orders.api import urls_seller as orders_urls
from tests.factories import SellerProfileFactory

pytestmark = pytest.mark.django_db


def _paths() -> list[str]:
    paths = []
    for pattern in [*catalog_urls.urlpatterns, *orders_urls.urlpatterns]:
        route = re.sub(r"<int:\w+>", "1", str(pattern.pattern))
        paths.append(f"/api/seller/{route}")
    return paths


@pytest.mark.parametrize("path", _paths())
def test_options_answers_200_with_the_endpoint_name_on_every_seller_endpoint(path):
    _token, key = seller_api_token_create(seller_id=SellerProfileFactory().id)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    response = api.options(path)

    assert response.status_code == 200, response.content[:300]
    assert response.json()["name"]
    assert "application/json" in response.json()["renders"]
