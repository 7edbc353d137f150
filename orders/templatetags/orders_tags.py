from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

DISCOUNT_LABELS = {
    "seller_tier": _("Shop spend-and-save"),
    "platform_tier": _("Marketplace spend-and-save"),
    "coupon": _("Coupon"),
}


@register.simple_tag
def discount_lines(adjustments) -> list[tuple[str, int]]:
    """Order-level discounts by kind (and coupon code), translated, for a totals box. Accepts the pricing
    service's ``Adjustment`` objects or their stored JSON form."""
    totals: dict[str, int] = {}
    for adjustment in adjustments:
        kind = adjustment["kind"] if isinstance(adjustment, dict) else adjustment.kind
        amount = adjustment["amount"] if isinstance(adjustment, dict) else adjustment.amount
        if kind in DISCOUNT_LABELS and amount:
            label = str(DISCOUNT_LABELS[kind])
            totals[label] = totals.get(label, 0) + amount
    return list(totals.items())
