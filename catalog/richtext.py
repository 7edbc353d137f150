"""Product descriptions: a little formatting (paragraphs, emphasis, lists, sub-headings, links), never
markup that runs or restyles the page. Pure; no ORM.

Sellers' HTML is cleaned with nh3 (an allow-list sanitiser) when it is saved, and again when it is shown,
so a description stored before a rule tightened is still safe. Plain text keeps its line breaks.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# A "<" that opens a tag, a comment or a declaration ("a < b" is text).
_TAG = re.compile(r"<[a-zA-Z/!?]")


def description_has_markup(text: str) -> bool:
    return bool(_TAG.search(text))


def description_clean(text: str) -> str:
    """What is stored: plain text as typed, or HTML reduced to the allowed tags (scripts, styles, event
    handlers and ``javascript:`` links removed; links get ``rel="nofollow ugc noopener"``)."""
    text = text.strip()
    if not description_has_markup(text):
        return text
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow ugc noopener",
    ).strip()


_BLOCK = re.compile(r"<(p|br|ul|ol|li|h3|h4|blockquote)\b", re.IGNORECASE)


def description_html(text: str) -> SafeString:
    """The description as shown on the product page: plain text escaped with its paragraphs and line
    breaks kept; HTML cleaned, and given paragraphs from its blank lines when it has no block tags of
    its own (a seller who bolded one word still wrote paragraphs)."""
    if not description_has_markup(text):
        # Safe to mark: every character of the text was escaped first.
        return mark_safe(linebreaks(escape(text)))
    cleaned = description_clean(text)
    if not _BLOCK.search(cleaned):
        # linebreaks() adds only <p>/<br> around already-cleaned HTML (autoescape off: it is markup).
        cleaned = linebreaks(cleaned, autoescape=False)
    # Safe to mark: cleaned by the allow-list sanitiser.
    return mark_safe(cleaned)


def description_plain(text: str) -> str:
    """Text only (meta description, Open Graph, JSON-LD)."""
    if not description_has_markup(text):
        return text
    return " ".join(nh3.clean(text, tags=set()).split())
