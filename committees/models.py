"""Committees, their groups and the standards the groups work on, with the provenance of
every imported record (which source page it came from and when)."""

from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from simple_history.models import HistoricalRecords

from core.links import slug_url
from core.models import LengthCheckedModel, SortKeyCopiedMixin, control_character_error
from core.references import (
    COMMITTEE_REFERENCE_PATTERN,
    GROUP_REFERENCE_PATTERN,
    NUMBERED_COMMITTEE_KINDS,
    PARENT_COMMITTEE_KINDS,
    STANDARD_REFERENCE_PATTERN,
    body_of,
    committee_kinds_for,
    natural_sort_key,
    parent_reference,
    slug_for,
)

# Upper bound of a committee's member and standards counts. ISO has about 170 national members and
# about 25,000 published standards in all, so no committee's count comes near 100,000; the bound is
# far inside PostgreSQL's integer (2,147,483,647). Without it SQLite stored any 64-bit number while
# PostgreSQL refused values past its integer range, so the two databases disagreed.
COUNT_MAX = 100_000
# Upper bound of a term of reference's position: a committee has a dozen terms at most, and 1,000
# stays inside PostgreSQL's smallint (32,767), which SQLite does not enforce.
TERM_POSITION_MAX = 1_000

committee_reference_validator = RegexValidator(
    rf"^{COMMITTEE_REFERENCE_PATTERN}$",
    "Enter a committee reference such as “ISO/TC 207”, “ISO/TC 207/SC 2”, “ISO/IEC JTC 1/SC 27” or “ISO/CASCO”.",
)
group_reference_validator = RegexValidator(
    rf"^{GROUP_REFERENCE_PATTERN}$",
    "Enter a group reference such as “ISO/CASCO/WG 30” or “ISO/TC 207/SC 2/JWG 1”.",
)
standard_reference_validator = RegexValidator(
    rf"^{STANDARD_REFERENCE_PATTERN}$",
    "Enter a standard reference such as “ISO/IEC 17021-15” or “ISO/TS 17012”.",
)


class SourcePageKind(models.TextChoices):
    COMMITTEE_PAGE = "committee_page", "Committee page"
    ANNOUNCEMENT = "announcement", "News announcement"
    SYNTHETIC = "synthetic", "Synthetic data (benchmarks and tests)"


class SourcePageManager(models.Manager):
    def get_by_natural_key(self, file_name):
        return self.get(file_name=file_name)


class SourcePage(LengthCheckedModel):
    """A published page the portal's data was imported from (a copy lives in fixtures/sources/)."""

    file_name = models.CharField(max_length=200, unique=True, help_text="File in fixtures/sources/.")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=SourcePageKind.choices)
    published_on = models.DateField(null=True, blank=True, help_text="Date the page gives, if any.")
    sha256 = models.CharField("SHA-256 of the imported text", max_length=64)
    imported_at = models.DateTimeField()

    objects = SourcePageManager()

    class Meta:
        ordering = ["file_name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourcePageKind.values), name="sourcepage_kind_valid"),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.file_name,)


class SourcedModel(LengthCheckedModel):
    """Provenance for imported records: the page a record came from and when it was imported.

    Records the secretariat adds by hand have no source page."""

    source = models.ForeignKey(SourcePage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """Django's field checks, then no control character in any text field."""
        try:
            super().clean_fields(exclude)
            errors = {}
        except ValidationError as exc:
            errors = exc.error_dict
        for field in self._meta.concrete_fields:
            if field.name in errors or (exclude and field.name in exclude):
                continue
            if error := control_character_error(field, getattr(self, field.attname)):
                errors[field.name] = [error]
        if errors:
            raise ValidationError(errors)

    def _get_FIELD_display(self, field):
        """What ``get_<field>_display()`` answers, as Django's own method does, but with each
        field's labels built once: Django rebuilds the label dict from the choices on every call,
        and a list page of 100 rows calls it hundreds of times (docs/benchmarks.md, "Figures
        behind the code")."""
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


@cache
def _choice_labels(field):
    return dict(make_hashable(field.flatchoices))


class ReferencedModel(SourcedModel):
    """A record known by a published reference; its slug and sort key follow from it."""

    slug = models.SlugField(max_length=120, unique=True, editable=False)
    # At least sort_key_length() of the longest reference (80 characters, a group's): the key of
    # any valid reference fits (tests/committees/test_lengths.py checks every model).
    sort_key = models.CharField(max_length=250, editable=False, db_index=True)

    DERIVED_FROM = {"slug": "reference", "sort_key": "reference"}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._derive_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "slug", "sort_key"}
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.reference,)

    def _derive_keys(self):
        self.slug = slug_for(self.reference or "")
        self.sort_key = natural_sort_key(self.reference or "")

    def clean(self):
        super().clean()
        self._derive_keys()
        # An exact duplicate is left to the unique check ("... already exists").
        clash = type(self)._default_manager.filter(slug=self.slug).exclude(pk=self.pk).exclude(reference=self.reference)
        if self.reference and clash.exists():
            raise ValidationError(
                {"reference": f"“{self.reference}” gives the same address as “{clash.first().reference}”."}
            )


class ReferenceManagerMixin:
    def get_by_natural_key(self, reference):
        return self.get(reference=reference)


class Body(models.TextChoices):
    ISO = "ISO", "ISO"
    IEC = "IEC", "IEC"
    ISO_IEC = "ISO/IEC", "ISO/IEC"


class CommitteeKind(models.TextChoices):
    POLICY_COMMITTEE = "policy_committee", "Policy committee"
    BOARD = "board", "Board"
    TECHNICAL_COMMITTEE = "technical_committee", "Technical committee"
    SUBCOMMITTEE = "subcommittee", "Subcommittee"
    PROJECT_COMMITTEE = "project_committee", "Project committee"
    JOINT_TECHNICAL_COMMITTEE = "joint_technical_committee", "Joint technical committee"


CASCO_REFERENCE = "ISO/CASCO"
# How far up the parent chain validation looks for a cycle: real chains are two committees long
# (a subcommittee and its technical committee).
MAX_PARENT_DEPTH = 50


def kind_matches_reference():
    """The condition of ``committee_kind_matches_reference``: a numbered reference's kind is the
    one its end names (``/SC 2`` a subcommittee, ``ISO/IEC JTC 1`` a joint technical committee,
    ``/TC 207`` a technical one, ``/PC 250`` a project one) and only such a reference has that
    kind, so a named one (``ISO/CASCO``) is a policy committee or a board."""
    condition = Q()
    for kind, pattern in NUMBERED_COMMITTEE_KINDS.items():
        has_kind, has_pattern = Q(kind=kind), Q(reference__regex=pattern)
        condition &= (has_kind & has_pattern) | (~has_kind & ~has_pattern)
    return condition


class CommitteeQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("parent", "source")

    def for_detail(self):
        return self.select_related("parent", "source").prefetch_related("subcommittees", "terms_of_reference")


class CommitteeManager(ReferenceManagerMixin, models.Manager.from_queryset(CommitteeQuerySet)):
    pass


class Committee(SortKeyCopiedMixin, ReferencedModel):
    """An ISO, IEC or joint ISO/IEC committee: CASCO itself, the committees in liaison with it,
    and the parents of subcommittees (created from their reference when nothing else is known)."""

    reference = models.CharField(max_length=60, unique=True, validators=[committee_reference_validator])
    title = models.CharField(max_length=300, blank=True)
    body = models.CharField(max_length=7, choices=Body.choices)
    kind = models.CharField(max_length=30, choices=CommitteeKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="subcommittees")
    summary = models.TextField(blank=True, help_text="What the committee works on, as published.")
    membership_rules = models.TextField(blank=True)
    # Counts stop at COUNT_MAX on every database (see its comment), so SQLite and PostgreSQL accept
    # and refuse the same values with the same message.
    participating_members = models.PositiveIntegerField(
        "participating (P) members", null=True, blank=True, validators=[MaxValueValidator(COUNT_MAX)]
    )
    observing_members = models.PositiveIntegerField(
        "observing (O) members", null=True, blank=True, validators=[MaxValueValidator(COUNT_MAX)]
    )
    published_standards = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(COUNT_MAX)])
    standards_under_development = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(COUNT_MAX)]
    )
    standards_count_note = models.CharField(
        max_length=200, blank=True, help_text="Note on the standards counts, e.g. “number includes updates”."
    )

    # Its short form embedded in other API records: these, then url and api_url (core.api.serializers.ref_serializer).
    api_ref_fields = ("id", "reference", "slug", "title")

    objects = CommitteeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_key"]
        # The liaison table sorted by its committees' title or body reads a page from these
        # (then each committee's liaison with CASCO by its index) instead of sorting every row.
        indexes = [
            models.Index(fields=["title", "sort_key"], name="committee_title_sort"),
            models.Index(fields=["body", "sort_key"], name="committee_body_sort"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference__regex=rf"^{COMMITTEE_REFERENCE_PATTERN}$"),
                name="committee_reference_format",
            ),
            models.CheckConstraint(condition=Q(body__in=Body.values), name="committee_body_valid"),
            models.CheckConstraint(condition=Q(kind__in=CommitteeKind.values), name="committee_kind_valid"),
            models.CheckConstraint(
                condition=Q(participating_members__range=(0, COUNT_MAX))
                & Q(observing_members__range=(0, COUNT_MAX))
                & Q(published_standards__range=(0, COUNT_MAX))
                & Q(standards_under_development__range=(0, COUNT_MAX)),
                name="committee_counts_range",
            ),
            models.CheckConstraint(
                condition=kind_matches_reference(),
                name="committee_kind_matches_reference",
                violation_error_message="The committee's kind does not match its reference.",
            ),
            # A cycle needs a committee with a parent to be a parent: the database refuses a
            # parent on anything but a subcommittee, validation a parent that is not a technical
            # committee or JTC (which have no parent).
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind=CommitteeKind.SUBCOMMITTEE),
                name="committee_only_subcommittees_have_parents",
                violation_error_message="Only a subcommittee has a parent committee.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return slug_url("committees:detail", self.slug)

    def _update_sort_key_copies(self, using):
        """The copies of the sort key on the committee's liaisons (CommitteeLiaison's ordering)."""
        from liaisons.models import CommitteeLiaison

        CommitteeLiaison.objects.using(using).copy_sort_key_of(self)

    def clean(self):
        """The structure rules, mirrored by the constraints where one row can show them: the body
        and kind agree with the reference; a committee is not its own ancestor; only a
        subcommittee has a parent, and it is the technical committee or JTC its reference names
        (so of the same body); a committee with subcommittees stays one they can have."""
        super().clean()
        errors = {}
        if self.reference and self.body and body_of(self.reference) != self.body:
            errors["body"] = f"The reference “{self.reference}” does not belong to {self.body}."
        kinds = committee_kinds_for(self.reference) if self.reference else ()
        if self.reference and self.kind and self.kind not in kinds:
            allowed = " or ".join(CommitteeKind(kind).label.lower() for kind in kinds)
            errors["kind"] = f"“{self.reference}” is a {allowed}, by its reference."
        if self.parent_id and (parent_error := self._parent_error()):
            errors["parent"] = parent_error
        if self.pk and "kind" not in errors and "reference" not in errors:
            errors.update(self._subcommittee_errors())
        if errors:
            raise ValidationError(errors)

    def _parent_error(self):
        """What is wrong with the parent, or None: a cycle first (named committee by committee),
        then a parent on a committee that is not a subcommittee, then the wrong parent."""
        if self.parent_id == self.pk:
            return "A committee cannot be its own parent."
        parent = Committee.objects.filter(pk=self.parent_id).only("reference", "kind", "body", "parent").first()
        if parent is None:
            return None  # clean_fields() has said it does not exist
        chain, current = [parent.reference], parent
        for _ in range(MAX_PARENT_DEPTH):
            if current.parent_id is None:
                break
            if self.pk is not None and current.parent_id == self.pk:
                path = " → ".join([self.reference, *chain, self.reference])
                return f"This parent would make a cycle: {path}."
            current = Committee.objects.filter(pk=current.parent_id).only("reference", "parent").first()
            if current is None:
                break
            chain.append(current.reference)
        if self.kind and self.kind != CommitteeKind.SUBCOMMITTEE:
            return f"Only a subcommittee has a parent committee; this is a {CommitteeKind(self.kind).label.lower()}."
        if parent.kind not in PARENT_COMMITTEE_KINDS:
            kind = CommitteeKind(parent.kind).label.lower()
            return (
                "A subcommittee's parent is a technical committee or joint technical committee; "
                f"“{parent.reference}” is a {kind}."
            )
        if self.body and parent.body != self.body:
            return f"A subcommittee's parent is of the same body ({self.body}); “{parent.reference}” is {parent.body}."
        expected = parent_reference(self.reference or "")
        if expected and parent.reference != expected:
            return f"The parent of “{self.reference}” is “{expected}”, as its reference says."
        return None

    def _subcommittee_errors(self):
        """Errors for a committee whose subcommittees would no longer fit it: one that stops
        being a technical committee or JTC, or whose reference no longer begins theirs."""
        children = list(Committee.objects.filter(parent_id=self.pk).values_list("reference", flat=True))
        if not children:
            return {}
        shown = ", ".join(children[:5]) + (" …" if len(children) > 5 else "")
        if self.kind and self.kind not in PARENT_COMMITTEE_KINDS:
            return {"kind": f"Only a technical committee or JTC has subcommittees, and this one has: {shown}."}
        moved = [child for child in children if parent_reference(child) != self.reference]
        if moved:
            return {"reference": f"The subcommittees {', '.join(moved[:5])} name another parent in their reference."}
        return {}


class TermOfReferenceManager(models.Manager):
    def get_by_natural_key(self, committee_reference, position):
        return self.get(committee__reference=committee_reference, position=position)


class TermOfReference(SourcedModel):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="terms_of_reference")
    position = models.PositiveSmallIntegerField(validators=[MaxValueValidator(TERM_POSITION_MAX)])
    text = models.TextField()

    objects = TermOfReferenceManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee__sort_key", "position"]
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["committee", "position"], name="termofreference_unique_position"),
            models.CheckConstraint(
                condition=Q(position__range=(1, TERM_POSITION_MAX)), name="termofreference_position_range"
            ),
        ]

    def __str__(self):
        return f"{self.committee.reference} ToR {self.position}"

    def get_absolute_url(self):
        return self.committee.get_absolute_url()

    def natural_key(self):
        return (*self.committee.natural_key(), self.position)

    natural_key.dependencies = ["committees.committee"]


class GroupKind(models.TextChoices):
    WORKING_GROUP = "working_group", "Working group"
    JOINT_WORKING_GROUP = "joint_working_group", "Joint working group"
    AD_HOC_GROUP = "ad_hoc_group", "Ad hoc group"
    POLICY_COORDINATION_GROUP = "policy_coordination_group", "Policy and coordination group"
    STRATEGIC_REGULATORY_GROUP = "strategic_regulatory_group", "Strategic and regulatory group"
    TASK_FORCE = "task_force", "Task force"
    JOINT_STRATEGIC_GROUP = "joint_strategic_group", "Joint strategic group"
    HOSTED_GROUP = "hosted_group", "Hosted group"


# What a row of the group list reads: the group's link, title and type, and a link (address and
# label) to each committee and organization it names. Sort keys order the rows and partners.
TABLE_GROUP_FIELDS = ("slug", "sort_key", "reference", "title", "kind", "committee")
TABLE_LINK_FIELDS = {"committee": ("slug", "sort_key", "reference"), "organization": ("slug", "sort_key", "acronym")}


class GroupQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("committee", "source").prefetch_related(
            "partner_committees", "partner_organizations"
        )

    def with_standards(self):
        return self.prefetch_related("standards")

    def for_page_list(self):
        """For a page listing many groups: the partners as plain lists, ``partner_committee_list``
        and ``partner_organization_list`` (Django builds no related manager per row for these)."""
        from liaisons.models import Organization

        return self.select_related("committee")._with_partner_lists(Committee.objects.all(), Organization.objects.all())

    def for_table(self):
        """``for_page_list()`` reading only what the group list's rows (and its CSV export) and
        the structure page's boxes show: a page of 100 groups then leaves their descriptions and
        their committees' summaries and membership rules unread."""
        from liaisons.models import Organization

        return (
            self.select_related("committee")
            .only(*TABLE_GROUP_FIELDS, *(f"committee__{name}" for name in TABLE_LINK_FIELDS["committee"]))
            ._with_partner_lists(
                Committee.objects.only(*TABLE_LINK_FIELDS["committee"]),
                Organization.objects.only(*TABLE_LINK_FIELDS["organization"]),
            )
        )

    def _with_partner_lists(self, committees, organizations):
        return self.prefetch_related(
            models.Prefetch("partner_committees", queryset=committees, to_attr="partner_committee_list"),
            models.Prefetch("partner_organizations", queryset=organizations, to_attr="partner_organization_list"),
        )

    def for_api(self):
        """``for_page_list()`` plus the standards worked on (``group_standard_list``) and the
        organizations taking part (``participation_list``), as the API shows a group."""
        from liaisons.models import GroupParticipation

        return self.for_page_list().prefetch_related(
            models.Prefetch(
                "group_standards",
                queryset=GroupStandard.objects.select_related("standard"),
                to_attr="group_standard_list",
            ),
            models.Prefetch(
                "participations",
                queryset=GroupParticipation.objects.select_related("organization"),
                to_attr="participation_list",
            ),
        )

    def for_detail(self):
        return (
            self.for_list()
            .select_related("description_source")
            .prefetch_related("group_standards__standard", "participations__organization")
        )

    def of_committee(self, committee):
        return self.filter(committee=committee)

    def involving(self, committee):
        """Groups the committee is responsible for or takes part in as a partner (no join, so
        no DISTINCT: counting them stays one cheap query)."""
        partnered = Group.partner_committees.through.objects.filter(committee=committee).values("group")
        return self.filter(Q(committee=committee) | Q(pk__in=partnered))


class GroupManager(ReferenceManagerMixin, models.Manager.from_queryset(GroupQuerySet)):
    pass


class Group(ReferencedModel):
    """A working group, joint group, task force or other group under a committee."""

    reference = models.CharField(max_length=80, unique=True, validators=[group_reference_validator])
    title = models.CharField(max_length=400, help_text="Exactly as published.")
    type_label = models.CharField(max_length=60, blank=True, help_text="The type the committee page shows.")
    kind = models.CharField(max_length=40, choices=GroupKind.choices, help_text="Derived from the reference.")
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="groups", help_text="The responsible committee."
    )
    partner_committees = models.ManyToManyField(Committee, blank=True, related_name="joint_groups")
    partner_organizations = models.ManyToManyField("liaisons.Organization", blank=True, related_name="joint_groups")
    standards = models.ManyToManyField("Standard", through="GroupStandard", blank=True, related_name="groups")
    description = models.TextField(blank=True, help_text="What the group does, as published.")
    description_source = models.ForeignKey(
        SourcePage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Its short form embedded in other API records: these, then url and api_url (core.api.serializers.ref_serializer).
    api_ref_fields = ("id", "reference", "slug", "title")

    objects = GroupManager()
    history = HistoricalRecords(m2m_fields=[partner_committees, partner_organizations])

    class Meta:
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference__regex=rf"^{GROUP_REFERENCE_PATTERN}$"), name="group_reference_format"
            ),
            models.CheckConstraint(condition=Q(kind__in=GroupKind.values), name="group_kind_valid"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return slug_url("committees:group-detail", self.slug)

    def clean(self):
        super().clean()
        if self.reference and self.committee_id:
            committee = Committee.objects.filter(pk=self.committee_id).only("reference").first()
            if committee and not self.reference.startswith(f"{committee.reference}/"):
                raise ValidationError(
                    {
                        "reference": f"A group of {committee.reference} has a reference starting “{committee.reference}/”."
                    }
                )


class StandardQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("source").prefetch_related("groups")


class StandardManager(ReferenceManagerMixin, models.Manager.from_queryset(StandardQuerySet)):
    pass


class Standard(ReferencedModel):
    """A standard (or technical specification) a group works on, as named in its title."""

    reference = models.CharField(max_length=60, unique=True, validators=[standard_reference_validator])
    title = models.CharField(max_length=400, blank=True, help_text="Blank where the source names no title.")
    abbreviation = models.CharField(max_length=40, blank=True)

    # Its short form embedded in other API records: these, then url and api_url (core.api.serializers.ref_serializer).
    api_ref_fields = ("id", "reference", "slug", "title")

    objects = StandardManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference__regex=rf"^{STANDARD_REFERENCE_PATTERN}$"),
                name="standard_reference_format",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return slug_url("committees:standard-detail", self.slug)


class StandardWork(models.TextChoices):
    DEVELOPMENT = "development", "Development"
    REVISION = "revision", "Revision"
    WORK = "work", "Work"


class GroupStandardManager(models.Manager):
    def get_by_natural_key(self, group_reference, standard_reference):
        return self.get(group__reference=group_reference, standard__reference=standard_reference)


class GroupStandard(SourcedModel):
    """A group works on a standard: developing it, revising it, or (unspecified) working on it."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="group_standards")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="group_standards")
    work = models.CharField(max_length=20, choices=StandardWork.choices, default=StandardWork.WORK)

    objects = GroupStandardManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__sort_key", "standard__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["group", "standard"], name="groupstandard_unique"),
            models.CheckConstraint(condition=Q(work__in=StandardWork.values), name="groupstandard_work_valid"),
        ]

    def __str__(self):
        return f"{self.group.reference}: {self.get_work_display().lower()} of {self.standard.reference}"

    def get_absolute_url(self):
        return self.group.get_absolute_url()

    def natural_key(self):
        return (*self.group.natural_key(), *self.standard.natural_key())

    natural_key.dependencies = ["committees.group", "committees.standard"]


class SourcePageVersionManager(models.Manager):
    def get_by_natural_key(self, file_name, sha256):
        return self.get(source__file_name=file_name, sha256=sha256)


class SourcePageVersion(LengthCheckedModel):
    """The text of one imported copy of a source page. A newer copy (an upload in admin) adds a
    version; ``SourcePage.sha256`` names the one the records were last imported from, which the
    page's public copy (``/sources/<file>/``) shows."""

    source = models.ForeignKey(SourcePage, on_delete=models.CASCADE, related_name="versions")
    sha256 = models.CharField("SHA-256 of the text", max_length=64)
    text = models.TextField()
    imported_at = models.DateTimeField()

    objects = SourcePageVersionManager()

    class Meta:
        ordering = ["source", "-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sha256"], name="sourcepageversion_unique"),
        ]

    def __str__(self):
        return f"{self.source.file_name} ({self.sha256[:12]}…)"

    def natural_key(self):
        return (*self.source.natural_key(), self.sha256)

    natural_key.dependencies = ["committees.sourcepage"]


class ImportSnapshotManager(models.Manager):
    def get_by_natural_key(self, file_name, model, key):
        return self.get(source__file_name=file_name, model=model, key=key)


class ImportSnapshot(LengthCheckedModel):
    """What a source page said of one record at its last import: the fields it stated and the
    members of the many-to-many relations it listed (``values``, JSON; related records by natural
    key). The importer merges against it (sources/importer.py): it applies only what the page
    changed since, so the secretariat's edits are kept.

    ``model`` is the record's model label (``committees.group``), ``key`` its natural key as JSON."""

    source = models.ForeignKey(SourcePage, on_delete=models.CASCADE, related_name="snapshots")
    model = models.CharField(max_length=60)
    key = models.CharField(max_length=400)
    values = models.JSONField(default=dict, blank=True)

    objects = ImportSnapshotManager()

    class Meta:
        ordering = ["source", "model", "key"]
        constraints = [
            models.UniqueConstraint(fields=["source", "model", "key"], name="importsnapshot_unique"),
        ]

    def __str__(self):
        return f"{self.source.file_name}: {self.model} {self.key}"

    def natural_key(self):
        return (*self.source.natural_key(), self.model, self.key)

    natural_key.dependencies = ["committees.sourcepage"]
