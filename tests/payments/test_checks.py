"""``check --deploy`` refuses a production setup that could take orders without money: the test provider
(payments.E001), Stripe without its keys (payments.E002), Stripe pointed at something else (W001)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from payments.checks import payments_deploy_check


def _ids(settings):
    return [problem.id for problem in payments_deploy_check()]


def _stripe(settings, **overrides):
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_live_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_live_x"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    settings.STRIPE_API_BASE = ""
    for name, value in overrides.items():
        setattr(settings, name, value)


def test_the_test_provider_is_an_error_in_production(settings):
    settings.PAYMENT_PROVIDER = "test"

    assert _ids(settings) == ["payments.E001"]


def test_stripe_with_its_keys_passes(settings):
    _stripe(settings)

    assert _ids(settings) == []


@pytest.mark.parametrize("missing", ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"])
def test_stripe_without_a_key_is_an_error(settings, missing):
    _stripe(settings, **{missing: ""})

    problems = payments_deploy_check()

    assert [p.id for p in problems] == ["payments.E002"]
    assert missing in problems[0].msg


def test_stripe_pointed_at_an_emulator_is_a_warning(settings):
    _stripe(settings, STRIPE_API_BASE="http://127.0.0.1:8420")

    assert _ids(settings) == ["payments.W001"]


def test_the_check_runs_only_with_deploy(settings):
    settings.PAYMENT_PROVIDER = "test"

    call_command("check")  # development: fine
    with pytest.raises(SystemCheckError):
        call_command("check", "--deploy", "--tag", "security")


@pytest.mark.django_db
def test_stripe_dev_setup_refuses_real_stripe(settings):
    _stripe(settings)

    with pytest.raises(CommandError, match="Stripe dashboard"):
        call_command("stripe_dev_setup")
