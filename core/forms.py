"""Form helpers every app's admin uses: references read with their spaces tidied, and the plain
"already exists" message for an exact duplicate."""

from django import forms

from core.references import normalise_spaces


class ReferenceSpacesFormMixin:
    """References and acronyms pasted from the published pages often hold non-breaking or doubled
    spaces (“ISO/TC\u00a0207”): they are read as one plain space, as the importer and the API read
    them, before the model checks the reference's form."""

    reference_fields = ("reference", "acronym")

    def clean(self):
        cleaned = super().clean()
        for name in self.reference_fields:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = normalise_spaces(cleaned[name])
        return cleaned


def reference_spaces_form(form_class):
    if issubclass(form_class, ReferenceSpacesFormMixin):
        return form_class
    return type(form_class.__name__, (ReferenceSpacesFormMixin, form_class), {"__module__": __name__})


class DuplicateFirstForm(forms.ModelForm):
    """Say “already exists” for an exact duplicate. The models' clean() reports any clash of
    addresses (slugs) — “ISO/TC 207 gives the same address as ISO/TC 207” for an exact duplicate,
    which runs before the unique check and hides it; this form puts the plain message back."""

    unique_field = "reference"

    def _post_clean(self):
        super()._post_clean()
        name = self.unique_field
        value = self.data.get(self.add_prefix(name), "").strip()
        if name not in self.errors or not value:
            return
        model = self._meta.model
        if model._default_manager.filter(**{name: value}).exclude(pk=self.instance.pk).exists():
            message = self.instance.unique_error_message(model, (name,))
            self._errors[name] = self.error_class(message.messages)
