"""What every app's admin needs so that operators' edits go through the services, like everyone else's.

``ServiceModelForm`` checks the shape of what was typed and hands the values to a service; the service
checks the rules and writes (audit and history rows, caches, search documents included). The service
runs while the form is validated, so a refusal (``ApplicationError``) shows on the form like any other
error and nothing is saved. ``ServiceAdminMixin`` gives the form the acting operator and saves nothing
itself. ``HistoryAdmin`` shows the django-simple-history records of a model, read-only: a "revert" would
write around the services.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from common.exceptions import ApplicationError
from common.money import Money, currency_exponent


def money_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    """An amount typed in major units ("12.50"); ``ServiceModelForm.minor`` turns it into minor units of
    the object's currency."""
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=15,
        help_text=help_text or _("In major units, e.g. 12.50"),
    )


def major(amount: int | None, currency: str) -> Decimal | None:
    """Minor units as the major-unit amount a form shows (1250 USD -> 12.50)."""
    return None if amount is None else Money(int(amount), currency).to_decimal()


def service_errors_add(form: forms.BaseForm, exc: ApplicationError, field_map: dict[str, str]) -> None:
    """A service's refusal next to each field its ``extra`` names (``field_map``: service key -> form
    field), else on top of the form."""
    placed = False
    for key, messages in exc.extra.items():
        name = field_map.get(key, key)
        if name in form.fields and isinstance(messages, list | tuple):
            for message in messages:
                form.add_error(name, str(message))
            placed = True
    if not placed:
        form.add_error(None, exc.message)


if TYPE_CHECKING:  # ModelForm is generic only in the type stubs
    _ModelForm = forms.ModelForm[Any]
else:
    _ModelForm = forms.ModelForm


class ServiceModelForm(_ModelForm):
    """An admin form whose ``service_save`` creates or updates the object through its service."""

    actor_id: ClassVar[int | None] = None  # the operator, set by ``ServiceAdmin.get_form``
    service_field_map: ClassVar[dict[str, str]] = {}

    def service_save(self) -> models.Model:
        raise NotImplementedError

    def minor(self, name: str, currency: str) -> int | None:
        """The major-unit amount typed in field ``name`` in minor units of ``currency`` (None if empty)."""
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        try:
            return Money.from_decimal(value, currency).amount
        except ValueError:
            places = currency_exponent(currency)
            self.add_error(
                name,
                ngettext(
                    "Use at most %(n)d decimal place for %(currency)s.",
                    "Use at most %(n)d decimal places for %(currency)s.",
                    places,
                )
                % {"n": places, "currency": currency},
            )
            return None

    def service_error_add(self, exc: ApplicationError) -> None:
        service_errors_add(self, exc, self.service_field_map)

    def _post_clean(self) -> None:
        # In place of ModelForm's model validation: the service validates (full_clean included) and saves.
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.instance = self.service_save()
        except ApplicationError as exc:
            self.service_error_add(exc)
        except ValidationError as exc:  # a service's full_clean() refused it
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)

    def save(self, commit: bool = True) -> Any:
        """Already saved by the service (relations included)."""
        self.save_m2m = lambda: None  # type: ignore[method-assign]  # what ModelForm.save(commit=False) sets
        return self.instance


class ServiceAdminMixin:
    """For a ``ModelAdmin`` whose form is a ``ServiceModelForm``: the form knows the acting operator, and
    the admin itself saves nothing."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[Any]:
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        return type(form.__name__, (form,), {"actor_id": request.user.pk})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """The service saved it while the form was validated."""


class HistoryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history has no type information
    """Shows who changed what and when (django-simple-history), read-only: a "revert" would write
    around the services."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ServiceHistoryAdmin(ServiceAdminMixin, HistoryAdmin):
    """Edits through the services, with the model's history."""
