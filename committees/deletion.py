"""What deleting a record takes with it, for the relations the committees app's models hold
(core/deletion.py applies the rules; committees/apps.py registers them). A committee's terms of
reference and a source page's copies and snapshots go with it; everything else refers to a record
as a fact of its own and blocks its delete unless the cascade is asked for. Records citing a
source page keep it, even with the cascade."""

from core.deletion import Relation, Rule

# Keyed by "<app>.<Model>.<foreign key>" of the row that refers (core/deletion.py).
DELETE_RULES = {
    "committees.Committee.parent": Relation(Rule.BLOCKS, "subcommittees"),
    "committees.TermOfReference.committee": Relation(Rule.OWNED, "terms of reference"),
    "committees.SourcePageVersion.source": Relation(Rule.OWNED, "imported copies of the page"),
    "committees.ImportSnapshot.source": Relation(Rule.OWNED, "what the page said at its last import"),
    "committees.Group.committee": Relation(Rule.BLOCKS, "groups it is responsible for"),
    "committees.Group_partner_committees.group": Relation(Rule.BLOCKS, "partner committees (joint work)"),
    "committees.Group_partner_committees.committee": Relation(Rule.BLOCKS, "joint groups it is a partner in"),
    "committees.Group_partner_organizations.group": Relation(Rule.BLOCKS, "partner organizations (joint work)"),
    "committees.Group_partner_organizations.organization": Relation(Rule.BLOCKS, "joint groups it is a partner in"),
    "committees.GroupStandard.group": Relation(Rule.BLOCKS, "standards the group works on"),
    "committees.GroupStandard.standard": Relation(Rule.BLOCKS, "groups working on the standard"),
}
# Every foreign key to a source page, whichever app's model holds it: a page is removed only once
# nothing cites it.
TARGET_RULES = {
    "committees.SourcePage": Relation(Rule.KEPT, "records imported from it"),
}
