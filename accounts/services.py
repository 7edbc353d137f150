"""Every write to accounts data: seller applications and their review, sellers' API keys and the shopper's
address book."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.domain_events import SellerProfileChanged
from accounts.models import Address, SellerApiToken, SellerProfile, SellerStatusEvent, User
from common.domain_events import publish
from common.exceptions import ApplicationError
from common.services import model_update
from common.tasks import email_send_enqueue
from common.tracking import track

logger = logging.getLogger(__name__)

Status = SellerProfile.Status

# --- Seller applications and review -----------------------------------------------------------------

# The review state machine, keyed by current status then by the operator's action. Re-approving a
# suspended seller is deliberately *not* "approve": it is "reinstate", so the history says which it was.
# A rejected application can still be approved later (an appeal); it never goes back to pending.
ALLOWED_TRANSITIONS: dict[str, dict[str, str]] = {
    Status.PENDING: {"approve": Status.APPROVED, "reject": Status.REJECTED},
    Status.APPROVED: {"suspend": Status.SUSPENDED},
    Status.SUSPENDED: {"reinstate": Status.APPROVED},
    Status.REJECTED: {"approve": Status.APPROVED},
}
ACTIONS_REQUIRING_REASON = frozenset({"suspend", "reject"})
ACTION_LABELS = {
    "approve": _("approve"),
    "reject": _("reject"),
    "suspend": _("suspend"),
    "reinstate": _("reinstate"),
}

SLUG_MAX_LENGTH = cast(int, SellerProfile._meta.get_field("slug").max_length)
_SLUG_ATTEMPTS = 5


def _slug_base(*, shop_name: str, user_id: int) -> str:
    # Shop names in Chinese (or any script slugify drops) still need an ASCII address.
    base = slugify(shop_name)[: SLUG_MAX_LENGTH - 10].strip("-")
    return base or f"shop-{user_id}"


def _slug_free(*, base: str) -> str:
    taken = set(SellerProfile.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


@transaction.atomic
def seller_apply(*, user: User, shop_name: str, description: str = "", kind: str) -> SellerProfile:
    """Any active user may open a shop once (C2C); the application waits for an operator's review."""
    if not user.is_active:
        raise ApplicationError(_("This account is inactive and cannot apply to sell."))
    if SellerProfile.objects.filter(user=user).exists():
        raise ApplicationError(_("You have already applied to sell on the marketplace."))

    shop_name = shop_name.strip()
    base = _slug_base(shop_name=shop_name, user_id=user.id)
    for _attempt in range(_SLUG_ATTEMPTS):
        profile = SellerProfile(
            user=user,
            shop_name=shop_name,
            slug=_slug_free(base=base),
            description=description.strip(),
            kind=kind,
            status=Status.PENDING,
        )
        profile.full_clean(validate_unique=False)
        try:
            # The unique user and slug columns decide races; the savepoint keeps the outer transaction usable.
            with transaction.atomic():
                profile.save()
        except IntegrityError:
            if SellerProfile.objects.filter(user=user).exists():
                raise ApplicationError(_("You have already applied to sell on the marketplace.")) from None
            continue  # someone took the slug between our read and our insert; pick the next one
        break
    else:
        raise ApplicationError(_("Could not find a free shop address; please try a different shop name."))

    track(event_type="seller_applied", user_id=user.id, obj=profile, properties={"kind": profile.kind})
    return profile


@transaction.atomic
def seller_status_transition(*, seller_id: int, actor: User, action: str, reason: str = "") -> SellerProfile:
    """The one place a seller's status changes: lock, check the table, save, notify after commit."""
    reason = reason.strip()
    if action in ACTIONS_REQUIRING_REASON and not reason:
        raise ApplicationError(
            _("A reason is required to %(action)s a seller.") % {"action": ACTION_LABELS[action]}
        )

    try:
        profile = SellerProfile.objects.select_for_update().get(pk=seller_id)
    except SellerProfile.DoesNotExist:
        raise ApplicationError(_("Seller not found.")) from None
    allowed = ALLOWED_TRANSITIONS.get(profile.status, {})
    if action not in allowed:
        raise ApplicationError(
            _("Cannot %(action)s a seller whose status is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": profile.get_status_display()}
        )

    previous = profile.status
    profile.status = allowed[action]
    profile.status_reason = reason
    profile.status_changed_at = timezone.now()
    profile.status_changed_by = actor
    profile.full_clean(validate_unique=False)
    profile.save(
        update_fields=["status", "status_reason", "status_changed_at", "status_changed_by", "updated_at"]
    )

    SellerStatusEvent.objects.create(
        seller=profile,
        action=action,
        from_status=previous,
        to_status=profile.status,
        actor=actor,
        reason=reason,
    )
    # The seller's listings appear in or vanish from the storefront (catalog rebuilds its listings).
    publish(SellerProfileChanged(seller_id=profile.pk, change="status", status=profile.status))
    track(
        event_type="seller_status_changed",
        user_id=actor.id,
        obj=profile,
        properties={"action": action, "from": previous, "to": profile.status},
        is_operator=True,
    )
    transaction.on_commit(partial(seller_status_email_send, seller_id=profile.id))
    return profile


def seller_approve(*, seller_id: int, actor: User, reason: str = "") -> SellerProfile:
    return seller_status_transition(seller_id=seller_id, actor=actor, action="approve", reason=reason)


def seller_reject(*, seller_id: int, actor: User, reason: str) -> SellerProfile:
    return seller_status_transition(seller_id=seller_id, actor=actor, action="reject", reason=reason)


def seller_suspend(*, seller_id: int, actor: User, reason: str) -> SellerProfile:
    return seller_status_transition(seller_id=seller_id, actor=actor, action="suspend", reason=reason)


def seller_reinstate(*, seller_id: int, actor: User, reason: str = "") -> SellerProfile:
    return seller_status_transition(seller_id=seller_id, actor=actor, action="reinstate", reason=reason)


# The statuses a seller is e-mailed about (templates/emails/accounts/seller_status_*.txt).
_STATUS_EMAILED = {Status.APPROVED, Status.REJECTED, Status.SUSPENDED}


def seller_status_email_send(*, seller_id: int) -> None:
    """Tell the seller about their new status. Runs after commit, outside any lock; reads the row afresh
    so the mail says what is true now. A worker sends it (``common.email_send``): a mail failure never
    undoes or delays the review."""
    profile = SellerProfile.objects.select_related("user").get(pk=seller_id)
    if profile.status not in _STATUS_EMAILED:
        return
    with translation.override(None):
        # The label's msgid: the template translates it into the seller's language.
        status_label = str(profile.get_status_display())
    email_send_enqueue(
        to=profile.user.email,
        language=profile.user.preferred_language,
        template="emails/accounts/seller_status",
        context={
            "name": profile.user.public_name,
            "shop": profile.shop_name,
            "status": profile.status,
            "status_label": status_label,
            "reason": profile.status_reason,
        },
    )


# --- Address book -------------------------------------------------------------------------------------

ADDRESS_FIELDS = ["label", "full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone"]


def _user_lock(*, user: User) -> None:
    # Serialises one user's address-book writes, so "first address is default" and "one default" cannot race.
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()


def _address_for_update(*, user: User, address_id: int) -> Address:
    try:
        return Address.objects.select_for_update().get(pk=address_id, user=user)
    except Address.DoesNotExist:
        raise ApplicationError(_("Address not found.")) from None


def country_code_check(*, country: str) -> str:
    """The ISO 3166 two-letter code of a real country, upper-cased; anything else (``UN``, ``EU``, ``XX``,
    a country's name) is refused. The one rule every address is held to — the address book through
    ``Address.country``'s choices (the same list), the checkout and the API through this."""
    code = country.strip().upper()
    if code not in countries:
        raise ApplicationError(
            _("Choose a country from the list."),
            extra={"country": [gettext("“%(value)s” is not a country.") % {"value": country}]},
        )
    return code


def _address_normalise(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in ADDRESS_FIELDS}
    if "country" in data:
        data["country"] = str(data["country"]).upper()
    return data


def _address_country_errors(*, country: str) -> dict[str, list[str]]:
    # Checked on the code as given: CountryField itself would quietly read "GBR" or "840" as "GB" or "US".
    try:
        country_code_check(country=country)
    except ApplicationError as exc:
        return {"country": [str(message) for message in exc.extra["country"]]}
    return {}


def _address_full_clean(address: Address, *, country: str) -> None:
    """The model's checks and the country rule as one ValidationError, so a form shows every field's
    error at once (next to its field)."""
    errors = _address_country_errors(country=country)
    try:
        address.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}  # the country rule's message wins over the choices'
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def address_create(
    *,
    user: User,
    full_name: str,
    line1: str,
    city: str,
    postal_code: str,
    country: str,
    label: str = "",
    line2: str = "",
    region: str = "",
    phone: str = "",
    is_default: bool = False,
) -> Address:
    """Add an address; the first one a user saves becomes their default."""
    _user_lock(user=user)
    fields = _address_normalise(
        {
            "label": label,
            "full_name": full_name,
            "line1": line1,
            "line2": line2,
            "city": city,
            "region": region,
            "postal_code": postal_code,
            "country": country,
            "phone": phone,
        }
    )
    has_default = Address.objects.filter(user=user, is_default=True).exists()
    address = Address(user=user, is_default=is_default or not has_default, **fields)
    _address_full_clean(address, country=fields["country"])
    if address.is_default and has_default:
        Address.objects.filter(user=user, is_default=True).update(is_default=False, updated_at=timezone.now())
    address.save()
    return address


@transaction.atomic
def address_update(*, user: User, address_id: int, data: dict[str, Any]) -> Address:
    """Change an address's fields. Which address is the default changes only via ``address_set_default``."""
    address = _address_for_update(user=user, address_id=address_id)
    data = _address_normalise(data)
    if "country" in data and (errors := _address_country_errors(country=data["country"])):
        raise ValidationError(errors)
    address, _changed = model_update(instance=address, fields=ADDRESS_FIELDS, data=data)
    return address


@transaction.atomic
def address_set_default(*, user: User, address_id: int) -> Address:
    _user_lock(user=user)
    address = _address_for_update(user=user, address_id=address_id)
    if address.is_default:
        return address
    now = timezone.now()
    # Unset first: the partial unique constraint allows only one default per user at any moment.
    Address.objects.filter(user=user, is_default=True).update(is_default=False, updated_at=now)
    address.is_default = True
    address.save(update_fields=["is_default", "updated_at"])
    return address


@transaction.atomic
def address_delete(*, user: User, address_id: int) -> None:
    """Delete an address; if it was the default, the most recently added remaining one takes over."""
    _user_lock(user=user)
    address = _address_for_update(user=user, address_id=address_id)
    was_default = address.is_default
    address.delete()
    if was_default:
        successor = Address.objects.filter(user=user).order_by("-created_at", "-pk").first()
        if successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default", "updated_at"])


# --- Seller API keys ----------------------------------------------------------------------------------

API_KEY_PREFIX = "mps_"
# Writing ``last_used_at`` on every request would turn each API read into a write; a minute is precise enough.
API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)


@transaction.atomic
def seller_api_token_create(*, seller_id: int) -> tuple[SellerApiToken, str]:
    """A new API key for an approved seller, replacing (revoking) the one they had. Returns the row and
    the key itself: the only moment it exists in clear, so the caller shows it once and forgets it."""
    # The profile lock serialises two "regenerate" clicks; the partial unique constraint is the backstop.
    profile = SellerProfile.objects.select_for_update().filter(pk=seller_id).first()
    if profile is None or profile.status != Status.APPROVED:
        raise ApplicationError(_("Only approved sellers can use the seller API."))
    now = timezone.now()
    SellerApiToken.objects.filter(seller=profile, revoked_at__isnull=True).update(revoked_at=now)
    key = API_KEY_PREFIX + secrets.token_urlsafe(30)
    token = SellerApiToken(seller=profile, prefix=key[:12], key_digest=SellerApiToken.digest(key))
    token.full_clean(validate_constraints=False)
    token.save()
    return token, key


@transaction.atomic
def seller_api_token_revoke(*, seller_id: int, token_id: int) -> None:
    """Revoke one of the seller's own keys; another seller's key is "not found"."""
    revoked = SellerApiToken.objects.filter(pk=token_id, seller_id=seller_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not revoked:
        raise ApplicationError(_("This API key does not exist or was already revoked."))


def seller_api_token_touch(*, token: SellerApiToken) -> None:
    """Remember when a key was last used, at most once per ``API_KEY_TOUCH_INTERVAL``."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < API_KEY_TOUCH_INTERVAL:
        return
    SellerApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# --- Seller ratings (maintained by orders.reviews.services) ---------------------------------------------


@transaction.atomic
def seller_rating_set(*, seller_id: int, rating_avg: Decimal | None, rating_count: int) -> bool:
    """Store a seller's rating aggregates, as the reviews service computed them from the ratings rows (the
    caller holds the seller's row lock). Storefront pages and the seller-rating facet show them, so a
    change starts a new listing generation. Returns whether they changed."""
    if rating_count < 0 or (rating_count == 0) != (rating_avg is None):
        raise ApplicationError(gettext("A rating average needs at least one rating."))
    if rating_avg is not None and not Decimal(1) <= rating_avg <= Decimal(5):
        raise ApplicationError(gettext("A rating average lies between 1 and 5."))
    current = SellerProfile.objects.filter(pk=seller_id).values_list("rating_avg", "rating_count").first()
    if current is None:
        raise ApplicationError(gettext("This seller does not exist."))
    changed = current != (rating_avg, rating_count)
    if changed:
        SellerProfile.objects.filter(pk=seller_id).update(rating_avg=rating_avg, rating_count=rating_count)
        publish(SellerProfileChanged(seller_id=seller_id, change="rating"))
    return changed
