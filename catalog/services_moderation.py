"""Listing moderation: screening when a listing is published, and the operators' decisions on it.

A seller's publish (and a scheduled publish) goes through ``product_publish_screened``: when
``catalog.screening`` finds a reason the listing waits in PENDING_REVIEW, else it goes live. Only an
operator moves it on: ``product_moderation_approve`` (live) or ``product_moderation_reject`` (back to
draft, with a reason the seller is e-mailed). ``product_operator_delist`` takes a live listing down with a
reason.
Every status change goes through ``catalog.transitions.product_transition`` (so it leaves an event row).
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.locks import product_qs_select_for_update
from catalog.models import Product, ProductStatusEvent
from catalog.screening import (
    ListingFacts,
    ScreeningRules,
    listing_screening_reasons,
    screening_reason_text,
)
from catalog.transitions import IllegalTransition, product_transition
from common.exceptions import ApplicationError
from common.tasks import email_send_enqueue

logger = logging.getLogger(__name__)

Status = Product.Status

# The reason on the status event of an approval; stored on every such event since the start, so it keeps
# its wording.
MODERATION_APPROVED_REASON = "approved in review"
# Which status events the seller hears about by e-mail, and as what.
_EMAIL_KINDS: dict[tuple[str, str], str] = {
    (Status.PENDING_REVIEW, Status.ACTIVE): "approved",
    (Status.PENDING_REVIEW, Status.DRAFT): "rejected",
    (Status.ACTIVE, Status.DELISTED): "delisted",
    (Status.SOLD_OUT, Status.DELISTED): "delisted",
}


class ModerationNotAllowed(ApplicationError):
    pass


class ListingNotFound(ApplicationError):
    pass


# --- screening --------------------------------------------------------------------------------------


def screening_rules() -> ScreeningRules:
    """The platform's screening policy, from settings (read per call, so tests can change them)."""
    return ScreeningRules(
        new_seller_listings=settings.LISTING_REVIEW_NEW_SELLER_LISTINGS,
        flagged_words=tuple(settings.LISTING_REVIEW_FLAGGED_WORDS),
        price_factor=settings.LISTING_REVIEW_PRICE_FACTOR,
    )


def _category_typical_price(*, category_id: int, exclude_product_id: int) -> int | None:
    """The median "from" price of the category's live listings; None below the minimum sample."""
    prices = (
        Product.objects.filter(category_id=category_id, status=Status.ACTIVE)
        .exclude(pk=exclude_product_id)
        .order_by("price_amount")
        .values_list("price_amount", flat=True)
    )
    count = prices.count()
    if count == 0 or count < settings.LISTING_REVIEW_PRICE_MIN_LISTINGS:
        return None
    return prices[(count - 1) // 2]


def product_screening_reasons(*, product: Product, rules: ScreeningRules | None = None) -> list[str]:
    """Why ``product`` must wait for an operator before it goes live (empty: it may go live now)."""
    rules = rules or screening_rules()
    published = (
        Product.objects.filter(seller_id=product.seller_id, published_at__isnull=False)
        .exclude(pk=product.pk)
        .count()
    )
    typical = None
    if rules.price_factor > 0:
        typical = _category_typical_price(category_id=product.category_id, exclude_product_id=product.pk)
    facts = ListingFacts(
        title=product.title,
        description=product.description,
        price_amount=product.price_amount,
        first_publication=product.published_at is None,
        seller_published_count=published,
        category_typical_price=typical,
    )
    return listing_screening_reasons(facts=facts, rules=rules)


@transaction.atomic
def product_publish_screened(*, product_id: int, actor_id: int | None, source: str) -> Product:
    """Publish a draft or delisted listing: to PENDING_REVIEW with the screening reasons as the event's
    reason when screening asks for it, else straight to ACTIVE (``source`` is then the reason)."""
    product = product_qs_select_for_update().get(pk=product_id)
    reasons = product_screening_reasons(product=product)
    if reasons:
        return product_transition(
            product_id=product.id,
            to_status=Status.PENDING_REVIEW,
            actor_id=actor_id,
            reason=screening_reason_text(reasons),
        )
    return product_transition(
        product_id=product.id, to_status=Status.ACTIVE, actor_id=actor_id, reason=source
    )


# --- operators' decisions ---------------------------------------------------------------------------


def _operator_check(*, actor_id: int, product: Product) -> None:
    if not User.objects.filter(pk=actor_id, is_active=True, is_staff=True).exists():
        raise ModerationNotAllowed(
            _("Only operators can moderate listings."), extra={"actor": ["not an operator"]}
        )
    if product.seller.user_id == actor_id:
        raise ModerationNotAllowed(
            _("You cannot moderate your own listing."), extra={"actor": ["the listing's seller"]}
        )


def _product_for_operator(
    *, product_id: int, actor_id: int, allowed_from: set[str], to_status: str
) -> Product:
    """Lock the product and check that ``actor_id`` may move it from its status to ``to_status``."""
    product = product_qs_select_for_update().select_related("seller").filter(pk=product_id).first()
    if product is None:
        raise ListingNotFound(_("This listing does not exist."), extra={"product": ["not found"]})
    _operator_check(actor_id=actor_id, product=product)
    if product.status not in allowed_from:
        # The lifecycle table alone would let a draft go live or a delisted listing back to draft.
        raise IllegalTransition(
            _("A listing cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(product.status).label, "to": Status(to_status).label},
            extra={"status": [f"{product.status} -> {to_status} is not allowed here"]},
        )
    return product


def _reason_required(reason: str, *, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ApplicationError(message, extra={"reason": [_("This field is required.")]})
    return reason


def _transition_and_notify(*, product_id: int, to_status: str, actor_id: int, reason: str) -> Product:
    product = product_transition(product_id=product_id, to_status=to_status, actor_id=actor_id, reason=reason)
    event_id = (
        ProductStatusEvent.objects.filter(product_id=product_id)
        .order_by("-id")
        .values_list("pk", flat=True)[0]
    )
    transaction.on_commit(partial(listing_status_email_send, event_id=event_id))
    return product


@transaction.atomic
def product_moderation_approve(*, product_id: int, actor_id: int) -> Product:
    """An operator lets a listing that waits in moderation go live; the seller is e-mailed after commit."""
    _product_for_operator(
        product_id=product_id,
        actor_id=actor_id,
        allowed_from={Status.PENDING_REVIEW},
        to_status=Status.ACTIVE,
    )
    return _transition_and_notify(
        product_id=product_id, to_status=Status.ACTIVE, actor_id=actor_id, reason=MODERATION_APPROVED_REASON
    )


@transaction.atomic
def product_moderation_reject(*, product_id: int, actor_id: int, reason: str) -> Product:
    """An operator sends a listing that waits in moderation back to draft, saying why; the seller is
    e-mailed the reason after commit and sees it on the listing's edit page."""
    reason = _reason_required(reason, message=_("A reason is required to reject a listing."))
    _product_for_operator(
        product_id=product_id, actor_id=actor_id, allowed_from={Status.PENDING_REVIEW}, to_status=Status.DRAFT
    )
    return _transition_and_notify(
        product_id=product_id, to_status=Status.DRAFT, actor_id=actor_id, reason=reason
    )


@transaction.atomic
def product_operator_delist(*, product_id: int, actor_id: int, reason: str) -> Product:
    """An operator takes a live (or sold-out) listing down, saying why; the seller is e-mailed."""
    reason = _reason_required(reason, message=_("A reason is required to delist a listing."))
    _product_for_operator(
        product_id=product_id,
        actor_id=actor_id,
        allowed_from={Status.ACTIVE, Status.SOLD_OUT},
        to_status=Status.DELISTED,
    )
    return _transition_and_notify(
        product_id=product_id, to_status=Status.DELISTED, actor_id=actor_id, reason=reason
    )


def listing_status_email_send(*, event_id: int) -> None:
    """Tell the seller what an operator decided on their listing. Runs after commit, outside any lock; the
    mail is sent by a worker (``common.email_send``), so a failure never undoes or delays the decision."""
    event = ProductStatusEvent.objects.select_related("product__seller__user").filter(pk=event_id).first()
    if event is None:
        return
    kind = _EMAIL_KINDS.get((event.from_status, event.to_status))
    if kind is None:
        return
    product = event.product
    user = product.seller.user
    email_send_enqueue(
        to=user.email,
        language=user.preferred_language,
        template="emails/catalog/listing_status",
        context={
            "kind": kind,
            "name": user.public_name,
            "title": product.title,
            "shop": product.seller.shop_name,
            "reason": "" if kind == "approved" else event.reason,
        },
    )
