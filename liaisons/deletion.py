"""What deleting a record takes with it, for the relations the liaisons app's models hold
(core/deletion.py applies the rules; liaisons/apps.py registers them). A committee's notes on its
liaison categories go with it; liaisons and participations block a delete unless the cascade is
asked for."""

from core.deletion import Relation, Rule

# Keyed by "<app>.<Model>.<foreign key>" of the row that refers (core/deletion.py).
DELETE_RULES = {
    "liaisons.CommitteeLiaison.committee": Relation(Rule.BLOCKS, "liaisons it holds"),
    "liaisons.CommitteeLiaison.liaison_committee": Relation(Rule.BLOCKS, "liaisons it is in"),
    "liaisons.OrganizationLiaison.organization": Relation(Rule.BLOCKS, "liaisons of the organization"),
    "liaisons.OrganizationLiaison.committee": Relation(Rule.BLOCKS, "organizations in liaison with it"),
    "liaisons.CategoryNote.committee": Relation(Rule.OWNED, "notes on its liaison categories"),
    "liaisons.GroupParticipation.organization": Relation(Rule.BLOCKS, "groups it takes part in"),
    "liaisons.GroupParticipation.group": Relation(Rule.BLOCKS, "organizations taking part"),
}
