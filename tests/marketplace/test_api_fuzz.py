"""Fuzz every operation of the API's OpenAPI schema (drf-spectacular's, the one served at /api/schema/) with
schemathesis, in process against the Django WSGI app: whatever query, path and body data the schema lets it
generate — NUL characters, huge numbers, wrong types — the answer is never a 5xx.

Shopper operations run as a signed-in shopper (session cookie plus CSRF token), the seller API
(/api/seller/...) with an approved seller's API key. Bounded to a few dozen examples per operation; select
with ``-m fuzz``, skip with ``-m "not fuzz"``."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error

from accounts.services import seller_api_token_create
from orders.lifecycle.services import order_payment_confirmed
from orders.models import OrderStatus
from orders.reviews.services import product_review_create
from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    UserFactory,
    category_create,
)
from tests.orders.factories import order_place, part_status_force
from tests.orders.factories_seller import shipment_of

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


def _openapi_schema() -> dict:
    """The schema /api/schema/ serves, as plain JSON data (lazy translations and all rendered)."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw, renderer_context={}))


schema = schemathesis.openapi.from_dict(_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def _keep_test_connection():
    """Like Django's test client: the WSGI app must not close the database connection after each request
    (it holds the test's transaction: PostgreSQL's would be gone, SQLite's in-memory one ignores it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(monkeypatch, _keep_test_connection):
    """A signed-in shopper's cookies and CSRF header, an approved seller's API key, and something for them
    to find: a product of that seller, a paid order of the shopper's and a delivered one (shipped, and
    reviewed). The seller API's throttle is
    lifted: hundreds of requests are the point."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "seller-api", "1000000/minute")
    seller = SellerProfileFactory()
    category = category_create("Kitchen")
    variant = ProductVariantFactory(product=ProductFactory(seller=seller, category=category), stock=50)
    _, key = seller_api_token_create(seller_id=seller.pk)
    shopper = UserFactory()
    order = order_place(user=shopper, lines=[(variant, 1)])
    order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)
    delivered = order_place(user=shopper, lines=[(variant, 1)])
    order_payment_confirmed(order_id=delivered.pk, amount=delivered.total_amount, currency=delivered.currency)
    delivered_part = part_status_force(delivered.seller_orders.get(), OrderStatus.DELIVERED)
    shipment = shipment_of(delivered_part)
    review = product_review_create(
        order_line_id=delivered_part.lines.get().pk,
        author_id=shopper.pk,
        rating=4,
        title="Good",
        body="Works.",
    )

    client = Client()
    client.force_login(shopper)
    csrf = get_token(RequestFactory().get("/"))
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    cookies["csrftoken"] = csrf
    return {
        "shopper": {"cookies": cookies, "headers": {"X-CSRFToken": csrf}},
        "seller": {"cookies": {}, "headers": {"Authorization": f"Bearer {key}"}},
        "path": {
            "slug": variant.product.slug,
            "category_slug": category.slug,
            "product_id": variant.product_id,
            "variant_id": variant.pk,
            "number": order.number,
            "seller_order_id": order.seller_orders.get().pk,
            "shipment_id": shipment.pk,
            "review_id": review.pk,
        },
    }


def _existing(generated, existing):
    """Half of the generated path parameters (decided by the generated value, so Hypothesis can replay
    and shrink) name an object that exists, so the fuzzing gets past the 404 into the operation itself."""
    if existing is None:
        return generated
    pick = generated % 2 if isinstance(generated, int) else len(str(generated)) % 2
    return existing if pick == 0 else generated


def _known_as(name, path):
    return "category_slug" if name == "slug" and path.startswith("/api/catalog/categories/") else name


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
def test_no_operation_answers_a_server_error(case, world):
    auth = world["seller" if case.path.startswith("/api/seller/") else "shopper"]
    if case.path_parameters:
        case.path_parameters = {
            name: _existing(value, world["path"].get(_known_as(name, case.path)))
            for name, value in case.path_parameters.items()
        }

    case.call_and_validate(headers=auth["headers"], cookies=auth["cookies"], checks=[not_a_server_error])
