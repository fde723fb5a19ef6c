"""Grant the new ``manage_meetings`` action to the roles that hold it (issue 3)."""

from django.db import migrations

ACTION = "manage_meetings"
ROLES = ("branch_secretary", "committee_organizer", "administrator")


def add_action(apps, schema_editor):  # type: ignore[no-untyped-def]
    Role = apps.get_model("access", "Role")
    for role in Role.objects.filter(code__in=ROLES):
        if ACTION not in role.actions:
            role.actions = [*role.actions, ACTION]
            role.save(update_fields=["actions"])


def remove_action(apps, schema_editor):  # type: ignore[no-untyped-def]
    Role = apps.get_model("access", "Role")
    for role in Role.objects.filter(code__in=ROLES):
        if ACTION in role.actions:
            role.actions = [action for action in role.actions if action != ACTION]
            role.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("access", "0003_builtin_roles")]

    operations = [migrations.RunPython(add_action, remove_action)]
