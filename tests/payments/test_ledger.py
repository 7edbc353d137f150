"""The ledger's posting service: entries balance or are refused whole, keys make posting idempotent,
corrections are reversing entries, and each business fact moves money between the right accounts."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum

from payments import ledger
from payments.ledger import EntrySpec, LedgerError, Posting, SellerBalance
from payments.models import JournalEntry, JournalLine, LedgerAccount, Payout
from tests.factories import SellerProfileFactory
from tests.payments.factories_ledger import LineSpec, PartSpec, payout_record, refund_record, sale_create

pytestmark = pytest.mark.django_db

Kind = LedgerAccount.Kind
CASH, CLEARING = Kind.PROVIDER_CASH, Kind.SHOPPER_CLEARING


def spec(key="test:1", postings=((CASH, 100), (CLEARING, -100)), currency="USD", **fields) -> EntrySpec:
    return EntrySpec(
        kind=fields.pop("kind", JournalEntry.Kind.CAPTURE),
        key=key,
        currency=currency,
        postings=[Posting(kind, amount) for kind, amount in postings],
        **fields,
    )


def balance(kind, currency="USD", seller=None) -> int:
    return ledger.account_balance(kind=kind, currency=currency, seller_id=seller.pk if seller else None)


def lines_of(entry) -> list[tuple[str, int | None, int]]:
    return sorted(
        (line.account.kind, line.account.seller_id, line.amount)
        for line in entry.lines.select_related("account")
    )


# --- entry_post -------------------------------------------------------------------------------------


def test_a_balanced_entry_is_posted_with_one_line_per_posting():
    entry, created = ledger.entry_post(spec(memo="opening"))

    assert created is True
    assert (entry.kind, entry.key, entry.memo) == ("capture", "test:1", "opening")
    assert lines_of(entry) == [(CASH, None, 100), (CLEARING, None, -100)]
    assert set(entry.lines.values_list("currency", flat=True)) == {"USD"}
    assert (balance(CASH), balance(CLEARING)) == (100, -100)


def test_an_unbalanced_entry_is_refused_and_nothing_is_written():
    with pytest.raises(LedgerError, match="does not balance: lines sum to 1 USD"):
        ledger.entry_post(spec(postings=[(CASH, 101), (CLEARING, -100)]))

    assert JournalEntry.objects.count() == 0
    assert JournalLine.objects.count() == 0
    assert LedgerAccount.objects.count() == 0


def test_an_entry_of_only_zero_lines_is_refused():
    with pytest.raises(LedgerError, match="moves no money"):
        ledger.entry_post(spec(postings=[(CASH, 0), (CLEARING, 0)]))

    assert JournalEntry.objects.count() == 0


def test_zero_postings_beside_real_ones_write_no_line():
    entry, _created = ledger.entry_post(spec(postings=[(CASH, 100), (Kind.PROMOTIONS, 0), (CLEARING, -100)]))

    assert lines_of(entry) == [(CASH, None, 100), (CLEARING, None, -100)]


@pytest.mark.parametrize("amount", [100.0, Decimal(100), "100", True])
def test_an_amount_that_is_not_an_integer_is_refused(amount):
    with pytest.raises(LedgerError, match="integer minor units"):
        ledger.entry_post(spec(postings=[(CASH, amount), (CLEARING, -100)]))

    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize("currency", ["usd", "US", "USDT", "12A", ""])
def test_a_malformed_currency_is_refused(currency):
    with pytest.raises(LedgerError, match="bad currency"):
        ledger.entry_post(spec(currency=currency))


@pytest.mark.parametrize(("key", "kind"), [("", "capture"), ("k" * 121, "capture"), ("test:1", "gift")])
def test_an_empty_or_too_long_key_or_an_unknown_entry_kind_is_refused(key, kind):
    with pytest.raises(LedgerError):
        ledger.entry_post(spec(key=key, kind=kind))

    assert JournalEntry.objects.count() == 0


def test_seller_accounts_need_a_seller_and_the_others_take_none():
    seller = SellerProfileFactory()

    with pytest.raises(LedgerError, match="needs seller"):
        ledger.entry_post(spec(postings=[(CASH, 5), (Kind.SELLER_PENDING, -5)]))
    with pytest.raises(LedgerError, match="takes no seller"):
        ledger.entry_post(
            EntrySpec(
                kind="capture",
                key="test:2",
                currency="USD",
                postings=[Posting(CASH, 5, seller_id=seller.pk), Posting(CLEARING, -5)],
            )
        )
    with pytest.raises(LedgerError, match="unknown ledger account kind"):
        ledger.entry_post(spec(postings=[("petty_cash", 5), (CLEARING, -5)]))

    assert JournalEntry.objects.count() == 0


def test_posting_the_same_key_again_returns_the_first_entry_and_moves_nothing():
    first, _created = ledger.entry_post(spec())

    again, created = ledger.entry_post(spec(postings=[(CASH, 999), (CLEARING, -999)]))

    assert created is False
    assert again.pk == first.pk
    assert JournalLine.objects.count() == 2
    assert balance(CASH) == 100


def test_entries_in_different_currencies_each_balance_in_their_own():
    ledger.entry_post(spec(key="usd", currency="USD", postings=[(CASH, 100), (CLEARING, -100)]))
    ledger.entry_post(spec(key="eur", currency="EUR", postings=[(CASH, 70), (CLEARING, -70)]))

    totals = dict(JournalLine.objects.values_list("currency").annotate(total=Sum("amount")))
    assert totals == {"USD": 0, "EUR": 0}
    assert (balance(CASH, "USD"), balance(CASH, "EUR")) == (100, 70)
    assert LedgerAccount.objects.filter(kind=CASH).count() == 2
    assert ledger.ledger_problems() == []


def test_an_account_created_in_a_rolled_back_transaction_is_not_reused_later():
    """Regression: the account-id cache kept ids of rows a rollback had removed."""

    def post_then_fail():
        with transaction.atomic():
            ledger.entry_post(spec(key="rolled-back", postings=[(Kind.PROVIDER_FEES, 5), (CASH, -5)]))
            raise RuntimeError("the caller's transaction fails after posting")

    with pytest.raises(RuntimeError):
        post_then_fail()

    entry, _created = ledger.entry_post(spec(key="kept", postings=[(Kind.CHARGEBACKS, 7), (CASH, -7)]))

    assert lines_of(entry) == [(Kind.CHARGEBACKS, None, 7), (CASH, None, -7)]
    assert balance(CASH) == -7


# --- entries_post_batch -----------------------------------------------------------------------------


def test_a_batch_posts_every_entry_and_skips_keys_already_posted():
    ledger.entry_post(spec(key="b:0"))
    specs = [spec(key=f"b:{i}", postings=[(CASH, 10 + i), (CLEARING, -10 - i)]) for i in range(5)]

    created = ledger.entries_post_batch(specs)

    assert created == 4
    assert JournalEntry.objects.filter(key__startswith="b:").count() == 5
    assert balance(CASH) == 100 + 11 + 12 + 13 + 14
    assert ledger.entries_post_batch(specs) == 0
    assert ledger.ledger_problems() == []


def test_a_batch_with_one_unbalanced_entry_or_a_repeated_key_writes_nothing():
    good = spec(key="b:1")

    with pytest.raises(LedgerError, match="does not balance"):
        ledger.entries_post_batch([good, spec(key="b:2", postings=[(CASH, 1), (CLEARING, -2)])])
    with pytest.raises(LedgerError, match="repeats a key"):
        ledger.entries_post_batch([good, spec(key="b:1")])

    assert JournalEntry.objects.count() == 0


def test_a_batch_resolves_seller_accounts_and_tags_seller_orders():
    sale = sale_create(parts=[PartSpec(SellerProfileFactory(), [LineSpec(1000, commission=100)])])
    part = sale.parts[0]
    specs = [
        EntrySpec(
            kind="capture",
            key="b:seller",
            currency="USD",
            postings=[
                Posting(CASH, 1000),
                Posting(Kind.SELLER_PENDING, -900, part.seller_id, part.pk),
                Posting(Kind.COMMISSION_REVENUE, -100, seller_order_id=part.pk),
            ],
        )
    ]

    assert ledger.entries_post_batch(specs) == 1

    assert (
        ledger.seller_order_pending_balance(seller_order_id=part.pk, seller_id=part.seller_id, currency="USD")
        == 900
    )


# --- entry_reverse ----------------------------------------------------------------------------------


def test_reversing_an_entry_posts_the_opposite_lines_and_leaves_the_original_as_it_was():
    original, _created = ledger.fee_post(payment_id=None, order_id=None, currency="USD", amount=30)

    reversal = ledger.entry_reverse(entry_id=original.pk, key="reversal:fee")

    assert (reversal.kind, reversal.reverses_id, reversal.memo) == (
        "reversal",
        original.pk,
        "reverses fee:None",
    )
    assert lines_of(reversal) == sorted([(Kind.PROVIDER_FEES, None, -30), (CASH, None, 30)])
    assert lines_of(original) == sorted([(Kind.PROVIDER_FEES, None, 30), (CASH, None, -30)])
    assert (balance(Kind.PROVIDER_FEES), balance(CASH)) == (0, 0)


def test_reversing_an_entry_twice_is_refused_and_the_same_reversal_key_is_idempotent():
    original, _created = ledger.entry_post(spec())
    first = ledger.entry_reverse(entry_id=original.pk, key="reversal:1")

    again = ledger.entry_reverse(entry_id=original.pk, key="reversal:1")
    with pytest.raises(LedgerError, match="already reversed"):
        ledger.entry_reverse(entry_id=original.pk, key="reversal:2")

    assert again.pk == first.pk
    assert JournalEntry.objects.filter(kind="reversal").count() == 1
    assert balance(CASH) == 0


# --- business facts ---------------------------------------------------------------------------------


def test_a_captured_payment_is_split_to_sellers_commission_and_promotions():
    alice, bob = SellerProfileFactory(), SellerProfileFactory()
    sale = sale_create(
        parts=[
            PartSpec(alice, [LineSpec(1000, commission=100, platform_discount=50)], shipping=200),
            PartSpec(bob, [LineSpec(500, commission=40)]),
        ]
    )

    entry, created = ledger.capture_post(
        payment_id=sale.payment.pk,
        order_id=sale.order.pk,
        currency="USD",
        amount=sale.amount,
        allocations=sale.allocations,
    )

    assert created is True
    assert (entry.key, entry.payment_id, entry.order_id) == (
        f"capture:{sale.payment.pk}",
        sale.payment.pk,
        sale.order.pk,
    )
    assert sale.amount == 1000 - 50 + 200 + 500
    assert lines_of(entry) == sorted(
        [
            (CASH, None, 1650),
            (Kind.SELLER_PENDING, alice.pk, -1100),
            (Kind.COMMISSION_REVENUE, None, -100),
            (Kind.PROMOTIONS, None, 50),
            (Kind.SELLER_PENDING, bob.pk, -460),
            (Kind.COMMISSION_REVENUE, None, -40),
        ]
    )
    assert ledger.seller_balances(seller_id=alice.pk) == [
        SellerBalance(currency="USD", pending=1100, available=0, in_transit=0, paid_out=0)
    ]
    assert ledger.ledger_problems() == []


def test_a_capture_whose_allocations_do_not_add_up_is_refused():
    sale = sale_create(parts=[PartSpec(SellerProfileFactory(), [LineSpec(1000, commission=100)])])

    with pytest.raises(LedgerError, match="do not add up"):
        ledger.capture_post(
            payment_id=sale.payment.pk,
            order_id=sale.order.pk,
            currency="USD",
            amount=sale.amount + 1,
            allocations=sale.allocations,
        )

    assert JournalEntry.objects.count() == 0


def test_an_unallocated_capture_waits_in_shopper_clearing_and_its_refund_comes_out_of_it():
    sale = sale_create(parts=[PartSpec(SellerProfileFactory(), [LineSpec(800)])], allocate=False)
    ledger.capture_post(
        payment_id=sale.payment.pk, order_id=sale.order.pk, currency="USD", amount=800, allocations=None
    )
    assert (balance(CASH), balance(CLEARING)) == (800, -800)
    refund = refund_record(payment=sale.payment, amount=800)

    entry, _created = ledger.refund_post(
        refund_id=refund.pk,
        payment_id=sale.payment.pk,
        order_id=sale.order.pk,
        currency="USD",
        amount=800,
        seller_id=None,
        seller_order_id=None,
        seller_amount=0,
        commission=0,
        promotions=0,
    )

    assert lines_of(entry) == sorted(
        [(Kind.REFUNDS, None, 800), (CASH, None, -800), (CLEARING, None, 800), (Kind.REFUNDS, None, -800)]
    )
    assert (balance(CASH), balance(CLEARING), balance(Kind.REFUNDS)) == (0, 0, 0)
    assert ledger.ledger_problems() == []


def test_a_provider_fee_is_an_expense_paid_from_provider_cash_once():
    entry, created = ledger.fee_post(payment_id=None, order_id=None, currency="EUR", amount=59)
    _again, created_again = ledger.fee_post(payment_id=None, order_id=None, currency="EUR", amount=59)

    assert (created, created_again) == (True, False)
    assert entry.kind == "fee"
    assert (balance(Kind.PROVIDER_FEES, "EUR"), balance(CASH, "EUR")) == (59, -59)


def _captured(seller, *, base=1000, commission=100, platform_discount=0, shipping=0):
    sale = sale_create(
        parts=[PartSpec(seller, [LineSpec(base, commission, platform_discount)], shipping=shipping)]
    )
    ledger.capture_post(
        payment_id=sale.payment.pk,
        order_id=sale.order.pk,
        currency="USD",
        amount=sale.amount,
        allocations=sale.allocations,
    )
    return sale


def _refund(sale, *, amount, seller_amount, commission=0, promotions=0):
    part = sale.parts[0]
    refund = refund_record(
        payment=sale.payment,
        amount=amount,
        seller_order=part,
        seller_amount=seller_amount,
        commission=commission,
        promotions=promotions,
    )
    entry, _created = ledger.refund_post(
        refund_id=refund.pk,
        payment_id=sale.payment.pk,
        order_id=sale.order.pk,
        currency="USD",
        amount=amount,
        seller_id=part.seller_id,
        seller_order_id=part.pk,
        seller_amount=seller_amount,
        commission=commission,
        promotions=promotions,
    )
    return entry


def test_a_refund_before_release_is_taken_from_the_parts_pending_funds():
    seller = SellerProfileFactory()
    sale = _captured(seller, base=1000, commission=100, platform_discount=100)

    entry = _refund(sale, amount=450, seller_amount=450, commission=50, promotions=50)

    assert lines_of(entry) == sorted(
        [
            (Kind.REFUNDS, None, 450),
            (CASH, None, -450),
            (Kind.SELLER_PENDING, seller.pk, 450),
            (Kind.COMMISSION_REVENUE, None, 50),
            (Kind.PROMOTIONS, None, -50),
            (Kind.REFUNDS, None, -450),
        ]
    )
    assert ledger.seller_balances(seller_id=seller.pk)[0].pending == 900 - 450
    assert ledger.ledger_problems() == []


def test_a_refund_takes_what_is_pending_for_the_part_first_then_available_funds():
    seller, other = SellerProfileFactory(), SellerProfileFactory()
    released = _captured(seller, base=2000, commission=0)
    ledger.funds_available_post(seller_id=seller.pk, seller_order_id=released.parts[0].pk, currency="USD")
    sale = sale_create(parts=[PartSpec(seller, [LineSpec(1000)]), PartSpec(other, [LineSpec(2000)])])
    ledger.capture_post(
        payment_id=sale.payment.pk,
        order_id=sale.order.pk,
        currency="USD",
        amount=3000,
        allocations=sale.allocations,
    )

    # A goodwill refund the seller bears beyond what this order part still holds for them.
    entry = _refund(sale, amount=1300, seller_amount=1300)

    seller_lines = [line for line in lines_of(entry) if line[1] == seller.pk]
    assert seller_lines == [(Kind.SELLER_AVAILABLE, seller.pk, 300), (Kind.SELLER_PENDING, seller.pk, 1000)]
    assert ledger.seller_balances(seller_id=seller.pk) == [
        SellerBalance(currency="USD", pending=0, available=1700, in_transit=0, paid_out=0)
    ]
    assert ledger.seller_balances(seller_id=other.pk)[0].pending == 2000
    assert ledger.ledger_problems() == []


def test_a_refund_after_release_is_taken_from_available_funds():
    seller = SellerProfileFactory()
    sale = _captured(seller, base=1000, commission=100)
    ledger.funds_available_post(seller_id=seller.pk, seller_order_id=sale.parts[0].pk, currency="USD")

    _refund(sale, amount=1000, seller_amount=900, commission=100)

    assert ledger.seller_balances(seller_id=seller.pk) == [
        SellerBalance(currency="USD", pending=0, available=0, in_transit=0, paid_out=0)
    ]
    assert balance(Kind.COMMISSION_REVENUE) == 0
    assert ledger.ledger_problems() == []


def test_a_seller_refund_whose_shares_do_not_add_up_is_refused():
    sale = _captured(SellerProfileFactory())

    with pytest.raises(LedgerError, match="do not add up"):
        _refund(sale, amount=500, seller_amount=400, commission=50)

    assert JournalEntry.objects.filter(kind="refund").count() == 0


def test_funds_become_available_once_per_part_and_not_when_nothing_is_pending():
    seller = SellerProfileFactory()
    sale = _captured(seller, base=1000, commission=100, shipping=150)
    part = sale.parts[0]

    entry = ledger.funds_available_post(seller_id=seller.pk, seller_order_id=part.pk, currency="USD")
    again = ledger.funds_available_post(seller_id=seller.pk, seller_order_id=part.pk, currency="USD")

    assert entry.key == f"available:{part.pk}"
    assert lines_of(entry) == [
        (Kind.SELLER_AVAILABLE, seller.pk, -1050),
        (Kind.SELLER_PENDING, seller.pk, 1050),
    ]
    assert again is None
    assert ledger.seller_balances(seller_id=seller.pk) == [
        SellerBalance(currency="USD", pending=0, available=1050, in_transit=0, paid_out=0)
    ]


def test_a_payout_moves_available_funds_in_transit_until_it_is_paid():
    seller = SellerProfileFactory()
    sale = _captured(seller, base=1000, commission=100)
    ledger.funds_available_post(seller_id=seller.pk, seller_order_id=sale.parts[0].pk, currency="USD")
    payout = payout_record(seller=seller, amount=600)

    ledger.payout_post(payout_id=payout.pk, seller_id=seller.pk, currency="USD", amount=600)

    assert balance(Kind.PAYOUTS_IN_TRANSIT) == -600
    assert ledger.seller_balances(seller_id=seller.pk) == [
        SellerBalance(currency="USD", pending=0, available=300, in_transit=600, paid_out=0)
    ]
    assert ledger.ledger_problems() == []

    Payout.objects.filter(pk=payout.pk).update(status=Payout.Status.PAID)
    entry, _created = ledger.payout_paid_post(payout_id=payout.pk, currency="USD", amount=600)

    assert lines_of(entry) == sorted([(CASH, None, -600), (Kind.PAYOUTS_IN_TRANSIT, None, 600)])
    assert (balance(Kind.PAYOUTS_IN_TRANSIT), balance(CASH)) == (0, 1000 - 600)
    assert ledger.seller_balances(seller_id=seller.pk) == [
        SellerBalance(currency="USD", pending=0, available=300, in_transit=0, paid_out=600)
    ]
    assert ledger.ledger_problems() == []


def test_a_failed_payout_gives_the_money_back_to_the_sellers_available_funds():
    seller = SellerProfileFactory()
    sale = _captured(seller, base=1000, commission=100)
    ledger.funds_available_post(seller_id=seller.pk, seller_order_id=sale.parts[0].pk, currency="USD")
    payout = payout_record(seller=seller, amount=900)
    ledger.payout_post(payout_id=payout.pk, seller_id=seller.pk, currency="USD", amount=900)

    Payout.objects.filter(pk=payout.pk).update(status=Payout.Status.FAILED)
    ledger.payout_failed_post(payout_id=payout.pk, seller_id=seller.pk, currency="USD", amount=900)

    assert balance(Kind.PAYOUTS_IN_TRANSIT) == 0
    assert ledger.seller_balances(seller_id=seller.pk) == [
        SellerBalance(currency="USD", pending=0, available=900, in_transit=0, paid_out=0)
    ]
    assert ledger.ledger_problems() == []


def test_a_chargeback_is_borne_by_the_platform_and_leaves_the_seller_whole():
    seller = SellerProfileFactory()
    sale = _captured(seller, base=1000, commission=100)

    entry, created = ledger.chargeback_post(
        dispute_reference="dp_1",
        payment_id=sale.payment.pk,
        order_id=sale.order.pk,
        currency="USD",
        amount=1000,
    )

    assert (created, entry.key) == (True, "chargeback:dp_1")
    assert (balance(Kind.CHARGEBACKS), balance(CASH)) == (1000, 0)
    assert ledger.seller_balances(seller_id=seller.pk)[0].pending == 900
    assert ledger.ledger_problems() == []


def test_seller_balances_are_per_currency_and_empty_for_a_seller_without_money():
    seller = SellerProfileFactory()
    usd = _captured(seller, base=1000, commission=100)
    eur = sale_create(parts=[PartSpec(seller, [LineSpec(700, commission=70)])], currency="EUR")
    ledger.capture_post(
        payment_id=eur.payment.pk,
        order_id=eur.order.pk,
        currency="EUR",
        amount=700,
        allocations=eur.allocations,
    )
    ledger.funds_available_post(seller_id=seller.pk, seller_order_id=usd.parts[0].pk, currency="USD")
    payout_record(seller=seller, amount=100, currency="EUR", status=Payout.Status.PAID)
    payout_record(seller=seller, amount=50, currency="EUR", status=Payout.Status.FAILED)

    balances = ledger.seller_balances(seller_id=seller.pk)

    assert balances == [
        SellerBalance(currency="EUR", pending=630, available=0, in_transit=0, paid_out=100),
        SellerBalance(currency="USD", pending=0, available=900, in_transit=0, paid_out=0),
    ]
    assert ledger.seller_balances(seller_id=SellerProfileFactory().pk) == []
    assert ledger.account_balance(kind=Kind.SELLER_PENDING, currency="JPY", seller_id=seller.pk) == 0
