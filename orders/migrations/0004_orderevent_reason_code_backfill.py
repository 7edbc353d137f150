"""Best effort: give existing system events their reason code, so they show in the reader's language.

Matched on the exact text the system used to store (in English, or in Chinese when a Chinese-speaking
visitor triggered it) and, for payments and refund/dispute notes, on the event's own data. Anything else
(reasons people typed) is left alone. The texts are copied here, not imported, so the migration keeps
meaning what it meant when it was written.
"""

from django.db import migrations

# code: (English text stored from now on, texts stored before)
PLAIN_REASONS = {
    "payment_expired": ("Payment was not received in time", ("未在规定时间内付款",)),
    "autocompleted": ("Completed automatically after delivery", ("送达后自动完成",)),
    "receipt_confirmed": ("Receipt confirmed by the shopper", ("买家已确认收货",)),
    "cancelled_by_shopper": ("Cancelled by the shopper", ("买家已取消",)),
    "paid_after_cancellation": (
        "Payment received after the order was cancelled; a refund is due.",
        ("payment received after cancellation: refund due",),
    ),
}


def backfill(apps, schema_editor):
    OrderEvent = apps.get_model("orders", "OrderEvent")
    Order = apps.get_model("orders", "Order")
    SellerOrder = apps.get_model("orders", "SellerOrder")
    untagged = OrderEvent.objects.filter(reason_code="")

    untagged.filter(kind="status", from_status="", to_status="pending_payment", reason="placed").update(
        reason_code="order_placed"
    )
    # The provider's payment id stays in ``reason`` (operators search by it); the timeline shows the code.
    untagged.filter(kind="status", to_status="paid", actor_kind="system").update(reason_code="payment_received")
    for code, (english, older) in PLAIN_REASONS.items():
        untagged.filter(reason__in=(english, *older)).update(reason_code=code, reason=english)
        for model in (Order, SellerOrder):
            model.objects.filter(cancel_reason__in=older).update(cancel_reason=english)

    for event in untagged.filter(kind="note").select_related("order").iterator():
        data = event.data or {}
        if "refund_id" in data and {"amount", "currency", "status", "reason"} <= data.keys():
            event.reason_code = "refund_succeeded" if data["status"] == "succeeded" else "refund_failed"
            event.reason_params = {
                "amount": {"amount": data["amount"], "currency": data["currency"]},
                "why": {"choice": "payments.Refund.reason", "value": data["reason"]},
            }
        elif "dispute" in data and "amount" in data:
            event.reason_code = "payment_disputed"
            event.reason_params = {
                "amount": {"amount": data["amount"], "currency": event.order.currency},
                "reference": data["dispute"],
            }
        else:
            continue
        event.save(update_fields=["reason_code", "reason_params"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_orderevent_reason_code"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
