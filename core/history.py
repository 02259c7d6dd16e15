"""History baselines: records loaded from the fixtures have no history yet. Before such a record
is first changed or deleted — through admin, the API, the importer or a shell — it is recorded as
it stands in the database, so its history shows what the change changed and the change can be
reverted."""

from django.db.models.signals import post_save, pre_delete, pre_save

from core.registry import portal_app_labels

BASELINE_CHANGE_REASON = "as it was before the first change recorded"


def history_baseline_ensure(obj):
    """Records loaded from the fixtures have no history yet: before their first change, record them
    as they stand in the database, so the history shows what the change changed and the change can
    be reverted. (Through simple-history's own post_save handler, so many-to-many fields are
    recorded as well.)"""
    if obj.pk is None or obj._state.adding:
        return
    model = type(obj)
    if not hasattr(model._meta, "simple_history_manager_attribute"):
        return
    if model.history.filter(**{model._meta.pk.attname: obj.pk}).exists():
        return
    original = model._default_manager.filter(pk=obj.pk).first()
    if original is None:
        return
    original._history_user = None
    original._change_reason = BASELINE_CHANGE_REASON
    original._history_date = original.updated_at if hasattr(original, "updated_at") else None
    if original._history_date is None:
        del original._history_date
    post_save.send(sender=model, instance=original, created=True, update_fields=None, raw=False, using=obj._state.db)


def _before_write(sender, instance, raw=False, **kwargs):
    if not raw and sender._meta.app_label in portal_app_labels():
        history_baseline_ensure(instance)


def connect_signals():
    pre_save.connect(_before_write, dispatch_uid="portal-history-baseline-save")
    pre_delete.connect(_before_write, dispatch_uid="portal-history-baseline-delete")
