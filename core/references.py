"""Reference grammar shared by models, importer, forms and API.

ISO and IEC references look like ``ISO/TC 207/SC 2``, ``ISO/IEC JTC 1/SC 27``, ``ISO/PC 250``,
``ISO/CASCO`` or ``IEC/CAB``; a group adds one or more segments (``ISO/CASCO/WG 30``,
``ISO/CASCO/IAF/ILAC JSG``, ``ISO/TC 207/SC 2/JWG 1``).
"""

import re

# A committee: the joint technical committee (with an optional SC), or a body prefix and either a
# numbered TC/PC (with an optional SC) or a named body such as CASCO, COPOLCO, DEVCO or CAB.
COMMITTEE_REFERENCE_PATTERN = (
    r"(?:ISO/IEC JTC [0-9]+(?:/SC [0-9]+)?|(?:ISO|IEC)/(?:(?:TC|PC) [0-9]+(?:/SC [0-9]+)?|[A-Z]{2,12}))"
)
COMMITTEE_REFERENCE_RE = re.compile(rf"^{COMMITTEE_REFERENCE_PATTERN}$")

# A group segment: a code of letters (``WG``, ``AHG``, ``INetQI``) with an optional number or
# an all-capitals suffix (``WG 30``, ``ILAC JSG``).
GROUP_SEGMENT_PATTERN = r"[A-Za-z][A-Za-z0-9]*(?: [0-9]+| [A-Z]{2,6})?"
GROUP_REFERENCE_PATTERN = rf"{COMMITTEE_REFERENCE_PATTERN}(?:/{GROUP_SEGMENT_PATTERN})+"
GROUP_REFERENCE_RE = re.compile(rf"^{GROUP_REFERENCE_PATTERN}$")

STANDARD_REFERENCE_PATTERN = r"(?:ISO/IEC|ISO)(?:/(?:TS|TR|PAS|IWA))? [0-9]+(?:-[0-9]+)*(?::[0-9]{4})?"
STANDARD_REFERENCE_RE = re.compile(rf"^{STANDARD_REFERENCE_PATTERN}$")

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")


def slug_for(reference: str, max_length: int | None = None) -> str:
    """The reference lower-cased, every run of other characters turned into one hyphen; with
    ``max_length``, cut to fit at the last hyphen before it (a meeting's slug is made from its
    title, which may be longer than the slug's column).

    >>> slug_for("ISO/TC 207/SC 2")
    'iso-tc-207-sc-2'
    >>> slug_for("Workshop on conformity assessment", 20)
    'workshop-on'
    """
    slug = _NON_SLUG.sub("-", reference.lower()).strip("-")
    if max_length is not None and len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
    return slug.strip("-")


# How much longer than its text a sort key can be: a one-digit number becomes three characters
# (two of length, one digit) and case folding turns one character into three at most ("ΐ"). A
# sort key column SORT_KEY_GROWTH times as long as the field it is made from never overflows.
SORT_KEY_GROWTH = 3
# A number's length is written in two digits; a longer number (which no field can hold: the
# longest is 80 characters) is ordered among its peers by its digits alone.
_LONGEST_NUMBER = 99


def _number_key(match):
    digits = match.group(0).lstrip("0") or "0"
    return f"{min(len(digits), _LONGEST_NUMBER):02d}{digits}"


def natural_sort_key(reference: str) -> str:
    """A text key that sorts numbers by value: WG 30 < WG 61 < WG 64, TC 34 < TC 207.

    The text is case-folded and each number is written as its length in two digits followed by
    its digits without leading zeros ("TC 207" -> "tc 03207"): a longer number sorts after a
    shorter one and numbers of one length by their digits, so the key orders by value whatever
    the number's size. The key is at most ``SORT_KEY_GROWTH`` times the text's length (padding
    every number to a fixed width made "ISO 1-1-1-…" overflow its column)."""
    return _DIGITS.sub(_number_key, reference.casefold())


def sort_key_length(max_length: int) -> int:
    """The longest sort key of a text of at most ``max_length`` characters."""
    return SORT_KEY_GROWTH * max_length


def normalise_spaces(text: str) -> str:
    """Non-breaking spaces become spaces, runs of white space one space, ends trimmed."""
    return " ".join(text.replace("\xa0", " ").split())


def normalise_committee_reference(text: str) -> str:
    """Tidy a reference as written in running text: ``ISO/TC232`` -> ``ISO/TC 232``,
    ``TC 207/SC 7`` -> ``ISO/TC 207/SC 7``, ``CASCO`` -> ``ISO/CASCO``."""
    text = normalise_spaces(text)
    text = re.sub(r"\b(TC|PC|JTC|SC)\s*([0-9]+)", r"\1 \2", text)
    if not re.match(r"^(?:ISO|IEC)\b", text):
        text = f"ISO/{text}"
    return text


def body_of(reference: str) -> str:
    """ISO, IEC or ISO/IEC, from a committee reference's prefix."""
    if reference.startswith("ISO/IEC "):
        return "ISO/IEC"
    return reference.split("/", 1)[0]


def parent_reference(reference: str) -> str | None:
    """``ISO/TC 207/SC 2`` -> ``ISO/TC 207``; ``ISO/IEC JTC 1/SC 27`` -> ``ISO/IEC JTC 1``."""
    match = re.match(r"^(?P<parent>.+)/SC [0-9]+$", reference)
    return match.group("parent") if match else None


# The kind of committee a numbered reference names, by the pattern of its end; a committee with
# a named reference (ISO/CASCO, IEC/CAB, ISO/DEVCO) is a policy committee or a board.
NUMBERED_COMMITTEE_KINDS = {
    "subcommittee": r"/SC [0-9]+$",
    "joint_technical_committee": r"^ISO/IEC JTC [0-9]+$",
    "technical_committee": r"^(ISO|IEC)/TC [0-9]+$",
    "project_committee": r"^(ISO|IEC)/PC [0-9]+$",
}
NAMED_COMMITTEE_KINDS = ("policy_committee", "board")
# The kinds of committee that have subcommittees.
PARENT_COMMITTEE_KINDS = ("technical_committee", "joint_technical_committee")


def committee_kinds_for(reference: str) -> tuple[str, ...]:
    """The kinds (values of ``CommitteeKind``) a committee with this reference may have:
    ``ISO/TC 207/SC 2`` is a subcommittee, ``ISO/IEC JTC 1`` a joint technical committee,
    ``ISO/CASCO`` a policy committee or a board."""
    for kind, pattern in NUMBERED_COMMITTEE_KINDS.items():
        if re.search(pattern, reference):
            return (kind,)
    return NAMED_COMMITTEE_KINDS


def committee_kind_of(reference: str) -> str:
    """The kind of committee a reference names (values of ``CommitteeKind``)."""
    if re.search(r"/SC [0-9]+$", reference):
        return "subcommittee"
    if re.search(r"JTC [0-9]+$", reference):
        return "joint_technical_committee"
    if re.search(r"/TC [0-9]+$", reference):
        return "technical_committee"
    if re.search(r"/PC [0-9]+$", reference):
        return "project_committee"
    if reference.endswith("/CAB"):
        return "board"
    return "policy_committee"
