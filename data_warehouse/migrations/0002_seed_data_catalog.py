from django.db import migrations


def seed(apps, schema_editor):
    from data_warehouse.catalog_defaults import data_catalog_seed

    data_catalog_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("data_warehouse", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
