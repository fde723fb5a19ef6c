"""
Actions and the built-in roles, as plain data.

A role grants its actions on the org of the assignment and every org below
it. The ``Role`` table holds these rows (seeded by a data migration) so an
administrator can add roles without code; this module is the seed and the
vocabulary of actions the code checks.
"""

from django.utils.translation import gettext_lazy as _

VIEW = "view"
VIEW_SENSITIVE = "view_sensitive"
MANAGE_PEOPLE = "manage_people"
IMPORT_PEOPLE = "import_people"
EXPORT_PEOPLE = "export_people"
MANAGE_ORGS = "manage_orgs"
MANAGE_ROLES = "manage_roles"
VIEW_AUDIT = "view_audit"
MANAGE_MEETINGS = "manage_meetings"

ACTIONS = {
    VIEW: _("See organizations, people and records"),
    VIEW_SENSITIVE: _("See national ID, phone and birth date unmasked"),
    MANAGE_PEOPLE: _("Add and edit people, record status changes"),
    IMPORT_PEOPLE: _("Import rosters"),
    EXPORT_PEOPLE: _("Export rosters"),
    MANAGE_ORGS: _("Create, rename, move and merge organizations; committee posts"),
    MANAGE_ROLES: _("Grant and revoke roles"),
    VIEW_AUDIT: _("Read and verify the audit trail"),
    MANAGE_MEETINGS: _("Plan, record, finalize and amend meetings; track follow-up items"),
}

MEMBER = "member"
BRANCH_SECRETARY = "branch_secretary"
COMMITTEE_ORGANIZER = "committee_organizer"
LINKED_LEADER = "linked_leader"
INSPECTOR = "inspector"
ADMINISTRATOR = "administrator"

BUILTIN_ROLES: dict[str, tuple[str, list[str]]] = {
    MEMBER: ("Member", [VIEW]),
    BRANCH_SECRETARY: (
        "Branch secretary",
        [VIEW, VIEW_SENSITIVE, MANAGE_PEOPLE, IMPORT_PEOPLE, EXPORT_PEOPLE, MANAGE_MEETINGS],
    ),
    COMMITTEE_ORGANIZER: (
        "Committee organizer",
        [
            VIEW,
            VIEW_SENSITIVE,
            MANAGE_PEOPLE,
            IMPORT_PEOPLE,
            EXPORT_PEOPLE,
            MANAGE_ORGS,
            MANAGE_MEETINGS,
        ],
    ),
    LINKED_LEADER: ("Linked leader", [VIEW]),
    INSPECTOR: ("Inspector", [VIEW, EXPORT_PEOPLE, VIEW_AUDIT]),
    ADMINISTRATOR: ("Administrator", list(ACTIONS)),
}

ROLE_LABELS = {
    MEMBER: _("Member"),
    BRANCH_SECRETARY: _("Branch secretary"),
    COMMITTEE_ORGANIZER: _("Committee organizer"),
    LINKED_LEADER: _("Linked leader"),
    INSPECTOR: _("Inspector"),
    ADMINISTRATOR: _("Administrator"),
}
