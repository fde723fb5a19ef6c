"""
Reference rows that data migrations seed: built-in roles and activity types.

Tests that use a transactional database flush every table, including these
rows; ``ensure_reference_data`` puts them back (cheaply when present).
"""

from __future__ import annotations


def ensure_reference_data() -> None:
    """Create the built-in roles and activity types when they are missing."""
    from orglife.access.models import Role
    from orglife.access.roles import BUILTIN_ROLES
    from orglife.meetings.activity_types import ACTIVITY_TYPES
    from orglife.meetings.models import ActivityType

    if Role.objects.count() < len(BUILTIN_ROLES):
        for code, (name, actions) in BUILTIN_ROLES.items():
            Role.objects.update_or_create(code=code, defaults={"name": name, "actions": actions})
    if ActivityType.objects.count() < len(ACTIVITY_TYPES):
        for index, entry in enumerate(ACTIVITY_TYPES):
            ActivityType.objects.update_or_create(
                jurisdiction=entry["jurisdiction"],
                code=entry["code"],
                defaults={"names": entry["names"], "sort_order": index * 10, "is_active": True},
            )
