"""The site-wide search (the search page): every kind of record the apps registered a search
definition for (their ``search.py``, read through ``core.search``), best first, grouped by kind."""

from core.search import site_definitions

RESULTS_PER_KIND = 50


def portal_search_with_totals(text, *, limit=RESULTS_PER_KIND):
    """``(results, totals)``: the best ``limit`` records of every kind matching ``text``, as
    ``{kind: [records]}`` in the order the kinds were registered, and ``{kind: how many match}``.

    Blank text gives empty lists. One query per kind, and one COUNT more for each kind with more
    than ``limit`` matches (a page showing 50 of them says of how many)."""
    text = (text or "").strip()
    definitions = site_definitions()
    results = {definition.kind: [] for definition in definitions}
    totals = dict.fromkeys(results, 0)
    if not text or "\x00" in text:
        return results, totals
    for definition in definitions:
        queryset = definition.results()
        records = list(definition.ranked(queryset, text)[: limit + 1])
        # More than are shown: count them (matching only, not ranked).
        total = definition.matches(queryset, text).count() if len(records) > limit else len(records)
        results[definition.kind], totals[definition.kind] = records[:limit], total
    return results, totals
