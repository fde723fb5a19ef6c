"""Seed the activity types from meetings/activity_types.py (they are data afterwards)."""

from django.db import migrations


def seed_types(apps, schema_editor):  # type: ignore[no-untyped-def]
    from orglife.meetings.activity_types import ACTIVITY_TYPES

    ActivityType = apps.get_model("meetings", "ActivityType")
    for index, entry in enumerate(ACTIVITY_TYPES):
        ActivityType.objects.update_or_create(
            jurisdiction=entry["jurisdiction"],
            code=entry["code"],
            defaults={"names": entry["names"], "sort_order": index * 10, "is_active": True},
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(seed_types, migrations.RunPython.noop)]
