"""Load the example construction-standard checklists, so inspections can start."""

from django.db import migrations


def load(apps, schema_editor):
    from learncity.catalogue.standards import load_checklists

    load_checklists(apps.get_model("catalogue", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_search_indexes")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
