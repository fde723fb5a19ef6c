"""
Meeting records: one record per meeting, counted for every type it has.

Content rows (attendance, guests, agenda, resolutions, votes, elections)
belong to one meeting; once the meeting is sealed they change only through
``meetings.services.meeting_amend`` (ADR 0006). Follow-up items are not
sealed content: they track what a resolution decided until it is closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from orglife.access.querysets import OrgScopedQuerySet
from orglife.meetings.choices import (
    AttendanceStatus,
    FollowUpStatus,
    MeetingStatus,
    VoteKind,
)
from orglife.orgs.choices import Jurisdiction

LANGUAGE_FALLBACK = "en"


class ActivityType(models.Model):
    """
    A kind of meeting or activity of one jurisdiction (支部党员大会, sinh
    hoạt chuyên đề …). Data, not code: seeded from ``activity_types.py``.
    ``names`` maps a language code (en, zh-hans, zh-hant, vi) to the name.
    """

    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    code = models.SlugField(_("code"), max_length=40)
    names = models.JSONField(_("names"), default=dict)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["jurisdiction", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="unique_activity_type_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, else English, else the code."""
        language = (get_language() or LANGUAGE_FALLBACK).lower()
        return str(self.names.get(language) or self.names.get(LANGUAGE_FALLBACK) or self.code)


class Meeting(models.Model):
    """
    One meeting of a host branch, possibly joint with other branches.

    A meeting has many types: a theme day that includes a party lecture
    counts for both. ``version`` detects concurrent plan changes;
    ``should_reasons`` holds the secretary's reason for every failed
    "should" rule (by rule id), recorded at finalization.
    """

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("host branch"), on_delete=models.PROTECT, related_name="meetings"
    )
    topic = models.CharField(_("topic"), max_length=300)
    types = models.ManyToManyField(ActivityType, verbose_name=_("types"), related_name="meetings")
    joint_branches = models.ManyToManyField(
        "orgs.Organization",
        verbose_name=_("joint branches"),
        through="MeetingJointBranch",
        related_name="joint_meetings",
        blank=True,
    )
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    invited_upper_level = models.TextField(_("invited upper-level attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    should_reasons = models.JSONField(_("reasons for unmet recommendations"), default=dict, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "org__path"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-planned_start", "-pk"]
        indexes = [models.Index(fields=["org", "planned_start"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gt=models.F("planned_start")),
                name="meeting_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_start__isnull=False, actual_end__gt=models.F("actual_start")),
                name="meeting_actual_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_sealed(self) -> bool:
        """True once finalized: content changes only by amendment."""
        return self.status == MeetingStatus.SEALED


class MeetingJointBranch(models.Model):
    """A branch taking part in a joint meeting hosted by another branch."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE)
    branch = models.ForeignKey(
        "orgs.Organization", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "meeting__org__path"

    class Meta:
        verbose_name = _("joint branch")
        verbose_name_plural = _("joint branches")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "branch"], name="unique_meeting_joint_branch"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.branch_id}"


class Attendance(models.Model):
    """
    One person's attendance at a meeting.

    ``branch`` is the person's branch when the meeting was planned (counts
    per joint branch survive later transfers); ``person_name`` is the name
    as recorded, so a later rename does not alter sealed content.
    ``voting_right`` is true for full members only: probationary members
    do not vote (CN 选举条例 Art. 5; VN Điều lệ Art. 4).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendance"
    )
    person_name = models.CharField(_("name"), max_length=100)
    branch = models.ForeignKey(
        "orgs.Organization", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    expected = models.BooleanField(_("expected"), default=True)
    status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PENDING
    )
    excuse_reason = models.CharField(_("reason for absence"), max_length=300, blank=True)
    arrived_late_minutes = models.PositiveIntegerField(_("arrived late (minutes)"), default=0)
    voting_right = models.BooleanField(_("voting right"), default=False)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "meeting__org__path"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "person_name", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_meeting_attendee"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name}: {self.status}"


class GuestAttendee(models.Model):
    """Someone attending who is not on the branch roster (upper-level leader, guest)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    is_upper_level = models.BooleanField(_("from the upper level"), default=False)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "meeting__org__path"

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """
    One item of the agenda, with the discussion recorded for it.

    ``is_first_item`` marks the study of the latest central documents that
    opens every 三会一课 ("first agenda item", seed document 003).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    is_first_item = models.BooleanField(_("first agenda item"), default=False)
    discussion = models.TextField(_("discussion"), blank=True)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "meeting__org__path"

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="unique_agenda_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Resolution(models.Model):
    """A decision of the meeting, with who carries it out and by when."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="resolutions"
    )
    order = models.PositiveIntegerField(_("order"))
    text = models.TextField(_("text"))
    owner_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_name = models.CharField(_("owner"), max_length=100, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "meeting__org__path"

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="unique_resolution_order"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class FollowUpItem(models.Model):
    """
    A task decided by a resolution, tracked until it is done or dropped.

    Not part of the sealed content: progress is recorded after the meeting
    is sealed, and open items are shown at the branch's next meetings.
    """

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    resolution = models.OneToOneField(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="follow_up"
    )
    title = models.CharField(_("title"), max_length=300)
    owner_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_name = models.CharField(_("owner"), max_length=100, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "org__path"

    class Meta:
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["org", "status"])]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    """
    The tally of one vote on an agenda item.

    Admissions and conversions are voted one person at a time (CN 细则
    Art. 20 "逐个"; VN Điều lệ Art. 4), so ``subject_person`` is one person.
    ``written_for`` / ``written_against`` are formal written opinions of
    absent members, which count for CN admissions and conversions.
    ``passed`` is computed by ``meetings.rules`` when recorded.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="votes"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="votes",
    )
    order = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=12, choices=VoteKind.choices)
    question = models.CharField(_("question"), max_length=300, blank=True)
    subject_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_name = models.CharField(_("subject"), max_length=100, blank=True)
    eligible_voters = models.PositiveIntegerField(_("voting members who should attend"))
    present_voters = models.PositiveIntegerField(_("voting members present"))
    votes_for = models.PositiveIntegerField(_("for"))
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    written_for = models.PositiveIntegerField(_("written opinions for"), default=0)
    written_against = models.PositiveIntegerField(_("written opinions against"), default=0)
    passed = models.BooleanField(_("passed"))
    rule_id = models.CharField(_("rule"), max_length=64)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "meeting__org__path"

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="unique_vote_order"),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["admission", "conversion"])
                | models.Q(subject_person__isnull=False),
                name="vote_person_kind_has_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(present_voters__lte=models.F("eligible_voters")),
                name="vote_present_within_eligible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_name or self.question}"


class Election(models.Model):
    """
    The tallies of one election at a meeting (committee, secretary …).

    Tallies only: no table links a voter to a choice, ever (secret ballot).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="elections"
    )
    order = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    seats = models.PositiveIntegerField(_("seats"))
    should_attend = models.PositiveIntegerField(_("voting members who should attend"))
    present_voters = models.PositiveIntegerField(_("voting members present"))
    ballots_issued = models.PositiveIntegerField(_("ballots issued"))
    ballots_returned = models.PositiveIntegerField(_("ballots returned"))
    ballots_valid = models.PositiveIntegerField(_("valid ballots"))
    is_valid = models.BooleanField(_("valid"))

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "meeting__org__path"

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="unique_election_order"),
            models.CheckConstraint(
                condition=models.Q(ballots_returned__lte=models.F("ballots_issued"))
                & models.Q(ballots_valid__lte=models.F("ballots_returned")),
                name="election_ballots_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ElectionCandidate(models.Model):
    """A candidate of an election with the votes received (a tally)."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    votes = models.PositiveIntegerField(_("votes"))
    elected = models.BooleanField(_("elected"))

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "election__meeting__org__path"

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election", "-votes", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class MeetingVersion(models.Model):
    """
    One sealed version of a meeting's canonical content.

    Version 1 is written when the meeting is finalized; each amendment adds
    the next version with its reason. ``content_hash`` is the sha256 of the
    canonical JSON of ``content``; the audit event of the seal or amendment
    carries the same hash, and verify-audit recomputes both (ADR 0006).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sealed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sealed_by_name = models.CharField(_("sealed by"), max_length=150)
    sealed_at = models.DateTimeField(_("sealed at"))
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)

    objects = OrgScopedQuerySet.as_manager()
    scope_path_field = "meeting__org__path"

    class Meta:
        verbose_name = _("meeting version")
        verbose_name_plural = _("meeting versions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="unique_meeting_version"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.number}"


class CalendarFeedToken(models.Model):
    """
    A user's secret, revocable token for calendar feeds (iCal).

    Calendar apps cannot log in: the token in the feed URL stands for the
    user, for reading feeds only (never the API or any page). Rotating it
    replaces the row, so an old URL stops working. No org: the feeds it
    opens are limited by the user's own view scope when read.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.token[:4]}…"
