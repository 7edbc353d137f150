"""The behavioural event stream: append-only, one row per thing a visitor or a service did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserAgentClass(models.TextChoices):
    DESKTOP = "desktop", _("Desktop")
    MOBILE = "mobile", _("Mobile")
    TABLET = "tablet", _("Tablet")
    BOT = "bot", _("Bot")
    OTHER = "other", _("Other")


class Event(models.Model):
    """Well-known ``type`` values: page_view, search, search_zero_results, add_to_cart, remove_from_cart,
    checkout_step, order_placed, signup, login, seller_applied. New types need no migration."""

    type = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Anonymous visitor id (analytics cookie) so funnels join a visitor's events before and after sign-in.
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    object_type = models.CharField(
        max_length=40, blank=True, help_text="app_label.model, e.g. catalog.product"
    )
    object_id = models.CharField(max_length=64, blank=True)
    properties = models.JSONField(default=dict, blank=True)
    path = models.CharField(max_length=300, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    user_agent_class = models.CharField(
        max_length=10, choices=UserAgentClass.choices, default=UserAgentClass.OTHER
    )
    is_bot = models.BooleanField(default=False)
    is_operator = models.BooleanField(default=False)
    occurred_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["type", "occurred_at"], name="analytics_event_type_time"),
            models.Index(fields=["object_type", "object_id"], name="analytics_event_object"),
        ]

    def __str__(self) -> str:
        return f"{self.type} @ {self.occurred_at:%Y-%m-%d %H:%M}"
