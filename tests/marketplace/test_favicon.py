"""Every page links an icon, and /favicon.ico (asked for by browsers whatever the page says) is not a 404."""

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_linked_icon_which_is_served(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_pages_link_the_icon(client):
    assert b'rel="icon" href="/static/img/favicon.svg"' in client.get("/").content
