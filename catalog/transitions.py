"""The listing lifecycle as a table, and the one service that moves a product through it.

draft -> pending review (when screening asks for it) -> active -> delisted / sold out; a delisted product
can be re-listed, a sold-out one comes back when restocked. Status is assigned nowhere else.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.domain_events import ListingChanged
from catalog.listing_cache import listing_cache_invalidate
from catalog.locks import product_qs_select_for_update
from catalog.models import Product, ProductStatusEvent
from common.domain_events import publish
from common.exceptions import ApplicationError

Status = Product.Status

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PENDING_REVIEW, Status.ACTIVE},
    Status.PENDING_REVIEW: {Status.ACTIVE, Status.DRAFT},
    Status.ACTIVE: {Status.DELISTED, Status.SOLD_OUT},
    Status.DELISTED: {Status.PENDING_REVIEW, Status.ACTIVE, Status.DRAFT},
    Status.SOLD_OUT: {Status.ACTIVE, Status.DELISTED},
}


class IllegalTransition(ApplicationError):
    pass


@transaction.atomic
def product_transition(*, product_id: int, to_status: str, actor_id: int | None, reason: str = "") -> Product:
    """Lock the product, check the table, save the status and record who did it and why."""
    product = product_qs_select_for_update().get(pk=product_id)
    from_status = product.status
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, set()):
        raise IllegalTransition(
            _("A listing cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(from_status).label, "to": Status(to_status).label},
            extra={"status": [f"{from_status} -> {to_status} is not allowed"]},
        )
    now = timezone.now()
    product.status = to_status
    product.status_changed_at = now
    update_fields = ["status", "status_changed_at", "updated_at"]
    if to_status == Status.ACTIVE and product.published_at is None:
        product.published_at = now
        update_fields.append("published_at")
    if to_status == Status.ACTIVE and product.publish_at is not None:
        product.publish_at = None  # the schedule has been honoured (or overtaken by hand)
        update_fields.append("publish_at")
    if to_status in (Status.DELISTED, Status.DRAFT) and product.delist_at is not None:
        product.delist_at = None
        update_fields.append("delist_at")
    if to_status == Status.DRAFT and product.publish_at is not None:
        # Back to draft (e.g. rejected in review): the seller decides anew, the old schedule would
        # otherwise resubmit it at once.
        product.publish_at = None
        update_fields.append("publish_at")
    product.save(update_fields=update_fields)
    ProductStatusEvent.objects.create(
        product=product, from_status=from_status, to_status=to_status, actor_id=actor_id, reason=reason[:500]
    )
    listing_cache_invalidate()
    publish(ListingChanged(product_id=product.pk, change="status", status=to_status))
    return product
