"""Every write to person records."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orglife.access.policy import require
from orglife.access.roles import MANAGE_PEOPLE, VIEW_SENSITIVE
from orglife.access.scope import scope_for
from orglife.audit.services import audit_record
from orglife.common.crypto import lookup_hash
from orglife.common.text import search_key
from orglife.orgs.choices import BRANCH_KINDS, OrgKind
from orglife.orgs.models import Organization
from orglife.people.choices import STATUS_TRANSITIONS, MembershipStatus
from orglife.people.idnumbers import normalize_id
from orglife.people.messages import message_for
from orglife.people.models import Person, StatusChange
from orglife.people.validation import Issue, validate_person

EDITABLE_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "native_place",
    "work_unit",
    "phone",
    "national_id",
    "joined_on",
    "converted_on",
)
SENSITIVE_FIELDS = frozenset({"phone", "national_id", "birth_date"})


class VersionConflict(ValidationError):
    """
    A stale ``expected_version``: someone saved the record in between.

    Carries the record as it is now (``current``) and the values the
    refused caller tried to write (``attempted``), so a client can show the
    difference; nothing was written.
    """

    def __init__(self, *, current: Person, expected_version: int, attempted: dict[str, Any]) -> None:
        super().__init__({"__all__": [message_for("version_conflict")]})
        self.current = current
        self.expected_version = expected_version
        self.attempted = attempted


def _raise_issues(issues: list[Issue]) -> None:
    if issues:
        errors: dict[str, list[str]] = {}
        for issue in issues:
            errors.setdefault(issue.field, []).append(message_for(issue.code, issue.params))
        raise ValidationError(errors)


def _check_branch(org: Organization) -> None:
    if org.kind not in BRANCH_KINDS and org.kind != OrgKind.GENERAL_BRANCH:
        raise ValidationError({"org": [message_for("not_a_branch", {"value": org.name})]})


def _check_party_group(org: Organization, party_group: Organization | None) -> None:
    if party_group is None:
        return
    if party_group.kind != OrgKind.PARTY_GROUP or not party_group.path.startswith(org.path):
        raise ValidationError({"party_group": [_("The party group must belong to the branch.")]})


def _check_unique_id(national_id: str, *, actor: Any, exclude_pk: int | None = None) -> str:
    if not national_id:
        return ""
    digest = lookup_hash(national_id)
    clash = Person.objects.filter(national_id_hash=digest).select_related("org")
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    other = clash.first()
    if other is None:
        return digest
    # Name the holder only to someone who may see them: otherwise the message
    # would tell an outsider who holds an ID and in which branch.
    if actor is None or scope_for(actor, "view").covers(other.org.path):
        message = message_for("duplicate_in_database", {"name": other.full_name, "org": other.org.name})
    else:
        message = message_for("duplicate_in_database_hidden")
    raise ValidationError({"national_id": [message]})


def _redacted(field: str, value: Any) -> Any:
    # The audit trail records that a sensitive value changed, never the value.
    if field in SENSITIVE_FIELDS:
        return "***" if value not in ("", None) else ""
    return value


def _prepare(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    if "national_id" in values:
        values["national_id"] = normalize_id(values.get("national_id") or "")
    if "full_name" in values:
        values["full_name"] = str(values["full_name"]).strip()
    for text_field in ("ethnicity", "education", "native_place", "work_unit", "phone", "gender"):
        if text_field in values and values[text_field] is None:
            values[text_field] = ""
    return values


@transaction.atomic
def person_create(
    *,
    actor: Any,
    org: Organization,
    status: str,
    party_group: Organization | None = None,
    status_date: date | None = None,
    today: date | None = None,
    **values: Any,
) -> Person:
    """Create a person in branch ``org`` with an opening status entry."""
    require(actor, MANAGE_PEOPLE, org)
    _check_branch(org)
    _check_party_group(org, party_group)
    today = today or timezone.localdate()
    values = _prepare(values)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if status not in MembershipStatus.values:
        raise ValidationError({"status": [message_for("invalid_choice", {"value": status})]})
    _raise_issues(validate_person({**values, "status": status}, jurisdiction=org.jurisdiction, today=today))
    digest = _check_unique_id(values.get("national_id", ""), actor=actor)
    person = Person(org=org, party_group=party_group, status=status, **values)
    person.national_id_hash = digest
    person.search_key = search_key(person.full_name)
    person.save()
    StatusChange.objects.create(
        person=person,
        from_status="",
        to_status=status,
        effective_on=status_date or person.converted_on or person.joined_on or today,
        # Stored untranslated; the status history translates it when shown.
        reason=gettext_noop("Record created"),
        recorded_by=actor if actor is not None else None,
    )
    audit_record(
        actor=actor,
        action="people.create",
        target=person,
        org=org,
        data={
            "status": status,
            # Field names only: the trail never holds personal values.
            "fields": sorted(k for k, v in values.items() if v not in ("", None)),
        },
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    expected_version: int | None = None,
    today: date | None = None,
    **values: Any,
) -> Person:
    """
    Change fields of ``person``.

    With ``expected_version`` the update is optimistic: if someone saved the
    record in between, :class:`VersionConflict` (a ValidationError carrying
    the current record) is raised and nothing is written.
    """
    require(actor, MANAGE_PEOPLE, person.org)
    today = today or timezone.localdate()
    values = _prepare(values)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    current = Person.objects.select_for_update().get(pk=person.pk)
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current=current, expected_version=expected_version, attempted=values)
    merged = {name: getattr(current, name) for name in EDITABLE_FIELDS}
    merged.update(values)
    merged["status"] = current.status
    _raise_issues(validate_person(merged, jurisdiction=current.org.jurisdiction, today=today))
    changes = {}
    for name, value in values.items():
        old = getattr(current, name)
        if old != value:
            changes[name] = {"from": _redacted(name, old), "to": _redacted(name, value)}
            setattr(current, name, value)
    if not changes:
        return current
    if "national_id" in changes:
        current.national_id_hash = _check_unique_id(current.national_id, actor=actor, exclude_pk=current.pk)
    current.search_key = search_key(current.full_name)
    current.version += 1
    current.save()
    audit_record(
        actor=actor, action="people.update", target=current, org=current.org, data={"changes": changes}
    )
    return current


@transaction.atomic
def person_status_change(
    *,
    actor: Any,
    person: Person,
    to_status: str,
    effective_on: date,
    reason: str = "",
    today: date | None = None,
) -> Person:
    """
    Record a dated status change (admission, conversion, transfer out, …).

    Admission (→ probationary) sets the join date and conversion (→ full)
    the conversion date when they are empty.
    """
    require(actor, MANAGE_PEOPLE, person.org)
    today = today or timezone.localdate()
    current = Person.objects.select_for_update().get(pk=person.pk)
    if effective_on > today:
        raise ValidationError({"effective_on": [message_for("date_in_future", {"value": effective_on})]})
    allowed = STATUS_TRANSITIONS.get(current.status, frozenset())
    if to_status not in allowed:
        raise ValidationError(
            {
                "to_status": [
                    message_for(
                        "bad_transition",
                        {
                            "from": MembershipStatus(current.status).label,
                            "to": MembershipStatus(to_status).label
                            if to_status in MembershipStatus.values
                            else to_status,
                        },
                    )
                ]
            }
        )
    if to_status == MembershipStatus.PROBATIONARY and current.joined_on is None:
        current.joined_on = effective_on
    if to_status == MembershipStatus.FULL and current.converted_on is None:
        if current.joined_on is not None and effective_on < current.joined_on:
            raise ValidationError(
                {"effective_on": [message_for("converted_before_join", {"value": effective_on})]}
            )
        current.converted_on = effective_on
    record = {name: getattr(current, name) for name in EDITABLE_FIELDS}
    record["status"] = to_status
    _raise_issues(validate_person(record, jurisdiction=current.org.jurisdiction, today=today))
    previous = current.status
    current.status = to_status
    current.version += 1
    current.save()
    StatusChange.objects.create(
        person=current,
        from_status=previous,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="people.status_change",
        target=current,
        org=current.org,
        data={"from": previous, "to": to_status, "effective_on": effective_on, "reason": reason},
    )
    return current


@transaction.atomic
def person_transfer(*, actor: Any, person: Person, to_org: Organization) -> Person:
    """Move a person to another branch the actor manages."""
    require(actor, MANAGE_PEOPLE, person.org)
    require(actor, MANAGE_PEOPLE, to_org)
    _check_branch(to_org)
    if to_org.jurisdiction != person.org.jurisdiction:
        raise ValidationError({"org": [_("Cannot transfer into another jurisdiction.")]})
    current = Person.objects.select_for_update().get(pk=person.pk)
    from_org = current.org
    current.org = to_org
    current.party_group = None
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action="people.transfer",
        target=current,
        org=to_org,
        data={"from": from_org.code, "to": to_org.code},
    )
    return current


def person_needs_read_log(*, actor: Any, person: Person) -> bool:
    """
    True when reading the person's sensitive fields must be logged: the
    reader holds no role on the person's own branch (ARCHITECTURE, personal
    data).
    """
    if actor is None:
        return False
    own_branch_scope = [prefix for prefix in scope_for(actor, "view").prefixes if prefix == person.org.path]
    return not own_branch_scope


@transaction.atomic
def person_sensitive_reads_log(*, actor: Any, people: list[Person], purpose: str) -> int:
    """
    Log the reads of every person in ``people`` whose sensitive fields
    ``actor`` sees unmasked from outside the person's own branch; returns
    how many people were logged.

    One audit event per branch, listing the people's ids, rather than one per
    person: a page of 50 members would otherwise append 50 chained events and
    cap the API at a few requests per second (docs/performance.md, P5).
    """
    sensitive_scope = scope_for(actor, VIEW_SENSITIVE)
    by_branch: dict[int, list[Person]] = {}
    for person in people:
        if sensitive_scope.covers(person.org.path) and person_needs_read_log(actor=actor, person=person):
            by_branch.setdefault(person.org_id, []).append(person)
    if not by_branch:
        return 0
    with transaction.atomic():
        for readers in by_branch.values():
            if len(readers) == 1:
                person_sensitive_read_log(
                    actor=actor, person=readers[0], fields=sorted(SENSITIVE_FIELDS), purpose=purpose
                )
                continue
            audit_record(
                actor=actor,
                action="people.sensitive_read",
                org=readers[0].org,
                data={
                    "fields": sorted(SENSITIVE_FIELDS),
                    "purpose": purpose,
                    "people": sorted(person.pk for person in readers),
                },
            )
    return sum(len(readers) for readers in by_branch.values())


@transaction.atomic
def person_sensitive_read_log(*, actor: Any, person: Person, fields: list[str], purpose: str) -> None:
    """Append a read of sensitive fields to the audit trail (no values)."""
    audit_record(
        actor=actor,
        action="people.sensitive_read",
        target=person,
        org=person.org,
        data={"fields": sorted(fields), "purpose": purpose},
    )


@transaction.atomic
def person_link_user(*, actor: Any, person: Person, user: Any) -> Person:
    """
    Link a login to a person record, so the person can sign in as a member.

    A login belongs to at most one person; linking it elsewhere is refused.
    """
    require(actor, MANAGE_PEOPLE, person.org)
    clash = Person.objects.filter(user=user).exclude(pk=person.pk).first()
    if clash is not None:
        raise ValidationError({"user": [_("This login already belongs to another person.")]})
    current = Person.objects.select_for_update().get(pk=person.pk)
    previous = current.user.get_username() if current.user is not None else ""
    current.user = user
    current.version += 1
    current.save(update_fields=["user", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="people.link_user",
        target=current,
        org=current.org,
        data={"user": user.get_username(), "previous": previous},
    )
    return current
