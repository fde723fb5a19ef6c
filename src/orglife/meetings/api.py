"""REST endpoints for meetings, activity types and follow-up items (ADR 0006)."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from orglife.access.drf import OrgScopedViewSetMixin, ScopedOrgField
from orglife.access.roles import MANAGE_MEETINGS
from orglife.meetings import selectors, services
from orglife.meetings.api_documents import MeetingDocumentsMixin
from orglife.meetings.choices import AttendanceStatus, FollowUpStatus, VoteKind
from orglife.meetings.filtersets import FollowUpFilterSet, MeetingFilterSet
from orglife.meetings.messages import finding_text
from orglife.meetings.models import (
    ActivityType,
    AgendaItem,
    Attendance,
    Election,
    ElectionCandidate,
    FollowUpItem,
    GuestAttendee,
    Meeting,
    Resolution,
    Vote,
)
from orglife.meetings.rules import Finding
from orglife.people.models import Person

# ------------------------------------------------------------- read shapes


class ActivityTypeSerializer(serializers.ModelSerializer[ActivityType]):
    """An activity type with its name in the caller's language and all four names."""

    name = serializers.CharField(read_only=True)

    class Meta:
        model = ActivityType
        fields = ["id", "jurisdiction", "code", "name", "names", "is_active", "sort_order"]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    """One attendee as recorded."""

    branch = serializers.CharField(source="branch.code", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "person",
            "person_name",
            "branch",
            "expected",
            "status",
            "excuse_reason",
            "arrived_late_minutes",
            "voting_right",
        ]
        read_only_fields = fields


class GuestSerializer(serializers.ModelSerializer[GuestAttendee]):
    """A guest."""

    class Meta:
        model = GuestAttendee
        fields = ["id", "name", "unit", "is_upper_level"]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    """An agenda item."""

    class Meta:
        model = AgendaItem
        fields = ["order", "title", "is_first_item", "discussion"]
        read_only_fields = fields


class ResolutionSerializer(serializers.ModelSerializer[Resolution]):
    """A resolution and its follow-up item, if any."""

    follow_up = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = ["order", "text", "owner_person", "owner_name", "due_on", "follow_up"]
        read_only_fields = fields

    def get_follow_up(self, obj: Resolution) -> int | None:
        """The id of the follow-up item tracking this resolution."""
        item = getattr(obj, "follow_up", None)
        return item.pk if item is not None else None


class VoteSerializer(serializers.ModelSerializer[Vote]):
    """A vote's tally and outcome."""

    agenda_order = serializers.IntegerField(source="agenda_item.order", read_only=True, allow_null=True)

    class Meta:
        model = Vote
        fields = [
            "order",
            "agenda_order",
            "kind",
            "question",
            "subject_person",
            "subject_name",
            "eligible_voters",
            "present_voters",
            "votes_for",
            "votes_against",
            "abstain",
            "written_for",
            "written_against",
            "passed",
            "rule_id",
        ]
        read_only_fields = fields


class CandidateSerializer(serializers.ModelSerializer[ElectionCandidate]):
    """A candidate's tally."""

    class Meta:
        model = ElectionCandidate
        fields = ["person", "name", "votes", "elected"]
        read_only_fields = fields


class ElectionSerializer(serializers.ModelSerializer[Election]):
    """An election's tallies."""

    candidates = CandidateSerializer(many=True, read_only=True)

    class Meta:
        model = Election
        fields = [
            "order",
            "title",
            "seats",
            "should_attend",
            "present_voters",
            "ballots_issued",
            "ballots_returned",
            "ballots_valid",
            "is_valid",
            "candidates",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    """A meeting as listed."""

    org = serializers.CharField(source="org.code", read_only=True)
    types = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "org",
            "topic",
            "types",
            "status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "place",
            "online_link",
            "version",
        ]
        read_only_fields = fields

    def get_types(self, obj: Meeting) -> list[str]:
        """The codes of the meeting's types."""
        return sorted(item.code for item in obj.types.all())


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with everything recorded for it."""

    joint_branches = serializers.SerializerMethodField()
    attendance = AttendanceSerializer(many=True, read_only=True)
    guests = GuestSerializer(many=True, read_only=True)
    agenda = AgendaItemSerializer(many=True, read_only=True)
    resolutions = ResolutionSerializer(many=True, read_only=True)
    votes = VoteSerializer(many=True, read_only=True)
    elections = ElectionSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "invited_upper_level",
            "minutes",
            "should_reasons",
            "cancel_reason",
            "joint_branches",
            "attendance",
            "guests",
            "agenda",
            "resolutions",
            "votes",
            "elections",
        ]
        read_only_fields = fields

    def get_joint_branches(self, obj: Meeting) -> list[str]:
        """Codes of the joint branches."""
        return sorted(row.branch.code for row in obj.meetingjointbranch_set.all())


class FindingSerializer(serializers.Serializer[Any]):
    """One rule finding, with its sentence in the caller's language."""

    rule_id = serializers.CharField()
    passed = serializers.BooleanField()
    strength = serializers.CharField()
    message_key = serializers.CharField()
    params = serializers.DictField()
    source = serializers.CharField()  # type: ignore[assignment]
    message = serializers.CharField()


class FinalizeResultSerializer(serializers.Serializer[Any]):
    """The sealed meeting and every finding, or (400) the findings that stop it."""

    meeting = MeetingDetailSerializer(required=False)
    findings = FindingSerializer(many=True)
    blocking = FindingSerializer(many=True, required=False)


class VersionChangeSerializer(serializers.Serializer[Any]):
    """One field that differs from the previous version."""

    field = serializers.CharField()  # type: ignore[assignment]
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class MeetingVersionSerializer(serializers.Serializer[Any]):
    """A sealed version with its differences from the one before."""

    number = serializers.IntegerField()
    content_hash = serializers.CharField()
    sealed_by = serializers.CharField()
    sealed_at = serializers.DateTimeField()
    amendment_reason = serializers.CharField()
    content = serializers.JSONField()
    changes = VersionChangeSerializer(many=True)


class FollowUpSerializer(serializers.ModelSerializer[FollowUpItem]):
    """A follow-up item."""

    org = serializers.CharField(source="org.code", read_only=True)
    meeting = serializers.IntegerField(source="resolution.meeting_id", read_only=True)

    class Meta:
        model = FollowUpItem
        fields = [
            "id",
            "org",
            "meeting",
            "title",
            "owner_person",
            "owner_name",
            "due_on",
            "status",
            "outcome",
            "closed_on",
            "version",
        ]
        read_only_fields = fields


# ------------------------------------------------------------- write shapes


class MeetingCreateSerializer(serializers.Serializer[Any]):
    """Input to plan a meeting."""

    org = ScopedOrgField()
    topic = serializers.CharField(max_length=300)
    types = serializers.ListField(child=serializers.SlugField(max_length=40), min_length=1)
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    online_link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    invited_upper_level = serializers.CharField(required=False, allow_blank=True, default="")
    joint_branches = serializers.ListField(child=ScopedOrgField(), required=False, default=list)


class MeetingUpdateSerializer(serializers.Serializer[Any]):
    """Plan changes; send ``version`` to be told of a concurrent change."""

    topic = serializers.CharField(max_length=300, required=False)
    types = serializers.ListField(child=serializers.SlugField(max_length=40), min_length=1, required=False)
    planned_start = serializers.DateTimeField(required=False)
    planned_end = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    online_link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    invited_upper_level = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


class HeldSerializer(serializers.Serializer[Any]):
    """Actual start and end."""

    actual_start = serializers.DateTimeField()
    actual_end = serializers.DateTimeField()


class AttendanceEntrySerializer(serializers.Serializer[Any]):
    """One roll-call answer."""

    person = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    excuse_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    arrived_late_minutes = serializers.IntegerField(min_value=0, required=False, default=0)


class AttendanceInputSerializer(serializers.Serializer[Any]):
    """A (partial) roll call."""

    entries = AttendanceEntrySerializer(many=True)


class GuestInputSerializer(serializers.Serializer[Any]):
    """A guest to add."""

    name = serializers.CharField(max_length=100)
    unit = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_upper_level = serializers.BooleanField(required=False, default=False)


class AgendaEntrySerializer(serializers.Serializer[Any]):
    """One agenda item."""

    title = serializers.CharField(max_length=300)
    is_first_item = serializers.BooleanField(required=False, default=False)
    discussion = serializers.CharField(required=False, allow_blank=True, default="")


class AgendaInputSerializer(serializers.Serializer[Any]):
    """The agenda (in order) and/or the minutes."""

    items = AgendaEntrySerializer(many=True, required=False)
    minutes = serializers.CharField(required=False, allow_blank=True)


class ResolutionInputSerializer(serializers.Serializer[Any]):
    """A resolution to add."""

    text = serializers.CharField()
    owner_person = serializers.IntegerField(required=False, allow_null=True, default=None)
    owner_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class VoteInputSerializer(serializers.Serializer[Any]):
    """A vote's tally; ``subjects`` names the one person of an admission or conversion."""

    kind = serializers.ChoiceField(choices=VoteKind.choices)
    subjects = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    question = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    agenda_order = serializers.IntegerField(required=False, allow_null=True, default=None)
    votes_for = serializers.IntegerField(min_value=0)
    votes_against = serializers.IntegerField(min_value=0, required=False, default=0)
    abstain = serializers.IntegerField(min_value=0, required=False, default=0)
    written_for = serializers.IntegerField(min_value=0, required=False, default=0)
    written_against = serializers.IntegerField(min_value=0, required=False, default=0)
    eligible_voters = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    present_voters = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)


class CandidateInputSerializer(serializers.Serializer[Any]):
    """A candidate's tally."""

    person = serializers.IntegerField(required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    votes = serializers.IntegerField(min_value=0)


class ElectionInputSerializer(serializers.Serializer[Any]):
    """An election's tallies."""

    title = serializers.CharField(max_length=200)
    seats = serializers.IntegerField(min_value=1)
    ballots_issued = serializers.IntegerField(min_value=0)
    ballots_returned = serializers.IntegerField(min_value=0)
    ballots_valid = serializers.IntegerField(min_value=0)
    should_attend = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    present_voters = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    candidates = CandidateInputSerializer(many=True)


class FinalizeInputSerializer(serializers.Serializer[Any]):
    """Reasons for unmet "should" rules, by rule id."""

    should_reasons = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )


class AmendFieldsSerializer(serializers.Serializer[Any]):
    """Meeting fields an amendment may change."""

    topic = serializers.CharField(max_length=300, required=False)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    online_link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    invited_upper_level = serializers.CharField(required=False, allow_blank=True)
    actual_start = serializers.DateTimeField(required=False)
    actual_end = serializers.DateTimeField(required=False)
    minutes = serializers.CharField(required=False, allow_blank=True)


class AmendChangesSerializer(serializers.Serializer[Any]):
    """The parts of sealed content an amendment changes."""

    # The metaclass moves declared fields aside, so Serializer.fields stays intact.
    fields = AmendFieldsSerializer(required=False)  # type: ignore[assignment]
    attendance = AttendanceEntrySerializer(many=True, required=False)
    agenda = AgendaEntrySerializer(many=True, required=False)
    guests = GuestInputSerializer(many=True, required=False)
    resolutions = ResolutionInputSerializer(many=True, required=False)


class AmendInputSerializer(serializers.Serializer[Any]):
    """An amendment: the reason and the changes."""

    reason = serializers.CharField()
    changes = AmendChangesSerializer()


class FollowUpUpdateSerializer(serializers.Serializer[Any]):
    """Progress on a follow-up item."""

    status = serializers.ChoiceField(choices=FollowUpStatus.choices, required=False)
    outcome = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


# ----------------------------------------------------------------- helpers


def _finding_data(finding: Finding) -> dict[str, Any]:
    return {**finding.as_dict(), "message": finding_text(finding)}


def _person(pk: int | None, meeting: Meeting) -> Person | None:
    """A person of the participating branches, looked up for the service to check."""
    if pk is None:
        return None
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise serializers.ValidationError({"person": [f"No person {pk}."]})
    return person


def _resolved(entry: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    return {**entry, "owner_person": _person(entry.get("owner_person"), meeting)}


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    payload = serializer_class(data=request.data, context={"request": request})
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


# ---------------------------------------------------------------- viewsets


class ActivityTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Activity types (not org-owned); filter with ``?jurisdiction=CN``."""

    queryset = ActivityType.objects.filter(is_active=True)
    serializer_class = ActivityTypeSerializer
    filterset_fields = ["jurisdiction"]
    ordering = ["jurisdiction", "sort_order", "code"]


_MANAGE = dict.fromkeys(
    (
        "partial_update",
        "held",
        "attendance",
        "guests",
        "agenda",
        "resolutions",
        "votes",
        "election",
        "finalize",
        "amend",
    ),
    MANAGE_MEETINGS,
)


class MeetingViewSet(
    MeetingDocumentsMixin,
    OrgScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Meetings in the caller's scope; writes need ``manage_meetings`` on the host branch."""

    scoped_queryset = Meeting.objects.select_related("org").prefetch_related("types")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    ordering_fields = ["planned_start", "status", "id"]
    ordering = ["-planned_start", "-id"]
    object_actions = _MANAGE

    def _meeting(self) -> Meeting:
        return cast(Meeting, self.get_object())

    def _detail(self, meeting: Meeting, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.meeting_detail_queryset().get(pk=meeting.pk)
        return Response(
            MeetingDetailSerializer(fresh, context={"request": self.request}).data, status=status_code
        )

    @extend_schema(responses=MeetingDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One meeting with attendance, agenda, resolutions, votes and elections."""
        return self._detail(self._meeting())

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingDetailSerializer})
    def create(self, request: Request) -> Response:
        """Plan a meeting; expected attendees come from the roster."""
        data = _valid(MeetingCreateSerializer, request)
        meeting = services.meeting_plan(
            actor=request.user,
            org=data["org"],
            topic=data["topic"],
            type_codes=data["types"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            place=data["place"],
            online_link=data["online_link"],
            invited_upper_level=data["invited_upper_level"],
            joint_branches=data["joint_branches"],
        )
        return self._detail(meeting, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingUpdateSerializer, responses=MeetingDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the plan."""
        meeting = self._meeting()
        data = _valid(MeetingUpdateSerializer, request)
        version = data.pop("version", None)
        types = data.pop("types", None)
        meeting = services.meeting_update_plan(
            actor=request.user, meeting=meeting, expected_version=version, type_codes=types, **data
        )
        return self._detail(meeting)

    @extend_schema(request=HeldSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def held(self, request: Request, pk: str) -> Response:
        """Record that the meeting took place."""
        meeting = self._meeting()
        meeting = services.meeting_record_held(
            actor=request.user, meeting=meeting, **_valid(HeldSerializer, request)
        )
        return self._detail(meeting)

    @extend_schema(request=AttendanceInputSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: str) -> Response:
        """Record the roll call (all or some attendees)."""
        meeting = self._meeting()
        data = _valid(AttendanceInputSerializer, request)
        services.attendance_record(actor=request.user, meeting=meeting, entries=data["entries"])
        return self._detail(meeting)

    @extend_schema(request=GuestInputSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def guests(self, request: Request, pk: str) -> Response:
        """Add a guest."""
        meeting = self._meeting()
        services.guest_add(actor=request.user, meeting=meeting, **_valid(GuestInputSerializer, request))
        return self._detail(meeting)

    @extend_schema(request=AgendaInputSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def agenda(self, request: Request, pk: str) -> Response:
        """Set the agenda and/or the minutes."""
        meeting = self._meeting()
        data = _valid(AgendaInputSerializer, request)
        meeting = services.agenda_set(
            actor=request.user, meeting=meeting, items=data.get("items"), minutes=data.get("minutes")
        )
        return self._detail(meeting)

    @extend_schema(request=ResolutionInputSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def resolutions(self, request: Request, pk: str) -> Response:
        """Add a resolution (with an owner or a deadline it becomes a follow-up item)."""
        meeting = self._meeting()
        data = _resolved(_valid(ResolutionInputSerializer, request), meeting)
        services.resolution_add(actor=request.user, meeting=meeting, **data)
        return self._detail(meeting)

    @extend_schema(request=VoteInputSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def votes(self, request: Request, pk: str) -> Response:
        """Record a vote's tally; admissions and conversions name exactly one person."""
        meeting = self._meeting()
        data = _valid(VoteInputSerializer, request)
        subjects = [person for pk_ in data.pop("subjects") if (person := _person(pk_, meeting)) is not None]
        services.vote_record(actor=request.user, meeting=meeting, subjects=subjects, **data)
        return self._detail(meeting)

    @extend_schema(request=ElectionInputSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def election(self, request: Request, pk: str) -> Response:
        """Record an election's tallies (no ballot is ever linked to a voter)."""
        meeting = self._meeting()
        data = _valid(ElectionInputSerializer, request)
        data["candidates"] = [
            {**candidate, "person": _person(candidate.get("person"), meeting)}
            for candidate in data["candidates"]
        ]
        services.election_record(actor=request.user, meeting=meeting, **data)
        return self._detail(meeting)

    @extend_schema(
        request=FinalizeInputSerializer,
        responses={
            200: FinalizeResultSerializer,
            400: OpenApiResponse(FinalizeResultSerializer, description="the findings that stop sealing"),
        },
    )
    @action(detail=True, methods=["post"])
    def finalize(self, request: Request, pk: str) -> Response:
        """Run the rule checks and seal; 400 lists the findings that stop it."""
        meeting = self._meeting()
        data = _valid(FinalizeInputSerializer, request)
        try:
            meeting, findings = services.meeting_finalize(
                actor=request.user, meeting=meeting, should_reasons=data["should_reasons"]
            )
        except services.MeetingChecksFailed as failure:
            return Response(
                {
                    "findings": [_finding_data(f) for f in failure.all_findings],
                    "blocking": [_finding_data(f) for f in failure.findings],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        fresh = selectors.meeting_detail_queryset().get(pk=meeting.pk)
        return Response(
            {
                "meeting": MeetingDetailSerializer(fresh, context={"request": request}).data,
                "findings": [_finding_data(f) for f in findings],
            }
        )

    @extend_schema(request=AmendInputSerializer, responses=MeetingVersionSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str) -> Response:
        """Amend sealed content with a reason; the meeting is re-sealed as the next version."""
        meeting = self._meeting()
        data = _valid(AmendInputSerializer, request)
        changes = dict(data["changes"])
        if "resolutions" in changes:
            changes["resolutions"] = [_resolved(dict(entry), meeting) for entry in changes["resolutions"]]
        version = services.meeting_amend(
            actor=request.user, meeting=meeting, reason=data["reason"], changes=changes
        )
        history = selectors.meeting_versions(actor=request.user, meeting=meeting)
        entry = next(item for item in history if item["number"] == version.number)
        return Response(MeetingVersionSerializer(entry).data)

    @extend_schema(responses=MeetingVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request: Request, pk: str) -> Response:
        """Every sealed version, side by side: each with its changes from the one before."""
        meeting = self._meeting()
        history = selectors.meeting_versions(actor=request.user, meeting=meeting)
        return Response(MeetingVersionSerializer(history, many=True).data)


class FollowUpViewSet(
    OrgScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Follow-up items of resolutions; progress needs ``manage_meetings``."""

    scoped_queryset = FollowUpItem.objects.select_related("org", "resolution")
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    ordering_fields = ["due_on", "status", "id"]
    ordering = ["due_on", "id"]
    object_actions = {"partial_update": MANAGE_MEETINGS}

    @extend_schema(request=FollowUpUpdateSerializer, responses=FollowUpSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Record status and outcome; send ``version`` to be told of a concurrent change."""
        item = cast(FollowUpItem, self.get_object())
        data = _valid(FollowUpUpdateSerializer, request)
        item = services.followup_update(
            actor=request.user,
            follow_up=item,
            status=data.get("status"),
            outcome=data.get("outcome"),
            expected_version=data.get("version"),
        )
        return Response(FollowUpSerializer(item).data)
