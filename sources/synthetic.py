"""Synthetic data for benchmarks and query-count tests: N times as many committees, groups,
liaisons, organizations, meetings and standards as the real data, all attached to one
``SourcePage`` of kind ``synthetic`` so they are clearly marked and removable in one call."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casco_portal.cache import bump_data_version
from committees.models import (
    Body,
    Committee,
    CommitteeKind,
    Group,
    GroupKind,
    GroupStandard,
    SourcePage,
    SourcePageKind,
    Standard,
    StandardWork,
)
from core.references import natural_sort_key, slug_for
from liaisons.models import Category, CommitteeLiaison, Direction, Organization, OrganizationLiaison
from meetings.models import Meeting, MeetingKind

SYNTHETIC_FILE_NAME = "synthetic-data"
# Per unit of N, as many records as the real data has.
PER_UNIT = {"committees": 56, "groups": 17, "liaisons": 48, "organizations": 28, "meetings": 2, "standards": 6}
FIRST_NUMBER = 100_000  # synthetic TC numbers start here, far above any real one


def _checked(obj):
    """``obj`` once its text fields are known to fit their columns: ``bulk_create`` skips
    ``save()``, which checks them on every other path."""
    if errors := obj.length_errors():
        raise ValidationError(errors)
    return obj


def _keys(obj, reference):
    obj.slug = slug_for(reference)
    obj.sort_key = natural_sort_key(reference)
    return _checked(obj)


@transaction.atomic
def synthetic_data_create(*, factor, casco=None):
    """Add ``factor`` times the real data's volume of synthetic records; returns counts."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    now = timezone.now()
    source, _ = SourcePage.objects.get_or_create(
        file_name=SYNTHETIC_FILE_NAME,
        defaults={
            "title": "Synthetic data (not from any published page)",
            "kind": SourcePageKind.SYNTHETIC,
            "sha256": "0" * 64,
            "imported_at": now,
        },
    )
    casco = casco or Committee.objects.filter(reference="ISO/CASCO").first()
    start = FIRST_NUMBER + Committee.objects.filter(source=source).count()
    marks = {"source": source, "imported_at": now}

    count = PER_UNIT["committees"] * factor
    committees = [
        _keys(
            Committee(
                reference=f"ISO/TC {start + i}",
                title=f"Synthetic committee {start + i}",
                body=Body.ISO,
                kind=CommitteeKind.TECHNICAL_COMMITTEE,
                **marks,
            ),
            f"ISO/TC {start + i}",
        )
        for i in range(count)
    ]
    Committee.objects.bulk_create(committees, batch_size=500)
    committees = list(Committee.objects.filter(source=source, reference__in=[c.reference for c in committees]))

    liaison_holder = casco or committees[0]
    directions = [Direction.INCOMING, Direction.OUTGOING, Direction.BOTH]
    liaisons = [
        # bulk_create does not call save(): the ordering copies of the sort keys are set here.
        CommitteeLiaison(
            committee=liaison_holder,
            liaison_committee=committee,
            direction=directions[i % 3],
            committee_sort_key=liaison_holder.sort_key,
            liaison_committee_sort_key=committee.sort_key,
            **marks,
        )
        for i, committee in enumerate(committees[: PER_UNIT["liaisons"] * factor])
        if committee.pk != liaison_holder.pk
    ]
    CommitteeLiaison.objects.bulk_create(liaisons, batch_size=500)

    group_count = PER_UNIT["groups"] * factor
    groups = [
        _keys(
            Group(
                reference=f"{committees[i % len(committees)].reference}/WG {i + 1}",
                title=f"Synthetic working group {i + 1}",
                type_label="Working group",
                kind=GroupKind.WORKING_GROUP if i % 4 else GroupKind.JOINT_WORKING_GROUP,
                committee=committees[i % len(committees)],
                **marks,
            ),
            f"{committees[i % len(committees)].reference}/WG {i + 1}",
        )
        for i in range(group_count)
    ]
    Group.objects.bulk_create(groups, batch_size=500)
    groups = list(Group.objects.filter(source=source, reference__in=[g.reference for g in groups]))

    organizations = [
        _keys(
            Organization(acronym=f"SYN{start + i}", name=f"Synthetic organization {start + i}", **marks),
            f"SYN{start + i}",
        )
        for i in range(PER_UNIT["organizations"] * factor)
    ]
    Organization.objects.bulk_create(organizations, batch_size=500)
    organizations = list(Organization.objects.filter(source=source, acronym__in=[o.acronym for o in organizations]))
    if casco:
        categories = [Category.A] * 23 + [Category.C] * 2
        OrganizationLiaison.objects.bulk_create(
            [
                OrganizationLiaison(
                    organization=org,
                    committee=casco,
                    category=categories[i % 25],
                    organization_sort_key=org.sort_key,
                    **marks,
                )
                for i, org in enumerate(organizations)
                if i % 28 < 25
            ],
            batch_size=500,
        )

    standards = [
        _keys(
            Standard(reference=f"ISO {start + i}", title=f"Synthetic standard {start + i}", **marks), f"ISO {start + i}"
        )
        for i in range(PER_UNIT["standards"] * factor)
    ]
    Standard.objects.bulk_create(standards, batch_size=500)
    standards = list(Standard.objects.filter(source=source, reference__in=[s.reference for s in standards]))
    GroupStandard.objects.bulk_create(
        [
            GroupStandard(group=groups[i % len(groups)], standard=standard, work=StandardWork.DEVELOPMENT, **marks)
            for i, standard in enumerate(standards)
        ],
        batch_size=500,
    )
    Partner = Group.partner_committees.through
    Partner.objects.bulk_create(
        [
            Partner(group_id=group.pk, committee_id=committees[(i + 1) % len(committees)].pk)
            for i, group in enumerate(groups)
            if group.kind == GroupKind.JOINT_WORKING_GROUP
        ],
        batch_size=500,
    )

    meetings = [
        _checked(
            Meeting(
                slug=f"synthetic-meeting-{start + i}",
                title=f"Synthetic meeting {start + i}",
                kind=MeetingKind.PLENARY if i % 2 == 0 else MeetingKind.WORKSHOP,
                year=2000 + i % 30,
                committee=casco,
                host=organizations[i % len(organizations)],
                description="Synthetic meeting for benchmarks.",
                **marks,
            )
        )
        for i in range(PER_UNIT["meetings"] * factor)
    ]
    Meeting.objects.bulk_create(meetings, batch_size=500)
    transaction.on_commit(bump_data_version)  # bulk_create sends no signals
    bump_data_version()
    return {
        "committees": len(committees),
        "committee liaisons": len(liaisons),
        "groups": len(groups),
        "organizations": len(organizations),
        "standards": len(standards),
        "meetings": len(meetings),
    }


@transaction.atomic
def synthetic_data_remove():
    """Delete every synthetic record (and nothing else); returns how many rows went."""
    source = SourcePage.objects.filter(file_name=SYNTHETIC_FILE_NAME, kind=SourcePageKind.SYNTHETIC).first()
    if source is None:
        return 0
    deleted = 0
    for model in (Meeting, GroupStandard, Standard, OrganizationLiaison, CommitteeLiaison, Group, Organization):
        deleted += model.objects.filter(source=source).delete()[0]
    # Subcommittees first is not needed: synthetic committees have no parents.
    deleted += Committee.objects.filter(source=source).delete()[0]
    source.delete()
    bump_data_version()
    return deleted + 1
