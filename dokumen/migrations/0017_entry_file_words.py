"""The words of each entry's files in one search vector (TeksEntri), for the staff search at
national scale: matching and ranking an entry by its files costs one indexed row per entry
instead of a look at every file's text (issue 19's bench: 0.8–1.8 s at 1M entries and 100k
file texts before)."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

GIN_INDEX = "dokumen_teksentri_search_gin"


# the words of a file added to those of the files before it; where one tsvector cannot hold
# them all (1 MB of lexemes and positions), the words found so far are kept whole
TSVECTOR_ADD = """
CREATE OR REPLACE FUNCTION dik_tsvector_add(words tsvector, more tsvector) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF words IS NULL THEN RETURN more; END IF;
    IF more IS NULL THEN RETURN words; END IF;
    RETURN words || more;
EXCEPTION WHEN program_limit_exceeded THEN
    RETURN words;
END $$
"""


def forwards(apps, schema_editor):
    """PostgreSQL only: the aggregate that puts the files' vectors together, the GIN index,
    and the words of the texts already read."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TSVECTOR_ADD)
    schema_editor.execute(
        "CREATE OR REPLACE AGGREGATE dik_tsvector_agg(tsvector) "
        "(SFUNC = dik_tsvector_add, STYPE = tsvector)"
    )
    schema_editor.execute(f"CREATE INDEX {GIN_INDEX} ON dokumen_teksentri USING gin (search_vector)")
    schema_editor.execute(
        "INSERT INTO dokumen_teksentri (entri_id, search_vector) "
        "SELECT b.entri_id, dik_tsvector_agg(t.search_vector ORDER BY t.berkas_id) "
        "FROM dokumen_teksberkas t JOIN dokumen_berkas b ON b.id = t.berkas_id "
        "WHERE b.removed_at IS NULL AND t.status = 'selesai' AND t.search_vector IS NOT NULL "
        "GROUP BY b.entri_id"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP AGGREGATE IF EXISTS dik_tsvector_agg(tsvector)")
        schema_editor.execute("DROP FUNCTION IF EXISTS dik_tsvector_add(tsvector, tsvector)")


class Migration(migrations.Migration):
    dependencies = [
        ("dokumen", "0016_action_choices_after_merge"),
    ]

    operations = [
        migrations.CreateModel(
            name="TeksEntri",
            fields=[
                (
                    "entri",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="file_words",
                        serialize=False,
                        to="dokumen.entri",
                    ),
                ),
                (
                    "search_vector",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
            ],
            options={
                "verbose_name": "words of an entry's files",
                "verbose_name_plural": "words of entries' files",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
