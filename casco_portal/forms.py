"""The site-wide search form (the header's search box and the search page)."""

from django import forms

from core.views import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the portal",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
