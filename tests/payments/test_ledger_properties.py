"""Property test of the ledger: random sequences of captures (several sellers, commission, platform
promotions, unallocated payments), provider fees, refunds (never more than is left of the payment),
funds released, payouts created/paid/failed, chargebacks, reversals, repeated facts and refused postings.

After every step every invariant of ``ledger_problems()`` holds against the real records it recomputes
from (order parts, ``LineCommission``, ``Refund``, ``Payout`` rows), every account's balance equals an
independent model of what each step should have moved (so nothing moves except through entries, and a
refused or repeated posting moves nothing), and ``seller_balances`` agrees with the model.

Each example runs in a savepoint that is rolled back, on the database the suite runs on.
``LEDGER_PROPERTY_EXAMPLES=500`` runs a longer search.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from orders.models import SellerOrder
from payments import ledger
from payments.ledger import EntrySpec, LedgerError, Posting, SellerBalance
from payments.models import JournalEntry, JournalLine, LedgerAccount, Payout, Refund
from tests.factories import SellerProfileFactory
from tests.payments.factories_ledger import LineSpec, PartSpec, payout_record, refund_record, sale_create

pytestmark = pytest.mark.django_db

Kind = LedgerAccount.Kind
CURRENCIES = ["USD", "EUR"]
SELLERS = 3

PROFILE = settings(
    max_examples=int(os.environ.get("LEDGER_PROPERTY_EXAMPLES", "40")),
    stateful_step_count=25,
    deadline=None,
    report_multiple_bugs=False,
    database=None,  # no .hypothesis/ directory in the repository; a failure prints its reproduction
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def line_specs(draw) -> LineSpec:
    base = draw(st.integers(1, 50_000))
    return LineSpec(
        base=base,
        commission=draw(st.integers(0, base)),
        platform_discount=draw(st.one_of(st.just(0), st.integers(0, base))),
    )


@dataclass
class PartState:
    seller_order_id: int
    seller_id: int
    # What is left to refund of this part, and how it is borne (seller + commission - promotions = paid).
    paid: int
    seller: int
    commission: int
    promotions: int
    released: bool = False


@dataclass
class PaymentState:
    payment: object
    order_id: int
    currency: str
    captured: int
    allocations: list
    parts: list[PartState]
    refunded: int = 0
    fee_posted: bool = False

    @property
    def refundable(self) -> int:
        return self.captured - self.refunded


@dataclass
class Reversible:
    entry_id: int
    currency: str
    effects: dict = field(default_factory=dict)  # {(kind, seller_id): amount}


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.sellers = [SellerProfileFactory() for _ in range(SELLERS)]
        # The model: debit-positive balance per (kind, seller id, currency), and per order part what is
        # still pending for its seller (credit-positive), which decides where a refund is taken from.
        self.balances: dict[tuple[str, int | None, str], int] = defaultdict(int)
        self.part_pending: dict[int, int] = {}
        self.payments: list[PaymentState] = []
        self.payouts: list[Payout] = []
        self.reversible: list[Reversible] = []
        self.serial = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def move(self, kind: str, amount: int, currency: str, seller_id: int | None = None) -> None:
        self.balances[(kind, seller_id, currency)] += amount

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    # --- captures and fees --------------------------------------------------------------------------

    @initialize(data=st.data(), currency=st.sampled_from(CURRENCIES))
    def a_first_sale_already_released(self, data, currency):
        """Every run starts with funds a seller can be paid out, so payouts are reached in few steps."""
        self.capture(data=data, currency=currency, allocate=True)
        state = self.payments[-1]
        self.release(state, state.parts[0])

    @rule(
        data=st.data(),
        currency=st.sampled_from(CURRENCIES),
        allocate=st.sampled_from([True, True, True, False]),
    )
    def capture(self, data, currency, allocate):
        sellers = data.draw(st.permutations(self.sellers))[: data.draw(st.integers(1, 2))]
        parts = [
            PartSpec(
                seller,
                data.draw(st.lists(line_specs(), min_size=1, max_size=3)),
                shipping=data.draw(st.sampled_from([0, 0, 495, 1200])),
            )
            for seller in sellers
        ]
        sale = sale_create(parts=parts, currency=currency, allocate=allocate)

        entry, created = ledger.capture_post(
            payment_id=sale.payment.pk,
            order_id=sale.order.pk,
            currency=currency,
            amount=sale.amount,
            allocations=sale.allocations if allocate else None,
        )

        assert created
        assert entry.kind == JournalEntry.Kind.CAPTURE
        self.move(Kind.PROVIDER_CASH, sale.amount, currency)
        state = PaymentState(
            payment=sale.payment,
            order_id=sale.order.pk,
            currency=currency,
            captured=sale.amount,
            allocations=sale.allocations if allocate else None,
            parts=[],
        )
        if not allocate:
            self.move(Kind.SHOPPER_CLEARING, -sale.amount, currency)
        for a in sale.allocations:
            self.move(Kind.SELLER_PENDING, -a.seller_amount, currency, a.seller_id)
            self.move(Kind.COMMISSION_REVENUE, -a.commission, currency)
            self.move(Kind.PROMOTIONS, a.promotions, currency)
            self.part_pending[a.seller_order_id] = a.seller_amount
            state.parts.append(
                PartState(
                    a.seller_order_id,
                    a.seller_id,
                    a.paid_by_shopper,
                    a.seller_amount,
                    a.commission,
                    a.promotions,
                )
            )
        self.payments.append(state)

    @precondition(lambda self: any(p.captured > 0 and not p.fee_posted for p in self.payments))
    @rule(data=st.data())
    def fee(self, data):
        state = data.draw(st.sampled_from([p for p in self.payments if p.captured > 0 and not p.fee_posted]))
        amount = data.draw(st.integers(1, state.captured))

        entry, created = ledger.fee_post(
            payment_id=state.payment.pk, order_id=state.order_id, currency=state.currency, amount=amount
        )

        assert created
        state.fee_posted = True
        self.move(Kind.PROVIDER_FEES, amount, state.currency)
        self.move(Kind.PROVIDER_CASH, -amount, state.currency)
        effects = {(Kind.PROVIDER_FEES, None): amount, (Kind.PROVIDER_CASH, None): -amount}
        self.reversible.append(Reversible(entry.pk, state.currency, effects))

    # --- refunds ------------------------------------------------------------------------------------

    @precondition(lambda self: any(p.refundable > 0 for p in self.payments))
    @rule(data=st.data(), fails=st.sampled_from([False, False, False, True]))
    def refund(self, data, fails):
        state = data.draw(st.sampled_from([p for p in self.payments if p.refundable > 0]))
        currency = state.currency
        if fails:
            # Refused by the provider: recorded, never posted, and ignored by the invariant.
            part = data.draw(st.sampled_from(state.parts)) if state.parts else None
            refund_record(
                payment=state.payment,
                amount=data.draw(st.integers(1, state.refundable)),
                seller_order=SellerOrder.objects.get(pk=part.seller_order_id) if part else None,
                seller_amount=1 if part else 0,
                status=Refund.Status.FAILED,
            )
            return
        if state.allocations is None:
            amount = data.draw(st.integers(1, state.refundable))
            refund = refund_record(payment=state.payment, amount=amount)
            ledger.refund_post(
                refund_id=refund.pk,
                payment_id=state.payment.pk,
                order_id=state.order_id,
                currency=currency,
                amount=amount,
                seller_id=None,
                seller_order_id=None,
                seller_amount=0,
                commission=0,
                promotions=0,
            )
            self.move(Kind.PROVIDER_CASH, -amount, currency)
            self.move(Kind.SHOPPER_CLEARING, amount, currency)
            state.refunded += amount
            return
        part = data.draw(st.sampled_from([p for p in state.parts if p.paid > 0]))
        amount = data.draw(st.integers(1, part.paid))
        # Borne in proportion to what is left of the part; the last refund takes exactly the rest.
        commission = part.commission * amount // part.paid
        promotions = part.promotions * amount // part.paid
        seller_amount = amount - commission + promotions
        assert seller_amount >= 0
        refund = refund_record(
            payment=state.payment,
            amount=amount,
            seller_order=SellerOrder.objects.get(pk=part.seller_order_id),
            seller_amount=seller_amount,
            commission=commission,
            promotions=promotions,
        )

        ledger.refund_post(
            refund_id=refund.pk,
            payment_id=state.payment.pk,
            order_id=state.order_id,
            currency=currency,
            amount=amount,
            seller_id=part.seller_id,
            seller_order_id=part.seller_order_id,
            seller_amount=seller_amount,
            commission=commission,
            promotions=promotions,
        )

        from_pending = min(max(0, self.part_pending[part.seller_order_id]), seller_amount)
        self.part_pending[part.seller_order_id] -= from_pending
        self.move(Kind.PROVIDER_CASH, -amount, currency)
        self.move(Kind.SELLER_PENDING, from_pending, currency, part.seller_id)
        self.move(Kind.SELLER_AVAILABLE, seller_amount - from_pending, currency, part.seller_id)
        self.move(Kind.COMMISSION_REVENUE, commission, currency)
        self.move(Kind.PROMOTIONS, -promotions, currency)
        part.paid -= amount
        part.seller -= seller_amount
        part.commission -= commission
        part.promotions -= promotions
        state.refunded += amount

    # --- funds and payouts --------------------------------------------------------------------------

    def _unreleased_parts(self) -> list[tuple[PaymentState, PartState]]:
        return [(p, part) for p in self.payments for part in p.parts if not part.released]

    @precondition(lambda self: bool(self._unreleased_parts()))
    @rule(data=st.data())
    def release_funds(self, data):
        self.release(*data.draw(st.sampled_from(self._unreleased_parts())))

    def release(self, state: PaymentState, part: PartState) -> None:
        pending = self.part_pending[part.seller_order_id]

        entry = ledger.funds_available_post(
            seller_id=part.seller_id, seller_order_id=part.seller_order_id, currency=state.currency
        )

        if pending <= 0:
            assert entry is None
            return
        assert entry.kind == JournalEntry.Kind.FUNDS_AVAILABLE
        part.released = True
        self.part_pending[part.seller_order_id] = 0
        self.move(Kind.SELLER_PENDING, pending, state.currency, part.seller_id)
        self.move(Kind.SELLER_AVAILABLE, -pending, state.currency, part.seller_id)

    def _payable(self) -> list[tuple[int, str, int]]:
        return [
            (seller_id, currency, -amount)
            for (kind, seller_id, currency), amount in self.balances.items()
            if kind == Kind.SELLER_AVAILABLE and -amount > 0
        ]

    @precondition(lambda self: bool(self._payable()))
    @rule(data=st.data())
    def payout(self, data):
        seller_id, currency, available = data.draw(st.sampled_from(sorted(self._payable())))
        amount = data.draw(st.integers(1, available))
        payout = payout_record(
            seller=next(s for s in self.sellers if s.pk == seller_id), amount=amount, currency=currency
        )

        _entry, created = ledger.payout_post(
            payout_id=payout.pk, seller_id=seller_id, currency=currency, amount=amount
        )

        assert created
        self.payouts.append(payout)
        self.move(Kind.SELLER_AVAILABLE, amount, currency, seller_id)
        self.move(Kind.PAYOUTS_IN_TRANSIT, -amount, currency)

    def _pending_payouts(self) -> list[Payout]:
        return [p for p in self.payouts if p.status == Payout.Status.PENDING]

    @precondition(lambda self: bool(self._pending_payouts()))
    @rule(data=st.data(), paid=st.booleans())
    def payout_settles(self, data, paid):
        payout = data.draw(st.sampled_from(self._pending_payouts()))
        payout.status = Payout.Status.PAID if paid else Payout.Status.FAILED
        payout.paid_at = timezone.now() if paid else None
        payout.save(update_fields=["status", "paid_at"])
        if paid:
            ledger.payout_paid_post(payout_id=payout.pk, currency=payout.currency, amount=payout.amount)
            self.move(Kind.PROVIDER_CASH, -payout.amount, payout.currency)
        else:
            ledger.payout_failed_post(
                payout_id=payout.pk,
                seller_id=payout.seller_id,
                currency=payout.currency,
                amount=payout.amount,
            )
            self.move(Kind.SELLER_AVAILABLE, -payout.amount, payout.currency, payout.seller_id)
        self.move(Kind.PAYOUTS_IN_TRANSIT, payout.amount, payout.currency)

    # --- chargebacks and corrections ----------------------------------------------------------------

    @precondition(lambda self: any(p.captured > 0 for p in self.payments))
    @rule(data=st.data())
    def chargeback(self, data):
        state = data.draw(st.sampled_from([p for p in self.payments if p.captured > 0]))
        amount = data.draw(st.integers(1, state.captured))

        entry, created = ledger.chargeback_post(
            dispute_reference=f"dp_{self.next_serial()}",
            payment_id=state.payment.pk,
            order_id=state.order_id,
            currency=state.currency,
            amount=amount,
        )

        assert created
        self.move(Kind.CHARGEBACKS, amount, state.currency)
        self.move(Kind.PROVIDER_CASH, -amount, state.currency)
        effects = {(Kind.CHARGEBACKS, None): amount, (Kind.PROVIDER_CASH, None): -amount}
        self.reversible.append(Reversible(entry.pk, state.currency, effects))

    @precondition(lambda self: bool(self.reversible))
    @rule(data=st.data())
    def reverse(self, data):
        target = data.draw(st.sampled_from(self.reversible))

        reversal = ledger.entry_reverse(entry_id=target.entry_id, key=f"reversal:{target.entry_id}")

        assert reversal.reverses_id == target.entry_id
        self.reversible.remove(target)
        for (kind, seller_id), amount in target.effects.items():
            self.move(kind, -amount, target.currency, seller_id)
        with pytest.raises(LedgerError, match="already reversed"):
            ledger.entry_reverse(entry_id=target.entry_id, key=f"reversal-again:{target.entry_id}")

    @precondition(lambda self: bool(self.payments))
    @rule(
        data=st.data(),
        amounts=st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=4).filter(lambda a: sum(a) != 0),
    )
    def repeated_facts_and_unbalanced_entries_move_nothing(self, data, amounts):
        state = data.draw(st.sampled_from(self.payments))

        _entry, created = ledger.capture_post(
            payment_id=state.payment.pk,
            order_id=state.order_id,
            currency=state.currency,
            amount=state.captured,
            allocations=state.allocations,
        )
        assert not created
        if state.fee_posted:
            _entry, created = ledger.fee_post(
                payment_id=state.payment.pk, order_id=state.order_id, currency=state.currency, amount=1
            )
            assert not created
        kinds = [Kind.PROVIDER_CASH, Kind.COMMISSION_REVENUE, Kind.PROMOTIONS, Kind.REFUNDS]
        unbalanced = EntrySpec(
            kind=JournalEntry.Kind.REVERSAL,
            key=f"bad:{self.next_serial()}",
            currency=state.currency,
            postings=[Posting(kinds[i], amount) for i, amount in enumerate(amounts)],
        )
        with pytest.raises(LedgerError, match="does not balance"):
            ledger.entry_post(unbalanced)

    # --- after every step ---------------------------------------------------------------------------

    @invariant()
    def every_invariant_of_the_books_holds(self):
        assert ledger.ledger_problems() == []

    @invariant()
    def every_balance_is_what_the_steps_moved(self):
        actual = {
            (row["account__kind"], row["account__seller_id"], row["account__currency"]): row["total"]
            for row in JournalLine.objects.values("account__kind", "account__seller_id", "account__currency")
            .annotate(total=Sum("amount"))
            .order_by()
        }
        assert {k: v for k, v in actual.items() if v} == {k: v for k, v in self.balances.items() if v}

    @invariant()
    def seller_balances_agree(self):
        for seller in self.sellers:
            expected = {}
            for currency in CURRENCIES:
                payouts = [p for p in self.payouts if p.seller_id == seller.pk and p.currency == currency]
                expected[currency] = SellerBalance(
                    currency=currency,
                    pending=-self.balances[(Kind.SELLER_PENDING, seller.pk, currency)],
                    available=-self.balances[(Kind.SELLER_AVAILABLE, seller.pk, currency)],
                    in_transit=sum(p.amount for p in payouts if p.status == Payout.Status.PENDING),
                    paid_out=sum(p.amount for p in payouts if p.status == Payout.Status.PAID),
                )
            actual = {b.currency: b for b in ledger.seller_balances(seller_id=seller.pk)}
            for currency, balance in expected.items():
                zero = SellerBalance(currency, 0, 0, 0, 0)
                assert actual.get(currency, zero) == balance


def test_random_sequences_of_money_movements_keep_every_invariant():
    ledger.accounts_cache_clear()
    run_state_machine_as_test(LedgerMachine, settings=PROFILE)
