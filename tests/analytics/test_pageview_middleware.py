import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import Event
from analytics.services import events_flush
from common.tracking import VISITOR_COOKIE
from tests.factories import OperatorFactory, UserFactory

pytestmark = [pytest.mark.urls("tests.analytics.urls"), pytest.mark.django_db]

DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _track_test_namespace(settings):
    settings.ANALYTICS_PAGEVIEW_NAMESPACES = ["tracked"]


def test_anonymous_page_view_costs_no_query_and_is_recorded_with_its_source(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(
            "/t/page/?utm_source=google&utm_medium=cpc&utm_campaign=shoes",
            HTTP_REFERER="https://www.google.com/",
            HTTP_USER_AGENT=DESKTOP,
        )

    assert response.status_code == 200
    assert events_flush() == 1
    event = Event.objects.get()
    assert event.type == "page_view"
    assert event.path == "/t/page/"
    assert event.properties == {"view": "tracked:page"}
    assert event.referrer == "https://www.google.com/"
    assert (event.utm_source, event.utm_medium, event.utm_campaign) == ("google", "cpc", "shoes")
    assert event.user_agent_class == "desktop"
    assert event.user_id is None
    assert event.session_key == response.cookies[VISITOR_COOKIE].value
    assert (event.is_bot, event.is_operator) == (False, False)


def test_visitor_cookie_is_reused_across_page_views(client):
    first = client.get("/t/page/", HTTP_USER_AGENT=DESKTOP)
    vid = first.cookies[VISITOR_COOKIE].value

    second = client.get("/t/page/", HTTP_USER_AGENT=DESKTOP)

    assert VISITOR_COOKIE not in second.cookies  # not re-issued
    events_flush()
    assert list(Event.objects.values_list("session_key", flat=True)) == [vid, vid]


def test_signed_in_page_view_adds_no_query_to_the_page(client):
    user = UserFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as untracked:
        client.get("/untracked/", HTTP_USER_AGENT=DESKTOP)

    with CaptureQueriesContext(connection) as tracked:
        client.get("/t/page/", HTTP_USER_AGENT=DESKTOP)

    assert len(tracked) == len(untracked)  # only the session/user loads any signed-in page needs

    events_flush()
    assert Event.objects.get().user_id == user.id


def test_bots_and_operators_are_marked(client):
    client.get("/t/page/", HTTP_USER_AGENT="Mozilla/5.0 (compatible; bingbot/2.0)")
    client.force_login(OperatorFactory())
    client.get("/t/page/", HTTP_USER_AGENT=DESKTOP)

    events_flush()
    bot, operator = Event.objects.order_by("id")
    assert (bot.is_bot, bot.user_agent_class, bot.is_operator) == (True, "bot", False)
    assert (operator.is_bot, operator.is_operator) == (False, True)


def test_untracked_pages_json_posts_and_errors_are_not_recorded(client):
    client.get("/untracked/", HTTP_USER_AGENT=DESKTOP)
    client.get("/t/data/", HTTP_USER_AGENT=DESKTOP)
    client.post("/t/page/", HTTP_USER_AGENT=DESKTOP)
    client.get("/t/missing/", HTTP_USER_AGENT=DESKTOP)

    assert events_flush() == 0
