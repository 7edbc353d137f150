"""Daily reconciliation of our books with the payment provider's.

For one UTC day and provider, what we recorded — payments captured that day (``Payment.captured_at``,
``captured_amount``, by charge id) and refunds that succeeded that day (``Refund.succeeded_at``,
``amount``, by refund id) — is compared with the provider's balance transactions of the day (Stripe:
``charge``/``payment`` → captured, by source charge id; ``refund``/``payment_refund`` → refunded, by
source refund id). Each difference is listed per reference (missing on one side, amount or currency
differs) in a ``ReconciliationReport`` (one per provider and day, replaced when the day is run again)
and logged at WARNING, where operators see it.

A fact a few minutes either side of midnight may be dated on different days by us and the provider (we
learn of a capture when the provider tells us); references found on the other side within
``EDGE_MARGIN`` of the day are therefore compared, not reported missing, and the day's totals may differ
by them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from common.exceptions import ApplicationError
from payments import stripe_gateway
from payments.models import Payment, ReconciliationReport, Refund

logger = logging.getLogger(__name__)

CAPTURED, REFUNDED = "captured", "refunded"
EDGE_MARGIN = timedelta(hours=1)
# Stripe's balance transaction types that are money captured / refunded on a charge.
STRIPE_TYPES = {"charge": CAPTURED, "payment": CAPTURED, "refund": REFUNDED, "payment_refund": REFUNDED}


class ReconciliationError(ApplicationError):
    pass


class ProviderUnavailable(Exception):
    """The provider's transactions could not be read (unreachable, refused our key, ...)."""


@dataclass(frozen=True)
class Movement:
    """Money captured or refunded on one provider object, as one side recorded it."""

    kind: str  # CAPTURED or REFUNDED
    reference: str  # the provider's charge id (captured) or refund id (refunded)
    amount: int  # positive minor units
    currency: str  # upper case
    at: datetime


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


# --- both sides -------------------------------------------------------------------------------------


def ours_movements(*, provider: str, start: datetime, end: datetime) -> list[Movement]:
    payments = Payment.objects.filter(
        provider=provider, captured_at__gte=start, captured_at__lt=end, captured_amount__gt=0
    ).values_list("charge_reference", "reference", "captured_amount", "currency", "captured_at")
    refunds = Refund.objects.filter(
        payment__provider=provider,
        status=Refund.Status.SUCCEEDED,
        succeeded_at__gte=start,
        succeeded_at__lt=end,
    ).values_list("pk", "reference", "amount", "currency", "succeeded_at")
    return [
        # A payment without its charge id is reported under the payment's own reference (or id).
        Movement(CAPTURED, charge or reference, amount, currency.upper(), at)
        for charge, reference, amount, currency, at in payments
    ] + [
        Movement(REFUNDED, reference or f"refund {pk} (no provider reference)", amount, currency.upper(), at)
        for pk, reference, amount, currency, at in refunds
    ]


def stripe_movements(*, start: datetime, end: datetime) -> list[Movement]:
    """The Stripe balance transactions created in ``[start, end)`` that capture or refund money. Stripe
    lists the newest first, so paging stops at the first transaction older than ``start``."""
    movements = []
    try:
        for txn in stripe_gateway.balance_transactions():
            at = datetime.fromtimestamp(txn["created"], tz=UTC)
            if at < start:
                break
            kind = STRIPE_TYPES.get(txn["type"])
            if at >= end or kind is None:
                continue
            source = txn["source"]
            reference = source if isinstance(source, str) else source["id"]
            movements.append(Movement(kind, reference, abs(int(txn["amount"])), txn["currency"].upper(), at))
    except stripe_gateway.GatewayError as error:
        raise ProviderUnavailable(str(error)) from None
    return movements


PROVIDER_MOVEMENTS = {"stripe": stripe_movements}


# --- comparing --------------------------------------------------------------------------------------


def _by_reference(movements: Iterable[Movement]) -> dict[tuple[str, str], Movement]:
    """One movement per (kind, reference): several on one reference are added up."""
    merged: dict[tuple[str, str], Movement] = {}
    for m in movements:
        key = (m.kind, m.reference)
        if key in merged:
            first = merged[key]
            currency = first.currency if first.currency == m.currency else f"{first.currency}+{m.currency}"
            m = Movement(m.kind, m.reference, first.amount + m.amount, currency, min(first.at, m.at))
        merged[key] = m
    return merged


def movements_compare(
    *, ours: Iterable[Movement], theirs: Iterable[Movement], start: datetime, end: datetime
) -> list[dict]:
    """What differs, reference by reference, for the facts either side dates within ``[start, end)``.
    The movements may reach ``EDGE_MARGIN`` beyond the day on both sides: a fact the other side dated
    just across midnight is compared, not called missing."""
    ours_by, theirs_by = _by_reference(ours), _by_reference(theirs)
    mismatches = []
    for key in sorted(ours_by.keys() | theirs_by.keys()):
        mine, their = ours_by.get(key), theirs_by.get(key)
        if not any(m is not None and start <= m.at < end for m in (mine, their)):
            continue  # only seen beyond the day's edges: another day's fact
        kind, reference = key
        row = {
            "reference": reference,
            "kind": kind,
            "ours": mine.amount if mine else None,
            "provider": their.amount if their else None,
            "currency": (mine or their).currency,
        }
        if their is None:
            mismatches.append({**row, "problem": "missing at the provider"})
        elif mine is None:
            mismatches.append({**row, "problem": "missing on our side"})
        elif mine.currency != their.currency:
            mismatches.append(
                {**row, "currency": f"{mine.currency}/{their.currency}", "problem": "currency differs"}
            )
        elif mine.amount != their.amount:
            mismatches.append({**row, "problem": "amount differs"})
    return mismatches


def _totals(movements: Iterable[Movement], start: datetime, end: datetime) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for m in movements:
        if start <= m.at < end:
            totals[m.kind] += m.amount
    return totals


# --- the run ----------------------------------------------------------------------------------------


def reconciliation_done(*, provider: str, day: date) -> bool:
    """Whether ``day`` already has a report that is not an error (the hourly beat run then skips it)."""
    reports = ReconciliationReport.objects.filter(provider=provider, day=day)
    return reports.exclude(status=ReconciliationReport.Status.ERROR).exists()


def reconciliation_run(*, provider: str, day: date) -> ReconciliationReport:
    """Compare one UTC day with ``provider`` and store the report (replacing an earlier run of that day).
    A provider that cannot be read gives a report with status ``error``, not an exception."""
    fetch = PROVIDER_MOVEMENTS.get(provider)
    if fetch is None:
        raise ReconciliationError(f"no reconciliation for provider {provider!r}")
    start, end = day_bounds(day)
    wide_start, wide_end = start - EDGE_MARGIN, end + EDGE_MARGIN
    # The provider is asked before anything is written, so no transaction is open during the call.
    try:
        theirs = fetch(start=wide_start, end=wide_end)
    except ProviderUnavailable as exc:
        theirs, error = [], str(exc)
    else:
        error = ""
    ours = ours_movements(provider=provider, start=wide_start, end=wide_end)
    ours_totals = _totals(ours, start, end)
    if error:
        status = ReconciliationReport.Status.ERROR
        mismatches = [{"reference": "", "problem": f"could not read the provider's transactions: {error}"}]
    else:
        mismatches = movements_compare(ours=ours, theirs=theirs, start=start, end=end)
        status = ReconciliationReport.Status.MISMATCHED if mismatches else ReconciliationReport.Status.MATCHED
    their_totals = _totals(theirs, start, end)
    report, _created = ReconciliationReport.objects.update_or_create(
        provider=provider,
        day=day,
        defaults={
            "status": status,
            "ours_captured": ours_totals[CAPTURED],
            "ours_refunded": ours_totals[REFUNDED],
            "provider_captured": their_totals[CAPTURED],
            "provider_refunded": their_totals[REFUNDED],
            "mismatches": mismatches,
        },
    )
    if error:
        logger.error("reconciliation %s %s could not run: %s", provider, day, error)
        return report
    level = logging.WARNING if mismatches else logging.INFO
    logger.log(level, "reconciliation %s %s: %s, %d mismatch(es)", provider, day, status, len(mismatches))
    for m in mismatches:
        logger.warning(
            "reconciliation %s %s: %s %s %s (ours %s, provider %s, %s)",
            provider,
            day,
            m["kind"],
            m["reference"],
            m["problem"],
            m["ours"],
            m["provider"],
            m["currency"],
        )
    return report
