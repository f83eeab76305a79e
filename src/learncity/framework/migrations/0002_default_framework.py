"""Load the shipped default framework, so every installation starts with one."""

from django.db import migrations


def load(apps, schema_editor):
    from learncity.framework.loader import load_framework

    load_framework(apps)


class Migration(migrations.Migration):
    dependencies = [("framework", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
