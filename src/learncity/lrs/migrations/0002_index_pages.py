"""Statement index rows carry the statement's ``stored`` and main keys are stored as related.

Queries then read one (key, kind) range of ``lrs_index_page`` already in page order, instead
of every match of a key and a sort (see models.StatementIndex). Existing rows are filled in:
``stored`` from their statement, and an ``A``/``O`` row for every ``a``/``o`` row.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL_STORED = """
UPDATE lrs_statementindex SET stored = (
    SELECT s.stored FROM lrs_statement s WHERE s.id = lrs_statementindex.statement_id
)
"""

MAIN_AS_RELATED = """
INSERT INTO lrs_statementindex (statement_id, kind, key, stored)
SELECT i.statement_id, CASE i.kind WHEN 'a' THEN 'A' ELSE 'O' END, i.key, i.stored
FROM lrs_statementindex i
WHERE i.kind IN ('a', 'o') AND NOT EXISTS (
    SELECT 1 FROM lrs_statementindex r WHERE r.statement_id = i.statement_id
    AND r.key = i.key AND r.kind = CASE i.kind WHEN 'a' THEN 'A' ELSE 'O' END
)
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            # Foreign keys are deferred: check the new rows now, or the ALTER TABLEs below
            # would find pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(FILL_STORED)
        cursor.execute(MAIN_AS_RELATED)


class Migration(migrations.Migration):
    dependencies = [
        ("lrs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="statementindex",
            name="stored",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="statementindex",
            name="stored",
            field=models.DateTimeField(),
        ),
        migrations.RemoveIndex(
            model_name="statementindex",
            name="lrs_index_key",
        ),
        migrations.AddIndex(
            model_name="statementindex",
            index=models.Index(
                fields=["key", "kind", "stored", "statement"], name="lrs_index_page"
            ),
        ),
        migrations.AlterField(
            model_name="statementindex",
            name="statement",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="lrs.statement",
            ),
        ),
    ]
