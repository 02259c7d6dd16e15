"""Abstract models and mixins the portal's models share: every text field's length checked before
the database sees it, no control characters in a text, and sort keys copied to the tables that
order by them. No concrete model lives here (core has no tables)."""

import re
from contextlib import suppress

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, router, transaction

# Control characters (C0, DEL and C1) appear in no published text: typed or pasted into a record
# they would be stored unseen and break exports and feeds. Multi-line texts keep tabs and line
# breaks; single-line fields (titles, references, names) hold none.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character_error(field, value):
    """A ValidationError naming the first control character in a text field's value, or None."""
    if not isinstance(field, models.CharField | models.TextField) or not isinstance(value, str):
        return None
    pattern = CONTROL_CHARACTERS_IN_TEXT if isinstance(field, models.TextField) else CONTROL_CHARACTERS
    if match := pattern.search(value):
        return ValidationError(
            "Remove the control character U+%(code)s (character %(position)s): no published text holds one.",
            code="control_character",
            params={"code": f"{ord(match.group()):04X}", "position": match.start() + 1},
        )
    return None


class LengthCheckedModel(models.Model):
    """Every text field's length checked before the database sees it: after ``clean()`` in
    ``full_clean()`` (so forms and the API show the message on a field) and again in ``save()``
    (so no write path stores a value too long for its column: PostgreSQL refused one with an
    error the API answered with a 500, SQLite stored it whole).

    Django's ``clean_fields()`` checks only the fields a form or serializer writes, before
    ``clean()``; a value ``clean()`` or ``save()`` derives (a slug or sort key made from a
    reference) was never checked. ``DERIVED_FROM`` names the field such a value is made from,
    where its error is shown."""

    DERIVED_FROM = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if errors := self.length_errors():
            raise ValidationError(errors)
        super().save(*args, **kwargs)

    def length_errors(self):
        """``{field: [ValidationError]}`` for every text field longer than its column."""
        errors = {}
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField) or field.max_length is None:
                continue
            value = getattr(self, field.attname)
            if not isinstance(value, str) or len(value) <= field.max_length:
                continue
            if field.name in self.DERIVED_FROM:
                shown = self.DERIVED_FROM[field.name]
                error = ValidationError(
                    "Too long: its %(derived)s would have %(length)s characters, more than the %(limit)s allowed.",
                    code="max_length",
                    params={"derived": field.verbose_name, "length": len(value), "limit": field.max_length},
                )
            else:
                shown = field.name
                error = ValidationError(
                    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                    code="max_length",
                    params={"limit_value": field.max_length, "show_value": len(value)},
                )
            errors.setdefault(shown, []).append(error)
        return errors

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        """Django's checks, then the length of every text field (derived ones included) whose
        field has no error yet. A field left out (``exclude``: not on the form or in the
        request) is not reported here, where a form could not show it; ``save()`` still
        refuses it."""
        try:
            super().full_clean(
                exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_constraints
            )
            errors = {}
        except ValidationError as exc:
            errors = exc.update_error_dict({})
        for name, messages in self.length_errors().items():
            if not (exclude and name in exclude):
                errors.setdefault(name, messages)
        if errors:
            raise ValidationError(errors)


class SortKeyCopiedMixin:
    """For a model whose ``sort_key`` other tables copy, to read their order from an index:
    ``save()`` updates the copies (``_update_sort_key_copies(using)``), in the same transaction,
    when the sort key changed (its record's reference or acronym did)."""

    def _update_sort_key_copies(self, using):
        raise NotImplementedError

    def save(self, *args, **kwargs):
        self._derive_keys()
        if self.pk is None or self.sort_key == getattr(self, "_saved_sort_key", None):
            super().save(*args, **kwargs)
        else:
            using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
            with transaction.atomic(using=using, savepoint=False):
                super().save(*args, **kwargs)
                self._update_sort_key_copies(using)
        self._saved_sort_key = self.sort_key

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_sort_key = instance.__dict__.get("sort_key")  # None when deferred
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "sort_key" in fields:
            self._saved_sort_key = self.sort_key


class CopiesSortKeysMixin:
    """For a model that keeps copies of related records' sort keys, to read its order from an
    index: ``SORT_KEY_COPIES`` maps each foreign key to the field holding its record's sort key.
    ``clean()`` (before the constraints are checked) and ``save()`` fill the copies: a related
    record already loaded is read from memory; one known only by its id is read from the database,
    unless it is the one the row was loaded with (so saving a row loaded without its related
    records costs no query). A ``bulk_create`` must set them itself."""

    SORT_KEY_COPIES = {}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if set(cls.SORT_KEY_COPIES.values()) <= instance.__dict__.keys():
            instance._sort_keys_of = instance._related_ids()
        return instance

    def _related_ids(self):
        return {name: getattr(self, self._meta.get_field(name).attname) for name in self.SORT_KEY_COPIES}

    def _copy_sort_keys(self):
        loaded_with = getattr(self, "_sort_keys_of", {})
        for name, copy in self.SORT_KEY_COPIES.items():
            field = self._meta.get_field(name)
            related_id = getattr(self, field.attname)
            if related_id is None:
                setattr(self, copy, "")
            elif field.is_cached(self) or related_id != loaded_with.get(name):
                setattr(self, copy, getattr(self, name).sort_key)
        self._sort_keys_of = self._related_ids()

    def clean(self):
        super().clean()
        with suppress(ObjectDoesNotExist):  # clean_fields() has said a related record does not exist
            self._copy_sort_keys()

    def save(self, *args, **kwargs):
        self._copy_sort_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.SORT_KEY_COPIES.values()}
        super().save(*args, **kwargs)
