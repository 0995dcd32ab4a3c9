from django.db import migrations


def seed(apps, schema_editor):
    from campus_portal.catalog.vocabularies import vocabularies_seed

    vocabularies_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
