"""Test helper: the POST data an operator's browser would send back from an admin change form as shown
(every field with its current value, the inlines' management forms and rows), with some values changed."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone


def _encode(form: forms.BaseForm, name: str, data: dict[str, Any]) -> None:
    field = form.fields[name]
    key = form.add_prefix(name)
    value = form[name].value()
    if isinstance(field.widget, forms.SplitDateTimeWidget):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value)
            data[f"{key}_0"], data[f"{key}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
        else:
            data[f"{key}_0"] = data[f"{key}_1"] = ""
        return
    if isinstance(field, forms.BooleanField):
        if value:
            data[key] = "on"
        return
    if isinstance(value, list | tuple):
        data[key] = [str(v.pk if isinstance(v, models.Model) else v) for v in value]
    elif isinstance(value, models.Model):
        data[key] = str(value.pk)
    else:
        data[key] = "" if value is None else str(value)


def change_form_data(response, **changes: Any) -> dict[str, Any]:
    """``response`` is the GET of an admin add or change page; ``changes`` override field values (an
    empty string clears one; a SplitDateTime field takes ``name_0``/``name_1``)."""
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name in form.fields:
        _encode(form, name, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for row in formset.forms:
            for name in row.fields:
                _encode(row, name, data)
    data.update(changes)
    return data
