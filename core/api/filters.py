"""The ``?search=`` filter backend of every API list (``DEFAULT_FILTER_BACKENDS`` in settings)."""

from django.template import loader
from rest_framework import exceptions, filters

from core import search


class SearchBackend(filters.SearchFilter):
    """The API's ``?search=``: the records the search definition of the list's model finds for the
    text (``core/search.py``), over the same fields as the site search and the list page's ``?q=``,
    each word matched on its own as DRF's SearchFilter matched it (the API is public). A null
    character is refused (400). Documented in the schema as DRF's SearchFilter documents it."""

    def get_search_terms(self, request):
        text = request.query_params.get(self.search_param, "")
        if "\x00" in text:
            raise exceptions.ValidationError({self.search_param: ["Null characters are not allowed."]})
        return text.strip()

    def filter_queryset(self, request, queryset, view):
        text = self.get_search_terms(request)
        if not text or not search.has_definition(queryset.model):
            return queryset
        return search.matches(queryset, text, each_word=True)

    def to_html(self, request, queryset, view):
        if queryset is None or not search.has_definition(queryset.model):
            return ""
        context = {"param": self.search_param, "term": request.query_params.get(self.search_param, "")}
        return loader.get_template(self.template).render(context)
