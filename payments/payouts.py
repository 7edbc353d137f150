"""The payout provider interface and the providers behind it: how a seller's payout leaves the platform.

A payout run (``payments.services_payouts``) decides who is owed what and records it in the ledger; a
provider only moves the money. Two providers:

* ``ManualPayoutProvider`` ("manual", the default): nothing is sent automatically. An operator transfers
  the money from the platform's bank account to the seller's and marks the payout paid in the admin with
  the bank's reference.
* ``StripeConnectPayoutProvider`` ("stripe_connect"): a Stripe transfer from the platform's balance to the
  seller's connected account (``acct_...``), created after the run commits. The payout id is the
  idempotency key, so submitting the same payout twice (a retried task, two workers) makes one transfer.

A provider never touches the database: ``submit`` returns what happened or raises ``PayoutRejected``
(permanent: the payout fails and the money goes back to the seller's available balance) or
``PayoutProviderUnavailable`` (transient: try again later).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)

MANUAL = "manual"
STRIPE_CONNECT = "stripe_connect"


@dataclass(frozen=True)
class PayoutDestination:
    """Where one payout goes, copied from the seller's payout account when it is submitted."""

    account_holder: str = ""
    bank_account: str = ""
    stripe_account_id: str = ""


@dataclass(frozen=True)
class PayoutSubmitted:
    """The provider took the payout: it is on its way, ``reference`` is the provider's id for it."""

    reference: str


class PayoutRejected(Exception):
    """The provider refused this payout for good (bad destination, account closed...)."""


class PayoutProviderUnavailable(Exception):
    """The provider could not be reached or asked us to slow down; the same submission may be retried."""


class PayoutProvider(Protocol):
    code: str
    # True: the platform submits each payout itself after the run commits. False: an operator pays.
    automatic: bool

    def submit(
        self, *, payout_id: int, amount: int, currency: str, destination: PayoutDestination
    ) -> PayoutSubmitted: ...


class ManualPayoutProvider:
    """Bank transfer by an operator, who marks the payout paid with the bank's reference."""

    code = MANUAL
    automatic = False

    def submit(
        self, *, payout_id: int, amount: int, currency: str, destination: PayoutDestination
    ) -> PayoutSubmitted:
        raise PayoutRejected("manual payouts are paid by an operator, not submitted")


class StripeConnectPayoutProvider:
    """A Stripe transfer to the seller's connected account (``POST /v1/transfers``)."""

    code = STRIPE_CONNECT
    automatic = True

    def submit(
        self, *, payout_id: int, amount: int, currency: str, destination: PayoutDestination
    ) -> PayoutSubmitted:
        from payments import stripe_gateway

        if not destination.stripe_account_id:
            raise PayoutRejected("the seller has no Stripe account")
        try:
            transfer = stripe_gateway.transfer_create(
                amount=amount,
                currency=currency,
                destination=destination.stripe_account_id,
                metadata={"payout_id": str(payout_id)},
                # A repeated request returns the first transfer, so retries are safe.
                idempotency_key=f"payout-{payout_id}",
            )
        except stripe_gateway.GatewayError as error:
            if error.http_status in (401, 403):
                # Our configuration, not the payout, is wrong: keep it pending until the key is fixed.
                logger.error("Stripe refused our credentials for payout %s: %s", payout_id, error)
                raise PayoutProviderUnavailable(error.message) from None
            if error.transient:
                raise PayoutProviderUnavailable(error.message) from None
            # Bad request, unknown or restricted destination, insufficient platform balance: retrying the
            # same request gives the same answer.
            raise PayoutRejected(error.message) from None
        return PayoutSubmitted(reference=transfer["id"])


PROVIDERS: dict[str, type[PayoutProvider]] = {
    MANUAL: ManualPayoutProvider,
    STRIPE_CONNECT: StripeConnectPayoutProvider,
}


def payout_provider_get(code: str | None = None) -> PayoutProvider:
    """The provider ``code`` (default: ``settings.PAYOUT_PROVIDER``, what new payout accounts use)."""
    code = code or settings.PAYOUT_PROVIDER
    try:
        return PROVIDERS[code]()
    except KeyError:
        raise LookupError(f"unknown payout provider {code!r}; known: {', '.join(PROVIDERS)}") from None
