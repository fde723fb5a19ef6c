"""Choices for person records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """Gender as recorded on the roster."""

    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MembershipStatus(models.TextChoices):
    """Where a person stands on the road to and in membership (CONTEXT.md)."""

    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    CANDIDATE = "candidate", _("Development candidate")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    REMOVED = "removed", _("Removed from the rolls")
    DECEASED = "deceased", _("Deceased")


MEMBER_STATUSES = frozenset({MembershipStatus.PROBATIONARY, MembershipStatus.FULL})
ENDED_STATUSES = frozenset(
    {MembershipStatus.TRANSFERRED_OUT, MembershipStatus.REMOVED, MembershipStatus.DECEASED}
)

# Allowed status transitions; anything else is refused by person_status_change.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    MembershipStatus.APPLICANT: frozenset({MembershipStatus.ACTIVIST, MembershipStatus.REMOVED}),
    MembershipStatus.ACTIVIST: frozenset(
        {MembershipStatus.CANDIDATE, MembershipStatus.APPLICANT, MembershipStatus.REMOVED}
    ),
    MembershipStatus.CANDIDATE: frozenset(
        {MembershipStatus.PROBATIONARY, MembershipStatus.ACTIVIST, MembershipStatus.REMOVED}
    ),
    MembershipStatus.PROBATIONARY: frozenset(
        {
            MembershipStatus.FULL,
            MembershipStatus.REMOVED,
            MembershipStatus.TRANSFERRED_OUT,
            MembershipStatus.DECEASED,
        }
    ),
    MembershipStatus.FULL: frozenset(
        {MembershipStatus.REMOVED, MembershipStatus.TRANSFERRED_OUT, MembershipStatus.DECEASED}
    ),
    MembershipStatus.TRANSFERRED_OUT: frozenset({MembershipStatus.FULL, MembershipStatus.PROBATIONARY}),
    MembershipStatus.REMOVED: frozenset(),
    MembershipStatus.DECEASED: frozenset(),
}
