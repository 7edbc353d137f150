"""Operators' tools for people: users (e-mail based), seller review and a read-only view of addresses.

Seller status changes only through ``accounts.services`` (bulk actions with a confirmation page that asks
for the reason), so the transition table, the timestamps and the seller's e-mail are never bypassed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import SellerStatusReasonForm
from accounts.models import Address, SellerProfile, SellerStatusEvent, User
from accounts.services import (
    ACTIONS_REQUIRING_REASON,
    seller_approve,
    seller_reinstate,
    seller_reject,
    seller_suspend,
)
from common.exceptions import ApplicationError


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("A user with that e-mail address already exists."), code="unique")
        return email


class UserEmailChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("A user with that e-mail address already exists."), code="unique")
        return email


class AddressInline(admin.TabularInline):
    """Shown for support; the shopper's address book changes only through the shopper's own pages."""

    model = Address
    extra = 0
    can_delete = False
    fields = ("label", "full_name", "line1", "city", "postal_code", "country", "is_default")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEmailChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "preferred_language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "display_name", "first_name", "last_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")

    def get_inlines(self, request: HttpRequest, obj: User | None):
        return [AddressInline] if obj is not None else []


SELLER_STATUS_FIELDS = ("status", "status_reason", "status_changed_at", "status_changed_by")

_SELLER_ACTIONS: dict[str, tuple[Callable[..., SellerProfile], str]] = {
    "approve": (seller_approve, _("Approve")),
    "suspend": (seller_suspend, _("Suspend")),
    "reject": (seller_reject, _("Reject")),
    "reinstate": (seller_reinstate, _("Reinstate")),
}


class SellerStatusEventInline(admin.TabularInline):
    """The review history, newest first; written only by accounts.services.seller_status_transition."""

    model = SellerStatusEvent
    extra = 0
    fields = ("created_at", "action", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(SellerProfile)
class SellerProfileAdmin(admin.ModelAdmin):
    inlines = [SellerStatusEventInline]
    list_display = ("shop_name", "slug", "user", "kind", "status", "status_changed_at", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("shop_name", "slug", "user__email")
    list_select_related = ("user",)
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("user", "shop_name", "slug", "kind", "description")}),
        (_("Review"), {"fields": SELLER_STATUS_FIELDS}),
        (_("Ratings"), {"fields": ("rating_avg", "rating_count")}),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = (
        "user",
        *SELLER_STATUS_FIELDS,
        "rating_avg",
        "rating_count",
        "created_at",
        "updated_at",
    )
    actions = ["approve_sellers", "suspend_sellers", "reject_sellers", "reinstate_sellers"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Sellers apply themselves (accounts.services.seller_apply); operators review.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Orders and products point at sellers; suspend instead.
        return False

    @admin.action(description=_("Approve selected sellers"), permissions=["change"])
    def approve_sellers(self, request: HttpRequest, queryset: QuerySet[SellerProfile]):
        return self._status_action(request, queryset, action="approve")

    @admin.action(description=_("Suspend selected sellers…"), permissions=["change"])
    def suspend_sellers(self, request: HttpRequest, queryset: QuerySet[SellerProfile]):
        return self._status_action(request, queryset, action="suspend")

    @admin.action(description=_("Reject selected applications…"), permissions=["change"])
    def reject_sellers(self, request: HttpRequest, queryset: QuerySet[SellerProfile]):
        return self._status_action(request, queryset, action="reject")

    @admin.action(description=_("Reinstate selected sellers"), permissions=["change"])
    def reinstate_sellers(self, request: HttpRequest, queryset: QuerySet[SellerProfile]):
        return self._status_action(request, queryset, action="reinstate")

    def _status_action(self, request: HttpRequest, queryset: QuerySet[SellerProfile], *, action: str):
        """First call shows a confirmation page asking for the reason; its POST ("apply") runs the
        service once per seller, each in its own transaction, and reports what was refused."""
        service, label = _SELLER_ACTIONS[action]
        reason_required = action in ACTIONS_REQUIRING_REASON
        if "apply" in request.POST:
            form = SellerStatusReasonForm(request.POST, reason_required=reason_required)
            if form.is_valid():
                done, refused = [], []
                for seller in queryset.order_by("pk"):
                    try:
                        service(seller_id=seller.pk, actor=request.user, reason=form.cleaned_data["reason"])
                    except (ApplicationError, ValidationError) as exc:
                        refused.append(f"{seller.shop_name}: {getattr(exc, 'message', exc)}")
                    else:
                        done.append(seller.shop_name)
                if done:
                    self.message_user(
                        request,
                        gettext("%(action)s: %(sellers)s.") % {"action": label, "sellers": ", ".join(done)},
                        messages.SUCCESS,
                    )
                for line in refused:
                    self.message_user(
                        request, gettext("Not changed — %(detail)s") % {"detail": line}, messages.ERROR
                    )
                return None
        else:
            form = SellerStatusReasonForm(reason_required=reason_required)

        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(action)s sellers") % {"action": label},
            "opts": self.model._meta,
            "queryset": queryset.select_related("user"),
            "form": form,
            "action_name": f"{action}_sellers",
            "action_label": label,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "ops/accounts/seller_status_confirm.html", context)
