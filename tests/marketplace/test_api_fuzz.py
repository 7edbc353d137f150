"""Fuzz every operation of the API's OpenAPI schema (drf-spectacular's, the one served at /api/schema/) with
schemathesis, in process against the Django WSGI app: whatever query, path and body data the schema lets it
generate — NUL characters, huge numbers, wrong types — the answer is never a 5xx.

Shopper operations run as a signed-in shopper (session cookie plus CSRF token), the seller API
(/api/seller/...) with an approved seller's API key. Bounded to a few dozen examples per operation; select
with ``-m fuzz``, skip with ``-m "not fuzz"``."""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error

from accounts.services import seller_api_token_create
from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    UserFactory,
    category_create,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


def _openapi_schema() -> dict:
    """The schema /api/schema/ serves, as plain JSON data (lazy translations and all rendered)."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw, renderer_context={}))


schema = schemathesis.openapi.from_dict(_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def credentials(monkeypatch):
    """A signed-in shopper's cookies and CSRF header, an approved seller's API key, and something in the
    catalogue for them to find. The seller API's throttle is lifted: hundreds of requests are the point."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "seller-api", "1000000/minute")
    seller = SellerProfileFactory()
    category = category_create("Kitchen")
    product = ProductFactory(seller=seller, category=category)
    ProductVariantFactory(product=product, stock=5)
    _, key = seller_api_token_create(seller_id=seller.pk)

    client = Client()
    client.force_login(UserFactory())
    csrf = get_token(RequestFactory().get("/"))
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    cookies["csrftoken"] = csrf
    return {
        "shopper": {"cookies": cookies, "headers": {"X-CSRFToken": csrf}},
        "seller": {"cookies": {}, "headers": {"Authorization": f"Bearer {key}"}},
    }


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the repository; a failure prints its reproduction
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
def test_no_operation_answers_a_server_error(case, credentials):
    audience = "seller" if case.path.startswith("/api/seller/") else "shopper"
    auth = credentials[audience]

    case.call_and_validate(headers=auth["headers"], cookies=auth["cookies"], checks=[not_a_server_error])
