"""Whether a listing an operator has not seen yet may go live at once, or waits in the moderation queue.

Pure rules over facts a service gathers (``catalog.services_moderation.product_publish_screened``): no ORM,
no settings. Each rule that fires gives one reason; no reason means the listing goes straight to ACTIVE.
The reasons are stored (in English) as the status event's reason, so operators see why a listing waits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words as shoppers read them: "Knock-off" and "knock off" are the same two words.
_WORD = re.compile(r"\w+", re.UNICODE)
REASON_PREFIX = "screening: "


@dataclass(frozen=True, slots=True)
class ScreeningRules:
    """The platform's screening policy. A zero or empty value switches its rule off."""

    # A seller's first N listings wait for review (counted over listings that have ever been live).
    new_seller_listings: int = 0
    # Words or phrases in the title or description that always send a listing to review.
    flagged_words: tuple[str, ...] = ()
    # A price more than this many times the category's typical price sends a listing to review.
    price_factor: int = 0


@dataclass(frozen=True, slots=True)
class ListingFacts:
    title: str
    description: str
    # The listing's "from" price, in minor units.
    price_amount: int
    # The listing has never been live (a re-listing of a once-approved listing is not "new").
    first_publication: bool
    # The seller's other listings that have ever been live.
    seller_published_count: int
    # The median "from" price of live listings in the same category; None when there are too few.
    category_typical_price: int | None = None


def _words(text: str) -> str:
    """Lower-case words separated by single spaces, padded so a phrase matches only whole words."""
    return " " + " ".join(_WORD.findall(text.casefold())) + " "


def flagged_words_found(text: str, flagged_words: Iterable[str]) -> list[str]:
    """The flagged words or phrases that appear in ``text`` as whole words, in the order given."""
    haystack = _words(text)
    found: list[str] = []
    for flagged in flagged_words:
        needle = _words(flagged)
        if needle.strip() and needle in haystack and flagged not in found:
            found.append(flagged)
    return found


def listing_screening_reasons(*, facts: ListingFacts, rules: ScreeningRules) -> list[str]:
    """Why the listing must be reviewed before it goes live; empty when it may go live now."""
    reasons: list[str] = []
    if facts.first_publication and facts.seller_published_count < rules.new_seller_listings:
        reasons.append(
            f"new seller ({facts.seller_published_count} of the first {rules.new_seller_listings} "
            "listings reviewed)"
        )
    flagged = flagged_words_found(f"{facts.title}\n{facts.description}", rules.flagged_words)
    if flagged:
        reasons.append("flagged words: " + ", ".join(flagged))
    typical = facts.category_typical_price
    if rules.price_factor > 0 and typical and facts.price_amount > typical * rules.price_factor:
        reasons.append(f"price over {rules.price_factor}x the category's typical price")
    return reasons


def screening_reason_text(reasons: Iterable[str]) -> str:
    """The status event's reason for a listing held for review."""
    return REASON_PREFIX + "; ".join(reasons)
