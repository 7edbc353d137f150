from decimal import Decimal

from django import template

from common.money import format_money

register = template.Library()


@register.simple_tag
def money(amount: int | Decimal | None, currency: str) -> str:
    """``{% money product.price_amount product.currency %}`` -> ``$12.50`` in the active language."""
    if amount is None:
        return ""
    return format_money(int(amount), currency)
