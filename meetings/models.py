"""Plenary meetings, workshops and other events. Only what a source states is recorded:
a meeting whose dates or venue were not announced has none."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from simple_history.models import HistoricalRecords

from committees.models import Committee, Group, SourcedModel
from core.links import slug_url
from core.references import slug_for
from liaisons.models import Organization


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", "Plenary meeting"
    WORKSHOP = "workshop", "Workshop"
    MEETING = "meeting", "Meeting"


CALENDAR_FIELDS = (
    "slug",
    "title",
    "kind",
    "year",
    "start_date",
    "end_date",
    "description",
    "venue",
    "country",
    "updated_at",
    "host",
)


# What the meeting list and its CSV read of a meeting.
CARD_FIELDS = ("slug", "title", "kind", "year", "start_date", "end_date", "country", "venue", "host")


# Newest year first; within a year by start date, a meeting whose date is not known after the dated
# ones on every database (SQLite would put it first), then by slug.
MEETING_ORDER = [F("year").desc(), F("start_date").asc(nulls_last=True), "slug"]


class MeetingQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("committee", "host", "source")

    def for_detail(self):
        return self.for_list().prefetch_related("groups__committee")

    def for_calendar(self):
        """What the iCalendar feed writes of each meeting, and its host's names: the feed holds
        every meeting, so it leaves the rest unread (and the committee and source unjoined)."""
        return self.select_related("host").only(*CALENDAR_FIELDS, "host__name", "host__acronym")

    def for_cards(self):
        """What the meeting list shows (and its CSV holds) of each meeting, and its host's acronym;
        the rest is left unread."""
        return self.select_related("host").only(*CARD_FIELDS, "host__acronym")

    def upcoming_first(self, year):
        """The meeting list's order: meetings in ``year`` or later first, soonest first, then the
        past ones newest first; within a year by start date (an undated meeting after the dated
        ones), then by title."""
        upcoming = Q(year__gte=year)
        return self.order_by(
            Case(When(upcoming, then=Value(0)), default=Value(1)),
            Case(When(upcoming, then=F("year")), default=-F("year"), output_field=IntegerField()),
            F("start_date").asc(nulls_last=True),
            "title",
            "pk",
        )

    def timing_counts(self, year):
        """``{"upcoming": n, "past": m}``: meetings in ``year`` or later, and before it, in one query."""
        return self.order_by().aggregate(
            upcoming=Count("pk", filter=Q(year__gte=year)), past=Count("pk", filter=Q(year__lt=year))
        )


class MeetingManager(models.Manager.from_queryset(MeetingQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Meeting(SourcedModel):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    year = models.PositiveSmallIntegerField()
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="The committee meeting (for a plenary).",
    )
    host = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_meetings"
    )
    country = models.CharField(max_length=100, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    announced_on = models.DateField(null=True, blank=True)
    groups = models.ManyToManyField(Group, through="MeetingGroup", blank=True, related_name="meetings")

    # Its short form embedded in other API records: these, then url and api_url (core.api.serializers.ref_serializer).
    api_ref_fields = ("id", "slug", "title", "year")

    objects = MeetingManager()
    history = HistoricalRecords()

    class Meta:
        ordering = MEETING_ORDER
        # The model's order (PostgreSQL's ascending index keeps NULLs last), so the latest
        # meeting (the home page's) and a page of the list are read from the index instead of
        # joining and sorting every meeting.
        indexes = [models.Index(fields=["-year", "start_date", "slug"], name="meeting_order")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
            models.CheckConstraint(condition=Q(year__gte=1946) & Q(year__lte=2100), name="meeting_year_range"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="meeting_slug_not_blank"),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return slug_url("meetings:detail", self.slug)

    def clean(self):
        super().clean()
        if not self.slug and self.title:
            self.slug = slug_for(self.title, self._meta.get_field("slug").max_length)
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The meeting cannot end before it starts."
        if self.start_date and self.year and self.start_date.year != self.year:
            errors["year"] = "The year must be the year the meeting starts."
        if errors:
            raise ValidationError(errors)


class MeetingGroupManager(models.Manager):
    def get_by_natural_key(self, meeting_slug, group_reference):
        return self.get(meeting__slug=meeting_slug, group__reference=group_reference)


class MeetingGroup(SourcedModel):
    """A group meeting at (or taking part in) a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="meeting_groups")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meeting_groups")

    objects = MeetingGroupManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "group__sort_key"]
        constraints = [models.UniqueConstraint(fields=["meeting", "group"], name="meetinggroup_unique")]

    def __str__(self):
        return f"{self.group.reference} at {self.meeting.title}"

    def natural_key(self):
        return (self.meeting.slug, self.group.reference)

    natural_key.dependencies = ["meetings.meeting", "committees.group"]

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()
