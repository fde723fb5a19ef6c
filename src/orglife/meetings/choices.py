"""Choices for meeting records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    """Where a meeting stands: planned → held → minuted → sealed, or cancelled."""

    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MINUTED = "minuted", _("Minuted")
    SEALED = "sealed", _("Sealed")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceStatus(models.TextChoices):
    """The roll-call answer for one expected or added attendee."""

    PENDING = "pending", _("Not yet recorded")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class VoteKind(models.TextChoices):
    """What a vote decides; admissions and conversions are one person each."""

    MOTION = "motion", _("Motion")
    ADMISSION = "admission", _("Admission")
    CONVERSION = "conversion", _("Conversion to full member")
    OTHER = "other", _("Other")


PERSON_VOTE_KINDS = frozenset({VoteKind.ADMISSION, VoteKind.CONVERSION})


class FollowUpStatus(models.TextChoices):
    """Progress of a task decided by a resolution."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_FOLLOW_UP_STATUSES = frozenset({FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS})
