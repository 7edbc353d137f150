"""``SalesFact`` day rows: each seller's cells and the platform's (``seller_id`` 0), whose amounts are
the sums of the sellers' and whose ``orders_*`` count whole orders.

Booking: orders placed, paid, units, GMV, discounts, shipping, new customers and late shipments on the
day the order was placed (``orders_paid``, units and money only for orders that were paid); refunds on
the day they succeeded; cancellations of paid orders (or parts) on the day of the cancellation; commission
on the day the ledger posted it (captures positive, refunds and reversals negative). A cell is the
order's channel, device and customer type (``sales.Attribution``) and its currency.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from analytics.models import Grain, SalesFact, VisitorType
from analytics.rollups.sales import Attribution, MoneyEvents, OrderRow, PartRow

SalesKey = tuple[int, str, str, str, str]  # seller id, channel, device, customer type, currency


@dataclass
class _Cells:
    measures: dict[SalesKey, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    refunded: dict[SalesKey, set[int]] = field(default_factory=lambda: defaultdict(set))

    def key(self, seller_id: int, attribution: Attribution, currency: str) -> SalesKey:
        return (seller_id, attribution.channel, attribution.device, attribution.customer_type, currency)


def _book_sale(counter: Counter[str], *, total: int, parts: list[PartRow], new: bool) -> None:
    counter["orders_paid"] += 1
    counter["gmv_amount"] += total
    counter["units"] += sum(part.units for part in parts)
    counter["discount_platform_amount"] += sum(part.discount_platform for part in parts)
    counter["discount_seller_amount"] += sum(part.discount - part.discount_platform for part in parts)
    counter["shipping_amount"] += sum(part.shipping for part in parts)
    counter["new_customers"] += new
    counter["orders_shipped_late"] += any(part.late for part in parts)


def _book_orders(cells: _Cells, orders: list[OrderRow], attributions: dict[int, Attribution]) -> None:
    for order in orders:
        attribution = attributions[order.id]
        new = attribution.customer_type == VisitorType.NEW
        platform = cells.measures[cells.key(0, attribution, order.currency)]
        platform["orders_placed"] += 1
        if order.paid:
            _book_sale(platform, total=order.total, parts=order.parts, new=new)
        for part in order.parts:
            seller = cells.measures[cells.key(part.seller_id, attribution, order.currency)]
            seller["orders_placed"] += 1
            if order.paid:
                _book_sale(seller, total=part.total, parts=[part], new=new)


def _book_money(cells: _Cells, money: MoneyEvents, attributions: dict[int, Attribution]) -> None:
    for refund in money.refunds:
        attribution = attributions[refund.order_id]
        platform = cells.key(0, attribution, refund.currency)
        seller = cells.key(refund.seller_id, attribution, refund.currency)
        for key, counted in ((platform, refund.order_id), (seller, refund.seller_order_id)):
            cells.measures[key]["refund_amount"] += refund.amount
            cells.refunded[key].add(counted)
    for cancel in money.cancellations:
        key = cells.key(cancel.seller_id, attributions[cancel.order_id], cancel.currency)
        cells.measures[key]["orders_cancelled"] += 1
    for commission in money.commissions:
        attribution = attributions[commission.order_id] if commission.order_id else Attribution()
        cells.measures[cells.key(0, attribution, commission.currency)]["commission_amount"] += (
            commission.amount
        )
        if commission.seller_id is not None:
            key = cells.key(commission.seller_id, attribution, commission.currency)
            cells.measures[key]["commission_amount"] += commission.amount


def sales_rows(
    *, day: date, orders: list[OrderRow], money: MoneyEvents, attributions: dict[int, Attribution]
) -> list[SalesFact]:
    """The day's sales rows; ``attributions`` covers the day's orders and those of its money events."""
    cells = _Cells()
    _book_orders(cells, orders, attributions)
    _book_money(cells, money, attributions)
    rows = []
    for key, counter in sorted(cells.measures.items()):
        seller_id, channel, device, customer_type, currency = key
        rows.append(
            SalesFact(
                grain=Grain.DAY,
                period=day,
                seller_id=seller_id,
                channel=channel,
                device=device,
                customer_type=customer_type,
                currency=currency,
                refunded_orders=len(cells.refunded[key]),
                net_revenue_amount=counter["gmv_amount"] - counter["refund_amount"],
                **counter,
            )
        )
    return rows
