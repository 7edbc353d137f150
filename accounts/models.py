"""People: users (e-mail login), seller profiles, their API keys and shopper addresses."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.models import TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Role(models.TextChoices):
    SHOPPER = "shopper", _("Shopper")
    SELLER = "seller", _("Seller")
    OPERATOR = "operator", _("Operator")


class User(AbstractUser):
    """Everyone is a shopper; a user with an approved ``SellerProfile`` is also a seller (C2C); staff
    users are operators. Roles are derived from those facts, never stored twice."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_operator(self) -> bool:
        return self.is_active and self.is_staff

    @property
    def roles(self) -> set[str]:
        roles = {Role.SHOPPER.value}
        if self.is_operator:
            roles.add(Role.OPERATOR.value)
        profile = getattr(self, "seller_profile", None)
        if profile is not None and profile.status == SellerProfile.Status.APPROVED:
            roles.add(Role.SELLER.value)
        return roles

    @property
    def public_name(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]


class SellerProfile(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        SUSPENDED = "suspended", _("Suspended")
        REJECTED = "rejected", _("Rejected")

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        INDIVIDUAL = "individual", _("Individual (C2C)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seller_profile"
    )
    shop_name = models.CharField(_("shop name"), max_length=80)
    slug = models.SlugField(_("shop address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    kind = models.CharField(_("seller type"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Maintained by the reviews service (issue 4); read by storefront pages and facets.
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.shop_name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Address(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(_("label"), max_length=40, blank=True, help_text=_("e.g. Home, Office"))
    full_name = models.CharField(_("full name"), max_length=120)
    line1 = models.CharField(_("address line 1"), max_length=200)
    line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state / province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20)
    # Stored as its ISO 3166 two-letter code; the choices are the one list of countries (accounts.services).
    country = CountryField(
        _("country"), error_messages={"invalid_choice": _("“%(value)s” is not a country.")}
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_default = models.BooleanField(_("default address"), default=False)

    class Meta:
        ordering = ["-is_default", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_default=True), name="accounts_address_one_default"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.line1}, {self.city}"


class SellerStatusEvent(models.Model):
    """Append-only history of a seller's reviews: who approved, suspended or reinstated them, and why."""

    seller = models.ForeignKey(SellerProfile, on_delete=models.CASCADE, related_name="status_events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, choices=SellerProfile.Status.choices)
    to_status = models.CharField(max_length=10, choices=SellerProfile.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.seller_id}: {self.from_status} -> {self.to_status}"


class SellerApiToken(models.Model):
    """A seller's key to the seller API. Only a digest of the key is stored: the key itself is shown to
    the seller once, when it is created. Revoked keys stay as rows (with ``revoked_at``) for the record."""

    seller = models.ForeignKey(SellerProfile, on_delete=models.CASCADE, related_name="api_tokens")
    # The key's first characters, so the seller can tell which key a script uses; not enough to guess it.
    prefix = models.CharField(max_length=12)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller"],
                condition=models.Q(revoked_at__isnull=True),
                name="accounts_sellerapitoken_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.seller_id})"

    @staticmethod
    def digest(key: str) -> str:
        # A plain SHA-256 is enough: keys are 240 random bits, so there is nothing to brute-force, and the
        # lookup by digest compares no secret byte by byte.
        return hashlib.sha256(key.encode()).hexdigest()
