"""Reads of a seller's money for the seller portal and the operators: balances, earnings per day, payouts,
the payout account, the statement (every movement of the seller's ledger accounts with a running
balance) and the commission taken on one of their orders. Everything is scoped to one seller."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from payments.models import (
    JournalEntry,
    JournalLine,
    LedgerAccount,
    LineCommission,
    Payout,
    SellerPayoutAccount,
)

Kind = LedgerAccount.Kind
SELLER_ACCOUNT_KINDS = (Kind.SELLER_PENDING, Kind.SELLER_AVAILABLE)
# Entries that change what a seller has earned (moves between their own accounts and payouts do not).
EARNING_ENTRY_KINDS = (JournalEntry.Kind.CAPTURE, JournalEntry.Kind.REFUND)
PAYOUT_KEY_RE = re.compile(r"^payout(?:-paid|-failed)?:(\d+)$")


# --- balances and earnings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EarningsDay:
    day: date
    amount: int  # what the seller earned that day (sales minus commission, minus refunds), minor units


def seller_earnings_by_day(*, seller_id: int, today: date, days: int = 30) -> dict[str, list[EarningsDay]]:
    """{currency: one ``EarningsDay`` per day of the ``days`` days ending ``today`` (local dates),
    zero-filled}, only for currencies with earnings in that window. One query."""
    first = today - timedelta(days=days - 1)
    rows = (
        JournalLine.objects.filter(
            account__seller_id=seller_id,
            account__kind__in=SELLER_ACCOUNT_KINDS,
            entry__kind__in=EARNING_ENTRY_KINDS,
            entry__created_at__gte=_local_midnight(first),
            entry__created_at__lt=_local_midnight(today + timedelta(days=1)),
        )
        .annotate(day=TruncDate("entry__created_at", tzinfo=timezone.get_current_timezone()))
        .values("currency", "day")
        .annotate(total=Sum("amount"))
    )
    by_currency: dict[str, dict[date, int]] = defaultdict(dict)
    for row in rows:
        by_currency[row["currency"]][row["day"]] = -int(row["total"] or 0)
    return {
        currency: [
            EarningsDay(day=first + timedelta(days=i), amount=amounts.get(first + timedelta(days=i), 0))
            for i in range(days)
        ]
        for currency, amounts in sorted(by_currency.items())
    }


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


# --- payouts and the payout account -------------------------------------------------------------------


def payout_status_label(status: str) -> str:
    """A payout's status in the seller's words (the model's generic labels, "Pending" or "In transit",
    are shared with payments and shipments and read wrongly for money being sent to a seller)."""
    return {
        Payout.Status.PENDING: _("Awaiting transfer"),
        Payout.Status.IN_TRANSIT: _("Being paid out"),
        Payout.Status.PAID: _("Paid out"),
        Payout.Status.FAILED: _("Payout failed"),
    }.get(status, status)


def seller_payout_list(*, seller_id: int) -> QuerySet[Payout]:
    return Payout.objects.filter(seller_id=seller_id).order_by("-created_at", "-id")


def seller_payout_get(*, seller_id: int, payout_id: int) -> Payout | None:
    """The seller's own payout, or None (another seller's id is indistinguishable from a missing one)."""
    return Payout.objects.filter(pk=payout_id, seller_id=seller_id).first()


def seller_payout_account_get(*, seller_id: int) -> SellerPayoutAccount | None:
    return SellerPayoutAccount.objects.filter(seller_id=seller_id).first()


def bank_account_masked(value: str) -> str:
    """``•••• 4321``: enough for the seller to recognise the account, not to copy it."""
    if not value:
        return ""
    return "•••• " + value[-4:]


# --- statement ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementRow:
    created_at: datetime
    currency: str
    account: str  # "seller_pending" or "seller_available"
    account_label: str
    kind: str  # JournalEntry.Kind value
    kind_label: str
    order_number: str
    payout_id: int | None
    amount: int  # minor units, positive when the platform owes the seller more
    balance: int  # that account's balance in that currency after this movement (owed to the seller)


def seller_statement_rows(
    *, seller_id: int, date_from: date | None = None, date_to: date | None = None
) -> Iterator[StatementRow]:
    """Every movement of the seller's pending and available accounts between the two local dates (both
    included; open-ended when None), oldest first, with each account's running balance (starting from
    its balance before ``date_from``). Two queries, then streamed in chunks."""
    lines = JournalLine.objects.filter(account__seller_id=seller_id, account__kind__in=SELLER_ACCOUNT_KINDS)
    window = Q()
    if date_from is not None:
        window &= Q(entry__created_at__gte=_local_midnight(date_from))
    if date_to is not None:
        window &= Q(entry__created_at__lt=_local_midnight(date_to + timedelta(days=1)))
    balances: dict[tuple[str, str], int] = defaultdict(int)
    if date_from is not None:
        opening = (
            lines.filter(entry__created_at__lt=_local_midnight(date_from))
            .values("account__kind", "currency")
            .annotate(total=Sum("amount"))
        )
        for row in opening:
            balances[(row["account__kind"], row["currency"])] = -int(row["total"] or 0)
    movements = (
        lines.filter(window)
        .order_by("entry__created_at", "entry_id", "pk")
        .values_list(
            "entry__created_at",
            "currency",
            "account__kind",
            "entry__kind",
            "entry__key",
            "seller_order__order__number",
            "amount",
        )
    )
    account_labels = {
        Kind.SELLER_PENDING: _("Pending funds"),
        Kind.SELLER_AVAILABLE: _("Available funds"),
    }
    kind_labels = {**dict(JournalEntry.Kind.choices), **_seller_kind_labels()}
    for created_at, currency, account, kind, key, order_number, amount in movements.iterator(chunk_size=2000):
        owed = -int(amount)
        balances[(account, currency)] += owed
        payout_match = PAYOUT_KEY_RE.match(key)
        yield StatementRow(
            created_at=created_at,
            currency=currency,
            account=account,
            account_label=account_labels[account],
            kind=kind,
            kind_label=str(kind_labels.get(kind, kind)),
            order_number=order_number or "",
            payout_id=int(payout_match.group(1)) if payout_match else None,
            amount=owed,
            balance=balances[(account, currency)],
        )


def _seller_kind_labels() -> dict[str, str]:
    """What each kind of movement is called on a seller's statement."""
    return {
        JournalEntry.Kind.CAPTURE: _("Sale"),
        JournalEntry.Kind.REFUND: _("Refund"),
        JournalEntry.Kind.FUNDS_AVAILABLE: _("Funds available"),
        JournalEntry.Kind.PAYOUT: _("Payout"),
        JournalEntry.Kind.PAYOUT_FAILED: _("Payout failed, money returned"),
        JournalEntry.Kind.REVERSAL: _("Correction"),
    }


# --- commission of one order --------------------------------------------------------------------------


def rate_percent_text(rate_bp: int) -> str:
    """1000 → "10", 250 → "2.5", 1005 → "10.05" (basis points as a percentage, no trailing zeros)."""
    return f"{rate_bp // 100}.{rate_bp % 100:02d}".rstrip("0").rstrip(".")


def rate_source_label(source: str) -> str:
    if source == "seller":
        return _("Your agreed rate")
    if source.startswith("category:"):
        return _("Category rate")
    return _("Standard rate")


@dataclass(frozen=True)
class CommissionLine:
    title: str
    sku: str
    base_amount: int  # what the seller charged for the line
    rate_percent: str
    rate_source: str
    amount: int  # commission
    net_amount: int  # base_amount - amount


@dataclass(frozen=True)
class OrderCommission:
    currency: str
    lines: list[CommissionLine]
    sales_amount: int
    commission_amount: int
    shipping_amount: int  # goes to the seller in full
    platform_discount_amount: int  # the platform's coupons and tiers, paid by the platform
    net_amount: int  # what the seller receives for this order part


def seller_order_commission(*, seller_id: int, seller_order_id: int) -> OrderCommission | None:
    """The commission taken on one of the seller's order parts, line by line (None before the payment
    was captured, or for another seller's part). One query."""
    rows = list(
        LineCommission.objects.filter(seller_id=seller_id, seller_order_id=seller_order_id)
        .select_related("order_line", "seller_order")
        .order_by("order_line_id")
    )
    if not rows:
        return None
    lines = [
        CommissionLine(
            title=row.order_line.title,
            sku=row.order_line.sku,
            base_amount=row.base_amount,
            rate_percent=rate_percent_text(row.rate_bp),
            rate_source=rate_source_label(row.rate_source),
            amount=row.amount,
            net_amount=row.base_amount - row.amount,
        )
        for row in rows
    ]
    shipping = rows[0].seller_order.shipping_amount
    return OrderCommission(
        currency=rows[0].currency,
        lines=lines,
        sales_amount=sum(line.base_amount for line in lines),
        commission_amount=sum(line.amount for line in lines),
        shipping_amount=shipping,
        platform_discount_amount=sum(row.platform_discount_amount for row in rows),
        net_amount=sum(line.net_amount for line in lines) + shipping,
    )


# --- operators ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayoutDue:
    seller_id: int
    shop_name: str
    currency: str
    available: int
    has_payout_account: bool


def payouts_due_list(*, minimum: int) -> list[PayoutDue]:
    """Who a payout run would pay now (available balance at least ``minimum``), for the operators'
    confirmation page. Three queries."""
    from accounts.models import SellerProfile

    rows = list(
        JournalLine.objects.filter(account__kind=Kind.SELLER_AVAILABLE)
        .values("account__seller_id", "currency")
        .annotate(total=Sum("amount"))
        .filter(total__lte=-minimum)
        .order_by("account__seller_id", "currency")
    )
    seller_ids = {row["account__seller_id"] for row in rows}
    shops = dict(SellerProfile.objects.filter(pk__in=seller_ids).values_list("pk", "shop_name"))
    with_account = set(
        SellerPayoutAccount.objects.filter(seller_id__in=seller_ids).values_list("seller_id", flat=True)
    )
    return [
        PayoutDue(
            seller_id=row["account__seller_id"],
            shop_name=shops.get(row["account__seller_id"], ""),
            currency=row["currency"],
            available=-int(row["total"]),
            has_payout_account=row["account__seller_id"] in with_account,
        )
        for row in rows
    ]


def payout_accounts_by_seller(*, seller_ids: set[int]) -> dict[int, SellerPayoutAccount]:
    """The payout accounts of these sellers (operators pay manual payouts from the full details)."""
    return {
        account.seller_id: account for account in SellerPayoutAccount.objects.filter(seller_id__in=seller_ids)
    }
