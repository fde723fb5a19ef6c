"""Seed the built-in roles from access/roles.py (they are data afterwards)."""

from django.db import migrations


def seed_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    from orglife.access.roles import BUILTIN_ROLES

    Role = apps.get_model("access", "Role")
    for code, (name, actions) in BUILTIN_ROLES.items():
        Role.objects.update_or_create(code=code, defaults={"name": name, "actions": actions})


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]

    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
