"""The ``?search=`` filter backend of every API list (``DEFAULT_FILTER_BACKENDS`` in settings)."""

from rest_framework import exceptions, filters


class NullSafeSearchFilter(filters.SearchFilter):
    """``?search=`` across the view's ``search_fields``; a null character is refused (400)."""

    def get_search_terms(self, request):
        text = request.query_params.get(self.search_param, "")
        if "\x00" in text:
            raise exceptions.ValidationError({self.search_param: ["Null characters are not allowed."]})
        return super().get_search_terms(request)
