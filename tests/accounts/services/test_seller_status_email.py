"""The seller's status e-mail: sent by the e-mail task after commit, written in the seller's language
(status label included) with exactly the lines the seller needs."""

import pytest

from accounts.models import SellerProfile
from accounts.services import seller_approve, seller_suspend
from tests.factories import OperatorFactory, SellerProfileFactory

Status = SellerProfile.Status
pytestmark = pytest.mark.django_db


def test_the_status_mail_is_written_in_the_sellers_language(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.LANGUAGE_CODE = "en"
    seller = SellerProfileFactory(
        status=Status.PENDING,
        shop_name="Attic",
        user__email="li@example.com",
        user__display_name="Li",
        user__preferred_language="zh-hans",
    )

    with django_capture_on_commit_callbacks(execute=True):
        seller_approve(seller_id=seller.id, actor=OperatorFactory())

    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["li@example.com"], "您的店铺“Attic”已开张")
    assert mail.body.split("\n") == [
        "Li，您好：",  # noqa: RUF001 - Chinese punctuation
        "",
        "您的店铺“Attic”当前状态为：已批准。",  # noqa: RUF001 - Chinese punctuation
        "",
        "— 商城团队",
        "",
    ]


def test_a_reason_gets_its_own_line(django_capture_on_commit_callbacks, mailoutbox):
    seller = SellerProfileFactory(status=Status.APPROVED, shop_name="Attic", user__display_name="Ada")

    with django_capture_on_commit_callbacks(execute=True):
        seller_suspend(seller_id=seller.id, actor=OperatorFactory(), reason="Counterfeit goods reported.")

    [mail] = mailoutbox
    assert mail.body.split("\n") == [
        "Hello Ada,",
        "",
        "The status of your shop “Attic” is now: Suspended.",
        "Reason: Counterfeit goods reported.",
        "",
        "— The Marketplace team",
        "",
    ]
