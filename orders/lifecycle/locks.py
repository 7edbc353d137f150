"""Row locks on an order and its sellers' parts, and the one order every service takes its locks in.

Every transaction that locks more than one of these rows takes them in this order, so two of them can
never wait for each other in a cycle:

1. the ``Order``;
2. its ``SellerOrder`` parts, by id;
3. the order's ``Payment`` (``payments.services``), then its ``Refund`` rows;

and whatever else it locks (SKUs and order lines given back, ledger rows) after those, the catalog's rows
in the catalog's order (``catalog.locks``: products, then their SKUs). A payments service that writes rows
pointing at the order or a part (a refund, a timeline note) locks the order and the part first, before
the payment, even when it does not change them. The ledger's lock on a part (its pending funds) is this
one too, order first (``payments.ledger``).

Orders and parts are locked FOR NO KEY UPDATE, the lock PostgreSQL's own UPDATE takes: it keeps out every
other writer of the row, but not the FOR KEY SHARE lock that checks a foreign key pointing at it. Django's
foreign keys are DEFERRABLE INITIALLY DEFERRED, so that check runs at COMMIT, after all the locks above,
outside any order; under FOR UPDATE, a refund settling (payment, then part) waited at COMMIT to check
its timeline note against the order a cancellation held, while the cancellation waited for the part
(issue 12 item 8).
"""

from __future__ import annotations

from collections.abc import Iterable

from orders.models import Order, SellerOrder


def order_lock(*, order_id: int) -> Order:
    return Order.objects.select_for_update(no_key=True).get(pk=order_id)


def order_parts_lock(
    *, order_id: int, seller_order_ids: Iterable[int] | None = None
) -> tuple[Order, list[SellerOrder]]:
    """The order, then its parts by id (only ``seller_order_ids`` when given; each part's row alone,
    not the seller profile joined for the e-mails)."""
    order = order_lock(order_id=order_id)
    parts = (
        SellerOrder.objects.select_for_update(no_key=True, of=("self",))
        .select_related("seller")
        .filter(order_id=order_id)
        .order_by("pk")
    )
    if seller_order_ids is not None:
        parts = parts.filter(pk__in=list(seller_order_ids))
    return order, list(parts)
