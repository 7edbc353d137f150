"""The carriers' tracking webhook: ``POST /carriers/<carrier>/webhook/`` with a signed JSON event.

The signature header is ``X-Carrier-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">``
keyed with ``settings.CARRIER_WEBHOOK_SECRET`` (read per request). A bad or stale signature (older than
five minutes) is a 400 before the body is even parsed, so nothing changes; a redelivered event (same
``event_id``) is a 200 that changes nothing. This is the one CSRF-exempt view of the app: the caller is a
server, authenticated by the signature, not a browser session.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from orders.models import OrderEvent, Shipment
from orders.shipping.services import (
    TRACKING_STATUSES,
    shipment_event_add,
    shipments_for_tracking,
    tracking_number_normalize,
)

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Carrier-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300
FIELD_LIMITS = {"event_id": 80, "tracking_number": 80, "location": 120, "description": 300}


def carrier_signature(secret: str, body: bytes, timestamp: int) -> str:
    """The ``X-Carrier-Signature`` header value a carrier sends for ``body`` at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _signature_valid(header: str, body: bytes, secret: str, now: float) -> bool:
    if not secret or not header:
        return False
    timestamp, candidates = None, []
    for item in header.split(","):
        key, _sep, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates or abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    expected = carrier_signature(secret, body, timestamp).split("v1=", 1)[1]
    # Every candidate is compared (constant time each), so the answer's timing says nothing.
    matches = [hmac.compare_digest(expected.encode(), c.encode("utf-8", "replace")) for c in candidates]
    return any(matches)


def _parse(body: bytes) -> tuple[dict, dict[str, list[str]]]:
    """The event's fields, or the errors per field."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}, {"body": ["Send a JSON object."]}
    if not isinstance(payload, dict):
        return {}, {"body": ["Send a JSON object."]}
    errors: dict[str, list[str]] = {}
    fields: dict = {}
    for name in ("event_id", "tracking_number", "status", "occurred_at"):
        value = payload.get(name)
        if not isinstance(value, str) or not value.strip():
            errors[name] = ["This field is required (a non-empty string)."]
    for name in ("location", "description"):
        value = payload.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = ["Must be a string."]
    for name, limit in FIELD_LIMITS.items():
        value = payload.get(name)
        if isinstance(value, str) and len(value.strip()) > limit:
            errors.setdefault(name, []).append(f"At most {limit} characters.")
    status = payload.get("status")
    if isinstance(status, str) and status and status not in TRACKING_STATUSES:
        errors.setdefault("status", []).append("One of: " + ", ".join(TRACKING_STATUSES) + ".")
    occurred_raw = payload.get("occurred_at")
    if isinstance(occurred_raw, str) and occurred_raw.strip():
        try:
            occurred_at = parse_datetime(occurred_raw.strip())
        except ValueError:
            occurred_at = None
        if occurred_at is None:
            errors.setdefault("occurred_at", []).append("An ISO-8601 date and time.")
        elif occurred_at.tzinfo is None:
            errors.setdefault("occurred_at", []).append("Include the time zone (e.g. Z or +02:00).")
        else:
            fields["occurred_at"] = occurred_at
    if errors:
        return {}, errors
    fields.update(
        event_id=payload["event_id"].strip(),
        tracking_number=tracking_number_normalize(payload["tracking_number"]),
        status=status,
        location=(payload.get("location") or "").strip(),
        description=(payload.get("description") or "").strip(),
    )
    return fields, {}


@csrf_exempt
@require_POST
def carrier_webhook(request: HttpRequest, carrier: str) -> JsonResponse:
    body = request.body
    secret = settings.CARRIER_WEBHOOK_SECRET
    if not _signature_valid(request.headers.get(SIGNATURE_HEADER, ""), body, secret, time.time()):
        return JsonResponse({"error": "invalid signature"}, status=400)
    fields, errors = _parse(body)
    if errors:
        return JsonResponse({"error": "invalid event", "fields": errors}, status=400)
    shipments = shipments_for_tracking(carrier=carrier, tracking_number=fields["tracking_number"])
    if not shipments:
        return JsonResponse({"error": "unknown tracking number"}, status=404)
    shipment_id = shipments[0].pk
    try:
        event = shipment_event_add(
            shipment_id=shipment_id,
            status=fields["status"],
            occurred_at=fields["occurred_at"],
            source=OrderEvent.Actor.CARRIER,
            location=fields["location"],
            description=fields["description"],
            # Namespaced: two carriers may well use the same event ids.
            external_id=f"{carrier}:{fields['event_id']}",
        )
    except ApplicationError as exc:
        return JsonResponse({"error": exc.message, "fields": exc.extra}, status=400)
    if event is None:
        return JsonResponse({"status": "duplicate"})
    logger.info("carrier %s event %s for shipment %s", carrier, fields["event_id"], shipment_id)
    return JsonResponse({"status": "ok", "shipment_status": Shipment.objects.get(pk=shipment_id).status})
