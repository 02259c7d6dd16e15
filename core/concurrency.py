"""Concurrent edits are detected, not silently overwritten.

Admin: every change form of a record with ``updated_at`` carries, in a hidden field, the
``updated_at`` the record had in the database when the form was opened. Saving compares it with
the database (the row locked for the rest of the request's transaction): if someone saved the
record in between, the form is shown again with "changed by someone else since you opened it"
and nothing is stored. A form posted without the field (an older page) is not checked. Each
inline row carries its own version the same way (see "Inline rows" below), so a row someone else
changed or deleted meanwhile is not silently written back.

API: see ``PortalViewSet.check_if_match`` in ``core/api/viewsets.py`` (``If-Match`` with the ETag
of the record's JSON representation, nested rows included; 412 on a stale one)."""

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


def _with_loaded_field(form_class, mixin, prefix):
    """``form_class`` with ``mixin``'s check and the hidden field it reads (once only)."""
    if issubclass(form_class, mixin):
        return form_class
    attrs = {
        LOADED_FIELD: forms.CharField(widget=forms.HiddenInput, required=False),
        "__module__": __name__,
    }
    return type(f"{prefix}{form_class.__name__}", (mixin, form_class), attrs)


def edit_conflict_form(form_class):
    """``form_class`` with the hidden ``loaded_updated_at`` field and its check."""
    return _with_loaded_field(form_class, EditConflictFormMixin, "EditConflict")


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


# --- Inline rows ---------------------------------------------------------------------------------
#
# Each row of an inline (a committee's terms of reference, a group's partners …) carries, in the
# same hidden field, the version it had when the form was opened: its ``updated_at``, or for a
# many-to-many table's row (which has none) the values it links. On save the formset compares
# every row with the database in one query (the rows locked): a row changed meanwhile is an error
# on that row, a row deleted meanwhile (or changed, where this form deletes it) an error above the
# inline; nothing is stored. Rows someone else added meanwhile are not in the form and are kept.

ROW_CONFLICT_MESSAGE = "{name} was changed by someone else since you opened the form."
ROW_GONE_MESSAGE = "{name} was deleted by someone else since you opened the form."
ROWS_NOTHING_STORED = "Nothing was stored: open the record again to see their change, then make yours."


def row_version(model, obj):
    """The version of an inline row: its ``updated_at``, or the values of a row without one."""
    if has_updated_at(model):
        return _text(obj.updated_at)
    return "|".join(f"{field.attname}={getattr(obj, field.attname)}" for field in model._meta.concrete_fields)


class InlineRowVersionFormMixin:
    """An inline row's form: the hidden field holds the row's version as loaded with the formset."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial[LOADED_FIELD] = row_version(self._meta.model, self.instance)


def inline_row_version_form(form_class):
    """``form_class`` (an inline row's form) with the hidden row version and its check."""
    return _with_loaded_field(form_class, InlineRowVersionFormMixin, "RowVersion")


class InlineRowVersionFormSetMixin:
    """Refuses a save when a row of the inline was changed or deleted since the form was opened."""

    def clean(self):
        super().clean()
        pk_name = self.model._meta.pk.name
        loaded = {}
        for index, form in enumerate(self.initial_forms):
            version = (form.data.get(form.add_prefix(LOADED_FIELD)) or "").strip()
            pk = (form.data.get(form.add_prefix(pk_name)) or "").strip()
            if version and pk.isascii() and pk.isdigit():
                loaded[int(pk)] = (index, form, version)
        if not loaded:
            return
        rows = self.model._default_manager.filter(pk__in=list(loaded))
        if connection.in_atomic_block:
            rows = rows.select_for_update()
        current = {row.pk: row_version(self.model, row) for row in rows}
        errors = []
        for pk, (index, form, version) in loaded.items():
            deleting = self.can_delete and self._should_delete_form(form)
            name = self._row_name(form, index)
            if pk not in current:
                if not deleting:
                    errors.append(ROW_GONE_MESSAGE.format(name=name))
            elif current[pk] != version:
                message = ROW_CONFLICT_MESSAGE.format(name=name)
                if deleting:
                    errors.append(message)
                else:
                    form.add_error(None, f"{message} {ROWS_NOTHING_STORED}")
        if errors:
            raise forms.ValidationError([*errors, ROWS_NOTHING_STORED])

    def _row_name(self, form, index):
        kind = str(self.model._meta.verbose_name)
        kind = kind[:1].upper() + kind[1:]
        if form.instance.pk is not None:
            return f"{kind} “{form.instance}”"
        return f"{kind} (row {index + 1})"


def inline_row_version_formset(formset_class):
    if issubclass(formset_class, InlineRowVersionFormSetMixin):
        return formset_class
    return type(
        f"RowVersion{formset_class.__name__}", (InlineRowVersionFormSetMixin, formset_class), {"__module__": __name__}
    )
