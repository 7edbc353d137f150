"""allauth's pages in the site's layout, and the sign-up / sign-in / reset flows end to end."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "purple-otter-windmill-42"


def _signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_sign_up_with_an_email_creates_the_user_and_signs_them_in(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "New.Person@Example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user = User.objects.get(email__iexact="new.person@example.com")
    assert user.check_password(NEW_PASSWORD)
    assert _signed_in_user_id(client) == str(user.pk)


def test_sign_up_with_mismatched_passwords_shows_the_error_on_the_page(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )

    assert response.status_code == 200
    assert 'class="errorlist" id="id_password2_error"' in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_in_and_sign_out(client):
    user = UserFactory(email="ada@example.com")

    signed_in = client.post(reverse("account_login"), {"login": "ada@example.com", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert _signed_in_user_id(client) == str(user.pk)

    signed_out = client.post(reverse("account_logout"))
    assert signed_out.status_code == 302
    assert _signed_in_user_id(client) is None


def test_sign_in_with_a_wrong_password_says_so_and_stays_signed_out(client):
    UserFactory(email="ada@example.com")

    response = client.post(reverse("account_login"), {"login": "ada@example.com", "password": "nope"})

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_password_reset_sends_an_email_whose_link_sets_a_new_password(client, mailoutbox):
    user = UserFactory(email="ada@example.com")

    response = client.post(reverse("account_reset_password"), {"email": "ada@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    [mail] = mailoutbox
    assert mail.to == ["ada@example.com"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    assert '<label for="id_password1">' in form_page.content.decode()

    done = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(done["Location"]).status_code == 200


def test_a_used_or_forged_reset_link_shows_bad_token(client):
    user = UserFactory()

    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "forged-key"}), follow=True
    )

    assert response.status_code == 200
    assert "Bad Token" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("url_name", "labels"),
    [
        ("account_login", ["id_login", "id_password"]),
        ("account_signup", ["id_email", "id_password1", "id_password2"]),
        ("account_reset_password", ["id_email"]),
    ],
)
def test_entrance_pages_use_the_site_layout_and_visible_labels(client, url_name, labels):
    response = client.get(reverse(url_name))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<header class="site-header">' in html
    assert '<form method="post" class="form-narrow"' in html
    assert '<button class="button" type="submit">' in html
    for field_id in labels:
        assert f'<label for="{field_id}">' in html
        assert f'id="{field_id}"' in html


def test_the_login_page_links_to_password_reset(client):
    response = client.get(reverse("account_login"))

    assert f'href="{reverse("account_reset_password")}"' in response.content.decode()


@pytest.mark.parametrize(
    "url_name", ["account_change_password", "account_logout", "account_reset_password_done"]
)
def test_signed_in_pages_render_in_the_site_layout(client, url_name):
    client.force_login(UserFactory())

    response = client.get(reverse(url_name))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<header class="site-header">' in html
    assert "<h1>" in html


def test_changing_the_password(client):
    user = UserFactory()
    client.force_login(user)

    page = client.get(reverse("account_change_password"))
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert '<label for="id_oldpassword">' in page.content.decode()
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
