"""What deleting a record takes with it: one rule per relation, declared by the app whose model
holds the relation (``<app>/deletion.py``, registered here from its AppConfig), used by the API
(``PortalViewSet.destroy``), the admin (``PortalAdmin``: delete page and "delete selected") and
any service that deletes portal records.

Every foreign key among the portal's models (many-to-many tables included) has a rule saying what
happens to the rows that refer to a record when that record is deleted:

- ``owned``: parts of the record (a committee's terms of reference and category notes) go with it.
- ``blocks``: facts of their own (liaisons, participations, partnerships, meeting links, a
  committee's groups and subcommittees, meetings …). The delete is refused, naming them, unless the
  caller asks for the cascade explicitly; with the cascade they go too, and what they own or what
  refers to them in turn, by the same rules.
- ``kept``: records citing a source page. The delete is refused even with the cascade: a source
  page is removed only once nothing cites it.

Django's ``Collector`` applies ``on_delete`` as the schema declares it (CASCADE or PROTECT) and
cannot express "cascade only when asked", so the dependants are found here, level by level (one
query per relation and level, not per row), and the rows found are then handed to a ``Collector``,
which deletes them in dependency order and sends the delete signals (so django-simple-history
records every row deleted, with the user and a reason)."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.db.models.signals import m2m_changed

from core.registry import portal_models


class Rule(models.TextChoices):
    OWNED = "owned", "goes with the record"
    BLOCKS = "blocks", "refuses the delete unless the cascade is asked for; with it, goes too"
    KEPT = "kept", "refuses the delete, even with the cascade"


@dataclass(frozen=True)
class Relation:
    rule: Rule
    description: str  # what the rows are, seen from the record being deleted


# The rules, keyed by "<app>.<Model>.<foreign key>" of the row that refers (the auto-created
# tables of many-to-many fields are named "<Model>_<field>"), read as "when the record this key
# points to is deleted". Each portal app declares the relations its own models hold, in its
# deletion.py, registered from its AppConfig.ready() (delete_rules_register).
# tests/core/test_delete_rules.py fails for a relation without a rule.
DELETE_RULES = {}
# Every foreign key to these models has the same rule, whichever model holds it.
TARGET_RULES = {}


def delete_rules_register(relations=None, *, targets=None):
    """Add an app's rules: ``relations`` to DELETE_RULES, ``targets`` (keyed by "<app>.<Model>")
    to TARGET_RULES. Registering the same rule again changes nothing; a different rule for a key
    already declared is refused."""
    for registry, rules in ((DELETE_RULES, relations or {}), (TARGET_RULES, targets or {})):
        for key, relation in rules.items():
            if registry.setdefault(key, relation) != relation:
                raise ImproperlyConfigured(f"Two delete rules for {key}: {registry[key]} and {relation}.")
    _relations_to.cache_clear()


def relation_key(fk):
    return f"{fk.model._meta.label}.{fk.name}"


def rule_for(fk):
    """The declared rule of a foreign key (ImproperlyConfigured when none is declared)."""
    relation = DELETE_RULES.get(relation_key(fk)) or TARGET_RULES.get(fk.remote_field.model._meta.label)
    if relation is None:
        raise ImproperlyConfigured(f"No delete rule for {relation_key(fk)}: declare one in its app's deletion.py.")
    return relation


def portal_foreign_keys():
    """Every foreign key among the portal's models."""
    models_ = portal_models(include_auto_created=True)  # the tables of many-to-many fields too
    return [
        fk
        for model in models_
        for fk in model._meta.concrete_fields
        if fk.is_relation and fk.remote_field.model in set(models_)
    ]


@cache
def _relations_to(model):
    return [(fk, rule_for(fk)) for fk in portal_foreign_keys() if fk.remote_field.model is model]


def _loaded(queryset):
    """The rows with the records their ``__str__`` names (no query per row)."""
    related = [
        fk.name
        for fk in queryset.model._meta.concrete_fields
        if fk.is_relation and fk.remote_field.model._meta.label not in TARGET_RULES
    ]
    return queryset.select_related(*related)


def kind_of(obj):
    """The kind of a record, as answers name it (a many-to-many table's row is a partnership)."""
    if obj._meta.auto_created:
        return "partnership"
    return str(obj._meta.verbose_name)


def reference_of(obj):
    """How a record is named in answers: its reference, acronym, or text (a many-to-many table's
    row by the two records it links)."""
    if obj._meta.auto_created:
        return " ↔ ".join(reference_of(getattr(obj, fk.name)) for fk in obj._meta.concrete_fields if fk.is_relation)
    for name in ("reference", "acronym"):
        value = getattr(obj, name, None)
        if value:
            return str(value)
    return str(obj)


@dataclass
class Dependant:
    obj: models.Model
    fk: models.ForeignKey  # the foreign key of ``obj`` pointing at ``parent``
    relation: Relation
    parent: models.Model

    @property
    def kind(self):
        return kind_of(self.obj)


@dataclass
class DeletePlan:
    """What deleting ``roots`` takes (``deleted``: owned parts, and with the cascade everything
    that refers to them) and what refuses it (``blocking``)."""

    roots: list
    cascade: bool
    deleted: list = field(default_factory=list)
    blocking: list = field(default_factory=list)

    @property
    def allowed(self):
        return not self.blocking

    @property
    def cascade_would_allow(self):
        return all(dependant.relation.rule != Rule.KEPT for dependant in self.blocking)

    def objects(self):
        return [*self.roots, *(dependant.obj for dependant in self.deleted)]

    @staticmethod
    def _grouped(dependants, limit):
        groups = defaultdict(list)
        for dependant in dependants:
            groups[(dependant.kind, relation_key(dependant.fk), dependant.relation)].append(dependant.obj)
        return [
            {
                "kind": kind,
                "relation": relation.description,
                "rule": relation.rule.value,
                "count": len(objs),
                "records": [{"id": obj.pk, "reference": reference_of(obj)} for obj in objs[:limit]],
            }
            for (kind, _key, relation), objs in groups.items()
        ]

    def blocking_summary(self, limit=100):
        """[{"kind", "relation", "rule", "count", "records": [{"id", "reference"}]}], per relation."""
        return self._grouped(self.blocking, limit)

    def deleted_summary(self, limit=100):
        return self._grouped(self.deleted, limit)

    def message(self):
        """One sentence naming what blocks the delete."""
        names = ", ".join(
            f"{group['count']} × {group['kind']} ({group['relation']})" for group in self.blocking_summary(limit=0)
        )
        what = "; ".join(str(root) for root in self.roots[:5]) + (" …" if len(self.roots) > 5 else "")
        advice = (
            "Ask for the cascade to delete them too."
            if self.cascade_would_allow
            else "Delete or change the records imported from it first."
        )
        return f"“{what}” is not deleted: other records refer to it: {names}. {advice}"


def delete_plan(objs, *, cascade=False):
    """What deleting ``objs`` (records of one model) takes and what refuses it, by the rules."""
    roots = list(objs)
    seen = {(type(obj), obj.pk) for obj in roots}
    plan = DeletePlan(roots=roots, cascade=cascade)
    blocking_seen = set()
    frontier = defaultdict(dict)
    for obj in roots:
        frontier[type(obj)][obj.pk] = obj
    while frontier:
        following = defaultdict(dict)
        for model, by_pk in frontier.items():
            for fk, relation in _relations_to(model):
                takes = relation.rule == Rule.OWNED or (relation.rule == Rule.BLOCKS and cascade)
                rows = _loaded(fk.model._base_manager.filter(**{f"{fk.name}__in": list(by_pk)}).order_by("pk"))
                for row in rows:
                    key = (type(row), row.pk)
                    if key in seen:
                        continue
                    dependant = Dependant(row, fk, relation, by_pk[getattr(row, fk.attname)])
                    if takes:
                        seen.add(key)
                        plan.deleted.append(dependant)
                        following[type(row)][row.pk] = row
                    elif (key, relation_key(fk)) not in blocking_seen:
                        blocking_seen.add((key, relation_key(fk)))
                        plan.blocking.append(dependant)
        frontier = following
    # A row found blocking on one path may be deleted on another (with the roots themselves).
    plan.blocking = [dependant for dependant in plan.blocking if (type(dependant.obj), dependant.obj.pk) not in seen]
    return plan


class DeleteRefused(Exception):
    def __init__(self, plan):
        self.plan = plan
        super().__init__(plan.message())


def records_delete(*, objs, cascade=False, user=None, reason="deleted"):
    """Delete ``objs`` (records of one model) with what they own, and with the cascade what
    refers to them, in one transaction; the rows are locked first, so nothing can start
    referring to them between the check and the delete. Raises ``DeleteRefused`` (nothing
    deleted) when rows that block refer to them. Every row deleted gets a history row with
    ``user`` and a reason naming the record whose delete took it. Returns the plan carried out."""
    objs = list(objs)
    if not objs:
        return DeletePlan(roots=[], cascade=cascade)
    model = type(objs[0])
    using = router.db_for_write(model, instance=objs[0])
    with transaction.atomic(using=using):
        locked = model._default_manager.using(using).filter(pk__in=[obj.pk for obj in objs])
        if transaction.get_connection(using).features.has_select_for_update:
            locked = locked.select_for_update()
        present = set(locked.values_list("pk", flat=True))
        objs = [obj for obj in objs if obj.pk in present]
        plan = delete_plan(objs, cascade=cascade)
        if not plan.allowed:
            raise DeleteRefused(plan)
        collector = Collector(using=using, origin=objs[0] if len(objs) == 1 else None)
        for obj in objs:
            obj._history_user, obj._change_reason = user, reason
            collector.add([obj])
        for dependant in plan.deleted:
            obj = dependant.obj
            obj._history_user = user
            obj._change_reason = (
                f"{reason} with {dependant.parent._meta.verbose_name} “{reference_of(dependant.parent)}”"
            )
            same_model = type(dependant.parent) is type(obj)
            collector.add([obj], source=None if same_model else type(dependant.parent))
        collector.delete()
        _record_partner_changes(plan, user, reason, using)
    return plan


def _record_partner_changes(plan, user, reason, using):
    """Rows of a many-to-many table deleted with the record on its far side (a partner deleted)
    leave the record holding the field (a group) with one partner fewer: record each such record
    as it now stands (simple-history records many-to-many fields on this signal). Records deleted
    themselves are not recorded again."""
    deleted = {(type(obj), obj.pk) for obj in plan.objects()}
    touched = defaultdict(lambda: defaultdict(set))  # owner model -> owner pk -> through tables
    for dependant in plan.deleted:
        through = type(dependant.obj)
        owner = through._meta.auto_created
        if not owner:
            continue
        field_ = next(f for f in owner._meta.many_to_many if f.remote_field.through is through)
        if dependant.fk.name == field_.m2m_field_name():
            continue
        owner_id = getattr(dependant.obj, through._meta.get_field(field_.m2m_field_name()).attname)
        if (owner, owner_id) not in deleted:
            touched[owner][owner_id].add(through)
    for owner, by_pk in touched.items():
        for obj in owner._default_manager.using(using).filter(pk__in=by_pk):
            obj._history_user, obj._change_reason = user, f"partner {reason}"
            through = next(iter(by_pk[obj.pk]))
            m2m_changed.send(
                sender=through,
                instance=obj,
                action="post_remove",
                reverse=False,
                model=owner,
                pk_set=set(),
                using=using,
            )
