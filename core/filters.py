"""The FilterSet machinery every list shares, for its page and its API alike.

Each list has one FilterSet (``PortalFilterSet``) in its app's ``filters.py``: the API viewset
names it (``filterset_class``), and the list page (``core.views.FilteredListView``) builds its
form from it with ``for_page()``, so a filter has one name and one implementation on both sides.

- ``aliases``: other names of a filter. The API documents each alias as a parameter of its own
  (the same filter, described as an alias); a page accepts the other name of a filter it shows.
- ``page_fields``: the filters the page shows, in order, with the page's own wording (label,
  the empty choice, choice labels, widget); ``page_only``: filters only the page takes (the API
  leaves them out), such as the text search ``?q=`` (``SearchTextFilter``) or a page's sort.
- The API alone takes ``updated_since`` and ``ordering``, and ``?search=`` (``core/api/filters.py``,
  the same search definition as the page's ``?q=``, from ``core/search.py``)."""

import copy
import datetime

import django_filters as filters
from django import forms
from django.db.models import F
from django.db.models.constants import LOOKUP_SEP
from django_filters.constants import EMPTY_VALUES
from django_filters.filterset import FilterSetMetaclass
from rest_framework import exceptions

from core import search
from core.views import MAX_QUERY_LENGTH


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 timestamp, turned into UTC before it reaches the database (PostgreSQL refuses
    offsets beyond ±15:59, which ISO 8601 allows); one that cannot be is refused with 400."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except (OverflowError, ValueError):
                raise exceptions.ValidationError(
                    {"updated_since": ["Enter a timestamp between years 1 and 9999."]}
                ) from None
        return super().filter(qs, value)


def slug_choice(field_name, queryset, label):
    """A record given by its slug (e.g. ``iso-tc-207``) among ``queryset``; an unknown slug gives 400."""
    return filters.ModelChoiceFilter(field_name=field_name, to_field_name="slug", queryset=queryset, label=label)


class StableOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` that pages reliably and sorts the same on every database.

    django-filter's OrderingFilter orders by the requested fields alone, so records that tie on
    them (every category A liaison under ``?ordering=category``) came back in whatever order the
    database chose for each page: paging through skipped some records and repeated others. Here
    the model's own order, then the id, break the ties, so the pages of one ordering hold every
    record exactly once. A record without a value (a meeting whose date was not announced) comes
    last in both directions on every database (SQLite put NULLs first, PostgreSQL last)."""

    def _nulls_last(self, value, model):
        """``get_ordering_value()``'s "name" or "-name", as an expression putting NULLs last where
        the column can be NULL."""
        name = value.removeprefix("-")
        if not self._nullable(model, name):
            return value
        return F(name).desc(nulls_last=True) if value.startswith("-") else F(name).asc(nulls_last=True)

    @staticmethod
    def _nullable(model, name):
        """Whether the column at ``name`` (a path such as ``host__name``) can be NULL. A path ending
        at a relation is left alone: ordering by it means the related model's own order."""
        nullable = False
        for part in name.split(LOOKUP_SEP):
            field = model._meta.get_field(part)
            nullable = nullable or field.null
            model = field.related_model
        return nullable and not field.is_relation

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [
            self._nulls_last(self.get_ordering_value(param), qs.model) for param in value if param not in EMPTY_VALUES
        ]
        return qs.order_by(*ordering, *qs.model._meta.ordering, "pk")


def ordering(*pairs, label):
    return StableOrderingFilter(fields=pairs, label=label)


class SearchTextFilter(filters.CharFilter):
    """A list page's ``?q=``: the records its model's search definition (``core/search.py``) finds
    for the text, as the site search and the API's ``?search=`` find them. A search box of at most
    ``MAX_QUERY_LENGTH`` characters; longer text is refused with a form error (400), not run."""

    def __init__(self, label, **kwargs):
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        super().__init__(label=label, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return search.matches(qs, value)


class PageField:
    """How a list page shows one of its FilterSet's filters: its label, the empty choice's label,
    other labels for the choices (``{value: label}``) and another widget."""

    def __init__(self, label, *, empty_label=None, choice_labels=None, widget=None):
        self.label, self.empty_label, self.choice_labels, self.widget = label, empty_label, choice_labels, widget

    def apply(self, filter_):
        # A filter builds its form field once and keeps it (``Filter.field``): a copy of a filter
        # whose field the API side already built (the schema reads it) would keep the API's
        # wording, so the copy builds its own.
        filter_.__dict__.pop("_field", None)
        filter_.label = self.label
        if self.empty_label is not None:
            filter_.extra["empty_label"] = self.empty_label
        if self.choice_labels is not None:
            filter_.extra["choices"] = [(value, self.choice_labels[value]) for value, _ in filter_.extra["choices"]]
        if self.widget is not None:
            filter_.extra["widget"] = self.widget
        return filter_


class PortalFilterSetMetaclass(FilterSetMetaclass):
    """Adds each alias as a copy of its filter, described as an alias, and takes the page-only
    filters out of the filters the API reads."""

    def __new__(cls, name, bases, attrs):
        new_class = super().__new__(cls, name, bases, attrs)
        page_only = {}
        for filter_name in new_class.page_only:
            if filter_name in new_class.base_filters:
                page_only[filter_name] = new_class.base_filters.pop(filter_name)
        new_class.page_only_filters = {**getattr(new_class, "page_only_filters", {}), **page_only}
        for alias, canonical in new_class.aliases.items():
            filter_ = copy.deepcopy(new_class.base_filters[canonical])
            filter_.label = f"Alias of `{canonical}` (the name the list page uses). {filter_.label}"
            new_class.base_filters[alias] = filter_
        return new_class


class PortalFilterSet(filters.FilterSet, metaclass=PortalFilterSetMetaclass):
    """The base of every list's FilterSet: ``updated_since`` for the API, aliases, and the page's
    form (``for_page()``)."""

    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this ISO 8601 timestamp, e.g. 2026-01-31T12:00:00Z.",
    )

    aliases = {}  # {alias: filter name}
    page_fields = {}  # {filter name: PageField, or None to show it as declared}, in the page's order
    page_only = ()  # names of filters declared here that only the page takes

    @classmethod
    def for_page(cls):
        """The FilterSet of the list page: the filters in ``page_fields``, worded for the page.
        A filter's other name (``aliases``) is read as the name the page shows."""
        page_class = cls.__dict__.get("_page_class")
        if page_class is None:
            every = {**cls.base_filters, **cls.page_only_filters}
            page_class = type(f"{cls.__name__}Page", (cls,), {"__module__": cls.__module__})
            page_class.base_filters = {
                name: field.apply(copy.deepcopy(every[name])) if field else copy.deepcopy(every[name])
                for name, field in cls.page_fields.items()
            }
            names = {**cls.aliases, **{canonical: alias for alias, canonical in cls.aliases.items()}}
            page_class.page_names = {other: name for other, name in names.items() if name in cls.page_fields}
            cls._page_class = page_class
        return page_class

    page_names = {}  # on a page's FilterSet: {a name the page accepts: the name it shows}

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and self.page_names:
            data = data.copy()
            for other, shown in self.page_names.items():
                if other in data and shown not in data:
                    if hasattr(data, "setlist"):
                        data.setlist(shown, data.getlist(other))
                    else:
                        data[shown] = data[other]
        super().__init__(data, *args, **kwargs)

    def page_errors(self):
        """The form's messages, "field: message" joined by "; " (the CSV export's 400 answer)."""
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in self.form.errors.items())
