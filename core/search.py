"""The search machinery: a search definition per kind of record, a registry the domain apps fill
from their own ``search.py``, and the two ways of running a definition.

A definition (``SearchDefinition``) names, for one model, the field matched exactly (ranked first),
the fields matched as substrings, the fields matched by full-text search with their weights (A counts
most) and the order of results of equal rank. The one definition of a kind is used by the site
search (``casco_portal/search.py``: ``ranked()``), the list page's ``?q=`` and the API's
``?search=`` (``core/filters.py``: ``matches()``), so the three always find the same records.

On PostgreSQL the weighted fields are matched with full-text search (English stemming,
``websearch`` syntax, so any text the user types is a valid query) and ranked with ``SearchRank``;
the substring fields (references, acronyms) are also matched as substrings, because the
text-search parser splits "ISO/TC 207/SC 2" into odd tokens. Migration committees 0005 indexes
exactly these expressions (a GIN index on each kind's weighted vector, a pg_trgm index on each
substring field but the meeting's, whose vector takes the host's name from a join), so a search
reads the matching rows from the indexes rather than computing every row's vector; change a
definition's fields and the index there together (tests/committees/test_search_indexes.py fails
when they part). On other databases (SQLite in development) every field of the definition is
matched as a case-insensitive substring.

A list of records related to a kind (the liaisons with committees, with organizations) is searched
by its kind's definition through the relation (``register_related``)."""

import re

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

_registry = {}  # model -> SearchDefinition or RelatedSearch, in registration order


_TERMS = re.compile(r'"([^"]*)"|(\S+)')


def search_terms(text):
    """The words of ``text``, a phrase in double quotes kept as one: ``"TC 207/SC 2" plenary`` is
    ``["TC 207/SC 2", "plenary"]`` (as DRF's search filter read the API's ``search=``)."""
    terms = [quoted or word for quoted, word in _TERMS.findall(text)]
    return [term for term in (term.strip() for term in terms) if term] or [text]


def contains_text(fields, text, *, each_word=False):
    """``text`` is a substring (any case) of one of ``fields``; with ``each_word``, every word of it
    is (of one field or another), as the API's ``search=`` has always matched: ``jtc sc 42`` finds
    ISO/IEC JTC 1/SC 42. Double quotes, which mark a phrase, are not part of the text matched."""
    terms = search_terms(text) if each_word else [text.replace('"', "").strip() or text]
    condition = Q()
    for term in terms:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term})
        condition &= any_field
    return condition


class SearchDefinition:
    """What "search" covers for one kind of record. Subclass, set the attributes, register with
    ``@register``.

    ``kind`` and ``label`` name the kind in the site search (``kind`` None: not searched there);
    ``list_url`` is the URL name of the list page that filters the kind by ``?q=`` (None: no such
    list); ``results()`` is the queryset the site search shows (what its result template reads)."""

    model = None
    kind = None
    label = ""
    list_url = None
    exact = None  # the field whose exact (case-insensitive) match is ranked first
    contains = ()  # fields matched as substrings on every database
    weighted = {}  # {"A": [fields]}: full-text fields by weight (substring fields outside PostgreSQL)
    order = ()  # the order of results of equal rank

    def results(self):
        return self.model._default_manager.all()

    def substring_fields(self):
        """Every field the definition covers, each once: the portable search matches all of them."""
        fields = [*self.contains, *(field for fields in self.weighted.values() for field in fields)]
        return list(dict.fromkeys(fields))

    def postgres_terms(self, text):
        """The weighted document vector and the web-search query for ``text``."""
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = None
        for weight, fields in self.weighted.items():
            part = SearchVector(*fields, weight=weight, config="english")
            vector = part if vector is None else vector + part
        return vector, SearchQuery(text, search_type="websearch", config="english")

    def matches(self, queryset, text, *, each_word=False):
        """The records of ``queryset`` matching ``text``, in the queryset's own order. The pages
        match the text as one piece; the API (``each_word``) each word on its own."""
        if connection.vendor == "postgresql":
            vector, query = self.postgres_terms(text)
            contains = contains_text(self.contains, text, each_word=each_word)
            return queryset.alias(document=vector).filter(Q(document=query) | contains)
        return queryset.filter(contains_text(self.substring_fields(), text, each_word=each_word))

    def ranked(self, queryset, text):
        """The matching records, best first: on PostgreSQL an exact match of ``exact``, then by
        full-text rank; then in ``order``."""
        if connection.vendor != "postgresql":
            return self.matches(queryset, text).order_by(*self.order)
        from django.contrib.postgres.search import SearchRank

        vector, query = self.postgres_terms(text)
        exact = Case(
            When(**{f"{self.exact}__iexact": text}, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        return (
            self.matches(queryset, text)
            .annotate(rank=SearchRank(vector, query), exact=exact)
            .order_by("-exact", "-rank", *self.order)
        )


class RelatedSearch:
    """The search of records by a related kind's definition: a liaison with a committee matches
    when its committee does."""

    kind = None

    def __init__(self, model, path, target):
        self.model, self.path, self.target = model, path, target

    def matches(self, queryset, text, *, each_word=False):
        found = self.target.matches(self.target.model._default_manager.all(), text, each_word=each_word)
        return queryset.filter(**{f"{self.path}__in": found.values("pk")})


def register(definition_class):
    """Class decorator: register the definition of its model's kind (one per model)."""
    definition = definition_class()
    if definition.model in _registry:
        raise ValueError(f"{definition.model.__name__} already has a search definition.")
    _registry[definition.model] = definition
    return definition_class


def register_related(model, path, target_model):
    """Search ``model``'s records by the definition of ``target_model`` through ``path``
    (a relation to it, e.g. ``"liaison_committee"``)."""
    if model in _registry:
        raise ValueError(f"{model.__name__} already has a search definition.")
    _registry[model] = RelatedSearch(model, path, definition_for(target_model))


def definition_for(model):
    """The search definition of ``model``'s records; LookupError when none is registered."""
    try:
        return _registry[model]
    except KeyError:
        raise LookupError(f"No search is defined for {model.__name__}.") from None


def has_definition(model):
    return model in _registry


def site_definitions():
    """The definitions of the kinds the site search covers, in registration order (the apps'
    order in INSTALLED_APPS, then each app's)."""
    return [definition for definition in _registry.values() if definition.kind]


def matches(queryset, text, *, each_word=False):
    """The records of ``queryset`` matching ``text`` by its model's search definition."""
    return definition_for(queryset.model).matches(queryset, text, each_word=each_word)
