"""What deleting a record takes with it, for the relations the meetings app's models hold
(core/deletion.py applies the rules; meetings/apps.py registers them): meetings and the groups
meeting there block a delete unless the cascade is asked for."""

from core.deletion import Relation, Rule

# Keyed by "<app>.<Model>.<foreign key>" of the row that refers (core/deletion.py).
DELETE_RULES = {
    "meetings.Meeting.committee": Relation(Rule.BLOCKS, "its meetings"),
    "meetings.Meeting.host": Relation(Rule.BLOCKS, "meetings it hosted"),
    "meetings.MeetingGroup.meeting": Relation(Rule.BLOCKS, "groups meeting there"),
    "meetings.MeetingGroup.group": Relation(Rule.BLOCKS, "meetings the group takes part in"),
}
