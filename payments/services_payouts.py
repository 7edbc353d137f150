"""Every write about paying sellers: their funds becoming available, payout runs, submitting payouts to the
provider, operators marking them paid or failed, and the seller's payout account.

Money moves only through ``payments.ledger``:

1. capture credits the seller's *pending* account per order part;
2. ``seller_funds_release`` (hourly) moves an order part's pending money to *available* once the part has
   been completed for ``SELLER_FUNDS_HOLD_DAYS`` (the return window);
3. ``payouts_run`` (daily, or an operator's "run payouts now") creates one ``Payout`` per seller and
   currency whose available balance is at least ``PAYOUT_MINIMUM_AMOUNT`` and moves that amount from
   available to *payouts in transit* in the same transaction;
4. a provider that pays by itself (Stripe Connect) is asked after commit (``payout_submit``); a manual
   payout waits for an operator;
5. paid: in transit → out of the platform's cash; failed: in transit → back to the seller's available.

Never paid twice: a run locks the seller's available ledger account row before reading its balance, so
two runs (same or different run keys) serialise per seller and currency and the second finds nothing left;
``Payout``'s unique (seller, currency, run_key) makes a repeated run a no-op. A Stripe payout is claimed
(pending → in transit) under a row lock before the network call, and its id is the idempotency key.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import SellerProfile
from common.exceptions import ApplicationError
from orders.models import OrderStatus, SellerOrder
from payments import ledger
from payments.models import JournalLine, LedgerAccount, Payout, SellerPayoutAccount
from payments.payouts import (
    MANUAL,
    PROVIDERS,
    STRIPE_CONNECT,
    PayoutDestination,
    PayoutRejected,
    payout_provider_get,
)

logger = logging.getLogger(__name__)

Status = Payout.Status
Kind = LedgerAccount.Kind

PAYOUT_TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING: {Status.IN_TRANSIT, Status.PAID, Status.FAILED},
    Status.IN_TRANSIT: {Status.PAID, Status.FAILED},
    Status.PAID: set(),
    Status.FAILED: set(),
}

# A payout an automatic provider should have been given by now is submitted again by the next run.
RESUBMIT_AFTER = timedelta(minutes=10)
RELEASE_BATCH = 1000
STRIPE_ACCOUNT_RE = re.compile(r"^acct_[A-Za-z0-9]{6,60}$")
BANK_ACCOUNT_RE = re.compile(r"^[A-Z0-9]{6,34}$")


class PayoutError(ApplicationError):
    pass


# --- funds release ------------------------------------------------------------------------------------


def seller_funds_release(*, now: datetime, limit: int = RELEASE_BATCH) -> int:
    """Make available what is still pending for every seller order completed more than
    ``SELLER_FUNDS_HOLD_DAYS`` ago; returns how many order parts were released. Idempotent (one
    ``available:<seller order>`` entry per part), each part in its own transaction."""
    cutoff = now - timedelta(days=settings.SELLER_FUNDS_HOLD_DAYS)
    pending = (
        JournalLine.objects.filter(
            seller_order_id=OuterRef("pk"),
            account__kind=Kind.SELLER_PENDING,
            account__seller_id=OuterRef("seller_id"),
        )
        .values("seller_order_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    due = (
        SellerOrder.objects.filter(status=OrderStatus.COMPLETED, completed_at__lt=cutoff)
        .annotate(pending=Subquery(pending))
        .filter(pending__lt=0)  # credit: the platform still holds money of this part for the seller
        .order_by("completed_at", "pk")
        .values_list("pk", "seller_id", "order__currency")
    )
    released = 0
    for seller_order_id, seller_id, currency in list(due[:limit]):
        entry = ledger.funds_available_post(
            seller_id=seller_id, seller_order_id=seller_order_id, currency=currency
        )
        if entry is not None:
            released += 1
    if released:
        logger.info("released funds of %d seller orders", released)
    return released


# --- payout runs --------------------------------------------------------------------------------------


@dataclass
class PayoutRunResult:
    created: list[int] = field(default_factory=list)  # payout ids
    without_account: list[int] = field(default_factory=list)  # seller ids owed money but unpayable
    resubmitted: int = 0


def _available_account_lock(*, account_id: int) -> LedgerAccount:
    """Serialises payouts of one seller and currency: every run takes this row lock before reading the
    balance it pays out (see the module docstring)."""
    return LedgerAccount.objects.select_for_update().get(pk=account_id)


def _payout_create(
    *, account_id: int, seller_id: int, currency: str, run_key: str, minimum: int
) -> tuple[Payout | None, str]:
    """One seller's payout in one currency, in its own transaction: ``(payout, "")`` or
    ``(None, why not)``."""
    with transaction.atomic():
        _available_account_lock(account_id=account_id)
        seller_status = SellerProfile.objects.filter(pk=seller_id).values_list("status", flat=True).first()
        if seller_status != SellerProfile.Status.APPROVED:
            return None, "seller not approved"  # suspended sellers' money is held
        account = SellerPayoutAccount.objects.filter(seller_id=seller_id).first()
        if account is None:
            return None, "no payout account"
        available = -ledger.account_balance(
            kind=Kind.SELLER_AVAILABLE, currency=currency, seller_id=seller_id
        )
        if available < minimum:
            return None, "below minimum"
        if Payout.objects.filter(seller_id=seller_id, currency=currency, run_key=run_key).exists():
            return None, "already paid in this run"
        payout = Payout(
            seller_id=seller_id,
            amount=available,
            currency=currency,
            status=Status.PENDING,
            provider=account.provider,
            run_key=run_key,
        )
        payout.full_clean()
        payout.save()
        ledger.payout_post(payout_id=payout.pk, seller_id=seller_id, currency=currency, amount=available)
        if payout_provider_get(account.provider).automatic:
            _submit_after_commit(payout.pk)
    logger.info("payout %s: %s %s to seller %s (%s)", payout.pk, available, currency, seller_id, run_key)
    return payout, ""


def _submit_after_commit(payout_id: int) -> None:
    from payments.tasks_payouts import payout_submit_task

    # robust: a provider outage must not turn the (committed) run into an error for its caller; the
    # payout stays pending and the next run submits it again.
    transaction.on_commit(lambda: payout_submit_task.delay(payout_id), robust=True)


def payouts_run(*, run_key: str, actor_id: int | None = None) -> PayoutRunResult:
    """Pay every seller whose available balance in a currency is at least ``PAYOUT_MINIMUM_AMOUNT`` and
    who has a payout account. ``run_key`` names the run (``daily:2026-11-27``, ``operator:7:...``): the
    same key twice pays nobody twice. Also resubmits automatic payouts that were never submitted."""
    if not run_key or len(run_key) > cast(int, Payout._meta.get_field("run_key").max_length):
        raise PayoutError(_("A payout run needs a short name."), extra={"run_key": ["1-60 characters"]})
    minimum = settings.PAYOUT_MINIMUM_AMOUNT
    candidates = (
        JournalLine.objects.filter(account__kind=Kind.SELLER_AVAILABLE)
        .values("account_id", "account__seller_id", "currency")
        .annotate(total=Sum("amount"))
        .filter(total__lte=-minimum)
        .order_by("account_id")
    )
    result = PayoutRunResult()
    for row in list(candidates):
        payout, why_not = _payout_create(
            account_id=row["account_id"],
            seller_id=row["account__seller_id"],
            currency=row["currency"],
            run_key=run_key,
            minimum=minimum,
        )
        if payout is not None:
            result.created.append(payout.pk)
        elif why_not == "no payout account":
            result.without_account.append(row["account__seller_id"])
    result.resubmitted = _payouts_resubmit(exclude_ids=set(result.created))
    logger.info(
        "payout run %s by %s: %d created, %d sellers without a payout account, %d resubmitted",
        run_key,
        actor_id or "schedule",
        len(result.created),
        len(result.without_account),
        result.resubmitted,
    )
    return result


def _payouts_resubmit(*, exclude_ids: set[int]) -> int:
    automatic = [code for code, provider in PROVIDERS.items() if provider.automatic]
    stuck = (
        Payout.objects.filter(provider__in=automatic, created_at__lt=timezone.now() - RESUBMIT_AFTER)
        .filter(status__in=[Status.PENDING, Status.IN_TRANSIT], reference="")
        .exclude(pk__in=exclude_ids)
        .values_list("pk", flat=True)
    )
    ids = list(stuck[:500])
    for payout_id in ids:
        _submit_after_commit(payout_id)
    return len(ids)


# --- submission and status changes --------------------------------------------------------------------


def _in_flight(payout: Payout) -> bool:
    """Claimed for an automatic provider but not yet answered: the money may be on its way."""
    return payout.status == Status.IN_TRANSIT and not payout.reference and payout.provider != MANUAL


def _payout_transition(payout: Payout, *, to_status: str, update_fields: list[str]) -> Payout:
    """Move a locked payout to ``to_status`` through the table, with its ledger entry."""
    if to_status not in PAYOUT_TRANSITIONS[payout.status]:
        raise PayoutError(
            _("A payout cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(payout.status).label, "to": Status(to_status).label},
            extra={"status": [f"{payout.status} -> {to_status} is not allowed"]},
        )
    payout.status = to_status
    payout.full_clean()
    payout.save(update_fields=["status", *update_fields, "updated_at"])
    if to_status == Status.PAID:
        ledger.payout_paid_post(payout_id=payout.pk, currency=payout.currency, amount=payout.amount)
    elif to_status == Status.FAILED:
        ledger.payout_failed_post(
            payout_id=payout.pk, seller_id=payout.seller_id, currency=payout.currency, amount=payout.amount
        )
    logger.info("payout %s is now %s", payout.pk, to_status)
    return payout


@transaction.atomic
def payout_mark_paid(*, payout_id: int, reference: str, actor_id: int | None) -> Payout:
    """An operator (or a provider's confirmation) says the money arrived. The bank's or provider's
    reference is required; a payout submitted to a provider keeps the provider's id when none is given."""
    payout = Payout.objects.select_for_update().get(pk=payout_id)
    reference = reference.strip() or payout.reference
    if not reference:
        raise PayoutError(_("Give the transfer reference."), extra={"reference": ["required"]})
    if _in_flight(payout):
        raise PayoutError(
            _("This payout is being sent to the provider; wait for its answer."),
            extra={"status": ["in flight"]},
        )
    payout.reference = reference[:100]
    payout.paid_at = timezone.now()
    payout.marked_by_id = actor_id
    return _payout_transition(
        payout, to_status=Status.PAID, update_fields=["reference", "paid_at", "marked_by"]
    )


@transaction.atomic
def payout_mark_failed(*, payout_id: int, reason: str, actor_id: int | None) -> Payout:
    """The payout did not reach the seller: its money goes back to their available balance (the next run
    pays it again)."""
    payout = Payout.objects.select_for_update().get(pk=payout_id)
    reason = reason.strip()
    if not reason:
        raise PayoutError(_("Say why the payout failed."), extra={"reason": ["required"]})
    if actor_id is not None and _in_flight(payout):
        raise PayoutError(
            _("This payout is being sent to the provider; wait for its answer."),
            extra={"status": ["in flight"]},
        )
    payout.failure_message = reason[:300]
    payout.marked_by_id = actor_id
    return _payout_transition(payout, to_status=Status.FAILED, update_fields=["failure_message", "marked_by"])


def payout_submit(*, payout_id: int) -> Payout:
    """Give a payout to its automatic provider (the task after a run). Claimed pending → in transit under
    a row lock first, so an operator's "mark failed" cannot cross it; the provider call holds no lock.
    ``PayoutProviderUnavailable`` propagates (the task retries; the payout stays claimed and the next run
    submits it again with the same idempotency key)."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        provider = payout_provider_get(payout.provider)
        if not provider.automatic:
            return payout
        if payout.status == Status.PENDING:
            _payout_transition(payout, to_status=Status.IN_TRANSIT, update_fields=[])
        elif not _in_flight(payout):
            return payout  # answered already
        account = SellerPayoutAccount.objects.filter(seller_id=payout.seller_id).first()
    destination = PayoutDestination(
        account_holder=account.account_holder if account else "",
        bank_account=account.bank_account if account else "",
        stripe_account_id=account.stripe_account_id if account else "",
    )
    try:
        submitted = provider.submit(
            payout_id=payout.pk, amount=payout.amount, currency=payout.currency, destination=destination
        )
    except PayoutRejected as exc:
        return payout_mark_failed(payout_id=payout.pk, reason=str(exc) or "rejected", actor_id=None)
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.reference == submitted.reference:
            return payout  # a concurrent submission got the same answer (same idempotency key)
        if not _in_flight(payout):
            logger.error("payout %s answered %s but is %s", payout.pk, submitted.reference, payout.status)
            return payout
        payout.reference = submitted.reference[:100]
        payout.full_clean()
        payout.save(update_fields=["reference", "updated_at"])
    logger.info("payout %s submitted to %s as %s", payout.pk, payout.provider, payout.reference)
    return payout


# --- payout account -----------------------------------------------------------------------------------


@transaction.atomic
def seller_payout_account_update(
    *,
    seller_id: int,
    provider: str,
    account_holder: str = "",
    bank_account: str = "",
    stripe_account_id: str = "",
) -> SellerPayoutAccount:
    """Set where the seller's payouts go. Manual: the account holder and a bank account (IBAN or number,
    kept without spaces); Stripe Connect: the connected account id. Payouts already made keep going
    where they were sent."""
    errors: dict[str, list[str]] = {}
    if provider not in PROVIDERS:
        raise PayoutError(_("Unknown payout method."), extra={"provider": [provider]})
    account_holder = " ".join(account_holder.split())
    bank_account = re.sub(r"[\s-]", "", bank_account).upper()
    stripe_account_id = stripe_account_id.strip()
    data = {"provider": provider, "account_holder": "", "bank_account": "", "stripe_account_id": ""}
    if provider == MANUAL:
        if not account_holder:
            errors["account_holder"] = [_("Give the name on the bank account.")]
        if not BANK_ACCOUNT_RE.match(bank_account):
            errors["bank_account"] = [_("Give an IBAN or account number: 6 to 34 letters and digits.")]
        data.update(account_holder=account_holder, bank_account=bank_account)
    elif provider == STRIPE_CONNECT:
        if not STRIPE_ACCOUNT_RE.match(stripe_account_id):
            errors["stripe_account_id"] = [_("Give your Stripe account id, which starts with “acct_”.")]
        data.update(stripe_account_id=stripe_account_id)
    if errors:
        raise PayoutError(_("Please correct the payout details."), extra=errors)
    SellerProfile.objects.select_for_update().get(pk=seller_id)  # one writer per seller
    account = SellerPayoutAccount.objects.filter(seller_id=seller_id).first()
    if account is None:
        account = SellerPayoutAccount(seller_id=seller_id, **data)
        account.full_clean()
        account.save()
        return account
    for name, value in data.items():
        setattr(account, name, value)
    account.full_clean()
    account.save(update_fields=[*data, "updated_at"])
    return account
