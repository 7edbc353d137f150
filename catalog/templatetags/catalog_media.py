"""``{{ name|media_url }}``: the URL of a stored file from its storage name (e.g. the ``cover_thumbnail``
annotation of the listing querysets, which is a name, not a ``FieldFile``)."""

from django import template
from django.core.files.storage import default_storage

register = template.Library()


@register.filter
def media_url(name: str | None) -> str:
    """The file's URL, or "" when there is no file (so ``{% if %}`` can show a placeholder instead)."""
    return default_storage.url(name) if name else ""
