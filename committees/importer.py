"""Import the published source pages into the database.

``source_pages_import`` parses every page first (no database work), then writes everything in one
transaction: a page that cannot be read, or a record that fails validation, leaves the database
exactly as it was. Records are created or updated only where the page says something different,
so a second run changes nothing and says so.
"""

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liaisons.models import (
    CategoryNote,
    CommitteeLiaison,
    Direction,
    GroupParticipation,
    Organization,
    OrganizationLiaison,
)
from meetings.models import Meeting

from .models import Committee, Group, GroupStandard, SourcePage, SourcePageKind, Standard, TermOfReference
from .parsing import SourcePageError, detect_page_kind, parse_announcement, parse_committee_page
from .references import body_of, committee_kind_of, normalise_spaces, parent_reference, slug_for

DEFAULT_SOURCE_FILES = ("iso-casco-committee-page.txt", "casco-plenary-2019-announcement.txt")
COMMITTEE_PAGE_TITLE = "ISO/CASCO committee page"


class ImportFailed(Exception):
    """The import was refused; nothing was written."""


def default_source_paths():
    return [Path(settings.SOURCE_PAGES_DIR) / name for name in DEFAULT_SOURCE_FILES]


_RANK = {"unchanged": 0, "updated": 1, "created": 2, "removed": 3}


@dataclass
class ImportReport:
    """What the import did to each record it touched (a record touched twice counts once)."""

    outcomes: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)

    def record(self, outcome, obj, detail=""):
        key = (str(obj._meta.verbose_name_plural), obj._meta.label, obj.pk)
        if _RANK[outcome] >= _RANK[self.outcomes.get(key, "unchanged")]:
            self.outcomes[key] = outcome
        if outcome != "unchanged":
            self.changes.append(f"{outcome}: {obj._meta.verbose_name} {obj}{f' ({detail})' if detail else ''}")

    @property
    def counts(self):
        counts = defaultdict(lambda: defaultdict(int))
        for (label, _, _), outcome in self.outcomes.items():
            counts[label][outcome] += 1
        return counts

    def total(self, outcome):
        return sum(1 for value in self.outcomes.values() if value == outcome)

    @property
    def changed(self):
        return any(self.total(outcome) for outcome in ("created", "updated", "removed"))

    def summary_lines(self):
        lines = []
        counts = self.counts
        for label in sorted(counts):
            per_model = counts[label]
            parts = [f"{per_model[o]} {o}" for o in ("created", "updated", "removed", "unchanged") if per_model[o]]
            lines.append(f"{label}: {', '.join(parts)}")
        lines.append(
            f"In all: {self.total('created')} created, {self.total('updated')} updated, "
            f"{self.total('removed')} removed, {self.total('unchanged')} unchanged."
        )
        if not self.changed:
            lines.append("Nothing changed: the database already matches the source pages.")
        return lines


class _Writer:
    """Creates or updates records, saving only what differs, and keeps the report."""

    def __init__(self, *, report, now, user, reason):
        self.report, self.now, self.user, self.reason = report, now, user, reason

    def _save(self, obj):
        try:
            obj.full_clean(validate_unique=True)
        except ValidationError as error:
            raise ImportFailed(f"{obj._meta.verbose_name} “{obj}” is not valid: {error.message_dict}") from error
        obj._history_user = self.user
        obj._change_reason = self.reason
        obj.save()

    def upsert(self, model, lookup, values, *, if_new=None, m2m=None, source=None):
        """Create or update one record. ``values`` are what the page states (applied whenever they
        differ); ``if_new`` only fill a new record (so a title the secretariat added is not blanked)."""
        values = dict(values)
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values, **(if_new or {}))
            if source is not None:
                obj.source, obj.imported_at = source, self.now
            self._save(obj)
            outcome, detail = "created", ""
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                if source is not None:
                    obj.source, obj.imported_at = source, self.now
                self._save(obj)
            outcome, detail = ("updated", ", ".join(changed)) if changed else ("unchanged", "")
        for name, wanted in (m2m or {}).items():
            manager = getattr(obj, name)
            if {item.pk for item in manager.all()} != {item.pk for item in wanted}:
                manager.set(wanted)
                if outcome == "unchanged":
                    outcome, detail = "updated", name
                else:
                    detail = ", ".join(filter(None, [detail, name]))
        self.report.record(outcome, obj, detail)
        return obj

    def remove_stale(self, queryset, keep_pks):
        for obj in queryset.exclude(pk__in=keep_pks):
            obj._history_user = self.user
            obj._change_reason = self.reason
            self.report.record("removed", obj)
            obj.delete()


def _read(path):
    path = Path(path)
    try:
        return path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read the file ({error.strerror or error})") from error


def _decode(name, raw):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportFailed(f"{name}: the file is not UTF-8 text (byte {error.start})") from error
    if "\x00" in text:
        raise ImportFailed(f"{name}: the file is not a text page (it contains NUL bytes)")
    return text, hashlib.sha256(raw).hexdigest()


def _match_key(name):
    """Compare group names across sources: case, apostrophes and Chair/Chairman aside."""
    text = unicodedata.normalize("NFKC", name).replace("’", "'").casefold()
    return normalise_spaces(text.replace("chairman's", "chair's"))


class _PageImporter:
    def __init__(self, writer):
        self.w = writer

    # -- committees -------------------------------------------------------------------------
    def committee(self, reference, *, source, title="", body=None, **stated):
        """Create or update a committee and, first, the parents its reference implies."""
        parent = None
        if parent_ref := parent_reference(reference):
            parent = self.committee(parent_ref, source=source)
        values = {"body": body or body_of(reference), "kind": committee_kind_of(reference), "parent": parent}
        if title:
            values["title"] = title
        return self.w.upsert(Committee, {"reference": reference}, {**values, **stated}, source=source)

    def committee_page(self, page, source):
        casco = self.committee(
            page.committee_reference,
            source=source,
            title=page.title,
            summary=page.summary,
            membership_rules=page.membership_rules,
            participating_members=page.participating_members,
            observing_members=page.observing_members,
            published_standards=page.published_standards,
            standards_under_development=page.standards_under_development,
            standards_count_note=page.standards_count_note,
        )
        for position, text in enumerate(page.terms_of_reference, start=1):
            self.w.upsert(TermOfReference, {"committee": casco, "position": position}, {"text": text}, source=source)
        self.w.remove_stale(
            TermOfReference.objects.filter(committee=casco, position__gt=len(page.terms_of_reference)), []
        )

        # Liaison committees: one record per committee, its direction(s) read from the two lists.
        rows = {}
        directions = defaultdict(set)
        for listed, direction in ((page.incoming, Direction.INCOMING), (page.outgoing, Direction.OUTGOING)):
            for row in listed:
                earlier = rows.setdefault(row.reference, row)
                if (earlier.title, earlier.body) != (row.title, row.body):
                    raise ImportFailed(
                        f"{row.reference} is listed as “{earlier.title}” ({earlier.body}) and as “{row.title}” ({row.body})"
                    )
                directions[row.reference].add(direction)
        kept = []
        for reference in sorted(rows):
            row = rows[reference]
            if row.body != body_of(reference):
                raise ImportFailed(
                    f"{reference} is listed with body {row.body}, but its reference says {body_of(reference)}"
                )
            committee = self.committee(reference, source=source, title=row.title, body=row.body)
            direction = Direction.BOTH if len(directions[reference]) == 2 else directions[reference].pop()
            liaison = self.w.upsert(
                CommitteeLiaison,
                {"committee": casco, "liaison_committee": committee},
                {"direction": direction},
                source=source,
            )
            kept.append(liaison.pk)
        self.w.remove_stale(CommitteeLiaison.objects.filter(committee=casco, source=source), kept)

        # Organizations in liaison, and what the page says of a category.
        organizations = {}
        kept = []
        for row in page.organizations:
            organization = self.w.upsert(Organization, {"acronym": row.acronym}, {"name": row.name}, source=source)
            organizations[row.acronym] = organization
            liaison = self.w.upsert(
                OrganizationLiaison,
                {"organization": organization, "committee": casco},
                {"category": row.category},
                source=source,
            )
            kept.append(liaison.pk)
        self.w.remove_stale(OrganizationLiaison.objects.filter(committee=casco, source=source), kept)
        for category, text in page.category_notes.items():
            self.w.upsert(CategoryNote, {"committee": casco, "category": category}, {"text": text}, source=source)

        # Groups, their partners and the standards their titles name.
        for row in page.groups:
            responsible = self.committee(row.committee_reference, source=source)
            partners = [self.committee(reference, source=source) for reference in row.partner_committees]
            group = self.w.upsert(
                Group,
                {"reference": row.reference},
                {"title": row.title, "type_label": row.type_label, "kind": row.kind, "committee": responsible},
                m2m={
                    "partner_committees": partners,
                    "partner_organizations": [organizations[a] for a in row.partner_organizations],
                },
                source=source,
            )
            for mention in row.standards:
                stated = {k: v for k, v in (("title", mention.title), ("abbreviation", mention.abbreviation)) if v}
                standard = self.w.upsert(Standard, {"reference": mention.reference}, stated, source=source)
                self.w.upsert(
                    GroupStandard, {"group": group, "standard": standard}, {"work": mention.work}, source=source
                )

    # -- the announcement -------------------------------------------------------------------
    def announcement(self, page, source):
        try:
            casco = Committee.objects.get(reference="ISO/CASCO")
        except Committee.DoesNotExist:
            raise ImportFailed(
                f"{source.file_name}: import the ISO/CASCO committee page before (or with) the announcement"
            ) from None
        terms = list(casco.terms_of_reference.values_list("text", flat=True))
        if page.aims != terms:
            raise ImportFailed(
                f"{source.file_name}: the aims the announcement quotes differ from CASCO's terms of reference"
            )
        groups = {_match_key(group.title): group for group in casco.groups.all()}
        for participation in page.participations:
            group = groups.get(_match_key(participation.group_name))
            if group is None:
                raise ImportFailed(
                    f"{source.file_name}: section “Participation”: no CASCO group is called "
                    f"“{participation.group_name}”"
                )
            self.w.upsert(
                Group,
                {"reference": group.reference},
                {"description": participation.group_description, "description_source": source},
            )
            organization = self.w.upsert(
                Organization, {"acronym": participation.organization_acronym}, {}, source=source
            )
            name_in_source = participation.group_name if participation.group_name != group.title else ""
            self.w.upsert(
                GroupParticipation,
                {"organization": organization, "group": group},
                {"name_in_source": name_in_source, "purpose": participation.purpose},
                source=source,
            )
        for info in page.meetings:
            host = None
            if info.host_acronym:
                stated = {
                    k: v
                    for k, v in (
                        ("name", info.host_name),
                        ("description", info.host_description),
                        ("country", info.country),
                    )
                    if v
                }
                host = self.w.upsert(Organization, {"acronym": info.host_acronym}, stated, source=source)
            self.w.upsert(
                Meeting,
                {"slug": slug_for(info.title)},
                {
                    "title": info.title,
                    "kind": info.kind,
                    "year": info.year,
                    "committee": casco if info.kind == "plenary" else None,
                    "host": host,
                    "country": info.country,
                    "description": info.description,
                    "announced_on": page.published_on,
                },
                source=source,
            )


def source_pages_import(*, paths=None, user=None, now=None):
    """Import the given source page files (by default the copies in fixtures/sources/).

    Returns an ``ImportReport``; raises ``ImportFailed`` (with nothing written) on any error."""
    paths = [Path(p) for p in (paths or default_source_paths())]
    return source_texts_import(pages=[(path.name, _read(path)) for path in paths], user=user, now=now)


def source_texts_import(*, pages, user=None, now=None):
    """Import pages given as ``(file_name, bytes)`` pairs (e.g. an upload in admin). A page's file
    name identifies its ``SourcePage``: a newer copy under the same name updates that page's records.

    Returns an ``ImportReport``; raises ``ImportFailed`` (with nothing written) on any error."""
    if not pages:
        raise ImportFailed("no source page given")
    now = now or timezone.now()
    parsed = []
    for name, raw in pages:
        text, sha256 = _decode(name, raw)
        try:
            kind = detect_page_kind(text)
            if kind == SourcePageKind.COMMITTEE_PAGE:
                page = parse_committee_page(text, page=name)
                title = (
                    COMMITTEE_PAGE_TITLE
                    if page.committee_reference == "ISO/CASCO"
                    else f"{page.committee_reference} committee page"
                )
                published_on = None
            else:
                page = parse_announcement(text, page=name)
                title, published_on = page.title, page.published_on
        except SourcePageError as error:
            raise ImportFailed(str(error)) from error
        parsed.append((kind, name, sha256, title, published_on, page))
    names = [name for _, name, *_ in parsed]
    if len(set(names)) != len(names):
        raise ImportFailed("the same file name is given twice")
    # Committee pages first: the announcement refers to their groups.
    parsed.sort(key=lambda item: item[0] != SourcePageKind.COMMITTEE_PAGE)

    report = ImportReport()
    writer = _Writer(report=report, now=now, user=user, reason="import of source pages")
    importer = _PageImporter(writer)
    with transaction.atomic():
        for kind, name, sha256, title, published_on, page in parsed:
            existing = SourcePage.objects.filter(file_name=name).first()
            values = {"title": title, "kind": kind, "published_on": published_on, "sha256": sha256}
            if existing is None or existing.sha256 != sha256:
                values["imported_at"] = now
            source = writer.upsert(SourcePage, {"file_name": name}, values)
            if kind == SourcePageKind.COMMITTEE_PAGE:
                importer.committee_page(page, source)
            else:
                importer.announcement(page, source)
    return report
