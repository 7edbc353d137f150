"""``track`` — the one way any app records a behavioural event — and the anonymous visitor id.

Collection is infrastructure every app uses (a buffer append, no SQL), so it lives here; the analytics
app drains the buffer into its ``Event`` table (``analytics.services.events_flush``).
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from common.tracking_buffer import get_buffer
from common.useragents import classify_user_agent

logger = logging.getLogger(__name__)

_TEXT_LIMITS = {"path": 300, "referrer": 500, "utm_source": 100, "utm_medium": 100, "utm_campaign": 100}

VISITOR_COOKIE = "mp_vid"
VISITOR_COOKIE_AGE = 60 * 60 * 24 * 365


def visitor_id(request: HttpRequest) -> str:
    """The anonymous visitor id for this request (cookie, or a fresh one set on the response by
    ``analytics.middleware.PageViewMiddleware``)."""
    vid = request.COOKIES.get(VISITOR_COOKIE, "")
    if not (vid.isalnum() and 16 <= len(vid) <= 40):
        vid = getattr(request, "_new_visitor_id", "") or secrets.token_hex(16)
        request._new_visitor_id = vid  # type: ignore[attr-defined]  # read by analytics.middleware
    return vid


def track(
    *,
    event_type: str,
    user_id: int | None = None,
    session_key: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    properties: dict[str, Any] | None = None,
    path: str = "",
    referrer: str = "",
    utm: dict[str, str] | None = None,
    user_agent: str | None = None,
    is_operator: bool = False,
    occurred_at: datetime | None = None,
) -> None:
    """Record that something happened. Never queries the database and never raises into the caller:
    analytics must not break a purchase."""
    try:
        if obj is not None:
            object_type = obj._meta.label_lower
            object_id = obj.pk
        ua_class = classify_user_agent(user_agent) if user_agent is not None else "other"
        utm = utm or {}
        item: dict[str, Any] = {
            "type": event_type[:40],
            "user_id": user_id,
            "session_key": (session_key or "")[:40],
            "object_type": object_type[:40],
            "object_id": str(object_id)[:64] if object_id != "" else "",
            "properties": properties or {},
            "path": path,
            "referrer": referrer,
            "utm_source": utm.get("source", ""),
            "utm_medium": utm.get("medium", ""),
            "utm_campaign": utm.get("campaign", ""),
            "user_agent_class": ua_class,
            "is_bot": ua_class == "bot",
            "is_operator": is_operator,
            "occurred_at": (occurred_at or timezone.now()).isoformat(),
        }
        for field, limit in _TEXT_LIMITS.items():
            item[field] = (item[field] or "")[:limit]
        # Serialise here so a value JSON cannot store fails in the caller's track(), not in a batch.
        get_buffer().push(json.dumps(item, separators=(",", ":"), cls=DjangoJSONEncoder))
    except Exception:
        logger.exception("analytics.track failed for %s", event_type)
