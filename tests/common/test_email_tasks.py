"""The one e-mail task: rendered in the recipient's language, transient SMTP failures retried with
exponential backoff up to a cap, permanent ones not retried, and no failure ever reaching the caller."""

import logging
import smtplib
import socket

import pytest
from celery.exceptions import Retry
from kombu.exceptions import OperationalError

from common.mail import smtp_error_is_transient
from common.tasks import MAX_RETRIES, email_send_enqueue, email_send_task
from marketplace.celery import app

ORDER_PAID = {
    "template": "emails/orders/order",
    "context": {
        "kind": "paid",
        "order": {"number": "MP-000042", "total_amount": 2500, "currency": "USD"},
        "path": "/orders/MP-000042/",
    },
}


def test_the_message_is_rendered_in_the_recipients_language(mailoutbox, settings):
    settings.LANGUAGE_CODE = "en"

    email_send_enqueue(to="li@example.com", language="zh-hans", **ORDER_PAID)
    email_send_enqueue(to="bea@example.com", language="", **ORDER_PAID)

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["li@example.com"], "已收到订单 MP-000042 的付款"),
        (["bea@example.com"], "Payment received for order MP-000042"),
    ]
    assert "/orders/MP-000042/" in mailoutbox[1].body


def test_a_server_that_hangs_up_is_retried_later_and_the_caller_never_sees_it(
    smtp_down, email_retries, caplog
):
    with caplog.at_level(logging.ERROR, logger="common.tasks"):
        email_send_enqueue(to="bea@example.com", language="en", **ORDER_PAID)  # does not raise

    assert smtp_down.attempts == [("bea@example.com", "Payment received for order MP-000042")]
    # A worker would run it again in 5 s; in-process (no broker) Celery raises the Retry instead.
    assert email_retries == [5]
    [record] = caplog.records
    assert record.getMessage() == "e-mail emails/orders/order to bea@example.com was not sent"
    assert isinstance(record.exc_info[1], Retry)


def test_the_retries_wait_longer_each_time_up_to_30_s_and_stop_after_half_an_hour(
    smtp_down, email_retries, monkeypatch
):
    # Run the whole chain of attempts here, as a worker would over half an hour.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)

    result = email_send_task.apply(kwargs={"to": "bea@example.com", "language": "en", **ORDER_PAID})

    assert smtp_down.attempts == [("bea@example.com", "Payment received for order MP-000042")] * (
        1 + MAX_RETRIES
    )
    # 5, 10, 20 s, then every 30 s (a waiting retry must not outlive the broker's visibility timeout)
    # for half an hour; the last failure only gives up (the retries are spent).
    assert email_retries == [5, 10, 20] + [30] * (MAX_RETRIES - 2)
    assert 30 * 60 <= sum(email_retries[:MAX_RETRIES]) < 30 * 60 + 30
    assert (result.state, type(result.result)) == ("FAILURE", smtplib.SMTPServerDisconnected)


def test_a_permanent_refusal_is_not_retried(smtp_down):
    smtp_down.error = smtplib.SMTPRecipientsRefused({"nobody@example.com": (550, b"5.1.1 No such user")})

    email_send_enqueue(to="nobody@example.com", language="en", **ORDER_PAID)

    assert len(smtp_down.attempts) == 1


def test_a_broker_that_is_down_does_not_fail_the_caller(monkeypatch, caplog, mailoutbox):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(email_send_task, "apply_async", broker_down)

    with caplog.at_level(logging.ERROR, logger="common.tasks"):
        email_send_enqueue(to="bea@example.com", language="en", **ORDER_PAID)

    assert mailoutbox == []
    assert [r.getMessage() for r in caplog.records] == [
        "e-mail emails/orders/order to bea@example.com was not sent"
    ]


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True),
        (smtplib.SMTPConnectError(421, b"Service not available"), True),
        (smtplib.SMTPSenderRefused(451, b"Try again later", "shop@example.com"), True),
        (smtplib.SMTPDataError(452, b"Insufficient storage"), True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (450, b"Mailbox busy")}), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (socket.gaierror(-3, "Temporary failure in name resolution"), True),
        (smtplib.SMTPAuthenticationError(535, b"Authentication failed"), False),
        (smtplib.SMTPSenderRefused(553, b"Sender not allowed", "shop@example.com"), False),
        (
            smtplib.SMTPRecipientsRefused(
                {"a@example.com": (450, b"Mailbox busy"), "b@example.com": (550, b"No such user")}
            ),
            False,
        ),
        (smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server"), False),
        (ValueError("bad header"), False),
    ],
)
def test_which_smtp_errors_are_worth_waiting_for(error, transient):
    assert smtp_error_is_transient(error) is transient
