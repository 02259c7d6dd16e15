"""One search across every kind of record: committees, groups, standards, organizations and
meetings, by reference, title, acronym and name.

On PostgreSQL titles, names and descriptions are matched with full-text search (English
stemming, ``websearch`` syntax, so any text the user types is a valid query) and ranked with
``SearchRank``; references and acronyms are also matched as substrings, because the text-search
parser splits "ISO/TC 207/SC 2" into odd tokens. Migration committees 0005 indexes exactly
these expressions (a GIN index on each kind's weighted vector, a pg_trgm index on each
substring field but the meeting's, whose vector takes the host's name from a join), so a search
reads the matching rows from the indexes rather than computing every row's vector; change a
vector here and the index there together (tests/committees/test_search_indexes.py fails when
they part). On other databases (SQLite in development) each model's ``search()`` QuerySet
method does a case-insensitive substring match.

``portal_search(text)`` returns ``{kind: [records]}`` in the order of ``SEARCH_KINDS``;
``portal_search_with_totals(text)`` also says how many match of each kind, for the search page.
(The API's ``?search=`` is DRF's SearchFilter over each resource's own fields.)"""

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from committees.models import Committee, Group, Standard
from liaisons.models import Organization
from meetings.models import Meeting

SEARCH_KINDS = {
    "committees": "Committees",
    "groups": "Groups",
    "standards": "Standards",
    "organizations": "Organizations",
    "meetings": "Meetings",
}
RESULTS_PER_KIND = 50


def _base_querysets():
    return {
        "committees": Committee.objects.for_list(),
        "groups": Group.objects.select_related("committee"),
        "standards": Standard.objects.all(),
        "organizations": Organization.objects.all(),
        "meetings": Meeting.objects.for_list(),
    }


# For each kind: the exact-match field (ranked first), substring fields, and full-text fields
# with their weights (A counts most).
_FIELDS = {
    "committees": ("reference", ["reference"], {"A": ["title"]}),
    "groups": ("reference", ["reference"], {"A": ["title"], "C": ["description"]}),
    "standards": ("reference", ["reference", "abbreviation"], {"A": ["title"]}),
    "organizations": ("acronym", ["acronym"], {"A": ["name"], "C": ["description", "country"]}),
    "meetings": (
        "title",
        ["host__acronym", "title"],
        {"A": ["title"], "B": ["host__name", "country"], "C": ["description"]},
    ),
}
_ORDER = {
    "committees": ["sort_key"],
    "groups": ["sort_key"],
    "standards": ["sort_key"],
    "organizations": ["sort_key"],
    "meetings": ["-year", "title"],
}


def _postgres_terms(kind, text):
    """The kind's weighted document vector and the web-search query for ``text``."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vector = None
    for weight, fields in _FIELDS[kind][2].items():
        part = SearchVector(*fields, weight=weight, config="english")
        vector = part if vector is None else vector + part
    return vector, SearchQuery(text, search_type="websearch", config="english")


def _postgres_matches(kind, queryset, text):
    """The records of ``queryset`` matching ``text``: the full-text query or a substring."""
    vector, query = _postgres_terms(kind, text)
    contains = Q()
    for field in _FIELDS[kind][1]:
        contains |= Q(**{f"{field}__icontains": text})
    return queryset.alias(document=vector).filter(Q(document=query) | contains)


def _postgres_search(kind, queryset, text):
    from django.contrib.postgres.search import SearchRank

    vector, query = _postgres_terms(kind, text)
    exact_field = _FIELDS[kind][0]
    return (
        _postgres_matches(kind, queryset, text)
        .annotate(
            rank=SearchRank(vector, query),
            exact=Case(
                When(**{f"{exact_field}__iexact": text}, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .order_by("-exact", "-rank", *_ORDER[kind])
    )


def _portable_matches(kind, queryset, text):
    return queryset.search(text)


def _portable_search(kind, queryset, text):
    return _portable_matches(kind, queryset, text).order_by(*_ORDER[kind])


def portal_search_with_totals(text, *, limit=RESULTS_PER_KIND):
    """``(results, totals)``: the best ``limit`` records of every kind matching ``text``, as
    ``{kind: [records]}`` in the order of ``SEARCH_KINDS``, and ``{kind: how many match}``.

    Blank text gives empty lists. One query per kind, and one COUNT more for each kind with more
    than ``limit`` matches (a page showing 50 of them says of how many)."""
    text = (text or "").strip()
    results = {kind: [] for kind in SEARCH_KINDS}
    totals = dict.fromkeys(SEARCH_KINDS, 0)
    if not text or "\x00" in text:
        return results, totals
    postgres = connection.vendor == "postgresql"
    search = _postgres_search if postgres else _portable_search
    matches = _postgres_matches if postgres else _portable_matches
    for kind, queryset in _base_querysets().items():
        records = list(search(kind, queryset, text)[: limit + 1])
        # More than are shown: count them (matching only, not ranked).
        totals[kind] = matches(kind, queryset, text).count() if len(records) > limit else len(records)
        results[kind] = records[:limit]
    return results, totals


def portal_search(text, *, limit=RESULTS_PER_KIND):
    """Records of every kind matching ``text``, best first, at most ``limit`` per kind."""
    return portal_search_with_totals(text, limit=limit)[0]
