"""Liaisons: committees exchanging documents with CASCO, organizations in liaison (categories
A, B, C), and organizations taking part in groups."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

from committees.models import Committee, Group, SourcedModel
from core.links import slug_url
from core.models import CopiesSortKeysMixin, SortKeyCopiedMixin
from core.references import natural_sort_key, slug_for


class Direction(models.TextChoices):
    """Which way documents flow, seen from the committee holding the liaison (CASCO).

    incoming: the liaison committee can access CASCO's documents ("Liaison Committees to ISO/CASCO");
    outgoing: CASCO can access the liaison committee's documents ("Liaison Committees from ISO/CASCO");
    both: the committee is on both lists."""

    INCOMING = "incoming", "Can access CASCO's documents"
    OUTGOING = "outgoing", "CASCO can access theirs"
    BOTH = "both", "Both directions"


# The liaison table's columns: the liaison committee's, and its parent's for the "Parent" link.
TABLE_COMMITTEE_FIELDS = ("slug", "reference", "title", "body")
TABLE_PARENT_FIELDS = ("slug", "reference")


class CommitteeLiaisonQuerySet(models.QuerySet):
    def incoming(self):
        """Committees that can access the holding committee's documents (includes both)."""
        return self.filter(direction__in=[Direction.INCOMING, Direction.BOTH])

    def outgoing(self):
        """Committees whose documents the holding committee can access (includes both)."""
        return self.filter(direction__in=[Direction.OUTGOING, Direction.BOTH])

    def both(self):
        return self.filter(direction=Direction.BOTH)

    def with_direction(self, direction):
        """Filter by incoming / outgoing / both as the API and pages name them."""
        return {
            Direction.INCOMING: self.incoming,
            Direction.OUTGOING: self.outgoing,
            Direction.BOTH: self.both,
        }[Direction(direction)]()

    def for_list(self):
        return self.select_related("committee", "liaison_committee__parent", "source")

    def for_table(self):
        """Reading only what the liaison table's rows (and its CSV export) show: the direction
        and the liaison committee's reference, title, body and parent. A page of 100 liaisons
        then builds 200 committees of five columns instead of 300 of twenty-five."""
        return self.select_related("liaison_committee__parent").only(
            "direction",
            "liaison_committee",
            *(f"liaison_committee__{name}" for name in TABLE_COMMITTEE_FIELDS),
            "liaison_committee__parent",
            *(f"liaison_committee__parent__{name}" for name in TABLE_PARENT_FIELDS),
        )

    def held_by(self, reference):
        """Liaisons held by the committee with this reference.

        The committee is looked up in a scalar subquery, not joined: PostgreSQL then knows the
        rows share one ``committee_id`` and, for a page sorted by the liaison committee, walks
        the committees' ``sort_key`` index and stops after a page, instead of sorting every
        liaison the committee holds (it estimated one row through the join on ``reference``)."""
        committee = Committee.objects.filter(reference=reference).values("pk")[:1]
        return self.filter(committee_id=Subquery(committee))

    def copy_sort_key_of(self, committee):
        """Copy ``committee``'s sort key onto the liaisons it holds and those it is in (its
        reference, and so its sort key, changed); returns how many rows changed.

        A queryset update: no history rows and no ``updated_at`` bump, as the liaison itself
        did not change."""
        key = committee.sort_key
        holding = self.filter(committee=committee).exclude(committee_sort_key=key)
        held = self.filter(liaison_committee=committee).exclude(liaison_committee_sort_key=key)
        return holding.update(committee_sort_key=key) + held.update(liaison_committee_sort_key=key)

    def direction_counts(self):
        """How many liaisons go each way, in one query: {"incoming", "outgoing", "both", "total"}.

        One count per direction, added up here: PostgreSQL groups the rows once, where four
        filtered counts tested every row four times."""
        per_direction = dict(self.order_by().values_list("direction").annotate(n=Count("pk")))
        both = per_direction.get(Direction.BOTH, 0)
        return {
            "incoming": per_direction.get(Direction.INCOMING, 0) + both,
            "outgoing": per_direction.get(Direction.OUTGOING, 0) + both,
            "both": both,
            "total": sum(per_direction.values()),
        }


class CommitteeLiaisonManager(models.Manager.from_queryset(CommitteeLiaisonQuerySet)):
    def get_by_natural_key(self, committee_reference, liaison_committee_reference):
        return self.get(
            committee__reference=committee_reference, liaison_committee__reference=liaison_committee_reference
        )


SORT_KEY_LENGTH = Committee._meta.get_field("sort_key").max_length


class CommitteeLiaison(CopiesSortKeysMixin, SourcedModel):
    """One liaison between two committees, with the direction(s) documents are shared in.

    ``committee_sort_key`` and ``liaison_committee_sort_key`` are copies of the two committees'
    sort keys, the model's order: a page of liaisons is then read from one index, where ordering
    by the joined committees made PostgreSQL join and sort every matching liaison for each page.
    ``save()`` copies them; ``Committee.save()`` updates them when a reference changes; a
    ``bulk_create`` must set them itself (a check constraint refuses a row without them)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="liaisons", help_text="The committee holding the liaison."
    )
    liaison_committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="liaisons_held_by")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    committee_sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False)
    liaison_committee_sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False)
    SORT_KEY_COPIES = {"committee": "committee_sort_key", "liaison_committee": "liaison_committee_sort_key"}

    objects = CommitteeLiaisonManager()
    history = HistoricalRecords()

    class Meta:
        # Two columns, not one concatenated key: how a concatenation compares would depend on
        # the separator and the database's collation. Two columns sort as the committees do.
        ordering = ["committee_sort_key", "liaison_committee_sort_key"]
        indexes = [
            models.Index(
                fields=["committee_sort_key", "liaison_committee_sort_key"], name="committeeliaison_sort_keys"
            ),
            # One committee's liaisons by direction (either way), then reference: the liaison
            # table's direction sorts.
            models.Index(
                fields=["committee", "direction", "liaison_committee_sort_key"], name="committeeliaison_direction"
            ),
            models.Index(
                fields=["committee", "-direction", "liaison_committee_sort_key"],
                name="liaison_direction_desc",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["committee", "liaison_committee"], name="committeeliaison_unique"),
            # A committee's sort key is never blank (its reference is not): a blank copy is a
            # write that bypassed save() (bulk_create) and would sort the row first.
            models.CheckConstraint(
                condition=~Q(committee_sort_key="") & ~Q(liaison_committee_sort_key=""),
                name="committeeliaison_sort_keys_set",
                violation_error_message="The committees' sort keys were not copied onto the liaison.",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="committeeliaison_direction_valid"
            ),
            models.CheckConstraint(
                condition=~Q(committee=F("liaison_committee")), name="committeeliaison_not_with_itself"
            ),
        ]

    def __str__(self):
        return f"{self.committee.reference} ↔ {self.liaison_committee.reference} ({self.direction})"

    def natural_key(self):
        return (self.committee.reference, self.liaison_committee.reference)

    natural_key.dependencies = ["committees.committee"]

    def get_absolute_url(self):
        return self.liaison_committee.get_absolute_url()

    @property
    def can_access_documents(self):
        """The liaison committee can access the holding committee's documents."""
        return self.direction in (Direction.INCOMING, Direction.BOTH)

    @property
    def documents_accessible(self):
        """The holding committee can access the liaison committee's documents."""
        return self.direction in (Direction.OUTGOING, Direction.BOTH)

    def clean(self):
        super().clean()
        if self.committee_id and self.committee_id == self.liaison_committee_id:
            raise ValidationError({"liaison_committee": "A committee cannot be in liaison with itself."})


class OrganizationQuerySet(models.QuerySet):
    def in_liaison(self):
        """Organizations holding at least one liaison (a semi-join: no duplicates, no DISTINCT)."""
        return self.filter(Exists(OrganizationLiaison.objects.filter(organization=OuterRef("pk"))))

    def for_list(self):
        return self.select_related("source").prefetch_related("liaisons__committee", "joint_groups")

    def for_detail(self):
        return self.for_list().prefetch_related("participations__group", "hosted_meetings")

    def named_without_liaison(self):
        """Organizations the sources name (as group partners, participants or meeting hosts)
        that hold no liaison."""
        return self.filter(liaisons__isnull=True)

    def for_others_list(self):
        return self.prefetch_related(
            Prefetch("participations", queryset=GroupParticipation.objects.select_related("group")),
            "hosted_meetings",
        )


class OrganizationManager(models.Manager.from_queryset(OrganizationQuerySet)):
    def get_by_natural_key(self, acronym):
        return self.get(acronym=acronym)


class Organization(SortKeyCopiedMixin, SourcedModel):
    """An organization outside ISO and IEC: one in liaison, a partner in a joint group, a meeting host."""

    acronym = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300, blank=True, help_text="Exactly as published; blank if not given.")
    description = models.CharField(max_length=300, blank=True, help_text="What the source says the body is.")
    country = models.CharField(max_length=100, blank=True)
    slug = models.SlugField(max_length=60, unique=True, editable=False)
    # sort_key_length() of the acronym's 40 characters: every acronym's key fits.
    sort_key = models.CharField(max_length=120, editable=False, db_index=True)

    DERIVED_FROM = {"slug": "acronym", "sort_key": "acronym"}

    # Its short form embedded in other API records: these, then url and api_url (core.api.serializers.ref_serializer).
    api_ref_fields = ("id", "acronym", "slug", "name")

    objects = OrganizationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(condition=~Q(acronym=""), name="organization_acronym_not_blank"),
        ]

    def __str__(self):
        return self.acronym if not self.name or self.name == self.acronym else f"{self.acronym} — {self.name}"

    def natural_key(self):
        return (self.acronym,)

    def get_absolute_url(self):
        return slug_url("liaisons:organization-detail", self.slug)

    def _derive_keys(self):
        self.slug = slug_for(self.acronym or "")
        self.sort_key = natural_sort_key(self.acronym or "")

    def clean(self):
        super().clean()
        self.acronym = (self.acronym or "").strip()
        self._derive_keys()
        if not self.slug:
            raise ValidationError({"acronym": "An acronym needs at least one letter or digit."})
        clash = Organization.objects.filter(slug=self.slug).exclude(pk=self.pk).exclude(acronym=self.acronym).first()
        if clash:
            raise ValidationError({"acronym": f"“{self.acronym}” gives the same address as “{clash.acronym}”."})

    def save(self, *args, **kwargs):
        self._derive_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "slug", "sort_key"}
        super().save(*args, **kwargs)

    def _update_sort_key_copies(self, using):
        """The copies of the sort key on the organization's liaisons (OrganizationLiaison's
        ordering): a queryset update, no history rows, as the liaisons themselves did not change."""
        OrganizationLiaison.objects.using(using).filter(organization=self).exclude(
            organization_sort_key=self.sort_key
        ).update(organization_sort_key=self.sort_key)


class Category(models.TextChoices):
    A = "A", "Category A"
    B = "B", "Category B"
    C = "C", "Category C"


class OrganizationLiaisonQuerySet(models.QuerySet):
    def of_category(self, category):
        return self.filter(category=category)

    def for_list(self):
        return self.select_related("organization", "committee", "source")

    def for_table(self):
        """Reading only what the organization list (and its CSV export) shows of each liaison:
        its category, the organization's acronym, name and address, the committee's reference.
        A deep page, which PostgreSQL sorts rather than walking the index to its offset, then
        sorts narrow rows."""
        return self.select_related("organization", "committee").only(
            "category",
            "organization_sort_key",
            "organization",
            "organization__slug",
            "organization__acronym",
            "organization__name",
            "committee",
            "committee__reference",
        )

    def category_totals(self):
        """{"A": 23, "B": 0, "C": 2, "organizations": 25}: liaisons per category and the
        organizations holding them, in one query."""
        counts = {code: Count("pk", filter=Q(category=code)) for code in Category.values}
        return self.order_by().aggregate(**counts, organizations=Count("organization", distinct=True))


class OrganizationLiaisonManager(models.Manager.from_queryset(OrganizationLiaisonQuerySet)):
    def get_by_natural_key(self, acronym, committee_reference):
        return self.get(organization__acronym=acronym, committee__reference=committee_reference)


class OrganizationLiaison(CopiesSortKeysMixin, SourcedModel):
    """An organization in liaison with a committee, in category A, B or C.

    ``organization_sort_key`` is a copy of the organization's sort key, for the model's order
    (category, then organization): a page of the organization list is then read from one index,
    where ordering by the joined organizations made PostgreSQL join and sort every liaison for
    each page. ``save()`` copies it; ``Organization.save()`` updates it when the acronym changes;
    a ``bulk_create`` must set it itself (a check constraint refuses a row without it)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="liaisons")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="organization_liaisons")
    category = models.CharField(max_length=1, choices=Category.choices)
    organization_sort_key = models.CharField(
        max_length=Organization._meta.get_field("sort_key").max_length, editable=False
    )
    SORT_KEY_COPIES = {"organization": "organization_sort_key"}

    objects = OrganizationLiaisonManager()
    history = HistoricalRecords()

    class Meta:
        # The id last: an organization in liaison with two committees in one category has two
        # rows that would otherwise tie, and a tie may fall either side of a page break.
        ordering = ["category", "organization_sort_key", "id"]
        indexes = [
            models.Index(fields=["category", "organization_sort_key", "id"], name="organizationliaison_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "committee"], name="organizationliaison_unique"),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="organizationliaison_category_valid"
            ),
            # An organization's sort key is never blank (its acronym is not): a blank copy is a
            # write that bypassed save() (bulk_create) and would sort the row first.
            models.CheckConstraint(
                condition=~Q(organization_sort_key=""),
                name="organizationliaison_sort_key_set",
                violation_error_message="The organization's sort key was not copied onto the liaison.",
            ),
        ]

    def __str__(self):
        return f"{self.organization.acronym} — {self.committee.reference} (category {self.category})"

    def natural_key(self):
        return (self.organization.acronym, self.committee.reference)

    natural_key.dependencies = ["liaisons.organization", "committees.committee"]

    def get_absolute_url(self):
        return self.organization.get_absolute_url()


class CategoryNoteManager(models.Manager):
    def get_by_natural_key(self, committee_reference, category):
        return self.get(committee__reference=committee_reference, category=category)


class CategoryNote(SourcedModel):
    """What a committee's page says about a liaison category
    (e.g. "C liaisons participate at the level of a Working Group")."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="category_notes")
    category = models.CharField(max_length=1, choices=Category.choices)
    text = models.TextField()

    objects = CategoryNoteManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee__sort_key", "category"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "category"], name="categorynote_unique"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="categorynote_category_valid"),
        ]

    def __str__(self):
        return f"{self.committee.reference} category {self.category}: {self.text}"

    def natural_key(self):
        return (self.committee.reference, self.category)

    natural_key.dependencies = ["committees.committee"]

    def get_absolute_url(self):
        return reverse("liaisons:organization-list")


class GroupParticipationManager(models.Manager):
    def get_by_natural_key(self, acronym, group_reference):
        return self.get(organization__acronym=acronym, group__reference=group_reference)


class GroupParticipation(SourcedModel):
    """An organization takes part in a group (e.g. IIOA in CASCO's CPC and STAR)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="participations")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="participations")
    name_in_source = models.CharField(
        max_length=300, blank=True, help_text="How the source names the group, where it differs from its title."
    )
    purpose = models.TextField(blank=True, help_text="Why the organization takes part, as published.")

    objects = GroupParticipationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__sort_key", "group__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "group"], name="groupparticipation_unique"),
        ]

    def __str__(self):
        return f"{self.organization.acronym} in {self.group.reference}"

    def natural_key(self):
        return (self.organization.acronym, self.group.reference)

    natural_key.dependencies = ["liaisons.organization", "committees.group"]

    def get_absolute_url(self):
        return self.group.get_absolute_url()
