"""Admin forms for liaisons: the direction of a committee liaison spelt out."""

from django import forms

from core.forms import DuplicateFirstForm
from liaisons.models import CommitteeLiaison, Direction, Organization

DIRECTION_CHOICES = [
    (Direction.INCOMING, f"Incoming — {Direction.INCOMING.label} (the liaison committee reads CASCO's documents)"),
    (Direction.OUTGOING, f"Outgoing — {Direction.OUTGOING.label} (CASCO reads the liaison committee's documents)"),
    (Direction.BOTH, f"Both — {Direction.BOTH.label} (listed both to and from CASCO)"),
]


def direction_label(value):
    """ "Incoming: can access CASCO's documents" and so on, for lists."""
    return f"{Direction(value).name.capitalize()}: {Direction(value).label}" if value in Direction.values else value


class CommitteeLiaisonForm(forms.ModelForm):
    direction = forms.ChoiceField(
        choices=DIRECTION_CHOICES,
        widget=forms.RadioSelect,
        help_text="Seen from the committee holding the liaison (ISO/CASCO): incoming = listed under "
        "“Liaison Committees to ISO/CASCO”, outgoing = under “Liaison Committees from ISO/CASCO”, "
        "both = on both lists.",
    )

    class Meta:
        model = CommitteeLiaison
        fields = ("committee", "liaison_committee", "direction", "source")


class OrganizationForm(DuplicateFirstForm):
    unique_field = "acronym"

    class Meta:
        model = Organization
        fields = "__all__"
