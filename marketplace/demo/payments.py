"""Demo money: commission rates on the top categories, a payout account for the demo seller, and the
ledger history of recent demo orders (captured, allocated to sellers, released once completed), so the
seller's balance page and the operators' ledger have something to show. Idempotent: orders that already
have a payment are skipped."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import SellerProfile
from catalog.models import Category
from marketplace.demo.accounts import SELLER_LOGIN
from marketplace.demo.base import ORDER_PREFIX, ProgressFactory, no_progress
from orders.models import Order, OrderStatus
from payments import ledger
from payments.commissions import CommissionError, order_allocate
from payments.models import CategoryCommission, JournalEntry, Payment, SellerPayoutAccount

DEMO_SELLER_EMAIL = SELLER_LOGIN[0]
# Orders this recent get ledger history (older ones only when they include the demo seller).
RECENT_DAYS = 60
TOP_CATEGORY_RATES_BP = (800, 1200, 1500, 1000, 600, 1300)
PAID_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.PROCESSING,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)


def payments_demo_seed(*, progress: ProgressFactory = no_progress) -> dict[str, int]:
    result = {"commission_rates": 0, "captured": 0, "released": 0}
    if not CategoryCommission.objects.exists():
        roots = Category.objects.get_root_nodes().order_by("path")
        CategoryCommission.objects.bulk_create(
            CategoryCommission(category=root, rate_bp=TOP_CATEGORY_RATES_BP[i % len(TOP_CATEGORY_RATES_BP)])
            for i, root in enumerate(roots)
        )
        result["commission_rates"] = roots.count()

    demo_seller_orders = Q(seller_orders__seller__user__email=DEMO_SELLER_EMAIL)
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    orders = list(
        Order.objects.filter(number__startswith=ORDER_PREFIX, status__in=PAID_STATUSES, payments__isnull=True)
        .filter(Q(placed_at__gte=since) | demo_seller_orders)
        .distinct()
        .order_by("placed_at")
    )
    demo_seller = SellerProfile.objects.filter(user__email=DEMO_SELLER_EMAIL).first()
    if demo_seller is not None:
        SellerPayoutAccount.objects.get_or_create(
            seller=demo_seller,
            defaults={
                "provider": "manual",
                "account_holder": demo_seller.shop_name,
                "bank_account": "GB33BUKB20201555555555",
            },
        )
    hold = timedelta(days=settings.SELLER_FUNDS_HOLD_DAYS)
    with progress("Demo payments", len(orders)) as bar:
        for order in orders:
            captured, released = _order_capture(order, hold)
            result["captured"] += captured
            result["released"] += released
            bar.update(1)
    return result


@transaction.atomic
def _order_capture(order: Order, hold: timedelta) -> tuple[int, int]:
    try:
        allocations = order_allocate(order_id=order.pk)
    except CommissionError:
        # Older demo orders carry an order-level discount their lines do not show; they stay unpaid in
        # the ledger rather than posting money that does not add up.
        transaction.set_rollback(True)
        return 0, 0
    payment = Payment.objects.create(
        order=order,
        provider="test",
        status=Payment.Status.CAPTURED,
        amount=order.total_amount,
        currency=order.currency,
        reference=f"demo-{order.number}",
        captured_amount=order.total_amount,
        captured_at=order.placed_at,
        authorised_at=order.placed_at,
    )
    ledger.capture_post(
        payment_id=payment.pk,
        order_id=order.pk,
        currency=order.currency,
        amount=order.total_amount,
        allocations=allocations,
    )
    released = 0
    now = timezone.now()
    for part in order.seller_orders.all():
        settled = part.status == OrderStatus.COMPLETED and order.placed_at < now - hold - timedelta(days=7)
        if settled and ledger.funds_available_post(
            seller_id=part.seller_id, seller_order_id=part.pk, currency=order.currency
        ):
            released += 1
    # The history happened when the order was placed, not today.
    JournalEntry.objects.filter(
        Q(payment=payment) | Q(key__in=[f"available:{p.pk}" for p in order.seller_orders.all()])
    ).update(created_at=order.placed_at)
    return 1, released
