"""The admin's import form: re-run the import of the kept copies, or upload a newer copy of one
page (checked to be that page before anything is imported)."""

import hashlib

from django import forms

from committees.models import SourcePage, SourcePageKind
from sources.importer import DEFAULT_SOURCE_FILES, ImportFailed, WrongPage, source_page_parse

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class SourcePageImportForm(forms.Form):
    """Re-run the import of the kept copies, or import a newer copy of one page under its file name.

    The first submission previews the import (a dry run); the preview's form carries the same
    choice (and an upload's text, in ``kept_text``) back with ``confirm=apply`` to apply it."""

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

    kept_text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    kept_sha256 = forms.CharField(required=False, widget=forms.HiddenInput)
    remove_missing = forms.BooleanField(
        required=False,
        label="Remove what the page no longer lists",
        help_text="Records and partners the page listed at its last import and no longer lists, which the "
        "page created and nothing else refers to. Without this they are kept and reported.",
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
            if not cleaned.get("upload") and not cleaned.get("kept_text") and "upload" not in self.errors:
                self.add_error("upload", "Choose the file to upload.")
            if cleaned.get("kept_text") and not cleaned.get("upload") and not self.errors:
                self._check_kept_text(cleaned)
            if cleaned.get("page") and not self.errors:
                try:
                    source_page_parse(*self.uploaded_page())
                except WrongPage as error:
                    self.add_error("upload", str(error))
                except ImportFailed:
                    pass  # a page that cannot be read: the import says where (a form-wide error)
        return cleaned

    def _check_kept_text(self, cleaned):
        """The previewed upload comes back as text in a form field, where browsers turn line
        breaks into CR LF: it is read back as the exact bytes previewed (their SHA-256 says which)."""
        text, expected = cleaned["kept_text"], cleaned.get("kept_sha256")
        for candidate in (text, text.replace("\r\n", "\n")):
            if hashlib.sha256(candidate.encode("utf-8")).hexdigest() == expected:
                cleaned["kept_text"] = candidate
                return
        self.add_error("upload", "The previewed page did not come back intact: upload it again.")

    def uploaded_page(self):
        """The upload as the importer takes it: (file name of the page it replaces, bytes)."""
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return self.cleaned_data["page"], self.cleaned_data["kept_text"].encode("utf-8")
        upload.seek(0)
        return self.cleaned_data["page"], upload.read()

    def pages(self):
        """The pages to import: an upload's, or None for the copies kept with the portal."""
        return [self.uploaded_page()] if self.cleaned_data["action"] == self.UPLOAD else None
