"""Admin forms for the committees app."""

from django import forms

from .importer import DEFAULT_SOURCE_FILES
from .models import SourcePage, SourcePageKind

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class SourcePageImportForm(forms.Form):
    """Re-run the import of the kept copies, or import a newer copy of one page under its file name."""

    RERUN = "rerun"
    UPLOAD = "upload"

    action = forms.ChoiceField(
        choices=[
            (RERUN, "Re-import the copies kept with the portal (fixtures/sources/)"),
            (UPLOAD, "Import a newer copy of one page (upload below)"),
        ],
        initial=RERUN,
        widget=forms.RadioSelect,
        label="What to import",
    )
    page = forms.ChoiceField(
        required=False,
        label="The page the upload replaces",
        help_text="The upload is imported under this page's file name, so it updates that page's records.",
    )
    upload = forms.FileField(
        required=False,
        label="Newer copy of the page",
        help_text="The page's text as published (UTF-8), at most 2 MB. "
        "Note: re-importing the kept copies later brings back their (older) text.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        titles = dict(SourcePage.objects.exclude(kind=SourcePageKind.SYNTHETIC).values_list("file_name", "title"))
        names = list(DEFAULT_SOURCE_FILES) + sorted(set(titles) - set(DEFAULT_SOURCE_FILES))
        self.fields["page"].choices = [("", "———")] + [
            (name, f"{titles[name]} ({name})" if name in titles else name) for name in names
        ]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB: is it really a source page?")
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.UPLOAD:
            if not cleaned.get("page") and "page" not in self.errors:
                self.add_error("page", "Choose the page the upload replaces.")
            if not cleaned.get("upload") and "upload" not in self.errors:
                self.add_error("upload", "Choose the file to upload.")
        return cleaned

    def uploaded_page(self):
        """The upload as the importer takes it: (file name of the page it replaces, bytes)."""
        return self.cleaned_data["page"], self.cleaned_data["upload"].read()


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
