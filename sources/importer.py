"""Import the published source pages into the database, as a three-way merge.

``source_texts_import`` parses every page first (no database work), then writes everything in one
transaction: a page that cannot be read, or a record that fails validation, leaves the database
exactly as it was. ``dry_run=True`` runs the same import and rolls it back, so its report is an
exact preview.

The merge (README "Where the data comes from", docs/reliability.md "Import merge rules"): for
every record a page states, ``ImportSnapshot`` keeps what the page said at its last import. A
re-import compares, per field, the page now (*new*), the page then (*base*) and the database
(*current*):

- the page did not change the field (new = base): the current value is kept, whatever it is, and
  a value the secretariat changed is reported as "kept (edited by hand)";
- the page changed it and nobody else did (current = base): the new value is applied;
- both changed it to different values: the secretariat's value is kept and the conflict reported;
- no base (a record the page states for the first time, or one imported before snapshots were
  kept): the page's value fills an empty field; a different non-empty value is kept and reported
  as a conflict.

Many-to-many members (group partners) merge the same way, member by member: a member the page
adds is added, one the secretariat removed stays removed, one added by hand stays. A record, a
relation row or a member the page no longer lists is reported "no longer on the page" and removed
only with ``remove_missing=True`` (the secretariat's confirmation), and only if the page created it
and removing it takes nothing else with it. A record the page stated before and the secretariat
deleted is not re-created. Records and rows the page never produced are never touched.
"""

import datetime
import hashlib
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from committees.models import (
    Committee,
    Group,
    GroupStandard,
    ImportSnapshot,
    SourcePage,
    SourcePageKind,
    SourcePageVersion,
    Standard,
    TermOfReference,
)
from core.references import body_of, committee_kind_of, normalise_spaces, parent_reference, slug_for
from liaisons.models import (
    CategoryNote,
    CommitteeLiaison,
    Direction,
    GroupParticipation,
    Organization,
    OrganizationLiaison,
)
from meetings.models import Meeting
from sources.parsing import SourcePageError, detect_page_kind, parse_announcement, parse_committee_page

DEFAULT_SOURCE_FILES = ("iso-casco-committee-page.txt", "casco-plenary-2019-announcement.txt")
# What each kept page is: an upload under one of these names must be a page of the same kind.
DEFAULT_SOURCE_KINDS = dict(
    zip(DEFAULT_SOURCE_FILES, (SourcePageKind.COMMITTEE_PAGE, SourcePageKind.ANNOUNCEMENT), strict=True)
)
COMMITTEE_PAGE_TITLE = "ISO/CASCO committee page"
REMOVE_MISSING_HINT = "confirm with --remove-missing, or tick “Remove what the page no longer lists” in admin"

# Records a page no longer lists are removed children first, so a row never takes another with it.
REMOVAL_ORDER = [
    "liaisons.groupparticipation",
    "committees.groupstandard",
    "liaisons.committeeliaison",
    "liaisons.organizationliaison",
    "liaisons.categorynote",
    "committees.termofreference",
    "meetings.meeting",
    "committees.group",
    "committees.standard",
    "liaisons.organization",
    "committees.committee",
]


class ImportFailed(Exception):
    """The import was refused; nothing was written."""


class WrongPage(ImportFailed):
    """A page given under the file name of another page (e.g. the announcement uploaded as the
    committee page): refused, so that no record ends up citing the wrong source."""


def default_source_paths():
    return [Path(settings.SOURCE_PAGES_DIR) / name for name in DEFAULT_SOURCE_FILES]


_RANK = {"unchanged": 0, "updated": 1, "created": 2, "removed": 3}


def _show(value):
    """A value as the report shows it: texts quoted and cut at 200 characters."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, list):
        return "/".join(map(str, value)) if all(not isinstance(v, list) for v in value) else _show_set(value)
    text = str(value)
    return f"“{text[:197]}…”" if len(text) > 200 else f"“{text}”"


def _show_set(members):
    return ", ".join("/".join(map(str, m)) if isinstance(m, list | tuple) else str(m) for m in members) or "(none)"


@dataclass
class ImportReport:
    """What the import did (or, in a dry run, would do) to each record it touched (a record touched
    twice counts once), and what it left alone: fields kept because the secretariat edited them,
    conflicts (both the page and the secretariat changed a field), and records the pages no longer
    list."""

    dry_run: bool = False
    remove_missing: bool = False
    outcomes: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    def note(self, lines, line):
        """Add a line to ``kept``, ``conflicts`` or ``missing`` once (a record the page states
        twice, such as a parent committee, is merged twice)."""
        if line not in lines:
            lines.append(line)

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
        lines = ["Preview: nothing was changed. This is what the import would do."] if self.dry_run else []
        counts = self.counts
        for label in sorted(counts):
            per_model = counts[label]
            parts = [f"{per_model[o]} {o}" for o in ("created", "updated", "removed", "unchanged") if per_model[o]]
            lines.append(f"{label}: {', '.join(parts)}")
        lines.append(
            f"In all: {self.total('created')} created, {self.total('updated')} updated, "
            f"{self.total('removed')} removed, {self.total('unchanged')} unchanged."
        )
        if self.kept or self.conflicts or self.missing:
            pending = sum(1 for line in self.missing if line.startswith("no longer on the page"))
            lines.append(
                f"Left as the secretariat has them: {len(self.kept)} kept as edited by hand, "
                f"{len(self.conflicts)} in conflict (the secretariat's value kept); "
                f"{pending} no longer on the page and not removed" + (f" ({REMOVE_MISSING_HINT})." if pending else ".")
            )
        if not self.changed:
            lines.append("Nothing changed: the pages say nothing the database does not already hold.")
        return lines

    def detail_lines(self):
        """Every line of the report: changes, conflicts, fields kept, records no longer listed."""
        return [*self.changes, *self.conflicts, *self.kept, *self.missing]


def _plain(value):
    """A value as snapshots store it: a record by its natural key, a date as ISO text."""
    if isinstance(value, models.Model):
        return list(value.natural_key())
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _key_of(lookup):
    """A record's natural key (as JSON) from the lookup the importer finds it by; the lookups
    name the natural key's parts in order (e.g. a liaison's committee, then its liaison committee)."""
    parts = []
    for value in lookup.values():
        parts.extend(value.natural_key() if isinstance(value, models.Model) else [value])
    return json.dumps(parts, ensure_ascii=False)


def _members(values):
    return {tuple(v) if isinstance(v, list) else (v,) for v in values}


class _Writer:
    """Merges what a page states into the database (see the module's docstring), keeps the report
    and, per page, the snapshot of what the page stated."""

    def __init__(self, *, report, now, user, remove_missing):
        self.report, self.now, self.user, self.remove_missing = report, now, user, remove_missing
        self.snapshots = {(s.source_id, s.model, s.key): s for s in ImportSnapshot.objects.select_related("source")}
        self.snapshotted = {(model, key) for _, model, key in self.snapshots}
        self.created = set()
        self.natural_keys = {}
        self.source = self.reason = None
        self.stated = {}

    # -- one page ---------------------------------------------------------------------------
    def begin_page(self, source, reason):
        self.source, self.reason, self.stated = source, reason, {}

    def _save(self, obj):
        try:
            obj.full_clean(validate_unique=True)
        except ValidationError as error:
            raise ImportFailed(f"{obj._meta.verbose_name} “{obj}” is not valid: {error.message_dict}") from error
        self._mark(obj)
        obj.save()

    def _mark(self, obj):
        obj._history_user = self.user
        obj._change_reason = self.reason

    def _current(self, obj, name):
        """The record's value of a field, in snapshot form (a related record by natural key)."""
        model_field = obj._meta.get_field(name)
        if not model_field.is_relation:
            return _plain(getattr(obj, name))
        related_id = getattr(obj, model_field.attname)
        if related_id is None:
            return None
        cache_key = (model_field.related_model, related_id)
        if cache_key not in self.natural_keys:
            self.natural_keys[cache_key] = _plain(getattr(obj, name))
        return self.natural_keys[cache_key]

    def _remember(self, obj):
        if obj is not None:
            self.natural_keys[(type(obj), obj.pk)] = _plain(obj)
        return obj

    def upsert(self, model, lookup, values, *, m2m=None, mark_source=True):
        """Merge one record the page states: ``values`` are the fields it states, ``m2m`` the
        members of many-to-many relations it lists. Returns the record, or None when the page
        stated it before and the secretariat has deleted it since (it is not re-created)."""
        label, key = model._meta.label_lower, _key_of(lookup)
        stated = {name: _plain(value) for name, value in values.items()}
        stated_m2m = {name: sorted(_members(_plain(v) for v in wanted)) for name, wanted in (m2m or {}).items()}
        snapshot = self.stated.setdefault((label, key), {})
        snapshot.update(stated)
        snapshot.update({name: [list(m) for m in members] for name, members in stated_m2m.items()})
        earlier = self.snapshots.get((self.source.pk, label, key))
        base = earlier.values if earlier else None

        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            if (label, key) in self.snapshotted and (label, key) not in self.created:
                self.report.note(
                    self.report.kept,
                    f"not re-created (deleted by hand): {model._meta.verbose_name} {' '.join(map(str, json.loads(key)))}",
                )
                return None
            obj = model(**lookup, **values)
            if mark_source:
                obj.source, obj.imported_at = self.source, self.now
            self._save(obj)
            self.created.add((label, key))
            for name, wanted in (m2m or {}).items():
                self._merge_members(obj, name, wanted, None, True, snapshot)
            self.report.record("created", obj)
            return self._remember(obj)

        fresh = (label, key) in self.created
        what = f"{model._meta.verbose_name} {obj}"
        changed = []
        for name, value in values.items():
            new, current = stated[name], self._current(obj, name)
            if new == current:
                continue
            verbose = obj._meta.get_field(name).verbose_name
            if fresh or (base is not None and name in base and base[name] != new and base[name] == current):
                setattr(obj, name, value)
                changed.append(f"{verbose}: {_show(current)} → {_show(new)}")
            elif base is None or name not in base:
                if current in (None, ""):
                    setattr(obj, name, value)
                    changed.append(f"{verbose}: {_show(current)} → {_show(new)}")
                else:
                    self.report.note(
                        self.report.conflicts,
                        f"conflict: {what} — {verbose}: kept {_show(current)}; the page says {_show(new)} "
                        "(no record of what it said before)",
                    )
            elif base[name] == new:
                self.report.note(
                    self.report.kept,
                    f"kept (edited by hand): {what} — {verbose} {_show(current)}; the page still says {_show(new)}",
                )
            else:
                self.report.note(
                    self.report.conflicts,
                    f"conflict: {what} — {verbose}: kept the secretariat's {_show(current)}; "
                    f"the page changed {_show(base[name])} → {_show(new)}",
                )
        if changed:
            if obj.source_id == self.source.pk:
                obj.imported_at = self.now
            self._save(obj)

        for name, wanted in (m2m or {}).items():
            changed.extend(self._merge_members(obj, name, wanted, base, fresh, snapshot))
        self.report.record("updated" if changed else "unchanged", obj, "; ".join(changed))
        return self._remember(obj)

    def _merge_members(self, obj, name, wanted, base, fresh, snapshot):
        """Merge one many-to-many relation member by member; returns what changed.

        The snapshot lists the members the page listed (plus, as tombstones, members the
        secretariat removed, so a page listing one again does not bring it back) and, under
        ``<name>+imported``, those the import added: only those are ever removed by an import."""
        imported_key = f"{name}+imported"
        manager = getattr(obj, name)
        verbose = obj._meta.get_field(name).verbose_name
        what = f"{obj._meta.verbose_name} {obj}"
        current = {tuple(_plain(member)): member for member in manager.all()}
        new = {tuple(_plain(member)): member for member in wanted}
        before = _members(base[name]) if base is not None and name in base else None
        imported = _members(base[imported_key]) if base is not None and imported_key in base else set(before or ())
        added = {}
        for member_key, member in new.items():
            if member_key in current:
                continue
            if fresh or before is None or member_key not in before:
                added[member_key] = member
            else:
                self.report.note(
                    self.report.kept,
                    f"kept (removed by hand): {what} — {verbose} without {_show_set([member_key])}; "
                    "the page still lists it",
                )
        removed, pending = {}, set()
        for member_key in sorted(k for k in (before or set()) - set(new) if k in current):
            listed = _show_set([member_key])
            if member_key not in imported:
                self.report.note(
                    self.report.missing, f"no longer on the page: {what} — {verbose} {listed} (kept: added by hand)"
                )
            elif self.remove_missing:
                removed[member_key] = current[member_key]
                self.report.note(self.report.missing, f"removed (no longer on the page): {what} — {verbose} {listed}")
            else:
                self.report.note(
                    self.report.missing, f"no longer on the page: {what} — {verbose} {listed} (not removed)"
                )
                pending.add(member_key)  # reported again at the next import, until confirmed
        tombstones = {k for k in (before or set()) if k not in current and k not in new}
        snapshot[name] = sorted(list(k) for k in {*new, *pending, *tombstones})
        still_imported = ({k for k in imported if k in current} | set(added)) - set(removed)
        snapshot[imported_key] = sorted(list(k) for k in still_imported)
        self._mark(obj)
        if added:
            manager.add(*added.values())
        if removed:
            manager.remove(*removed.values())
        changes = []
        if added:
            changes.append(f"{verbose}: added {_show_set(sorted(added))}")
        if removed:
            changes.append(f"{verbose}: removed {_show_set(sorted(removed))}")
        return changes

    def end_page(self):
        """Report (and, if confirmed, remove) what the page listed at its last import and no
        longer lists; then store what the page states now as its snapshot."""
        source = self.source
        dropped, removals = [], []
        for (source_id, label, key), snapshot in self.snapshots.items():
            if source_id != source.pk or (label, key) in self.stated:
                continue
            try:
                obj = apps.get_model(label)._default_manager.get_by_natural_key(*json.loads(key))
            except ObjectDoesNotExist:
                # Deleted by hand: the snapshot stays, so a page listing it again does not bring it back.
                self.stated[(label, key)] = snapshot.values
                continue
            what = f"{obj._meta.verbose_name} {obj}"
            if not self.remove_missing:
                self.report.note(self.report.missing, f"no longer on the page: {what} (not removed)")
                self.stated[(label, key)] = snapshot.values  # reported again until confirmed
            elif obj.source_id != source.pk:
                self.report.note(
                    self.report.missing, f"no longer on the page: {what} (kept: this page did not create it)"
                )
                dropped.append(snapshot)
            else:
                removals.append((obj, snapshot))
        order = {label: i for i, label in enumerate(REMOVAL_ORDER)}
        removals.sort(
            key=lambda pair: (order.get(pair[0]._meta.label_lower, -1), -len(getattr(pair[0], "reference", "")))
        )
        for obj, snapshot in removals:
            what = f"{obj._meta.verbose_name} {obj}"
            if blocker := self._edited_since(obj, snapshot.values) or _removal_blocker(obj):
                self.report.note(self.report.missing, f"no longer on the page: {what} (kept: {blocker})")
                self.stated[(snapshot.model, snapshot.key)] = snapshot.values
                continue
            self._mark(obj)
            self.report.record("removed", obj, "no longer on the page")
            obj.delete()
            dropped.append(snapshot)
        ImportSnapshot.objects.filter(pk__in=[s.pk for s in dropped]).delete()
        self._store_snapshots()

    def _store_snapshots(self):
        source = self.source
        to_create, to_update = [], []
        for (label, key), values in self.stated.items():
            earlier = self.snapshots.get((source.pk, label, key))
            if earlier is None:
                to_create.append(ImportSnapshot(source=source, model=label, key=key, values=values))
            elif earlier.values != values:
                earlier.values = values
                to_update.append(earlier)
        ImportSnapshot.objects.bulk_create(to_create)
        ImportSnapshot.objects.bulk_update(to_update, ["values"])

    def _edited_since(self, obj, stated):
        """ "edited by hand since the import" if a field the page stated now holds another value."""
        for name, value in stated.items():
            if "+" in name or isinstance(obj._meta.get_field(name), models.ManyToManyField):
                continue
            if self._current(obj, name) != value:
                return "edited by hand since the import"
        return ""


def _removal_blocker(obj):
    """Why removing ``obj`` would take more than the record (and its own many-to-many rows), or ""."""
    collector = Collector(using=router.db_for_write(type(obj), instance=obj))
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError) as error:
        names = sorted({f"{o._meta.verbose_name} {o}" for o in error.args[1]})[:3]
        return f"still referred to by {', '.join(names)}"
    others = [
        f"{instance._meta.verbose_name} {instance}"
        for model, instances in collector.data.items()
        if not model._meta.auto_created
        for instance in instances
        if not (model is type(obj) and instance.pk == obj.pk)
    ]
    for queryset in collector.fast_deletes:
        if not queryset.model._meta.auto_created and queryset.exists():
            others.append(f"{queryset.model._meta.verbose_name_plural} referring to it")
    if others:
        return f"removing it would also delete {', '.join(sorted(others)[:3])}"
    return ""


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
        # What the committee pages of this run state of CASCO's terms and groups: the
        # announcement is checked against the pages, not against the secretariat's edits.
        self.page_terms = {}
        self.page_group_titles = {}

    # -- committees -------------------------------------------------------------------------
    def committee(self, reference, *, title="", body=None, **stated):
        """Create or update a committee and, first, the parents its reference implies. None if
        it (or a parent) was deleted by hand after an import."""
        parent = None
        if parent_ref := parent_reference(reference):
            parent = self.committee(parent_ref)
            if parent is None:
                return None
        values = {"body": body or body_of(reference), "kind": committee_kind_of(reference), "parent": parent}
        if title:
            values["title"] = title
        return self.w.upsert(Committee, {"reference": reference}, {**values, **stated})

    def committee_page(self, page):
        casco = self.committee(
            page.committee_reference,
            title=page.title,
            summary=page.summary,
            membership_rules=page.membership_rules,
            participating_members=page.participating_members,
            observing_members=page.observing_members,
            published_standards=page.published_standards,
            standards_under_development=page.standards_under_development,
            standards_count_note=page.standards_count_note,
        )
        self.page_terms[page.committee_reference] = list(page.terms_of_reference)
        self.page_group_titles.update({_match_key(row.title): (row.reference, row.title) for row in page.groups})
        if casco is None:
            return
        for position, text in enumerate(page.terms_of_reference, start=1):
            self.w.upsert(TermOfReference, {"committee": casco, "position": position}, {"text": text})

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
        for reference in sorted(rows):
            row = rows[reference]
            if row.body != body_of(reference):
                raise ImportFailed(
                    f"{reference} is listed with body {row.body}, but its reference says {body_of(reference)}"
                )
            committee = self.committee(reference, title=row.title, body=row.body)
            if committee is None:
                continue
            direction = Direction.BOTH if len(directions[reference]) == 2 else directions[reference].pop()
            self.w.upsert(
                CommitteeLiaison, {"committee": casco, "liaison_committee": committee}, {"direction": direction}
            )

        # Organizations in liaison, and what the page says of a category.
        organizations = {}
        for row in page.organizations:
            organization = self.w.upsert(Organization, {"acronym": row.acronym}, {"name": row.name})
            organizations[row.acronym] = organization
            if organization is not None:
                self.w.upsert(
                    OrganizationLiaison, {"organization": organization, "committee": casco}, {"category": row.category}
                )
        for category, text in page.category_notes.items():
            self.w.upsert(CategoryNote, {"committee": casco, "category": category}, {"text": text})

        # Groups, their partners and the standards their titles name.
        for row in page.groups:
            responsible = self.committee(row.committee_reference)
            if responsible is None:
                continue
            partners = [self.committee(reference) for reference in row.partner_committees]
            group = self.w.upsert(
                Group,
                {"reference": row.reference},
                {"title": row.title, "type_label": row.type_label, "kind": row.kind, "committee": responsible},
                m2m={
                    "partner_committees": [c for c in partners if c is not None],
                    "partner_organizations": [
                        organizations[a] for a in row.partner_organizations if organizations[a] is not None
                    ],
                },
            )
            if group is None:
                continue
            for mention in row.standards:
                stated = {k: v for k, v in (("title", mention.title), ("abbreviation", mention.abbreviation)) if v}
                standard = self.w.upsert(Standard, {"reference": mention.reference}, stated)
                if standard is not None:
                    self.w.upsert(GroupStandard, {"group": group, "standard": standard}, {"work": mention.work})

    # -- the announcement -------------------------------------------------------------------
    def _stated_by_committee_pages(self, model):
        """What the committee pages said of ``model``'s records at their last import (snapshots)."""
        label = model._meta.label_lower
        return [
            (json.loads(snapshot.key), snapshot.values)
            for (_, snapshot_model, _), snapshot in self.w.snapshots.items()
            if snapshot_model == label and snapshot.source.kind == SourcePageKind.COMMITTEE_PAGE
        ]

    def announcement(self, page):
        source = self.w.source
        casco = Committee.objects.filter(reference="ISO/CASCO").first()
        if casco is None:
            raise ImportFailed(
                f"{source.file_name}: import the ISO/CASCO committee page before (or with) the announcement"
            )
        terms = self.page_terms.get("ISO/CASCO")
        if terms is None:
            stated = sorted(
                (key[1], values["text"]) for key, values in self._stated_by_committee_pages(TermOfReference)
            )
            terms = [text for _, text in stated] if stated else None
        if terms is None:  # imported before snapshots were kept: the imported terms
            terms = list(casco.terms_of_reference.exclude(source=None).values_list("text", flat=True))
        if page.aims != terms:
            raise ImportFailed(
                f"{source.file_name}: the aims the announcement quotes differ from CASCO's terms of reference"
            )
        titles = dict(self.page_group_titles)
        if not titles:
            titles = {
                _match_key(values["title"]): (key[0], values["title"])
                for key, values in self._stated_by_committee_pages(Group)
                if "title" in values
            }
        groups = {group.reference: group for group in casco.groups.all()}
        by_title = {_match_key(group.title): group for group in groups.values()}
        for participation in page.participations:
            name = _match_key(participation.group_name)
            reference, published_title = titles.get(name, (None, None))
            group = groups.get(reference) or by_title.get(name)
            if group is None:
                raise ImportFailed(
                    f"{source.file_name}: section “Participation”: no CASCO group is called "
                    f"“{participation.group_name}”"
                )
            self.w.upsert(
                Group,
                {"reference": group.reference},
                {"description": participation.group_description, "description_source": source},
                mark_source=False,
            )
            organization = self.w.upsert(Organization, {"acronym": participation.organization_acronym}, {})
            if organization is None:
                continue
            published_title = published_title if reference == group.reference else group.title
            name_in_source = participation.group_name if participation.group_name != published_title else ""
            self.w.upsert(
                GroupParticipation,
                {"organization": organization, "group": group},
                {"name_in_source": name_in_source, "purpose": participation.purpose},
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
                host = self.w.upsert(Organization, {"acronym": info.host_acronym}, stated)
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
            )


@dataclass
class _ParsedPage:
    kind: str
    name: str
    sha256: str
    text: str
    title: str
    published_on: object
    page: object


def source_page_parse(name, raw):
    """Read one page given as bytes under the file name it is imported as, and check that it is
    that page: a page of the same kind as the one kept under this name (or, for the portal's own
    file names, the kind they hold) and, for a page already imported, the same page (the same
    committee's page, the same announcement). Raises ``ImportFailed`` naming what is wrong."""
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
    existing = SourcePage.objects.filter(file_name=name).first()
    expected = existing.kind if existing else DEFAULT_SOURCE_KINDS.get(name)
    if expected and expected != kind:
        raise WrongPage(
            f"{name}: this is a {SourcePageKind(kind).label.lower()} (“{title}”), but {name} is a "
            f"{SourcePageKind(expected).label.lower()}: choose the page it replaces"
        )
    if existing and existing.title != title:
        raise WrongPage(f"{name}: this page is “{title}”, not “{existing.title}”: choose the page it replaces")
    return _ParsedPage(kind, name, sha256, text, title, published_on, page)


def source_pages_import(*, paths=None, user=None, now=None, dry_run=False, remove_missing=False):
    """Import the given source page files (by default the copies in fixtures/sources/).

    Returns an ``ImportReport``; raises ``ImportFailed`` (with nothing written) on any error."""
    paths = [Path(p) for p in (paths or default_source_paths())]
    return source_texts_import(
        pages=[(path.name, _read(path)) for path in paths],
        user=user,
        now=now,
        dry_run=dry_run,
        remove_missing=remove_missing,
    )


def import_change_reason(name, sha256):
    """The reason the history of every record an import writes gives (at most 100 characters)."""
    return f"import of {name[:60]} sha256 {sha256[:16]}"


def source_texts_import(*, pages, user=None, now=None, dry_run=False, remove_missing=False):
    """Import pages given as ``(file_name, bytes)`` pairs (e.g. an upload in admin). A page's file
    name identifies its ``SourcePage``: a newer copy under the same name updates that page's
    records (merging, see the module's docstring) and is kept as a new ``SourcePageVersion``.

    ``dry_run``: do everything, report it, and roll it all back. ``remove_missing``: the
    secretariat confirms removing what the pages no longer list.

    Returns an ``ImportReport``; raises ``ImportFailed`` (with nothing written) on any error."""
    if not pages:
        raise ImportFailed("no source page given")
    now = now or timezone.now()
    parsed = [source_page_parse(name, raw) for name, raw in pages]
    names = [item.name for item in parsed]
    if len(set(names)) != len(names):
        raise ImportFailed("the same file name is given twice")
    # Committee pages first: the announcement refers to their groups.
    parsed.sort(key=lambda item: item.kind != SourcePageKind.COMMITTEE_PAGE)

    report = ImportReport(dry_run=dry_run, remove_missing=remove_missing)
    with transaction.atomic():
        writer = _Writer(report=report, now=now, user=user, remove_missing=remove_missing)
        importer = _PageImporter(writer)
        for item in parsed:
            source = _source_page_store(item, now)
            writer.begin_page(source, import_change_reason(item.name, item.sha256))
            if item.kind == SourcePageKind.COMMITTEE_PAGE:
                importer.committee_page(item.page)
            else:
                importer.announcement(item.page)
            writer.end_page()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _source_page_store(item, now):
    """The page's ``SourcePage``, pointing at this copy, and the copy's text as a version."""
    values = {"title": item.title, "kind": item.kind, "published_on": item.published_on, "sha256": item.sha256}
    source = SourcePage.objects.filter(file_name=item.name).first()
    if source is None:
        source = SourcePage.objects.create(file_name=item.name, imported_at=now, **values)
    elif any(getattr(source, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(source, name, value)
        source.imported_at = now
        source.save()
    SourcePageVersion.objects.get_or_create(
        source=source, sha256=item.sha256, defaults={"text": item.text, "imported_at": now}
    )
    return source
