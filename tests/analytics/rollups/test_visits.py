"""Visits as the rollup stores them: cut by 30 minutes of inactivity or a new campaign, a visit across
midnight counted once on the day it started, new and returning visitors, bots and operators left out."""

from datetime import date, timedelta

import pytest
from django.db.models import Sum

from analytics.models import Grain, TrafficFact, VisitorSession
from analytics.rollups.services import rollup_day
from tests.analytics.rollups.builders import at, event

pytestmark = pytest.mark.django_db

D = date(2026, 3, 10)
NEXT = D + timedelta(days=1)


def _visits(day):
    return list(
        VisitorSession.objects.filter(day=day)
        .order_by("started_at")
        .values_list("visitor_key", "channel", "campaign", "page_views", "visitor_type")
    )


def test_a_gap_of_over_30_minutes_or_a_new_campaign_starts_a_new_visit():
    event("v", at(D, "09:00"))
    event("v", at(D, "09:30"))  # exactly 30 minutes: same visit
    event("v", at(D, "10:01"))  # 31 minutes: a new one
    event("v", at(D, "10:05"), utm_source="mail", utm_campaign="spring")  # a campaign link: new
    event("v", at(D, "10:06"))  # a plain page: still the campaign's visit
    event("v", at(D, "10:07"), utm_source="mail", utm_campaign="autumn")  # another campaign: new

    rollup_day(day=D)

    assert _visits(D) == [
        ("v", "direct", "", 2, "new"),
        ("v", "direct", "", 1, "returning"),
        ("v", "campaign", "spring", 2, "returning"),
        ("v", "campaign", "autumn", 1, "returning"),
    ]
    traffic = TrafficFact.objects.filter(grain=Grain.DAY, period=D, seller_id=0)
    assert traffic.aggregate(sessions=Sum("sessions"), visitors=Sum("visitors"), pages=Sum("page_views")) == {
        "sessions": 4,
        "visitors": 4,  # one visitor in four cells: direct new, direct returning, and each campaign
        "pages": 6,
    }


def test_a_visit_across_midnight_counts_once_on_the_day_it_started_with_all_its_pages():
    event("night", at(D, "23:50"), referrer="https://duckduckgo.com/")
    event("night", at(NEXT, "00:10"))
    event("night", at(NEXT, "00:35"))
    event("morning", at(NEXT, "00:20"))

    rollup_day(day=NEXT)
    rollup_day(day=D)

    assert list(
        VisitorSession.objects.order_by("day").values_list("visitor_key", "day", "channel", "page_views")
    ) == [("night", D, "search", 3), ("morning", NEXT, "direct", 1)]
    sessions = dict(
        TrafficFact.objects.filter(grain=Grain.DAY, seller_id=0)
        .values("period")
        .annotate(n=Sum("sessions"))
        .values_list("period", "n")
    )
    assert sessions == {D: 1, NEXT: 1}


def test_a_visitor_seen_on_an_earlier_day_is_returning():
    event("v", at(D, "09:00"))
    event("v", at(NEXT, "09:00"))
    event("w", at(NEXT, "09:00"))

    rollup_day(day=D)
    rollup_day(day=NEXT)

    assert dict(VisitorSession.objects.filter(day=NEXT).values_list("visitor_key", "visitor_type")) == {
        "v": "returning",
        "w": "new",
    }


def test_bots_operators_and_server_side_events_without_a_visitor_make_no_visit():
    event("bot", at(D, "09:00"), is_bot=True, user_agent_class="bot")
    event("staff", at(D, "09:00"), is_operator=True)
    event("", at(D, "09:00"), "seller_applied")

    rollup_day(day=D)

    assert not VisitorSession.objects.exists()
    assert not TrafficFact.objects.exists()
