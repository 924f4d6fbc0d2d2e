"""Credit score changes recorded before they had a kind: deductions by a violation are kind
``violation`` (the credit page shows the kind, translated, instead of the internal reason)."""
from django.db import migrations


def forwards(apps, schema_editor):
    CreditEvent = apps.get_model("creators", "CreditEvent")
    CreditEvent.objects.filter(kind="manual", violation__isnull=False, delta__lte=0).update(kind="violation")


class Migration(migrations.Migration):
    dependencies = [("creators", "0007_governance_data")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
