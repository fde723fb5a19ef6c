"""Reads of person records, always through the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from orglife.access.querysets import subtree_condition
from orglife.access.roles import EXPORT_PEOPLE, VIEW_SENSITIVE
from orglife.access.scope import scope_for
from orglife.common.crypto import mask
from orglife.common.text import query_key
from orglife.people.models import Person, StatusChange


def person_list(
    *,
    actor: Any,
    query: str = "",
    org: Any = None,
    status: str = "",
    action: str = "view",
) -> QuerySet[Person]:
    """
    People visible to ``actor``; ``query`` matches names across simplified
    and traditional characters, pinyin (full or initials) and Vietnamese with
    or without diacritics.
    """
    people = Person.objects.visible_to(actor, action).select_related("org", "party_group")
    if org is not None:
        people = people.filter(subtree_condition("org__path", org.path))
    if status:
        people = people.filter(status=status)
    key = query_key(query)
    if key:
        people = people.filter(Q(search_key__contains=key) | Q(work_unit__icontains=query.strip()))
    return people


def person_status_history(*, actor: Any, person: Person) -> QuerySet[StatusChange]:
    """The dated status changes of ``person``."""
    return StatusChange.objects.visible_to(actor).filter(person=person).order_by("effective_on", "pk")


@dataclass(frozen=True)
class SensitiveView:
    """The sensitive fields of a person as the viewer may see them."""

    national_id: str
    phone: str
    birth_date: str
    unmasked: bool


def person_sensitive_view(*, actor: Any, person: Person) -> SensitiveView:
    """Mask national ID, phone and birth date unless ``actor`` may see them."""
    if scope_for(actor, VIEW_SENSITIVE).covers(person.org.path):
        return SensitiveView(
            national_id=person.national_id,
            phone=person.phone,
            birth_date=person.birth_date.isoformat() if person.birth_date else "",
            unmasked=True,
        )
    return SensitiveView(
        national_id=mask(person.national_id, keep_start=3, keep_end=2),
        phone=mask(person.phone, keep_start=3, keep_end=2),
        birth_date=f"{person.birth_date.year}-**-**" if person.birth_date else "",
        unmasked=False,
    )


def person_export_list(*, actor: Any, org: Any = None) -> QuerySet[Person]:
    """
    People of ``org``'s subtree (everything visible when None) that ``actor``
    may export, in roster order. ``actor=None`` is the system (the operator's
    CLI), which exports everything.
    """
    people = Person.objects.all() if actor is None else Person.objects.visible_to(actor, EXPORT_PEOPLE)
    if org is not None:
        people = people.filter(subtree_condition("org__path", org.path))
    return people.select_related("org", "party_group").order_by("org__path", "full_name", "pk")
