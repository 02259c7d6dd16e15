"""Parsers for the two published source pages: the ISO/CASCO committee page and the news
announcement of the 2019 plenary.

They read the pages' text as published (non-breaking spaces, irregular spacing, section headings,
header rows) and return plain data; they never touch the database. Every line of a page must be
understood: a line the parser cannot place is an error naming the section and line, so that no fact
is silently lost. The only lines read and set aside are the page furniture listed in
``COMMITTEE_PAGE_FURNITURE`` and the decorative image description after "More information ...".
"""

import datetime
import re
from dataclasses import dataclass, field

from core.references import (
    COMMITTEE_REFERENCE_PATTERN,
    GROUP_REFERENCE_PATTERN,
    normalise_committee_reference,
    normalise_spaces,
)


class SourcePageError(ValueError):
    """A page that cannot be read; names the page, section and line."""

    def __init__(self, message, *, page="", section="", line_no=None, line=""):
        self.page, self.section, self.line_no, self.line = page, section, line_no, line
        where = []
        if page:
            where.append(page)
        if section:
            where.append(f"section “{section}”")
        if line_no is not None:
            where.append(f"line {line_no}")
        text = f"{', '.join(where)}: {message}" if where else message
        if line:
            text += f" (read: “{line[:120]}”)"
        super().__init__(text)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class CommitteeRow:
    reference: str
    title: str
    body: str


@dataclass
class StandardMention:
    reference: str
    title: str = ""
    abbreviation: str = ""
    work: str = "work"  # development | revision | work


@dataclass
class GroupRow:
    reference: str
    title: str
    type_label: str
    committee_reference: str
    kind: str
    partner_committees: list[str] = field(default_factory=list)
    partner_organizations: list[str] = field(default_factory=list)
    standards: list[StandardMention] = field(default_factory=list)


@dataclass
class OrganizationRow:
    acronym: str
    name: str
    category: str


@dataclass
class CommitteePage:
    committee_reference: str
    title: str
    summary: str
    membership_rules: str
    terms_of_reference: list[str]
    published_standards: int
    standards_under_development: int
    participating_members: int
    observing_members: int
    standards_count_note: str
    groups: list[GroupRow]
    incoming: list[CommitteeRow]  # can access the committee's documents
    outgoing: list[CommitteeRow]  # the committee can access their documents
    organizations: list[OrganizationRow]
    category_notes: dict[str, str]


@dataclass
class Participation:
    organization_acronym: str
    group_name: str
    group_description: str
    purpose: str


@dataclass
class MeetingInfo:
    kind: str
    year: int
    title: str
    description: str
    host_acronym: str = ""
    host_name: str = ""
    host_description: str = ""
    country: str = ""


@dataclass
class Announcement:
    title: str
    published_on: datetime.date
    aims: list[str]
    meetings: list[MeetingInfo]
    participations: list[Participation]


# ---------------------------------------------------------------------------------------------
# Line reader


@dataclass
class Line:
    no: int
    raw: str
    text: str


class Reader:
    """Walks a page's lines, skipping blank ones, and raises errors that say where."""

    def __init__(self, text, page):
        if not text or not text.strip():
            raise SourcePageError("the page is empty", page=page)
        self.page = page
        self.section = "start of page"
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.lines = [Line(no, raw, normalise_spaces(raw)) for no, raw in enumerate(lines, start=1)]
        self.pos = 0

    def _skip_blank(self):
        while self.pos < len(self.lines) and not self.lines[self.pos].text:
            self.pos += 1

    def peek(self):
        self._skip_blank()
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    def at_end(self):
        return self.peek() is None

    def next(self, what):
        line = self.peek()
        if line is None:
            self.fail(f"the page ends where {what} was expected (truncated page?)")
        self.pos += 1
        return line

    def expect(self, text, *, section=None):
        line = self.next(f"“{text}”")
        if line.text.casefold() != text.casefold():
            self.fail(f"expected “{text}”", line)
        if section:
            self.section = section
        return line

    def fail(self, message, line=None):
        if line is None:
            line = self.peek()
        raise SourcePageError(
            message,
            page=self.page,
            section=self.section,
            line_no=line.no if line else len(self.lines),
            line=line.text if line else "",
        )

    def bullets(self, what):
        items = []
        while (line := self.peek()) is not None and line.text.startswith("•"):
            self.pos += 1
            item = line.text.lstrip("•").strip()
            if not item:
                self.fail("empty list item", line)
            items.append((line, item))
        if not items:
            self.fail(f"expected a bulleted list of {what}")
        return items


# ---------------------------------------------------------------------------------------------
# The committee page

COMMITTEE_PAGE_FURNITURE = ("About", "Quick links", "More information about CASCO and related ISO activities")
GROUP_TYPE_LABELS = (
    "Joint working group",
    "Working group",
    "Ad hoc group",
    "Advisory group",
    "Task force",
    "Chair's advisory group",
)
BODIES = ("ISO/IEC", "ISO", "IEC")

_COMMITTEE_ROW_RE = re.compile(
    rf"^(?P<reference>{COMMITTEE_REFERENCE_PATTERN}) (?P<title>.+) (?P<body>ISO/IEC|ISO|IEC)$"
)
_GROUP_REFERENCE_START_RE = re.compile(rf"^(?P<reference>{GROUP_REFERENCE_PATTERN})(?: (?P<rest>.*))?$")
_COMMITTEE_OF_GROUP_RE = re.compile(rf"^(?P<committee>{COMMITTEE_REFERENCE_PATTERN})/")
_COUNT_RE = re.compile(r"^[0-9]{1,6}$")
_JOINT_TITLE_RE = re.compile(r"^Joint (?P<parties>.+?) WG: (?P<topic>.+)$")
# As written in running text, where "ISO TS 17012" may stand for "ISO/TS 17012".
_STANDARD_IN_TEXT_RE = re.compile(r"(?P<reference>(?:ISO/IEC|ISO)(?:[/ ](?:TS|TR|PAS|IWA))? [0-9]+(?:-[0-9]+)*)")
_COUNTS_NOTE_RE = re.compile(r"^\* ?(?P<note>.+)$")
_CASCO_TITLE_RE = re.compile(r"^ISO committee for .+ \((?P<acronym>[A-Z]+)\)$")


def _committee_label_count(reader, label):
    line = reader.next(f"a count followed by “{label}”")
    if not _COUNT_RE.match(line.text):
        reader.fail(f"expected the number of {label.rstrip(' *').lower()}", line)
    label_line = reader.next(f"“{label}”")
    starred = label_line.text.endswith("*")
    if label_line.text.rstrip(" *").casefold() != label.rstrip(" *").casefold():
        reader.fail(f"expected “{label}” after the number {line.text}", label_line)
    return int(line.text), starred


def derive_group_kind(reference, title):
    """The finer type of a group, from its reference (and, for a hosted group, its title)."""
    code = reference.rsplit("/", 1)[-1]
    if title.startswith("Hosted "):
        return "hosted_group"
    if code.endswith("JSG"):
        return "joint_strategic_group"
    if re.match(r"^JWG [0-9]+$", code):
        return "joint_working_group"
    if re.match(r"^WG [0-9]+$", code):
        return "working_group"
    if code.startswith("AHG"):
        return "ad_hoc_group"
    if code in {"CPC", "TIG"}:
        return "policy_coordination_group"
    if code == "STAR":
        return "strategic_regulatory_group"
    if code.endswith("TF"):
        return "task_force"
    return "working_group"


def _normalise_standard_reference(text):
    return re.sub(r"^(ISO(?:/IEC)?) (TS|TR|PAS|IWA) ", r"\1/\2 ", text)


def standards_in_title(title):
    """The standards a group's title names, with the kind of work (development, revision)."""
    found = []
    for match in _STANDARD_IN_TEXT_RE.finditer(title):
        reference = _normalise_standard_reference(match.group("reference"))
        before = title[: match.start()].rstrip()
        after = title[match.end() :].strip()
        work = "work"
        if before.endswith("Revision of"):
            work = "revision"
        elif before.endswith("Development of"):
            work = "development"
        abbreviation = ""
        standard_title = ""
        abbreviation_match = re.match(r"^\((?P<abbr>[A-Z]{2,10})\)$", after)
        if abbreviation_match:
            abbreviation = abbreviation_match.group("abbr")
        elif after:
            standard_title = re.sub(r"^-\s*", "", after).rstrip(".").strip()
        found.append(StandardMention(reference, standard_title, abbreviation, work))
    return found


def joint_partners(title, responsible_committee, organization_acronyms):
    """Partner committees and organizations of a joint group, read from its title.

    ``Joint ISO/CASCO - ISO/TC232 WG: ...`` -> committees [ISO/TC 232] (the responsible one left out);
    ``IAF-ILAC-ISO Joint Strategic Group`` -> organizations [IAF, ILAC]."""
    committees, organizations = [], []
    match = _JOINT_TITLE_RE.match(title)
    if match:
        for party in re.split(r"\s*-\s*", match.group("parties")):
            reference = normalise_committee_reference(party)
            if reference != responsible_committee and reference not in committees:
                committees.append(reference)
    strategic = re.match(r"^(?P<parties>[A-Za-z]+(?:-[A-Za-z]+)+) Joint Strategic Group$", title)
    if strategic:
        for party in strategic.group("parties").split("-"):
            if party in organization_acronyms:
                organizations.append(party)
    return committees, organizations


def _split_group_row(reader, line, with_type):
    raw = line.raw.strip().replace("\u202f", " ")
    # Most rows separate reference and title with a non-breaking space; use it where present.
    if "\xa0" in raw:
        reference, _, rest = raw.partition("\xa0")
        reference, rest = normalise_spaces(reference), normalise_spaces(rest)
    else:
        match = _GROUP_REFERENCE_START_RE.match(line.text)
        if not match:
            reader.fail("expected a group reference such as “ISO/CASCO/WG 30”", line)
        reference, rest = match.group("reference"), match.group("rest") or ""
    if not re.match(rf"^{GROUP_REFERENCE_PATTERN}$", reference):
        reader.fail(f"“{reference}” is not a group reference", line)
    type_label = ""
    if with_type:
        for label in GROUP_TYPE_LABELS:
            if rest.endswith(f" {label}"):
                type_label = label
                rest = rest[: -len(label)].rstrip()
                break
        else:
            reader.fail("the row has no type (e.g. “Working group”) at its end", line)
    if not rest:
        reader.fail(f"the group {reference} has no title", line)
    return reference, rest, type_label


def _group_rows(reader, *, with_type, stop):
    rows = []
    while (line := reader.peek()) is not None and not stop(line):
        reader.pos += 1
        reference, title, type_label = _split_group_row(reader, line, with_type)
        committee = _COMMITTEE_OF_GROUP_RE.match(reference)
        committee_reference = committee.group("committee") if committee else ""
        rows.append(
            (
                line,
                GroupRow(
                    reference=reference,
                    title=title,
                    type_label=type_label,
                    committee_reference=committee_reference,
                    kind=derive_group_kind(reference, title),
                    standards=standards_in_title(title),
                ),
            )
        )
    if not rows:
        reader.fail("the table has no rows")
    return rows


def _committee_rows(reader, stop):
    rows = []
    while (line := reader.peek()) is not None and not stop(line):
        reader.pos += 1
        match = _COMMITTEE_ROW_RE.match(line.text)
        if not match:
            reader.fail("expected “reference title body”, e.g. “ISO/TC 34 Food products ISO”", line)
        rows.append(CommitteeRow(match.group("reference"), match.group("title"), match.group("body")))
    if not rows:
        reader.fail("the table has no rows")
    seen = set()
    for row in rows:
        if row.reference in seen:
            reader.fail(f"{row.reference} is listed twice")
        seen.add(row.reference)
    return rows


def _split_organization(text):
    """``TIC Council TIC Council`` -> (``TIC Council``, ``TIC Council``); otherwise the acronym is
    the first word: ``VET21001 VET21001 Consortium`` -> (``VET21001``, ``VET21001 Consortium``)."""
    words = text.split(" ")
    if len(words) % 2 == 0:
        half = len(words) // 2
        if words[:half] == words[half:]:
            name = " ".join(words[:half])
            return name, name
    if len(words) < 2:
        return words[0], ""
    return words[0], " ".join(words[1:])


def _organization_rows(reader, allowed, stop):
    rows = []
    while (line := reader.peek()) is not None and not stop(line):
        reader.pos += 1
        match = re.match(r"^(?P<rest>.+) (?P<category>[A-Z])$", line.text)
        if not match:
            reader.fail("expected “acronym title category”", line)
        category = match.group("category")
        if category not in allowed:
            reader.fail(f"category {category} does not belong in this table (expected {' or '.join(allowed)})", line)
        acronym, name = _split_organization(match.group("rest"))
        if not name:
            reader.fail("the organization has no name", line)
        rows.append(OrganizationRow(acronym, name, category))
    return rows


def _is_heading(*starts):
    return lambda line: any(line.text.casefold().startswith(s.casefold()) for s in starts)


def parse_committee_page(text, page="committee page"):
    reader = Reader(text, page)
    reader.expect("About", section="About")
    reader.expect("Scope", section="Scope")
    reader.expect("Membership", section="Membership")
    membership = []
    while (line := reader.peek()) is not None and line.text.casefold() != "terms of reference":
        reader.pos += 1
        membership.append(line.text)
    if not membership:
        reader.fail("the membership rules are missing")
    reader.expect("Terms of reference", section="Terms of reference")
    terms = [item for _, item in reader.bullets("terms of reference")]

    reader.expect(COMMITTEE_PAGE_FURNITURE[2], section="Committee summary")
    reader.next("the image description")  # decorative: the alt text of the page's photograph
    title_line = reader.next("the committee's title")
    title_match = _CASCO_TITLE_RE.match(title_line.text)
    if not title_match:
        reader.fail(
            "expected the committee's title, e.g. “ISO committee for conformity assessment (CASCO)”", title_line
        )
    committee_reference = f"ISO/{title_match.group('acronym')}"
    summary = reader.next("the committee's summary").text

    reader.expect("Quick links", section="Quick links")
    published, published_star = _committee_label_count(reader, "Published ISO standards *")
    developing, developing_star = _committee_label_count(reader, "ISO standards under development *")
    participating, _ = _committee_label_count(reader, "Participating members")
    observing, _ = _committee_label_count(reader, "Observing members")
    note = ""
    if published_star or developing_star:
        note_line = reader.next("the note on the starred numbers")
        note_match = _COUNTS_NOTE_RE.match(note_line.text)
        if not note_match:
            reader.fail("expected the note for the numbers marked *", note_line)
        note = note_match.group("note")

    reader.section = "Groups"
    reader.expect("Reference Title Type")
    joint_heading = "Joint working groups under the responsibility of another committee"
    group_rows = _group_rows(reader, with_type=True, stop=_is_heading(joint_heading))
    for line, row in group_rows:
        if row.committee_reference != committee_reference:
            reader.fail(f"{row.reference} is not a group of {committee_reference}", line)
    reader.expect(joint_heading, section="Joint working groups")
    reader.expect("Reference Title")
    joint_rows = _group_rows(reader, with_type=False, stop=_is_heading("Liaison Committees to"))

    reader.expect(f"Liaison Committees to {committee_reference}", section="Liaison committees to")
    reader.expect(f"The committees below can access the documents of {committee_reference}:")
    reader.expect("Reference Title ISO/IEC")
    incoming = _committee_rows(reader, _is_heading("Liaison Committees from"))

    reader.expect(f"Liaison Committees from {committee_reference}", section="Liaison committees from")
    reader.expect(f"{committee_reference} can access the documents of the committees below:")
    reader.expect("Reference Title ISO/IEC")
    outgoing = _committee_rows(reader, _is_heading("Organizations in liaison"))

    reader.expect("Organizations in liaison (Category A and B)", section="Organizations in liaison (A and B)")
    reader.expect("Acronym Title Category")
    organizations = _organization_rows(reader, ("A", "B"), _is_heading("Organizations in liaison"))
    reader.expect("Organizations in liaison (Category C)", section="Organizations in liaison (C)")
    category_notes = {}
    note_line = reader.next("the note on category C")
    if not note_line.text.startswith("C liaisons"):
        reader.fail("expected the note on category C liaisons", note_line)
    category_notes["C"] = note_line.text
    reader.expect("Acronym Title Category")
    organizations += _organization_rows(reader, ("C",), lambda line: False)

    acronyms = [row.acronym for row in organizations]
    if len(set(acronyms)) != len(acronyms):
        reader.fail("an organization is listed twice")
    groups = []
    for _, row in group_rows + joint_rows:
        row.partner_committees, row.partner_organizations = joint_partners(
            row.title, row.committee_reference, set(acronyms)
        )
        groups.append(row)
    references = [row.reference for row in groups]
    if len(set(references)) != len(references):
        reader.fail("a group is listed twice")

    return CommitteePage(
        committee_reference=committee_reference,
        title=title_line.text,
        summary=summary,
        membership_rules=" ".join(membership),
        terms_of_reference=terms,
        published_standards=published,
        standards_under_development=developing,
        participating_members=participating,
        observing_members=observing,
        standards_count_note=note,
        groups=groups,
        incoming=incoming,
        outgoing=outgoing,
        organizations=organizations,
        category_notes=category_notes,
    )


# ---------------------------------------------------------------------------------------------
# The announcement

_QUOTES = "‘’“”'\""
DEMONYMS = {"Kenyan": "Kenya"}
_HOST_RE = re.compile(
    r"^The (?P<year>[0-9]{4}) Plenary is hosted by the (?P<name>.+?) \((?P<acronym>[A-Z]{2,10})\), "
    r"the (?P<description>(?P<demonym>[A-Z][a-z]+) National Standards Body)\.$"
)
_PARTICIPATION_RE = re.compile(
    r"^(?P<acronym>[A-Z]{2,10}) also actively participates in other (?P<committee>[A-Z]+) groups "
    r"(?P<purpose>with .+?)\. These \w+ groups are:$"
)
_PARTICIPATION_ITEM_RE = re.compile(r"^(?P<name>.+?) which (?P<description>.+)$")
_WORKSHOP_RE = re.compile(
    r"^Additionally in (?P<year>[0-9]{4}), (?P<host>[A-Z]{2,10}) are hosting a (?P<what>workshop on [^.]+)\. "
    r"AS [A-Z]{2,10} states, [‘'“\"](?P<quote>.+)[’'”\"]$"
)


def parse_announcement(text, page="announcement"):
    reader = Reader(text, page)
    title = reader.next("the announcement's title").text
    reader.section = "Date"
    date_line = reader.next("the date of the announcement")
    try:
        published_on = datetime.datetime.strptime(date_line.text, "%B %d, %Y").date()
    except ValueError:
        reader.fail("expected a date such as “May 1, 2019”", date_line)

    reader.section = "Plenary"
    intro = reader.next("the introduction to the plenary")
    if not intro.text.startswith("The ISO CASCO Plenary is"):
        reader.fail("expected the paragraph introducing the ISO CASCO Plenary", intro)
    host_line = reader.next("the plenary's host")
    host = _HOST_RE.match(host_line.text)
    if not host:
        reader.fail(
            "expected “The YYYY Plenary is hosted by the NAME (ACRONYM), the ... National Standards Body.”", host_line
        )
    if host.group("demonym") not in DEMONYMS:
        reader.fail(f"unknown nationality “{host.group('demonym')}”", host_line)

    reader.section = "Aims"
    aims_line = reader.next("the committee's aims")
    if not re.match(r"^ISO states the \w+’?'?s aims as:$", aims_line.text):
        reader.fail("expected “ISO states the CASCO’s aims as:”", aims_line)
    aims = [item.strip(_QUOTES) for _, item in reader.bullets("aims")]

    reader.section = "Plenary"
    closing = reader.next("the plenary's purpose")
    if not closing.text.startswith("The Plenary "):
        reader.fail("expected the paragraph on what the Plenary looks to do", closing)

    reader.section = "Participation"
    participation_line = reader.next("the paragraph on participation in CASCO groups")
    participation = _PARTICIPATION_RE.match(participation_line.text)
    if not participation:
        reader.fail(
            "expected “ACRONYM also actively participates in other CASCO groups with ... These CASCO groups are:”",
            participation_line,
        )
    participations = []
    for line, item in reader.bullets("groups"):
        match = _PARTICIPATION_ITEM_RE.match(item)
        if not match:
            reader.fail("expected “GROUP NAME which WHAT IT DOES.”", line)
        participations.append(
            Participation(
                organization_acronym=participation.group("acronym"),
                group_name=match.group("name"),
                group_description=match.group("description"),
                purpose=participation.group("purpose"),
            )
        )

    reader.section = "Workshop"
    workshop_line = reader.next("the paragraph on the workshop")
    workshop = _WORKSHOP_RE.match(workshop_line.text)
    if not workshop:
        reader.fail(
            "expected “Additionally in YYYY, ISO are hosting a workshop on ... AS ISO states, ‘...’”", workshop_line
        )
    if (extra := reader.peek()) is not None:
        reader.fail("unexpected text after the last paragraph", extra)

    year = int(host.group("year"))
    plenary = MeetingInfo(
        kind="plenary",
        year=year,
        title=f"{year} ISO/CASCO Plenary",
        description="\n\n".join([intro.text, host_line.text, closing.text]),
        host_acronym=host.group("acronym"),
        host_name=host.group("name"),
        host_description=f"the {host.group('description')}",
        country=DEMONYMS[host.group("demonym")],
    )
    workshop_year = int(workshop.group("year"))
    workshop_meeting = MeetingInfo(
        kind="workshop",
        year=workshop_year,
        title=f"{workshop_year} {workshop.group('host')} {workshop.group('what')}",
        description=workshop.group("quote"),
        host_acronym=workshop.group("host"),
    )
    return Announcement(
        title=title,
        published_on=published_on,
        aims=aims,
        meetings=[plenary, workshop_meeting],
        participations=participations,
    )


def detect_page_kind(text):
    """``committee_page`` or ``announcement``, from the page's first line."""
    first = next((normalise_spaces(line) for line in text.splitlines() if normalise_spaces(line)), "")
    if first.casefold() == "about":
        return "committee_page"
    if first:
        return "announcement"
    raise SourcePageError("the page is empty")
