from django import template

from catalog.richtext import description_html, description_plain

register = template.Library()


@register.filter
def rich_description(text: str):
    """A product description with its allowed formatting (see ``catalog.richtext``)."""
    return description_html(text or "")


@register.filter
def plain_description(text: str) -> str:
    return description_plain(text or "")
