"""Every write to the org tree: create, rename, move, merge, committee posts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orglife.access.models import RoleAssignment
from orglife.access.policy import require
from orglife.access.roles import MANAGE_ORGS
from orglife.audit.services import audit_record
from orglife.orgs.choices import BRANCH_KINDS, OrgKind
from orglife.orgs.models import CommitteePost, Organization

_TREE_LOCK_KEY = 0x74726565  # "tree": serializes structural writes on PostgreSQL


def _lock_tree() -> None:
    # Structural writes rewrite paths of whole subtrees; one at a time
    # (Saleor ADR 0009). SQLite's IMMEDIATE transactions already serialize.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TREE_LOCK_KEY])


def _check_parent_kind(*, parent: Organization | None, kind: str) -> None:
    if parent is None:
        if kind == OrgKind.PARTY_GROUP:
            raise ValidationError(_("A party group must belong to a branch."))
        return
    if parent.kind == OrgKind.PARTY_GROUP:
        raise ValidationError(_("A party group cannot contain other organizations."))
    if kind == OrgKind.PARTY_GROUP and parent.kind not in BRANCH_KINDS:
        raise ValidationError(_("A party group must belong to a branch."))
    if parent.kind in BRANCH_KINDS and kind != OrgKind.PARTY_GROUP:
        raise ValidationError(_("A branch can only contain party groups."))


@transaction.atomic
def org_create(
    *,
    actor: Any,
    parent: Organization | None,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    jurisdiction: str | None = None,
) -> Organization:
    """Create an organization under ``parent`` (a root when None)."""
    _lock_tree()
    code = code.strip()
    if parent is None:
        if actor is not None and not actor.is_superuser:
            raise ValidationError(_("Only an operator can create a top-level organization."))
        if jurisdiction not in ("CN", "VN"):
            raise ValidationError(_("A top-level organization needs a jurisdiction."))
    else:
        require(actor, MANAGE_ORGS, parent)
        if not parent.is_active:
            raise ValidationError(_("Cannot add to an inactive organization."))
        # Jurisdiction is inherited down the tree.
        jurisdiction = parent.jurisdiction
    _check_parent_kind(parent=parent, kind=kind)
    if Organization.objects.filter(code=code).exists():
        raise ValidationError(_("The code %(code)s is already used.") % {"code": code})
    fields = {
        "code": code,
        "name": name.strip(),
        "short_name": short_name.strip(),
        "kind": kind,
        "jurisdiction": jurisdiction,
    }
    if parent is None:
        org = Organization.objects.add_root(create_kwargs=fields)
    else:
        parent.refresh_from_db()
        org = Organization.objects.add_child(parent, create_kwargs=fields)
    audit_record(actor=actor, action="orgs.create", target=org, org=org, data={"fields": fields})
    return org


@transaction.atomic
def org_rename(*, actor: Any, org: Organization, name: str, short_name: str | None = None) -> Organization:
    """Change an organization's name (and optionally its short name)."""
    require(actor, MANAGE_ORGS, org)
    before = {"name": org.name, "short_name": org.short_name}
    org.name = name.strip()
    if short_name is not None:
        org.short_name = short_name.strip()
    if org.name == "":
        raise ValidationError(_("The name cannot be empty."))
    org.save(update_fields=["name", "short_name", "updated_at"])
    audit_record(
        actor=actor,
        action="orgs.rename",
        target=org,
        org=org,
        data={"before": before, "after": {"name": org.name, "short_name": org.short_name}},
    )
    return org


@transaction.atomic
def org_move(*, actor: Any, org: Organization, new_parent: Organization) -> Organization:
    """Move ``org`` and its whole subtree under ``new_parent``."""
    _lock_tree()
    org.refresh_from_db()
    new_parent.refresh_from_db()
    require(actor, MANAGE_ORGS, org)
    require(actor, MANAGE_ORGS, new_parent)
    if new_parent.path.startswith(org.path):
        raise ValidationError(_("An organization cannot be moved under itself."))
    if new_parent.jurisdiction != org.jurisdiction:
        raise ValidationError(_("Cannot move an organization into another jurisdiction."))
    if not new_parent.is_active:
        raise ValidationError(_("Cannot move into an inactive organization."))
    _check_parent_kind(parent=new_parent, kind=org.kind)
    old_parent = org.get_parent()
    old_path = org.path
    Organization.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    audit_record(
        actor=actor,
        action="orgs.move",
        target=org,
        org=org,
        data={
            "from_parent": old_parent.code if old_parent else None,
            "to_parent": new_parent.code,
            "old_path": old_path,
            "new_path": org.path,
        },
    )
    return org


@transaction.atomic
def org_merge(*, actor: Any, source: Organization, target: Organization) -> Organization:
    """
    Merge ``source`` into ``target``.

    Children and members of ``source`` move to ``target``, role assignments
    follow, current committee posts of ``source`` end today, and ``source``
    stays in the tree, inactive, with ``merged_into`` pointing at the target
    so its history (posts, audit events) remains readable.
    """
    _lock_tree()
    source.refresh_from_db()
    target.refresh_from_db()
    require(actor, MANAGE_ORGS, source)
    require(actor, MANAGE_ORGS, target)
    if source.pk == target.pk:
        raise ValidationError(_("An organization cannot be merged into itself."))
    if target.path.startswith(source.path) or source.path.startswith(target.path):
        raise ValidationError(_("Cannot merge an organization with its own ancestor or descendant."))
    if source.jurisdiction != target.jurisdiction:
        raise ValidationError(_("Cannot merge organizations of different jurisdictions."))
    if not (source.is_active and target.is_active):
        raise ValidationError(_("Both organizations must be active."))
    if source.kind != target.kind:
        raise ValidationError(_("Only organizations of the same kind can be merged."))

    moved_children = []
    for child in list(source.get_children()):
        child.refresh_from_db()
        target.refresh_from_db()
        Organization.objects.move(child, target, pos="last-child")
        moved_children.append(child.code)
    from orglife.people.models import Person

    moved_people = Person.objects.filter(org=source).update(org=target)
    moved_roles = 0
    for assignment in RoleAssignment.objects.filter(org=source):
        _obj, created = RoleAssignment.objects.get_or_create(
            user_id=assignment.user_id, org=target, role_id=assignment.role_id
        )
        moved_roles += int(created)
        assignment.delete()
    today = timezone.localdate()
    ended_posts = CommitteePost.objects.filter(org=source, ended_on__isnull=True).update(ended_on=today)
    source.refresh_from_db()
    source.is_active = False
    source.merged_into = target
    source.save(update_fields=["is_active", "merged_into", "updated_at"])
    audit_record(
        actor=actor,
        action="orgs.merge",
        target=source,
        org=target,
        data={
            "source": source.code,
            "target": target.code,
            "children": moved_children,
            "people": moved_people,
            "role_assignments": moved_roles,
            "posts_ended": ended_posts,
        },
    )
    target.refresh_from_db()
    return target


@transaction.atomic
def committee_post_assign(
    *,
    actor: Any,
    org: Organization,
    post: str,
    person: Any,
    term_start: date,
    term_end: date,
) -> CommitteePost:
    """Give ``person`` a post on ``org``'s committee for a term."""
    require(actor, MANAGE_ORGS, org)
    if term_end <= term_start:
        raise ValidationError(_("The term must end after it starts."))
    if not person.org.path.startswith(org.path):
        raise ValidationError(_("The holder must be a member of this organization."))
    if (
        post == "secretary"
        and CommitteePost.objects.filter(org=org, post="secretary", ended_on__isnull=True).exists()
    ):
        raise ValidationError(_("This organization already has a secretary; end that post first."))
    record = CommitteePost.objects.create(
        org=org, post=post, person=person, term_start=term_start, term_end=term_end
    )
    audit_record(
        actor=actor,
        action="orgs.post_assign",
        target=record,
        org=org,
        data={"post": post, "person": person.pk, "term_start": term_start, "term_end": term_end},
    )
    return record


@transaction.atomic
def committee_post_end(*, actor: Any, post: CommitteePost, ended_on: date) -> CommitteePost:
    """Close a post before or at its term end."""
    require(actor, MANAGE_ORGS, post.org)
    if ended_on < post.term_start:
        raise ValidationError(_("A post cannot end before its term starts."))
    post.ended_on = ended_on
    post.save(update_fields=["ended_on"])
    audit_record(actor=actor, action="orgs.post_end", target=post, org=post.org, data={"ended_on": ended_on})
    return post
