"""``stored_reason``: a reason stored as text (an order's ``cancel_reason``) in the reader's language when
the system wrote it, verbatim when a person typed it. Timeline events use ``OrderEvent.reason_display``."""

from django import template

from orders.lifecycle.reasons import stored_reason_display

register = template.Library()


@register.filter
def stored_reason(text: str) -> str:
    return stored_reason_display(text or "")
