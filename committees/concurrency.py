"""Concurrent edits are detected, not silently overwritten.

Admin: every change form of a record with ``updated_at`` carries, in a hidden field, the
``updated_at`` the record had in the database when the form was opened. Saving compares it with
the database (the row locked for the rest of the request's transaction): if someone saved the
record in between, the form is shown again with "changed by someone else since you opened it"
and nothing is stored. A form posted without the field (an older page) is not checked.

API: see ``PortalViewSet.check_if_match`` in ``committees/api.py`` (``If-Match`` with the ETag
of the record's JSON representation; 412 on a stale one)."""

from django import forms
from django.db import connection

LOADED_FIELD = "loaded_updated_at"
CONFLICT_MESSAGE = (
    "This record was changed by someone else since you opened it (saved at {saved} UTC). Nothing was "
    "stored: open the record again to see their change, then make yours."
)
GONE_MESSAGE = "This record was deleted by someone else since you opened it. Nothing was stored."


def has_updated_at(model):
    return any(field.name == "updated_at" for field in model._meta.concrete_fields)


def stored_updated_at(model, pk, lock=False):
    """The record's ``updated_at`` as the database has it now (None if it is gone); with
    ``lock`` the row stays locked until the transaction ends (where the database can lock)."""
    queryset = model._default_manager.filter(pk=pk)
    if lock and connection.in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.values_list("updated_at", flat=True).first()


def _text(value):
    return value.isoformat() if value is not None else ""


class EditConflictFormMixin:
    """For a ModelForm of a model with ``updated_at``; the hidden field is added by
    ``edit_conflict_form``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # From the database, not the instance: a revert form's instance is an old version.
            self.initial[LOADED_FIELD] = _text(stored_updated_at(self._meta.model, self.instance.pk))

    def clean(self):
        cleaned = super().clean()
        loaded = (self.cleaned_data.get(LOADED_FIELD) or "").strip()
        if self.instance.pk is not None and loaded:
            current = stored_updated_at(self._meta.model, self.instance.pk, lock=True)
            if current is None:
                self.add_error(None, GONE_MESSAGE)
            elif _text(current) != loaded:
                self.add_error(None, CONFLICT_MESSAGE.format(saved=f"{current:%Y-%m-%d %H:%M:%S}"))
        return cleaned


def edit_conflict_form(form_class):
    """``form_class`` with the hidden ``loaded_updated_at`` field and its check."""
    if issubclass(form_class, EditConflictFormMixin):
        return form_class
    attrs = {
        LOADED_FIELD: forms.CharField(widget=forms.HiddenInput, required=False),
        "__module__": __name__,
    }
    return type(f"EditConflict{form_class.__name__}", (EditConflictFormMixin, form_class), attrs)


def fieldsets_with_loaded_field(fieldsets):
    """The admin renders only the fields of its fieldsets: put the hidden one in the first."""
    if not fieldsets or any(LOADED_FIELD in _flatten(options.get("fields", ())) for _, options in fieldsets):
        return fieldsets
    name, options = fieldsets[0]
    return [(name, {**options, "fields": [*options.get("fields", ()), LOADED_FIELD]}), *fieldsets[1:]]


def _flatten(fields):
    for field in fields:
        if isinstance(field, (list, tuple)):
            yield from field
        else:
            yield field
