"""What every browsing page shares: breadcrumbs, the "source" note, the staff link to the admin,
filters that answer bad input with a 400 page (never a 500), canonical slug redirects and
CSV export of a list with the same filters applied."""

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView

from core.csv_export import write_csv
from core.links import view_url
from core.references import slug_for

# A search or filter text longer than this is refused with a form error (400), not run.
MAX_QUERY_LENGTH = 100


def sources_of(model, *querysets):
    """The source pages the given records of ``model`` were imported from, in one query.

    Each argument is a queryset of source ids (``values_list("source", flat=True)``), used as a
    subquery, or any iterable of source ids. The source page model is read from ``model``'s
    ``source`` field, so this module names no domain app."""
    source_page = model._meta.get_field("source").related_model
    condition = Q(pk__in=[])
    for ids in querysets:
        if isinstance(ids, QuerySet):
            condition |= Q(pk__in=ids)
        else:
            condition |= Q(pk__in={pk for pk in ids if pk is not None})
    return list(source_page._default_manager.filter(condition).order_by("kind", "file_name"))


def admin_change_url(user, obj):
    """The admin change page for ``obj`` if the user is staff with change permission and the
    model is registered with the admin; otherwise None."""
    if obj is None or not getattr(user, "is_staff", False):
        return None
    meta = obj._meta
    if not user.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
        return None
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


class PortalPageMixin:
    """Context every page template reads: ``breadcrumbs`` (label, url) pairs ending with the
    current page (url None), ``sources`` and ``admin_url``."""

    def get_breadcrumbs(self):
        return []

    def get_sources(self):
        obj = getattr(self, "object", None)
        source = getattr(obj, "source", None)
        return [source] if source else []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [("Home", view_url("home")), *self.get_breadcrumbs()]
        context["sources"] = self.get_sources()
        context["admin_url"] = admin_change_url(self.request.user, getattr(self, "object", None))
        return context


class PortalDetailView(PortalPageMixin, DetailView):
    """A detail page found by slug; a slug typed in another case or spelling
    (``ISO-TC-207``) redirects permanently to the canonical one."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            slug = kwargs.get(self.slug_url_kwarg, "")
            canonical = slug_for(slug)
            if canonical and canonical != slug:
                obj = self.get_queryset().filter(**{self.slug_field: canonical}).first()
                if obj is not None:
                    return HttpResponsePermanentRedirect(obj.get_absolute_url())
            raise


def redirect_to_slug(queryset):
    """A view redirecting a reference typed as published (``/committees/ISO/TC 207/SC 2``)
    permanently to the record's slug address; 404 when no record has that slug."""

    def view(request, reference):
        slug = slug_for(reference)
        if not slug:
            raise Http404("No such record.")
        obj = get_object_or_404(queryset.only("pk", "slug"), slug=slug)
        return HttpResponsePermanentRedirect(obj.get_absolute_url())

    return view


class CountedPaginator(Paginator):
    """A paginator told its count, which the page has already worked out, instead of asking."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


class FilteredListView(PortalPageMixin, ListView):
    """A list page filtered by its list's FilterSet (``filterset_class``, core/filters.py), whose
    ``for_page()`` form the page shows.

    The form validates the query string: an unknown choice, an over-long or otherwise bad
    value shows the page with the form's messages and status 400, with no rows. With
    ``?format=csv`` the same filtered rows are downloaded as CSV (``csv_columns``)."""

    filterset_class = None
    csv_columns = ()  # (header, function of a row)
    csv_name = "export"
    paginate_by = 100

    def get(self, request, *args, **kwargs):
        # Bound even without a query, so a filter with a default (a page's sort) applies it.
        self.filterset = self.filterset_class.for_page()(request.GET, request=request)
        self.form = self.filterset.form
        self.form_valid = self.form.is_valid()
        wants_csv = request.GET.get("format") == "csv"
        if wants_csv:
            if not self.form_valid:
                errors = self.filterset.page_errors()
                return HttpResponse(f"Bad filter: {errors}\n", status=400, content_type="text/plain; charset=utf-8")
            return self.render_csv(self.get_queryset())
        response = super().get(request, *args, **kwargs)
        if not self.form_valid:
            response.status_code = 400
        return response

    def filters(self):
        return self.form.cleaned_data if self.form_valid else {}

    def get_queryset(self):
        queryset = self.get_base_queryset()
        if not self.form_valid:
            return queryset.none()
        return self.filter_queryset(queryset)

    def get_base_queryset(self):
        raise NotImplementedError

    def filter_queryset(self, queryset):
        return self.filterset.filter_queryset(queryset)

    def get_sources(self):
        queryset = self.get_base_queryset()
        return sources_of(queryset.model, queryset.order_by().values_list("source", flat=True).distinct())

    def query_without(self, *names):
        """The request's query string without the given parameters."""
        query = self.request.GET.copy()
        for name in names:
            query.pop(name, None)
        return query.urlencode()

    def csv_query_string(self):
        query = self.request.GET.copy()
        query.pop("page", None)
        query["format"] = "csv"
        return query.urlencode()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = context.get("paginator")
        context.update(
            total=paginator.count if paginator else len(context["object_list"]),
            form=self.form,
            form_valid=self.form_valid,
            csv_url=f"?{self.csv_query_string()}",
            page_query=self.query_without("page"),
            filtered=bool(self.filters() and any(self.filters().values())),
        )
        return context

    def render_csv(self, rows):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        suffix = "-".join(slug_for(str(v)) for v in self.filters().values() if v)
        name = f"{self.csv_name}-{suffix}" if suffix else self.csv_name
        response["Content-Disposition"] = f'attachment; filename="{name[:80]}.csv"'
        write_csv(
            response,
            [header for header, _ in self.csv_columns],
            ([value(row) for _, value in self.csv_columns] for row in rows),
        )
        return response
