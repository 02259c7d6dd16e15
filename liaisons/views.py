"""Browsing pages for CASCO's liaison committees and the organizations in liaison."""

from django.core.paginator import Paginator
from django.db.models import Prefetch

from committees.models import CASCO_REFERENCE, Group
from core.links import view_url
from core.search import matches
from core.views import CountedPaginator, FilteredListView, PortalDetailView, sources_of
from liaisons.filters import DIRECTION_FILTER_LABELS, CommitteeLiaisonFilter, OrganizationLiaisonFilter
from liaisons.models import Category, CategoryNote, CommitteeLiaison, Organization, OrganizationLiaison
from meetings.models import Meeting

# What each category means, from the ISO/IEC Directives, Part 1 (clause 1.17), which every ISO
# committee follows; the committee page itself only notes category C (see CategoryNote).
CATEGORY_MEANINGS = {
    "A": "Organizations that make an effective contribution to the work of the committee on the "
    "questions it deals with. They receive the committee's documents and may take part in its meetings.",
    "B": "Organizations that have asked to be kept informed of the committee's work. They receive its reports.",
    "C": "Organizations that make a technical contribution to, and take an active part in, "
    "the work of a working group.",
}
CATEGORY_MEANINGS_SOURCE = "ISO/IEC Directives, Part 1 (liaison categories)"


class LiaisonListView(FilteredListView):
    """One table of the committees in liaison with CASCO, a column per direction."""

    template_name = "liaisons/committeeliaison_list.html"
    filterset_class = CommitteeLiaisonFilter
    csv_name = "liaison-committees"
    csv_columns = (
        ("reference", lambda liaison: liaison.liaison_committee.reference),
        ("title", lambda liaison: liaison.liaison_committee.title),
        ("body", lambda liaison: liaison.liaison_committee.body),
        ("parent", lambda liaison: getattr(liaison.liaison_committee.parent, "reference", "")),
        ("can access CASCO's documents", lambda liaison: "yes" if liaison.can_access_documents else "no"),
        ("CASCO can access theirs", lambda liaison: "yes" if liaison.documents_accessible else "no"),
    )
    columns = (
        ("reference", "Committee"),
        ("title", "Title"),
        ("body", "Body"),
        ("direction", "Direction"),
    )

    def get_base_queryset(self):
        return CommitteeLiaison.objects.held_by(CASCO_REFERENCE).for_table()

    def get_breadcrumbs(self):
        return [("Liaison committees", None)]

    def sort_links(self):
        """Column headers: a link sorting by the column (toggling on the current one) and its aria-sort."""
        current = self.filters().get("sort") or "reference"
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        links = []
        for key, label in self.columns:
            ascending = current == key
            descending = current == f"-{key}"
            query["sort"] = f"-{key}" if ascending else key
            links.append(
                {
                    "key": key,
                    "label": label,
                    "url": f"?{query.urlencode()}",
                    "aria_sort": "ascending" if ascending else "descending" if descending else None,
                }
            )
        return links

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = CommitteeLiaison.objects.held_by(CASCO_REFERENCE).direction_counts()
        context.update(
            counts=counts,
            direction_choices=[
                {"value": value, "label": label, "count": counts[value]}
                for value, label in DIRECTION_FILTER_LABELS.items()
            ],
            sort_links=self.sort_links() if self.form_valid else [],
        )
        return context


class OrganizationListView(FilteredListView):
    """Organizations in liaison, by category, with what each category means.

    The liaisons are paginated in category order (100 to a page); each category's heading counts
    all its liaisons matching the filters, and a category continued on another page links there.
    The organizations named without a liaison follow on the last page, paginated on their own
    (``?others=``) when there are more than a page of them."""

    template_name = "liaisons/organization_list.html"
    filterset_class = OrganizationLiaisonFilter
    csv_name = "organizations"
    csv_columns = (
        ("acronym", lambda liaison: liaison.organization.acronym),
        ("name", lambda liaison: liaison.organization.name),
        ("category", lambda liaison: liaison.category),
        ("committee", lambda liaison: liaison.committee.reference),
    )

    def get_base_queryset(self):
        return OrganizationLiaison.objects.for_table()  # the model's order: category, organization

    def get_breadcrumbs(self):
        return [("Organizations", None)]

    def get_paginator(self, queryset, per_page, **kwargs):
        """The category totals (one query, needed for the headings) also count the liaisons:
        every liaison is in one of the categories (a check constraint), so their sum is the count
        the paginator would otherwise query for."""
        self.totals = queryset.category_totals() if self.form_valid else {}
        count = sum(self.totals.get(code, 0) for code in Category.values)
        return CountedPaginator(queryset, per_page, count=count, **kwargs)

    def get_sources(self):
        """The liaisons' page and, for the other organizations named, the pages naming them."""
        return sources_of(
            OrganizationLiaison,
            self.get_base_queryset().order_by().values_list("source", flat=True).distinct(),
            Organization.objects.order_by().values_list("source", flat=True).distinct(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters()
        totals = self.totals
        notes = {note.category: note for note in CategoryNote.objects.filter(committee__reference=CASCO_REFERENCE)}
        rows = list(context["object_list"])
        page_obj = context["page_obj"]
        per_page = self.get_paginate_by(self.object_list)
        categories, before = [], 0
        for code, meaning in CATEGORY_MEANINGS.items():
            count = totals.get(code, 0)
            if not filters.get("category") or filters["category"] == code:
                on_page = [row for row in rows if row.category == code]
                first_page = before // per_page + 1
                categories.append(
                    {
                        "code": code,
                        "meaning": meaning,
                        "note": notes.get(code),
                        "count": count,
                        "liaisons": on_page,
                        "elsewhere_page": first_page if count and not on_page else None,
                    }
                )
            before += count
        others_page = None
        if self.form_valid and not filters.get("category") and not page_obj.has_next():
            others = Organization.objects.named_without_liaison().for_others_list()
            if filters.get("q"):
                others = matches(others, filters["q"])
            others_page = Paginator(others, per_page).get_page(self.request.GET.get("others"))
        context.update(
            categories=categories,
            others=list(others_page) if others_page else [],
            others_page=others_page if others_page and others_page.paginator.num_pages > 1 else None,
            others_query=self.query_without("others"),
            meanings_source=CATEGORY_MEANINGS_SOURCE,
            in_liaison_count=totals.get("organizations", 0),
        )
        return context


class OrganizationDetailView(PortalDetailView):
    template_name = "liaisons/organization_detail.html"

    def get_queryset(self):
        return Organization.objects.select_related("source").prefetch_related(
            Prefetch("liaisons", queryset=OrganizationLiaison.objects.select_related("committee")),
            Prefetch("joint_groups", queryset=Group.objects.select_related("committee")),
            "participations__group",
            Prefetch("hosted_meetings", queryset=Meeting.objects.select_related("committee")),
        )

    def get_breadcrumbs(self):
        return [("Organizations", view_url("liaisons:organization-list")), (self.object.acronym, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        liaisons = list(self.object.liaisons.all())
        notes = {
            (note.committee_id, note.category): note
            for note in CategoryNote.objects.filter(committee__in=[liaison.committee_id for liaison in liaisons])
        }
        for liaison in liaisons:
            liaison.meaning = CATEGORY_MEANINGS.get(liaison.category, "")
            liaison.note = notes.get((liaison.committee_id, liaison.category))
        context.update(liaisons=liaisons, meanings_source=CATEGORY_MEANINGS_SOURCE)
        return context
