"""The carriers' tracking webhook: signed, idempotent, strict about its input, and CSRF-exempt."""

import json
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orders.models import OrderEvent, OrderStatus, SellerOrder, Shipment, ShipmentEvent
from orders.shipping.services import shipment_create
from orders.shipping.views_carrier import SIGNATURE_TOLERANCE_SECONDS, _signature_valid, carrier_signature
from tests.orders.factories_seller import paid_part

pytestmark = pytest.mark.django_db

SECRET = "test-carrier-secret"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.CARRIER_WEBHOOK_SECRET = SECRET


@pytest.fixture
def client():
    # Like a carrier's server: no session, and CSRF checks on, so the exemption is really tested.
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def shipment():
    part = paid_part(quantities=(1,))
    return shipment_create(
        seller_order_id=part.pk, seller_id=part.seller_id, carrier="Royal Mail", tracking_number="RM123456GB"
    )


def _event(shipment, **overrides):
    payload = {
        "event_id": "evt-1",
        "tracking_number": shipment.tracking_number,
        "status": "in_transit",
        "occurred_at": (shipment.shipped_at + timedelta(minutes=1)).isoformat(),
        "location": "Leeds",
        "description": "Arrived at sorting centre",
    }
    payload.update(overrides)
    return payload


def _post(client, payload, *, carrier="royal-mail", secret=SECRET, timestamp=None, signature=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    header = signature if signature is not None else carrier_signature(secret, body, timestamp)
    return client.post(
        reverse("carrier:webhook", kwargs={"carrier": carrier}),
        data=body,
        content_type="application/json",
        headers={"X-Carrier-Signature": header},
    )


def _counts():
    return (
        ShipmentEvent.objects.count(),
        OrderEvent.objects.count(),
        list(Shipment.objects.values_list("status")),
    )


def test_a_signed_event_updates_the_shipment(client, shipment):
    response = _post(client, _event(shipment))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "shipment_status": "in_transit"}
    shipment.refresh_from_db()
    assert shipment.status == "in_transit"
    event = shipment.events.get(source="carrier")
    assert (event.external_id, event.location, event.description) == (
        "royal-mail:evt-1",
        "Leeds",
        "Arrived at sorting centre",
    )


def test_delivery_delivers_the_part(client, shipment):
    response = _post(client, _event(shipment, status="delivered", event_id="evt-9"))

    assert response.status_code == 200
    part = SellerOrder.objects.get(pk=shipment.seller_order_id)
    assert part.status == OrderStatus.DELIVERED
    assert OrderEvent.objects.get(seller_order=part, to_status="delivered").actor_kind == "carrier"


def test_a_redelivered_event_is_a_duplicate_and_changes_nothing(client, shipment):
    _post(client, _event(shipment))
    before = _counts()

    response = _post(client, _event(shipment, status="delivered"))

    assert response.status_code == 200
    assert response.json() == {"status": "duplicate"}
    assert _counts() == before


def test_an_unknown_tracking_number_is_a_404(client, shipment):
    before = _counts()

    unknown = _post(client, _event(shipment, tracking_number="NOPE1234"))
    other_carrier = _post(client, _event(shipment), carrier="ups")

    assert (unknown.status_code, other_carrier.status_code) == (404, 404)
    assert _counts() == before


def test_the_tracking_number_is_matched_whatever_its_spacing_or_case(client, shipment):
    response = _post(client, _event(shipment, tracking_number="rm 123 456 gb"))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "case",
    ["missing", "garbage", "wrong-secret", "stale", "future", "tampered", "no-timestamp", "no-v1"],
)
def test_a_missing_or_invalid_signature_is_a_400_and_changes_nothing(client, shipment, case):
    before = _counts()
    payload = _event(shipment)
    body = json.dumps(payload).encode()
    now = int(time.time())
    good = carrier_signature(SECRET, body, now)
    kwargs = {
        "missing": {"signature": ""},
        "garbage": {"signature": "nonsense"},
        "wrong-secret": {"secret": "not-the-secret"},
        "stale": {"timestamp": now - 600},
        "future": {"timestamp": now + 600},  # well past the 300 s tolerance, however slow the run
        "tampered": {"signature": good, "raw": json.dumps({**payload, "status": "delivered"}).encode()},
        "no-timestamp": {"signature": good.split(",", 1)[1]},
        "no-v1": {"signature": good.split(",", 1)[0]},
    }[case]

    response = _post(client, payload, **kwargs)

    assert response.status_code == 400
    assert response.json() == {"error": "invalid signature"}
    assert _counts() == before


def test_a_signature_a_little_old_is_accepted(client, shipment):
    assert _post(client, _event(shipment), timestamp=int(time.time()) - 240).status_code == 200


def test_an_empty_secret_accepts_nothing(client, shipment, settings):
    settings.CARRIER_WEBHOOK_SECRET = ""

    assert _post(client, _event(shipment), secret="").status_code == 400


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event_id": ""}, "event_id"),
        ({"event_id": None}, "event_id"),
        ({"tracking_number": 123}, "tracking_number"),
        ({"status": "lost"}, "status"),
        ({"status": "shipped"}, "status"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-01-01T10:00:00"}, "occurred_at"),
        ({"location": ["Leeds"]}, "location"),
        ({"description": "x" * 301}, "description"),
        ({"event_id": "x" * 81}, "event_id"),
    ],
)
def test_malformed_fields_are_a_400_with_field_errors(client, shipment, change, field):
    before = _counts()

    response = _post(client, _event(shipment, **change))

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert _counts() == before


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
def test_a_body_that_is_not_a_json_object_is_a_400(client, shipment, raw):
    response = _post(client, None, raw=raw)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["body"]


def test_an_event_far_in_the_future_is_refused(client, shipment):
    response = _post(client, _event(shipment, occurred_at=(timezone.now() + timedelta(days=2)).isoformat()))

    assert response.status_code == 400
    assert response.json()["fields"] == {"occurred_at": ["future"]}


def test_only_post_is_allowed(client):
    assert client.get(reverse("carrier:webhook", kwargs={"carrier": "ups"})).status_code == 405


def test_the_secret_is_read_per_request(client, shipment, settings):
    settings.CARRIER_WEBHOOK_SECRET = "rotated"

    old = _post(client, _event(shipment))
    new = _post(client, _event(shipment), secret="rotated")

    assert (old.status_code, new.status_code) == (400, 200)


def test_carrier_signature_is_hmac_sha256_of_timestamp_dot_body():
    import hashlib
    import hmac

    body = b'{"a": 1}'

    assert carrier_signature("s", body, 1700000000) == (
        "t=1700000000,v1=" + hmac.new(b"s", b'1700000000.{"a": 1}', hashlib.sha256).hexdigest()
    )


@pytest.mark.parametrize(
    ("offset", "valid"),
    [
        (0, True),
        (SIGNATURE_TOLERANCE_SECONDS, True),
        (-SIGNATURE_TOLERANCE_SECONDS, True),
        (SIGNATURE_TOLERANCE_SECONDS + 1, False),
        (-SIGNATURE_TOLERANCE_SECONDS - 1, False),
    ],
)
def test_the_signature_timestamp_tolerance_is_exact(offset, valid):
    body, timestamp = b'{"event_id": "e1"}', 1_800_000_000
    header = carrier_signature(SECRET, body, timestamp)

    assert _signature_valid(header, body, SECRET, timestamp + offset) is valid
