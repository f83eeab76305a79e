"""Full-text search indexes: SQLite FTS5 (trigram) or PostgreSQL pg_trgm, by backend."""

from django.db import migrations


def install(apps, schema_editor):
    from learncity.catalogue import searchindex

    searchindex.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from learncity.catalogue import searchindex

    searchindex.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
