from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """Where the data comes from: parsing the two source pages, the import that merges them into the
    records, fixtures export, synthetic data, their commands and the admin's import view. It has
    no models of its own: the source pages, their copies and snapshots are committees' records."""

    name = "sources"
    verbose_name = "Source pages and import"
