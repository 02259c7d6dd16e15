"""Build the POST data of an admin change form from what the form shows (main form and inlines),
so a test changes only the fields it names — as a person editing the page would."""

from django.urls import reverse


def admin_url(obj_or_model, view="change", *args):
    opts = obj_or_model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
    if view in ("change", "delete", "history") and not args:
        args = (obj_or_model.pk,)
    return reverse(name, args=args)


def _field_value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    widget_name = type(bound_field.field.widget).__name__
    if widget_name in ("CheckboxInput",):
        return "on" if value else ""
    if isinstance(value, (list, tuple)):
        return [str(getattr(v, "pk", v)) for v in value]
    return value


def _form_data(form, data):
    for name, field in form.fields.items():
        bound = form[name]
        value = _field_value(bound)
        if value == "" and type(field.widget).__name__ == "CheckboxInput":
            continue
        if type(field.widget).__name__ == "SplitDateTimeWidget":
            continue
        data[bound.html_name] = value


def form_data(response):
    """POST data reproducing the change form in ``response`` (a GET of an admin add/change page)."""
    context = response.context
    data = {}
    _form_data(context["adminform"].form, data)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
        for form in formset.forms:
            _form_data(form, data)
    return data


def errors_of(response):
    """Every error the admin form page shows, as {field: [messages]} (inline errors under
    "<prefix>-<n>-<field>", non-field errors under "__all__")."""
    assert response.status_code == 200, f"expected the form again with errors, got {response.status_code}"
    context = response.context
    form = context["adminform"].form
    errors = {key: list(value) for key, value in form.errors.items()}
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        if formset.non_form_errors():
            errors.setdefault(f"{formset.prefix}-__all__", []).extend(formset.non_form_errors())
        for index, form_errors in enumerate(formset.errors):
            for key, value in form_errors.items():
                errors[f"{formset.prefix}-{index}-{key}"] = list(value)
    return errors


def admin_edit(client, obj, **changes):
    """Open ``obj``'s change form, change the named fields, save; returns the response."""
    url = admin_url(obj)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def admin_add(client, model, **values):
    """Fill ``model``'s add form (its defaults, then ``values``) and save; returns the response."""
    url = admin_url(model, "add")
    data = form_data(client.get(url))
    data.update(values)
    return client.post(url, data)


def assert_saved(response):
    if response.status_code == 200 and response.context and "adminform" in response.context:
        raise AssertionError(f"the form was refused: {errors_of(response)}")
    assert response.status_code == 302, response.status_code
