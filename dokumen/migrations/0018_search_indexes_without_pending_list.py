"""The GIN indexes of the search written to at once (`fastupdate = off`), not through their
pending list.

With PostgreSQL's default, a GIN index keeps new rows in a pending list of up to 4 MB
(gin_pending_list_limit) until a vacuum merges it, and every search reads that whole list.
The rows of words of entries' files (TeksEntri) are large, so a few hundred entries whose
files were read filled it: measured at 1M entries, a rare word's staff search read the
pending list for every query, and the planner, counting that cost, scanned the table instead
(17 ms against 1 ms through the index, twice per page). Writes here are a file's text read by
the worker, or an entry saved by the staff: each pays its own index entries instead."""

from django.db import migrations

SEARCH_GIN_INDEXES = (
    "entri_search_document",
    "entri_title_trigram",
    "entri_summary_trigram",
    "dokumen_teksberkas_search_gin",
    "dokumen_teksentri_search_gin",
)


def write_at_once(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in SEARCH_GIN_INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        # what waits in the list already goes into the index now (the setting alone keeps it)
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in SEARCH_GIN_INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("dokumen", "0017_entry_file_words"),
    ]

    operations = [migrations.RunPython(write_at_once, with_pending_list)]
