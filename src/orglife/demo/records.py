"""
A year of meeting records for every demo branch, with deliberate defects.

Planning is pure Python over the people already written (``load_branches``
reads them once); the plan is deterministic for the seed and laid out from
``today`` like the rest of the demo. Two writers share the plan:

* ``ServiceRecordWriter`` (the small demo) goes through ``meetings.services``
  (plan → held → attendance → agenda → resolutions → votes → elections →
  finalize), so every seal is a real one with its audit events;
* ``BulkRecordWriter`` (the province) inserts with ``bulk_create``, builds
  the sealed canonical content from the plan with :func:`planned_content`
  (the same structure as ``meetings.sealing.meeting_content``, proven equal
  in the tests) and appends one ``meetings.seal`` event per sealed meeting
  to the audit chain in batches, so ``orglife verify-audit`` passes.

Deliberate defects (listed in the summary, see ADR 0006 "Demo records"):
missed months, a CN general meeting without quorum (minuted, not sealable),
two probationary members approved together without a vote per person
(minuted, no Vote rows), minutes copied from another branch, and a VN
combined meeting shorter than 90 minutes (sealed with a "should" reason).
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from orglife.audit.chain import GENESIS_HASH, canonical_json, chain_hash, event_payload
from orglife.audit.models import AuditEvent
from orglife.audit.services import audit_record
from orglife.demo.people import add_months
from orglife.meetings import rules
from orglife.meetings import services as meeting_services
from orglife.meetings.activity_types import (
    COMMITTEE_MEETING,
    DEMOCRATIC_EVALUATION,
    ELECTION,
    GENERAL_MEETING,
    GROUP_MEETING,
    HEART_TALK,
    ORG_LIFE_MEETING,
    PARTY_LECTURE,
    REGULAR_MEETING,
    THEMATIC_MEETING,
    THEME_DAY,
)
from orglife.meetings.activity_types import CONGRESS as VN_CONGRESS
from orglife.meetings.choices import AttendanceStatus, FollowUpStatus, MeetingStatus, VoteKind
from orglife.meetings.models import (
    ActivityType,
    AgendaItem,
    Attendance,
    Election,
    ElectionCandidate,
    FollowUpItem,
    Meeting,
    MeetingVersion,
    Resolution,
    Vote,
)
from orglife.meetings.sealing import CONTENT_SCHEMA, MEETING_OBJECT_TYPE, content_hash
from orglife.orgs.choices import BRANCH_KINDS, OrgKind, PostKind
from orglife.orgs.models import CommitteePost, Organization
from orglife.people.choices import MEMBER_STATUSES, MembershipStatus
from orglife.people.models import Person

Progress = Callable[[str], None]
ZONES = {"CN": ZoneInfo("Asia/Shanghai"), "VN": ZoneInfo("Asia/Ho_Chi_Minh")}
BULK_BATCH = 2000
BULK_BRANCHES = 150  # branches planned and written per bulk round
POST_ORDER = {kind.value: position for position, kind in enumerate(PostKind)}

# Defect kinds (stable identifiers, used in the summary, the audit event and the tests).
MISSED_MONTH = "missed_month"
NO_QUORUM = "no_quorum"
JOINT_VOTE = "joint_vote"
COPIED_MINUTES = "copied_minutes"
SHORT_MEETING = "short_meeting"


# --- facts read from the database ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    """A current member (probationary or full) of a branch, as written."""

    id: int
    name: str
    status: str
    joined_on: date | None
    converted_on: date | None
    group_id: int | None


@dataclass(frozen=True, slots=True)
class BranchFacts:
    """What the record planner needs to know about one branch."""

    org_id: int
    code: str
    name: str
    jurisdiction: str
    members: tuple[Member, ...]
    committee: tuple[int, ...]  # current post holders, secretary first
    post_holders: tuple[int, ...]  # every post holder, current or not, secretary first
    secretary: int | None
    term_end: date | None
    groups: tuple[tuple[int, str], ...]


def load_branches(root: Organization, today: date) -> list[BranchFacts]:
    """Every active branch under ``root`` with its members, posts and party groups, in tree order."""
    prefix = root.path
    orgs = list(
        Organization.objects.filter(path__startswith=prefix, kind__in=BRANCH_KINDS, is_active=True)
        .order_by("path")
        .values_list("pk", "code", "name", "jurisdiction")
    )
    members: dict[int, list[Member]] = {}
    rows = (
        Person.objects.filter(org__path__startswith=prefix, status__in=MEMBER_STATUSES)
        .order_by("org_id", "pk")
        .values_list("org_id", "pk", "full_name", "status", "joined_on", "converted_on", "party_group_id")
    )
    for org_id, pk, name, status, joined, converted, group in rows.iterator(chunk_size=5000):
        members.setdefault(org_id, []).append(Member(pk, name, status, joined, converted, group))
    posts: dict[int, list[tuple[int, int, date]]] = {}
    for org_id, person_id, post, term_end in CommitteePost.objects.filter(
        org__path__startswith=prefix, ended_on__isnull=True
    ).values_list("org_id", "person_id", "post", "term_end"):
        posts.setdefault(org_id, []).append((POST_ORDER.get(post, 99), person_id, term_end))
    groups: dict[int, list[tuple[int, str]]] = {}
    for parent_path, pk, name in (
        Organization.objects.filter(path__startswith=prefix, kind=OrgKind.PARTY_GROUP)
        .order_by("path")
        .values_list("path", "pk", "name")
    ):
        groups.setdefault(parent_path[: -Organization.steplen], []).append((pk, name))
    paths = dict(Organization.objects.filter(pk__in=[o[0] for o in orgs]).values_list("pk", "path"))
    branches = []
    for pk, code, name, jurisdiction in orgs:
        mine = members.get(pk, [])
        member_ids = {m.id for m in mine}
        held = sorted(posts.get(pk, []))
        current = tuple(p for _o, p, end in held if end >= today and p in member_ids)
        secretary = next((p for o, p, _e in held if o == POST_ORDER[PostKind.SECRETARY]), None)
        path = paths[pk]
        own_groups = tuple(groups.get(path, ()))
        branches.append(
            BranchFacts(
                org_id=pk,
                code=code,
                name=name,
                jurisdiction=jurisdiction,
                members=tuple(mine),
                committee=current,
                post_holders=tuple(dict.fromkeys(p for _o, p, _e in held if p in member_ids)),
                secretary=secretary if secretary in member_ids else (mine[0].id if mine else None),
                term_end=max((end for _o, _p, end in held), default=None),
                groups=own_groups,
            )
        )
    return branches


# --- the plan ------------------------------------------------------------------------------


@dataclass(slots=True)
class AttendancePlan:
    person_id: int
    name: str
    branch_id: int
    status: str = AttendanceStatus.PENDING
    excuse_reason: str = ""
    late: int = 0
    voting: bool = False


@dataclass(slots=True)
class ResolutionPlan:
    text: str
    owner_id: int | None = None
    owner_name: str = ""
    due_on: date | None = None
    follow_status: str = FollowUpStatus.OPEN
    closed_on: date | None = None


@dataclass(slots=True)
class VotePlan:
    kind: str
    question: str
    subject_id: int | None
    subject_name: str
    status_before: str  # the subject's status when the vote was taken
    eligible: int
    present: int
    votes_for: int
    votes_against: int = 0
    abstain: int = 0
    written_for: int = 0
    agenda_order: int | None = None


@dataclass(slots=True)
class ElectionPlan:
    title: str
    seats: int
    should_attend: int
    present: int
    issued: int
    returned: int
    valid: int
    candidates: list[tuple[int, str, int]]  # person id, name, votes


@dataclass(slots=True)
class MeetingPlan:
    """One meeting as it will be written; ``target`` is planned, minuted or sealed."""

    branch: BranchFacts
    topic: str
    types: tuple[str, ...]
    planned_start: datetime
    planned_end: datetime
    place: str
    target: str
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    attendance: list[AttendancePlan] = field(default_factory=list)
    agenda: list[tuple[str, bool, str]] = field(default_factory=list)  # title, first item, discussion
    minutes: str = ""
    resolutions: list[ResolutionPlan] = field(default_factory=list)
    votes: list[VotePlan] = field(default_factory=list)
    elections: list[ElectionPlan] = field(default_factory=list)
    should_reasons: dict[str, str] = field(default_factory=dict)
    invited_upper_level: str = ""
    partial_roster: bool = False  # a group meeting or talk: only some members are expected
    defect: str = ""


@dataclass(frozen=True)
class Defect:
    """One deliberate gap or defect, for the summary (meeting id once written)."""

    kind: str
    branch_code: str
    branch_name: str
    on: date
    topic: str
    note: str
    meeting_id: int | None = None

    def line(self) -> str:
        where = f"meeting #{self.meeting_id}" if self.meeting_id else "no meeting"
        return f"{self.kind:<15} {self.branch_code:<18} {self.on.isoformat()}  {where}: {self.note}"


@dataclass
class RecordsSummary:
    """What the records step produced for one jurisdiction."""

    meetings: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    attendance: int = 0
    votes: int = 0
    elections: int = 0
    resolutions: int = 0
    follow_ups: int = 0
    seal_events: int = 0
    defects: list[Defect] = field(default_factory=list)

    def add(self, other: RecordsSummary) -> None:
        self.meetings += other.meetings
        for key, value in other.by_status.items():
            self.by_status[key] = self.by_status.get(key, 0) + value
        self.attendance += other.attendance
        self.votes += other.votes
        self.elections += other.elections
        self.resolutions += other.resolutions
        self.follow_ups += other.follow_ups
        self.seal_events += other.seal_events
        self.defects += other.defects


# --- texts (data, as a secretary would write them) ---------------------------------------

CN_THEMES = (
    "学习贯彻党的二十届四中全会精神",
    "村道硬化工程推进",
    "重温入党誓词，牢记初心使命",
    "学习《中国共产党纪律处分条例》",
    "人居环境整治义务劳动",
    "防汛备汛志愿服务",
    "秋收助农志愿服务",
    "学习习近平总书记关于“三农”工作的重要论述",
    "走访慰问困难党员和老党员",
    "党员积分制管理亮分评星",
    "安全生产和消防知识学习",
    "移风易俗，文明乡风建设",
)
CN_LECTURES = (
    "书记讲党课：弘扬焦裕禄精神，推动乡村振兴",
    "党课：以学铸魂、以学增智、以学正风、以学促干",
    "党课：发挥党员先锋模范作用",
    "党课：坚持以人民为中心的发展思想",
)
CN_GENERAL = (
    "支部党员大会：通报上季度工作，研究本季度重点任务",
    "支部党员大会：讨论村集体经济发展项目",
    "支部党员大会：研究发展党员工作计划",
    "支部党员大会：审议党费收缴使用情况",
)
CN_COMMITTEE = (
    "支委会：研究本月主题党日安排",
    "支委会：研究党员教育管理工作",
    "支委会：研究村道硬化工程推进事项",
    "支委会：研究困难群众帮扶名单",
    "支委会：研究发展党员和入党积极分子培养",
)
CN_TASKS = (
    "完成村道硬化工程剩余路段施工",
    "组织党员开展人居环境整治",
    "走访慰问困难党员",
    "收缴本季度党费并公示",
    "更新党员积分台账",
    "落实防汛值班安排",
    "整理入党积极分子培养材料",
)
CN_EXCUSES = ("外出务工", "外出务工", "生病住院", "出差", "照顾家人", "年老体弱行动不便")
CN_FIRST_ITEM = "第一议题：学习习近平总书记近期重要讲话和重要指示批示精神"
VN_THEMATIC = (
    "Chuyên đề: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Chuyên đề: Nâng cao chất lượng sinh hoạt chi bộ",
    "Chuyên đề: Xây dựng nông thôn mới kiểu mẫu",
    "Chuyên đề: Chuyển đổi số trong công tác đảng",
)
VN_TASKS = (
    "Hoàn thiện 75 m đường bê tông xóm 3",
    "Ra quân Thứ Bảy xanh",
    "Vận động đóng góp quỹ khuyến học",
    "Phòng chống dịch bệnh trên đàn gia súc",
    "Thu hoạch lúa vụ mùa gọn, nhanh",
    "Chuẩn bị tổ chức Tết Nguyên đán vui tươi, an toàn",
    "Thu đảng phí quý đầy đủ, đúng hạn",
    "Rà soát hộ nghèo, hộ cận nghèo",
)
VN_EXCUSES = ("Đi làm ăn xa", "Đi làm ăn xa", "Ốm đau", "Đi công tác", "Tuổi cao sức yếu", "Việc gia đình")


def _when(jurisdiction: str, day: date, hour: int, minute: int, minutes: int) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(hour, minute), tzinfo=ZONES[jurisdiction])
    return start, start + timedelta(minutes=minutes)


class RecordPlanner:
    """
    Plans a year of meetings (the last twelve months and the next one) for
    the branches of one jurisdiction. Each branch has its own random
    stream, so the plan does not depend on how branches are batched.
    """

    def __init__(self, *, jurisdiction: str, seed: int, today: date, branches: list[BranchFacts]) -> None:
        self.jurisdiction = jurisdiction
        self.seed = seed
        self.today = today
        self.first_month = add_months(today.replace(day=1), -11)
        self.defects: list[Defect] = []
        self.defect_at: dict[str, list[tuple[str, Any]]] = {}
        self._choose_defects(branches)

    def _rng(self, code: str, stream: str) -> random.Random:
        return random.Random(f"orglife-demo:{self.seed}:{code}:records:{stream}")  # noqa: S311 - demo data

    # -- defects ---------------------------------------------------------------------------

    def _choose_defects(self, branches: list[BranchFacts]) -> None:
        """A handful of defects, spread over the branches (deterministic)."""
        rng = self._rng(self.jurisdiction, "defects")
        usable = [b for b in branches if len(b.members) >= 3]
        if len(usable) < 4:
            return
        spread = max(1, len(usable) // 7)

        def pick(position: int) -> BranchFacts:
            return usable[(position * spread + rng.randrange(spread)) % len(usable)]

        for position, months in ((1, (3,)), (4, (5, 6)), (6, (8,))):
            self._mark(pick(position), MISSED_MONTH, months)
        if self.jurisdiction == "CN":
            self._mark(pick(2), NO_QUORUM, 1)
        else:
            self._mark(pick(2), SHORT_MEETING, 4)
        source, copy = pick(3), pick(5)
        if source is copy:
            copy = usable[(usable.index(source) + 1) % len(usable)]
        self._mark(copy, COPIED_MINUTES, source)
        # Two members admitted in the last year in one branch (the most recent ones).
        candidates = sorted(
            (b for b in usable if len(self._admissions(b)) >= 2),
            key=lambda b: -len(self._admissions(b)),
        )
        if not candidates:  # fall back to two conversions within the year
            candidates = [b for b in usable if len(self._conversions(b)) >= 2]
        if candidates:
            self._mark(candidates[0], JOINT_VOTE, None)

    def _mark(self, branch: BranchFacts, kind: str, value: Any) -> None:
        self.defect_at.setdefault(branch.code, []).append((kind, value))

    def _admissions(self, branch: BranchFacts) -> list[Member]:
        start = self.first_month
        return sorted(
            (
                m
                for m in branch.members
                if m.status == MembershipStatus.PROBATIONARY
                and m.joined_on is not None
                and start <= m.joined_on < self.today
            ),
            key=lambda m: (m.joined_on, m.id),
        )

    def _conversions(self, branch: BranchFacts) -> list[Member]:
        start = self.first_month
        return sorted(
            (
                m
                for m in branch.members
                if m.converted_on is not None and start <= m.converted_on < self.today
            ),
            key=lambda m: (m.converted_on, m.id),
        )

    def _note(self, branch: BranchFacts, kind: str, on: date, topic: str, note: str) -> None:
        self.defects.append(Defect(kind, branch.code, branch.name, on, topic, note))

    # -- the plan of one branch ---------------------------------------------------------------

    def plan_branch(self, branch: BranchFacts) -> list[MeetingPlan]:
        """Every meeting of ``branch`` in the year, in date order."""
        if not branch.members:
            return []
        rng = self._rng(branch.code, "plan")
        defects = dict(self.defect_at.get(branch.code, []))
        # A month with an admission or a conversion (voted on that date) is not missed.
        busy = {
            day.replace(day=1)
            for member in (*self._admissions(branch), *self._conversions(branch))
            for day in (member.joined_on, member.converted_on)
            if day is not None
        }
        missed = {
            offset
            for offset in defects.get(MISSED_MONTH) or ()
            if add_months(self.first_month, offset) not in busy
        }
        plans: list[MeetingPlan] = []
        cn = self.jurisdiction == "CN"
        for offset in range(13):  # twelve months back to this one, and the next
            month = add_months(self.first_month, offset)
            if offset in missed:
                self._note(
                    branch,
                    MISSED_MONTH,
                    month,
                    "",
                    "no meeting recorded this month"
                    + (" (no regular branch meeting)" if not cn else " (no theme day, no committee meeting)"),
                )
                continue
            day = month + timedelta(days=rng.randrange(3, 25))
            plans += self._cn_month(branch, rng, month, day, offset, defects) if cn else []
            plans += [] if cn else self._vn_month(branch, rng, month, day, offset, defects)
        plans += self._person_votes(branch, rng, defects)
        plans += self._election(branch, rng)
        for plan in plans:
            self._finish(plan, rng)
        plans.sort(key=lambda p: (p.planned_start, p.topic))
        return plans

    def _target(self, day: date) -> str:
        return MeetingStatus.SEALED if day < self.today else MeetingStatus.PLANNED

    def _new(
        self,
        branch: BranchFacts,
        rng: random.Random,
        *,
        day: date,
        topic: str,
        types: Iterable[str],
        minutes: int,
        place: str,
        expected: Iterable[Member] | None = None,
    ) -> MeetingPlan:
        hour, minute = rng.choice(((8, 30), (9, 0), (14, 30), (15, 0), (19, 30)))
        start, end = _when(self.jurisdiction, day, hour, minute, minutes)
        plan = MeetingPlan(
            branch=branch,
            topic=topic,
            types=tuple(sorted(types)),
            planned_start=start,
            planned_end=end,
            place=place,
            target=self._target(day),
        )
        people = branch.members if expected is None else tuple(expected)
        plan.partial_roster = expected is not None
        plan.attendance = [
            AttendancePlan(m.id, m.name, branch.org_id, voting=m.status == MembershipStatus.FULL)
            for m in people
        ]
        return plan

    def _member(self, branch: BranchFacts, person_id: int | None) -> Member | None:
        return next((m for m in branch.members if m.id == person_id), None)

    def _cn_month(
        self,
        branch: BranchFacts,
        rng: random.Random,
        month: date,
        day: date,
        offset: int,
        defects: dict[str, Any],
    ) -> list[MeetingPlan]:
        plans = []
        place = "村党群服务中心" if "村" in branch.name else "党员活动室"
        theme = CN_THEMES[(offset + rng.randrange(len(CN_THEMES))) % len(CN_THEMES)]
        with_lecture = rng.random() < 0.6
        quarter = month.month in (3, 6, 9, 12)
        # Most branches hold the quarterly general meeting on the theme day: one record, both types.
        combined = quarter and rng.random() < 0.7
        types = [THEME_DAY, PARTY_LECTURE] if with_lecture else [THEME_DAY]
        topic = f"{month.month}月主题党日：{theme}"
        if combined:
            types.append(GENERAL_MEETING)
            topic = f"{month.month}月主题党日暨支部党员大会：{theme}"
        plan = self._new(
            branch,
            rng,
            day=day,
            topic=topic,
            types=types,
            minutes=rng.randrange(120, 181, 10) if combined else rng.randrange(100, 181, 10),
            place=place,
        )
        plan.agenda = [
            (CN_FIRST_ITEM, True, "集中学习，交流心得体会。"),
            (theme, False, f"围绕“{theme}”开展活动。"),
        ]
        if with_lecture:
            plan.agenda.append((rng.choice(CN_LECTURES), False, "支部书记讲党课。"))
        plans.append(plan)
        if quarter and not combined:
            gm_day = min(day + timedelta(days=rng.randrange(1, 5)), month + timedelta(days=27))
            plan = self._new(
                branch,
                rng,
                day=gm_day,
                topic=CN_GENERAL[month.month // 3 - 1],
                types=[GENERAL_MEETING],
                minutes=rng.randrange(90, 151, 10),
                place=place,
            )
            plan.agenda = [(CN_FIRST_ITEM, True, "传达学习上级有关文件精神。")]
            plans.append(plan)
        if quarter:
            plan.agenda.append(
                (CN_GENERAL[month.month // 3 - 1].split("：")[-1], False, "党员讨论，举手表决。")
            )
            plan.resolutions = [ResolutionPlan(rng.choice(CN_TASKS))]
            if (
                NO_QUORUM in defects
                and plan.target == MeetingStatus.SEALED
                and not defects.get("_done_quorum")
            ):
                defects["_done_quorum"] = True
                plan.defect = NO_QUORUM
        if len(branch.committee) >= 3:
            plan = self._new(
                branch,
                rng,
                day=max(month, day - timedelta(days=rng.randrange(2, 6))),
                topic=rng.choice(CN_COMMITTEE),
                types=[COMMITTEE_MEETING],
                minutes=rng.randrange(60, 121, 10),
                place="支部办公室",
                expected=[m for m in branch.members if m.id in branch.committee],
            )
            plan.agenda = [
                (CN_FIRST_ITEM, True, "支委会成员集体学习。"),
                (plan.topic.split("：")[-1], False, ""),
            ]
            plan.resolutions = [ResolutionPlan(rng.choice(CN_TASKS))]
            plans.append(plan)
        if branch.groups and month.month % 3 == 1:  # party groups: quarterly
            for group_id, group_name in branch.groups:
                people = [m for m in branch.members if m.group_id == group_id]
                if not people:
                    continue
                plan = self._new(
                    branch,
                    rng,
                    day=min(day + timedelta(days=rng.randrange(2, 8)), month + timedelta(days=27)),
                    topic=f"{group_name}学习讨论会",
                    types=[GROUP_MEETING],
                    minutes=rng.randrange(60, 91, 10),
                    place=place,
                    expected=people,
                )
                plan.agenda = [(CN_FIRST_ITEM, True, "小组集中学习。"), ("交流学习体会", False, "")]
                plans.append(plan)
        if month.month == 12:
            plan = self._new(
                branch,
                rng,
                day=min(day + timedelta(days=3), month + timedelta(days=28)),
                topic=f"{month.year}年度组织生活会和民主评议党员",
                types=[ORG_LIFE_MEETING, DEMOCRATIC_EVALUATION],
                minutes=rng.randrange(150, 211, 10),
                place=place,
            )
            plan.agenda = [
                (CN_FIRST_ITEM, True, "学习有关文件。"),
                ("支部班子对照检查，党员开展批评和自我批评", False, "逐一发言，相互提出批评意见。"),
                ("民主评议党员", False, "以无记名方式评议，结果报上级党组织。"),
            ]
            plan.resolutions = [ResolutionPlan("针对查摆问题制定整改清单，限期整改")]
            plans.append(plan)
        if rng.random() < 0.15 and branch.secretary is not None and len(branch.members) >= 2:
            other = rng.choice([m for m in branch.members if m.id != branch.secretary])
            secretary = self._member(branch, branch.secretary)
            plan = self._new(
                branch,
                rng,
                day=min(day + timedelta(days=rng.randrange(5, 12)), month + timedelta(days=27)),
                topic=f"支部书记与{other.name}同志谈心谈话",
                types=[HEART_TALK],
                minutes=rng.randrange(30, 61, 10),
                place="支部办公室",
                expected=[m for m in (secretary, other) if m is not None],
            )
            plan.agenda = [("了解思想、工作和生活情况", False, "交流坦诚，提出意见建议。")]
            plans.append(plan)
        return plans

    def _vn_month(
        self,
        branch: BranchFacts,
        rng: random.Random,
        month: date,
        day: date,
        offset: int,
        defects: dict[str, Any],
    ) -> list[MeetingPlan]:
        plans = []
        place = "Nhà văn hóa xóm" if "xóm" in branch.name.lower() else "Hội trường cơ quan"
        thematic = month.month % 3 == 0 and rng.random() < 0.85
        tasks = rng.sample(VN_TASKS, 2)
        types = [REGULAR_MEETING, THEMATIC_MEETING] if thematic else [REGULAR_MEETING]
        length = rng.randrange(120, 171, 10) if thematic else rng.randrange(90, 151, 10)
        short = (
            thematic is False
            and SHORT_MEETING in defects
            and not defects.get("_done_short")
            and day < self.today
            and offset >= 2
        )
        if short:  # the defect: a combined meeting of 80 minutes
            defects["_done_short"] = True
            types, length, thematic = [REGULAR_MEETING, THEMATIC_MEETING], 80, True
        topic = f"Sinh hoạt chi bộ định kỳ tháng {month.month}/{month.year}"
        chosen_theme = VN_THEMATIC[(offset // 3) % len(VN_THEMATIC)]
        if thematic:
            topic += f" kết hợp {chosen_theme[0].lower()}{chosen_theme[1:]}"
        plan = self._new(branch, rng, day=day, topic=topic, types=types, minutes=length, place=place)
        plan.agenda = [
            ("Đánh giá kết quả thực hiện nghị quyết tháng trước", False, "Các đồng chí đảng viên phát biểu."),
            (f"Triển khai nhiệm vụ tháng {month.month}: {tasks[0]}; {tasks[1]}", False, ""),
        ]
        if thematic:
            plan.agenda.append((chosen_theme, False, "Trao đổi, thảo luận, liên hệ thực tế địa phương."))
        plan.resolutions = [ResolutionPlan(tasks[0]), ResolutionPlan(tasks[1])]
        if short:
            plan.defect = SHORT_MEETING
            plan.should_reasons = {
                "vn.chibo.duration": "Chi bộ ít đảng viên, mưa bão; cấp ủy cấp trên đồng ý rút ngắn thời gian."
            }
        plans.append(plan)
        if len(branch.committee) >= 3:
            plan = self._new(
                branch,
                rng,
                day=max(month, day - timedelta(days=rng.randrange(2, 6))),
                topic=f"Họp chi ủy chuẩn bị nội dung sinh hoạt chi bộ tháng {month.month}",
                types=[COMMITTEE_MEETING],
                minutes=rng.randrange(60, 121, 10),
                place=place,
                expected=[m for m in branch.members if m.id in branch.committee],
            )
            plan.agenda = [("Thống nhất nội dung, dự thảo nghị quyết tháng", False, "")]
            plan.resolutions = [ResolutionPlan(f"Phân công chuẩn bị {tasks[0].lower()}")]
            plans.append(plan)
        return plans

    def _person_votes(
        self, branch: BranchFacts, rng: random.Random, defects: dict[str, Any]
    ) -> list[MeetingPlan]:
        """One meeting per date on which members were admitted or converted; one vote per person."""
        events: dict[date, list[tuple[str, Member]]] = {}
        admissions = self._admissions(branch)
        conversions = self._conversions(branch)
        joint: list[Member] = []
        if JOINT_VOTE in defects:
            joint = admissions[-2:] if len(admissions) >= 2 else conversions[-2:]
        for member in admissions:
            if member not in joint and member.joined_on is not None:
                events.setdefault(member.joined_on, []).append((VoteKind.ADMISSION, member))
        for member in conversions:
            if member not in joint and member.converted_on is not None:
                events.setdefault(member.converted_on, []).append((VoteKind.CONVERSION, member))
        cn = self.jurisdiction == "CN"
        types = [GENERAL_MEETING] if cn else [REGULAR_MEETING]
        plans = []
        for day, items in sorted(events.items()):
            if cn:
                topic = "支部党员大会：讨论" + "、".join(
                    f"{m.name}同志{'入党' if kind == VoteKind.ADMISSION else '转正'}" for kind, m in items
                )
            else:
                topic = "Chi bộ xét " + ", ".join(
                    f"{'kết nạp đảng viên' if kind == VoteKind.ADMISSION else 'công nhận đảng viên chính thức'}"
                    f" {m.name}"
                    for kind, m in items
                )
            plan = self._new(branch, rng, day=day, topic=topic, types=types, minutes=rng.randrange(90, 131, 10),
                             place="党员活动室" if cn else "Hội trường")  # fmt: skip
            plan.agenda = [(CN_FIRST_ITEM, True, "学习有关文件。")] if cn else []
            for kind, member in items:
                label = (
                    (
                        f"讨论{member.name}同志入党问题"
                        if kind == VoteKind.ADMISSION
                        else f"讨论{member.name}同志转正问题"
                    )
                    if cn
                    else f"Xét {'kết nạp' if kind == VoteKind.ADMISSION else 'chính thức'} {member.name}"
                )
                plan.agenda.append((label, False, ""))
                before = (
                    MembershipStatus.CANDIDATE
                    if kind == VoteKind.ADMISSION
                    else MembershipStatus.PROBATIONARY
                )
                plan.votes.append(VotePlan(kind, label, member.id, member.name, before, 0, 0, 0,
                                           agenda_order=len(plan.agenda)))  # fmt: skip
            plan.resolutions = [
                ResolutionPlan(
                    ("同意" if cn else "Đồng ý ")
                    + "、".join(m.name for _k, m in items)
                    + ("，报上级党委审批" if cn else ", đề nghị cấp ủy cấp trên xem xét, quyết định")
                )
            ]
            plans.append(plan)
        if len(joint) == 2:
            first, second = joint
            day = max(first.joined_on or self.first_month, second.joined_on or self.first_month)
            if first.status == MembershipStatus.FULL:
                day = max(first.converted_on or day, second.converted_on or day)
            names = f"{first.name}、{second.name}" if cn else f"{first.name} và {second.name}"
            what = "入党" if admissions[-2:] == joint else "转正"
            what_vn = "kết nạp" if admissions[-2:] == joint else "công nhận chính thức"
            topic = f"支部党员大会：讨论{names}同志{what}" if cn else f"Chi bộ xét {what_vn} {names}"
            plan = self._new(branch, rng, day=day, topic=topic, types=types, minutes=100,
                             place="党员活动室" if cn else "Hội trường")  # fmt: skip
            plan.agenda = [(CN_FIRST_ITEM, True, "学习有关文件。")] if cn else []
            text = (
                f"会议以举手表决方式一并通过{names}两位同志{what}，报上级党委审批。"
                if cn
                else f"Chi bộ biểu quyết một lần, thống nhất {what_vn} hai đồng chí {names}."
            )
            plan.agenda.append(
                (f"讨论{names}同志{what}问题" if cn else f"Xét {what_vn} {names}", False, text)
            )
            plan.minutes = text
            plan.resolutions = [ResolutionPlan(text)]
            plan.defect = JOINT_VOTE
            plans.append(plan)
        return plans

    def _election(self, branch: BranchFacts, rng: random.Random) -> list[MeetingPlan]:
        """Branches whose term has ended elect (held if there was time, else planned)."""
        if branch.term_end is None or branch.term_end >= self.today or branch.secretary is None:
            return []
        day = branch.term_end + timedelta(days=10)
        if day >= self.today - timedelta(days=2):
            day = add_months(self.today.replace(day=1), 1) + timedelta(days=rng.randrange(3, 20))
        cn = self.jurisdiction == "CN"
        types = [GENERAL_MEETING, ELECTION] if cn else [VN_CONGRESS, REGULAR_MEETING]
        topic = "支部党员大会：换届选举新一届支部委员会" if cn else "Đại hội chi bộ nhiệm kỳ mới"
        plan = self._new(
            branch,
            rng,
            day=day,
            topic=topic,
            types=types,
            minutes=150,
            place="党员活动室" if cn else "Hội trường",
        )
        plan.agenda = [(CN_FIRST_ITEM, True, "学习有关文件。")] if cn else []
        plan.agenda += [
            (
                "听取和审议支部委员会工作报告" if cn else "Báo cáo chính trị của chi ủy nhiệm kỳ qua",
                False,
                "",
            ),
            ("选举新一届支部委员会" if cn else "Bầu chi ủy, bí thư chi bộ nhiệm kỳ mới", False, ""),
        ]
        plan.resolutions = [
            ResolutionPlan(
                "选举结果报上级党委审批" if cn else "Báo cáo kết quả bầu cử, đề nghị cấp trên chuẩn y"
            )
        ]
        plan.invited_upper_level = "上级党委组织委员" if cn else "Đồng chí Ủy viên Ban Thường vụ Đảng ủy"
        holders = [self._member(branch, pid) for pid in (branch.post_holders or (branch.secretary,))]
        plan.elections = [
            ElectionPlan(
                "选举支部委员会" if cn else "Bầu chi ủy",
                len([h for h in holders if h]),
                0, 0, 0, 0, 0,
                [(h.id, h.name, 0) for h in holders if h is not None],
            )
        ]  # fmt: skip
        return [plan]

    # -- attendance, tallies, minutes, follow-ups ------------------------------------------------

    def _finish(self, plan: MeetingPlan, rng: random.Random) -> None:
        if plan.target == MeetingStatus.PLANNED:
            plan.resolutions, plan.votes, plan.elections, plan.agenda = [], [], [], []
            plan.should_reasons = {}
            return
        cn = self.jurisdiction == "CN"
        excuses = CN_EXCUSES if cn else VN_EXCUSES
        share = rng.uniform(0.85, 0.95)
        if plan.elections or plan.votes or plan.defect == JOINT_VOTE:
            share = 0.97
        for row in plan.attendance:
            if rng.random() < share or len(plan.attendance) <= 2:
                row.status = AttendanceStatus.PRESENT
                row.late = rng.choice((5, 10, 15, 20)) if rng.random() < 0.05 else 0
            elif rng.random() < 0.85:
                row.status, row.excuse_reason = AttendanceStatus.EXCUSED, rng.choice(excuses)
            else:
                row.status = AttendanceStatus.ABSENT
        voting = [row for row in plan.attendance if row.voting]
        if plan.defect == NO_QUORUM:  # half of the voting members or fewer came
            for position, row in enumerate(voting):
                if position % 2 == 0:
                    row.status, row.excuse_reason, row.late = AttendanceStatus.EXCUSED, excuses[0], 0
        else:
            # A quorum (CN > 1/2) and, for an election, more than 4/5.
            need = len(voting) * 4 // 5 + 1 if plan.elections else len(voting) // 2 + 1
            for row in voting:
                if sum(r.status == AttendanceStatus.PRESENT for r in voting) >= need:
                    break
                if row.status != AttendanceStatus.PRESENT:
                    row.status, row.excuse_reason = AttendanceStatus.PRESENT, ""
        eligible = len(voting)
        present = sum(r.status == AttendanceStatus.PRESENT for r in voting)
        for vote in plan.votes:
            vote.eligible, vote.present = eligible, present
            against = 1 if present > 3 and rng.random() < 0.2 else 0
            vote.votes_for, vote.votes_against = present - against, against
            vote.written_for = (eligible - present) if cn else 0
        for election in plan.elections:
            valid = max(present - (1 if present > 5 and rng.random() < 0.3 else 0), 0)
            election.should_attend, election.present = eligible, present
            election.issued = election.returned = present
            election.valid = valid
            election.candidates = [
                (pid, name, max(valid - rng.randrange(0, 3), 0)) for pid, name, _v in election.candidates
            ]
        # Minutes, resolution owners and deadlines, follow-up progress.
        total = len(plan.attendance)
        came = sum(r.status == AttendanceStatus.PRESENT for r in plan.attendance)
        secretary = self._member(plan.branch, plan.branch.secretary)
        # The chair is someone who came: the secretary, or else the first member present.
        present_names = [row.name for row in plan.attendance if row.status == AttendanceStatus.PRESENT]
        if secretary is not None and secretary.name in present_names:
            chair = secretary.name
        else:
            chair = present_names[0] if present_names else plan.attendance[0].name
        held_day = plan.planned_start.date()
        if not plan.minutes:
            plan.minutes = (
                f"会议由{chair}同志主持。应到{total}人，实到{came}人。会议围绕“{plan.topic}”进行了学习讨论，形成决议。"
                if cn
                else f"Đồng chí {chair} chủ trì. Đảng viên triệu tập {total}, có mặt {came}. "
                f"Chi bộ thảo luận: {plan.topic}. Hội nghị thống nhất ban hành nghị quyết."
            )
        if plan.defect == NO_QUORUM:
            plan.minutes += "（到会有表决权党员未超过半数，会议决定改期另行召开。）"
        for resolution in plan.resolutions:
            if plan.defect == JOINT_VOTE:
                continue
            owner = rng.choice(plan.attendance)
            resolution.owner_id, resolution.owner_name = owner.person_id, owner.name
            resolution.due_on = held_day + timedelta(days=rng.randrange(14, 75))
            if resolution.due_on < self.today:
                done = rng.random() < 0.8
                resolution.follow_status = FollowUpStatus.DONE if done else FollowUpStatus.OPEN
                if done:
                    resolution.closed_on = resolution.due_on - timedelta(days=rng.randrange(0, 10))
            else:
                resolution.follow_status = rng.choice((FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS))
        late = rng.randrange(0, 15, 5)
        plan.actual_start = plan.planned_start + timedelta(minutes=late)
        plan.actual_end = plan.planned_end + timedelta(minutes=late)
        if plan.defect in (NO_QUORUM, JOINT_VOTE):
            plan.target = MeetingStatus.MINUTED
            note = (
                "general meeting without a quorum: minuted, cannot be sealed (cn.gm.quorum)"
                if plan.defect == NO_QUORUM
                else "two members approved together, no vote per person recorded: minuted, not sealed"
            )
            self._note(plan.branch, plan.defect, held_day, plan.topic, note)
        if plan.defect == SHORT_MEETING:
            self._note(
                plan.branch, SHORT_MEETING, held_day, plan.topic,
                "combined regular + thematic meeting of 80 minutes, sealed with a reason (vn.chibo.duration)",
            )  # fmt: skip

    def plan_in_chunks(self, branches: list[BranchFacts]) -> Iterator[tuple[int, list[MeetingPlan]]]:
        """
        (number of branches, their plans) in chunks: the copied-minutes pair
        first, so the copying branch can take the source's text.
        """
        marked = {
            code_or_source
            for code, marks in self.defect_at.items()
            for kind, source in marks
            if kind == COPIED_MINUTES
            for code_or_source in (code, source.code)
        }
        pair = [b for b in branches if b.code in marked]
        rest = [b for b in branches if b.code not in marked]
        for chunk in [pair, *_chunks(rest, BULK_BRANCHES)]:
            by_branch = {branch.code: self.plan_branch(branch) for branch in chunk}
            if chunk is pair:
                self.copy_minutes(by_branch)
            yield len(chunk), [plan for branch_plans in by_branch.values() for plan in branch_plans]

    def copy_minutes(self, plans_by_branch: dict[str, list[MeetingPlan]]) -> None:
        """The copied-minutes defect: the copying branch's meeting repeats the source's text."""
        for code, marks in self.defect_at.items():
            for kind, source in marks:
                if (
                    kind != COPIED_MINUTES
                    or code not in plans_by_branch
                    or source.code not in plans_by_branch
                ):
                    continue
                original = _sealed_main(plans_by_branch[source.code], months_back=3)
                if original is None:
                    continue
                # The copying branch's next main meeting after the original.
                copy = next(
                    (
                        plan
                        for plan in _main_meetings(plans_by_branch[code])
                        if plan.planned_start > original.planned_start
                    ),
                    None,
                )
                if copy is None:
                    continue
                copy.agenda = [
                    (title, first, original.agenda[i][2] if i < len(original.agenda) else "")
                    for i, (title, first, _discussion) in enumerate(copy.agenda)
                ]
                copy.minutes = original.minutes
                for mine, theirs in zip(copy.resolutions, original.resolutions, strict=False):
                    mine.text = theirs.text
                copy.defect = COPIED_MINUTES
                self._note(
                    copy.branch, COPIED_MINUTES, copy.planned_start.date(), copy.topic,
                    f"minutes and resolutions identical to {source.code} ({source.name}), "
                    f"{original.planned_start.date().isoformat()}",
                )  # fmt: skip


def _main_meetings(plans: list[MeetingPlan]) -> list[MeetingPlan]:
    """The branch's sealed monthly main meetings (full roster, no votes, no defect), in date order."""
    return sorted(
        (
            p
            for p in plans
            if p.target == MeetingStatus.SEALED
            and not p.partial_roster
            and not p.votes
            and not p.elections
            and not p.defect
            and (THEME_DAY in p.types or REGULAR_MEETING in p.types)
        ),
        key=lambda p: p.planned_start,
    )


def _sealed_main(plans: list[MeetingPlan], *, months_back: int) -> MeetingPlan | None:
    """The branch's monthly main meeting about ``months_back`` months ago."""
    main = _main_meetings(plans)
    return main[-months_back] if len(main) >= months_back else (main[-1] if main else None)


# --- the canonical content of a planned meeting ---------------------------------------------


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def planned_content(plan: MeetingPlan, meeting_id: int) -> dict[str, Any]:
    """
    The canonical content of a sealed planned meeting: the structure of
    ``meetings.sealing.meeting_content`` built from the plan instead of the
    rows (the tests compare both for service-built meetings).
    """
    elections = []
    for order, election in enumerate(plan.elections, start=1):
        elected = _elected(plan.branch.jurisdiction, election)
        rank = {index: position for position, index in enumerate(_ranked(election))}
        elections.append(
            {
                "order": order,
                "title": election.title.strip(),
                "seats": election.seats,
                "should_attend": election.should_attend,
                "present_voters": election.present,
                "ballots_issued": election.issued,
                "ballots_returned": election.returned,
                "ballots_valid": election.valid,
                "is_valid": _election_valid(plan.branch.jurisdiction, election),
                "candidates": [
                    {"person_id": pid, "name": name, "votes": votes, "elected": elected[index]}
                    for index, (pid, name, votes) in sorted(
                        enumerate(election.candidates), key=lambda item: (item[1][1], rank[item[0]])
                    )
                ],
            }
        )
    content = {
        "schema": CONTENT_SCHEMA,
        "meeting": {
            "id": meeting_id,
            "org_id": plan.branch.org_id,
            "topic": plan.topic.strip(),
            "planned_start": _moment(plan.planned_start),
            "planned_end": _moment(plan.planned_end),
            "actual_start": _moment(plan.actual_start),
            "actual_end": _moment(plan.actual_end),
            "place": plan.place,
            "online_link": "",
            "invited_upper_level": plan.invited_upper_level,
            "minutes": plan.minutes,
            "should_reasons": dict(sorted(plan.should_reasons.items())),
        },
        "types": sorted(set(plan.types)),
        "joint_branches": [],
        "attendance": {
            str(row.person_id): {
                "name": row.name,
                "branch_id": row.branch_id,
                "expected": True,
                "status": row.status,
                "excuse_reason": row.excuse_reason,
                "arrived_late_minutes": row.late,
                "voting_right": row.voting,
            }
            for row in sorted(plan.attendance, key=lambda r: r.person_id)
        },
        "guests": [],
        "agenda": [
            {"order": order, "title": title.strip(), "is_first_item": first, "discussion": discussion}
            for order, (title, first, discussion) in enumerate(plan.agenda, start=1)
        ],
        "resolutions": [
            {
                "order": order,
                "text": item.text.strip(),
                "owner_person_id": item.owner_id,
                "owner_name": item.owner_name,
                "due_on": item.due_on.isoformat() if item.due_on else None,
            }
            for order, item in enumerate(plan.resolutions, start=1)
        ],
        "votes": [
            {
                "order": order,
                "agenda_order": vote.agenda_order,
                "kind": vote.kind,
                "question": vote.question,
                "subject_person_id": vote.subject_id,
                "subject_name": vote.subject_name,
                "eligible_voters": vote.eligible,
                "present_voters": vote.present,
                "votes_for": vote.votes_for,
                "votes_against": vote.votes_against,
                "abstain": vote.abstain,
                "written_for": vote.written_for,
                "written_against": 0,
                "passed": _vote_finding(plan.branch.jurisdiction, vote).passed,
                "rule_id": _vote_finding(plan.branch.jurisdiction, vote).rule_id,
            }
            for order, vote in enumerate(plan.votes, start=1)
        ],
        "elections": elections,
        "attachments": [],
    }
    normalized: dict[str, Any] = json.loads(canonical_json(content))
    return normalized


def _vote_finding(jurisdiction: str, vote: VotePlan) -> rules.Finding:
    return rules.vote_outcome(
        jurisdiction=jurisdiction,
        vote=rules.VoteFacts(vote.kind, vote.eligible, vote.present, vote.votes_for, vote.written_for),
    )


def _election_valid(jurisdiction: str, election: ElectionPlan) -> bool:
    quorum = rules.election_quorum(
        jurisdiction=jurisdiction, election=rules.ElectionFacts(election.should_attend, election.present)
    )
    return quorum is None or quorum.passed


def _ranked(election: ElectionPlan) -> list[int]:
    """Candidate positions, most votes first (stable): the order the services create them in."""
    return sorted(range(len(election.candidates)), key=lambda i: -election.candidates[i][2])


def _elected(jurisdiction: str, election: ElectionPlan) -> list[bool]:
    """Who is elected, by candidate position (the rule of ``meetings.services.election_record``)."""
    valid = _election_valid(jurisdiction, election)
    ranked = _ranked(election)
    result = [False] * len(election.candidates)
    count = 0
    for index in ranked:
        winning = valid and rules.candidate_elected(
            jurisdiction=jurisdiction,
            votes=election.candidates[index][2],
            present_voters=election.present,
            eligible_voters=election.should_attend,
        )
        result[index] = winning and count < election.seats
        count += int(result[index])
    return result


# --- writers ------------------------------------------------------------------------------------


class ServiceRecordWriter:
    """Writes each planned meeting through ``meetings.services`` (audited, sealed for real)."""

    def __init__(self) -> None:
        self.written: list[tuple[MeetingPlan, int]] = []
        self.people: dict[int, dict[int, Person]] = {}

    def write(self, plans: list[MeetingPlan], summary: RecordsSummary) -> None:
        orgs: dict[int, Organization] = {}
        for plan in plans:
            org = orgs.get(plan.branch.org_id) or Organization.objects.get(pk=plan.branch.org_id)
            orgs[org.pk] = org
            meeting = meeting_services.meeting_plan(
                actor=None,
                org=org,
                topic=plan.topic,
                type_codes=plan.types,
                planned_start=plan.planned_start,
                planned_end=plan.planned_end,
                place=plan.place,
                invited_upper_level=plan.invited_upper_level,
            )
            if plan.partial_roster:
                # The services expect the whole roster (or the committee): a party-group
                # meeting or a talk keeps only its participants.
                keep = [row.person_id for row in plan.attendance]
                Attendance.objects.filter(meeting=meeting).exclude(person_id__in=keep).delete()
            self.written.append((plan, meeting.pk))
            if plan.target != MeetingStatus.PLANNED:
                self._record(plan, meeting, summary)
            _count(plan, summary)

    def _record(self, plan: MeetingPlan, meeting: Meeting, summary: RecordsSummary) -> None:
        if plan.actual_start is None or plan.actual_end is None:  # pragma: no cover - planner bug
            raise ValueError(f"{plan.topic}: a held meeting needs its times")
        meeting_services.meeting_record_held(
            actor=None, meeting=meeting, actual_start=plan.actual_start, actual_end=plan.actual_end
        )
        meeting_services.attendance_record(
            actor=None,
            meeting=meeting,
            entries=[
                {
                    "person": row.person_id,
                    "status": row.status,
                    "excuse_reason": row.excuse_reason,
                    "arrived_late_minutes": row.late,
                }
                for row in plan.attendance
            ],
        )
        meeting_services.agenda_set(
            actor=None,
            meeting=meeting,
            items=[{"title": t, "is_first_item": f, "discussion": d} for t, f, d in plan.agenda],
            minutes=plan.minutes,
        )
        people = self.people.get(plan.branch.org_id)
        if people is None:
            people = {
                p.pk: p for p in Person.objects.filter(org_id=plan.branch.org_id, status__in=MEMBER_STATUSES)
            }
            self.people = {plan.branch.org_id: people}
        for item in plan.resolutions:
            resolution = meeting_services.resolution_add(
                actor=None,
                meeting=meeting,
                text=item.text,
                owner_person=people.get(item.owner_id) if item.owner_id else None,
                due_on=item.due_on,
            )
            follow_up = getattr(resolution, "follow_up", None)
            if follow_up is not None and item.follow_status != FollowUpStatus.OPEN:
                meeting_services.followup_update(
                    actor=None,
                    follow_up=follow_up,
                    status=item.follow_status,
                    outcome="已完成" if plan.branch.jurisdiction == "CN" else "Đã hoàn thành",
                    today=item.closed_on,
                )
        for vote in plan.votes:
            subject = copy.copy(people[vote.subject_id]) if vote.subject_id else None
            if subject is not None:
                # The services check the subject's status now; the vote was taken when the
                # person was a candidate (admission) or probationary (conversion).
                subject.status = vote.status_before
            meeting_services.vote_record(
                actor=None,
                meeting=meeting,
                kind=vote.kind,
                votes_for=vote.votes_for,
                votes_against=vote.votes_against,
                abstain=vote.abstain,
                subjects=[subject] if subject is not None else [],
                question=vote.question,
                agenda_order=vote.agenda_order,
                written_for=vote.written_for,
                eligible_voters=vote.eligible,
                present_voters=vote.present,
            )
        for election in plan.elections:
            meeting_services.election_record(
                actor=None,
                meeting=meeting,
                title=election.title,
                seats=election.seats,
                ballots_issued=election.issued,
                ballots_returned=election.returned,
                ballots_valid=election.valid,
                candidates=[
                    {"person": people.get(pid), "name": name, "votes": v}
                    for pid, name, v in election.candidates
                ],
                should_attend=election.should_attend,
                present_voters=election.present,
            )
        if plan.target == MeetingStatus.SEALED:
            meeting_services.meeting_finalize(actor=None, meeting=meeting, should_reasons=plan.should_reasons)
            summary.seal_events += 1
        elif plan.defect == NO_QUORUM:
            try:
                meeting_services.meeting_finalize(actor=None, meeting=meeting)
            except meeting_services.MeetingChecksFailed:
                pass  # the point of the defect: the services refuse to seal it
            else:  # pragma: no cover - the quorum rule changed
                raise RuntimeError("a general meeting without quorum was sealed")


def _count(plan: MeetingPlan, summary: RecordsSummary) -> None:
    summary.meetings += 1
    summary.by_status[plan.target] = summary.by_status.get(plan.target, 0) + 1
    summary.attendance += len(plan.attendance)
    summary.votes += len(plan.votes)
    summary.elections += len(plan.elections)
    summary.resolutions += len(plan.resolutions)
    summary.follow_ups += sum(1 for r in plan.resolutions if r.owner_id or r.due_on)


class ChainAppender:
    """
    Appends events to the audit chain in batches, exactly as
    ``audit.services.audit_record`` would one by one (same payload, same
    hash), inside the caller's transaction and under the chain lock.
    """

    def __init__(self) -> None:
        if not connection.in_atomic_block:
            raise RuntimeError("the chain appender must run inside a transaction")
        if connection.vendor == "postgresql":  # the lock audit_record takes (audit.services)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x6F72676C])
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        self.seq = last["seq"] if last else 0
        self.prev = last["hash"] if last else GENESIS_HASH
        self.pending: list[AuditEvent] = []

    def add(
        self, *, action: str, object_type: str, object_id: str, org_id: int | None, data: dict[str, Any]
    ) -> None:
        data = json.loads(canonical_json(data))
        self.seq += 1
        occurred_at = timezone.now()
        payload = event_payload(
            seq=self.seq,
            occurred_at=occurred_at,
            actor_id=None,
            actor_name="system",
            action=action,
            object_type=object_type,
            object_id=object_id,
            org_id=org_id,
            data=data,
        )
        digest = chain_hash(self.prev, payload)
        self.pending.append(
            AuditEvent(
                seq=self.seq,
                occurred_at=occurred_at,
                actor_id=None,
                actor_name="system",
                action=action,
                object_type=object_type,
                object_id=object_id,
                org_id=org_id,
                data=data,
                prev_hash=self.prev,
                hash=digest,
            )
        )
        self.prev = digest
        if len(self.pending) >= BULK_BATCH:
            self.flush()

    def flush(self) -> None:
        AuditEvent.objects.bulk_create(self.pending, batch_size=BULK_BATCH)
        self.pending = []


ATTENDANCE_COLUMNS = (
    "meeting_id",
    "person_id",
    "person_name",
    "branch_id",
    "expected",
    "status",
    "excuse_reason",
    "arrived_late_minutes",
    "voting_right",
)


def _insert_rows(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """
    Insert plain rows (no model instances: millions of attendance rows) with
    COPY on PostgreSQL, ``executemany`` elsewhere. Column names are ours.
    """
    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"  # noqa: S608
        for start in range(0, len(rows), BULK_BATCH * 5):
            cursor.executemany(sql, rows[start : start + BULK_BATCH * 5])


class BulkRecordWriter:
    """Writes planned meetings with bulk_create and seals them with batched audit events."""

    def __init__(self, jurisdiction: str) -> None:
        self.types = dict(ActivityType.objects.filter(jurisdiction=jurisdiction).values_list("code", "pk"))
        self.sealed_at = timezone.now()
        self.written: list[tuple[MeetingPlan, int]] = []
        self.keep_written = False

    def write(self, plans: list[MeetingPlan], summary: RecordsSummary, chain: ChainAppender) -> None:
        meetings = [
            Meeting(
                org_id=p.branch.org_id,
                topic=p.topic.strip(),
                planned_start=p.planned_start,
                planned_end=p.planned_end,
                place=p.place,
                invited_upper_level=p.invited_upper_level,
                status=p.target,
                actual_start=p.actual_start,
                actual_end=p.actual_end,
                minutes=p.minutes,
                should_reasons=dict(sorted(p.should_reasons.items()))
                if p.target == MeetingStatus.SEALED
                else {},
                version=1 if p.target == MeetingStatus.PLANNED else 6,
            )
            for p in plans
        ]
        Meeting.objects.bulk_create(meetings, batch_size=BULK_BATCH)
        through = Meeting.types.through
        type_rows, attendance, agenda_rows, resolution_rows, vote_rows, election_rows = [], [], [], [], [], []
        for plan, meeting in zip(plans, meetings, strict=True):
            type_rows += [(meeting.pk, self.types[code]) for code in plan.types]
            attendance += [
                (
                    meeting.pk,
                    row.person_id,
                    row.name,
                    row.branch_id,
                    True,
                    row.status,
                    row.excuse_reason,
                    row.late,
                    row.voting,
                )
                for row in plan.attendance
            ]
            agenda_rows += [
                AgendaItem(
                    meeting_id=meeting.pk, order=order, title=title.strip(), is_first_item=first, discussion=d
                )
                for order, (title, first, d) in enumerate(plan.agenda, start=1)
            ]
            resolution_rows += [
                (plan, Resolution(meeting_id=meeting.pk, order=order, text=item.text.strip(),
                                  owner_person_id=item.owner_id, owner_name=item.owner_name, due_on=item.due_on), item)
                for order, item in enumerate(plan.resolutions, start=1)
            ]  # fmt: skip
            election_rows += [(meeting.pk, order, e) for order, e in enumerate(plan.elections, start=1)]
            vote_rows += [(meeting.pk, order, v, plan) for order, v in enumerate(plan.votes, start=1)]
        _insert_rows(through._meta.db_table, ("meeting_id", "activitytype_id"), type_rows)
        _insert_rows(Attendance._meta.db_table, ATTENDANCE_COLUMNS, attendance)
        AgendaItem.objects.bulk_create(agenda_rows, batch_size=BULK_BATCH)
        agenda_ids = {
            (m, o): pk
            for m, o, pk in AgendaItem.objects.filter(meeting_id__in=[m.pk for m in meetings]).values_list(
                "meeting_id", "order", "pk"
            )
        }
        Resolution.objects.bulk_create([row for _p, row, _i in resolution_rows], batch_size=BULK_BATCH)
        FollowUpItem.objects.bulk_create(
            [
                FollowUpItem(
                    org_id=plan.branch.org_id,
                    resolution_id=row.pk,
                    title=row.text[:300],
                    owner_person_id=row.owner_person_id,
                    owner_name=row.owner_name,
                    due_on=row.due_on,
                    status=item.follow_status,
                    outcome=("已完成" if plan.branch.jurisdiction == "CN" else "Đã hoàn thành")
                    if item.follow_status == FollowUpStatus.DONE
                    else "",
                    closed_on=item.closed_on,
                    version=2 if item.follow_status != FollowUpStatus.OPEN else 1,
                )
                for plan, row, item in resolution_rows
                if row.owner_person_id or row.owner_name or row.due_on
            ],
            batch_size=BULK_BATCH,
        )
        Vote.objects.bulk_create(
            [
                Vote(
                    meeting_id=meeting_id,
                    agenda_item_id=agenda_ids.get((meeting_id, v.agenda_order)) if v.agenda_order else None,
                    order=order,
                    kind=v.kind,
                    question=v.question,
                    subject_person_id=v.subject_id,
                    subject_name=v.subject_name,
                    eligible_voters=v.eligible,
                    present_voters=v.present,
                    votes_for=v.votes_for,
                    votes_against=v.votes_against,
                    abstain=v.abstain,
                    written_for=v.written_for,
                    passed=_vote_finding(plan.branch.jurisdiction, v).passed,
                    rule_id=_vote_finding(plan.branch.jurisdiction, v).rule_id,
                )
                for meeting_id, order, v, plan in vote_rows
            ],
            batch_size=BULK_BATCH,
        )
        jurisdiction_of = {m.pk: p.branch.jurisdiction for p, m in zip(plans, meetings, strict=True)}
        elections = [
            Election(meeting_id=mid, order=order, title=e.title.strip(), seats=e.seats, should_attend=e.should_attend,
                     present_voters=e.present, ballots_issued=e.issued, ballots_returned=e.returned,
                     ballots_valid=e.valid, is_valid=_election_valid(jurisdiction_of[mid], e))
            for mid, order, e in election_rows
        ]  # fmt: skip
        Election.objects.bulk_create(elections)
        candidates = []
        for (mid, _order, e), election in zip(election_rows, elections, strict=True):
            elected = _elected(jurisdiction_of[mid], e)
            for index in _ranked(e):
                pid, name, votes = e.candidates[index]
                candidates.append(
                    ElectionCandidate(
                        election_id=election.pk, person_id=pid, name=name, votes=votes, elected=elected[index]
                    )
                )
        ElectionCandidate.objects.bulk_create(candidates)
        versions = []
        for plan, meeting in zip(plans, meetings, strict=True):
            if plan.target != MeetingStatus.SEALED:
                continue
            content = planned_content(plan, meeting.pk)
            versions.append(
                MeetingVersion(
                    meeting_id=meeting.pk,
                    number=1,
                    content=content,
                    content_hash=content_hash(content),
                    sealed_by_name="system",
                    sealed_at=self.sealed_at,
                )
            )
            unmet = sorted(plan.should_reasons)
            chain.add(
                action="meetings.seal",
                object_type=MEETING_OBJECT_TYPE,
                object_id=str(meeting.pk),
                org_id=plan.branch.org_id,
                data={"version": 1, "content_hash": versions[-1].content_hash, "unmet_should": unmet},
            )
            summary.seal_events += 1
        MeetingVersion.objects.bulk_create(versions, batch_size=500)
        if self.keep_written:
            self.written += [(p, m.pk) for p, m in zip(plans, meetings, strict=True)]
        for plan in plans:
            _count(plan, summary)


# --- the step -------------------------------------------------------------------------------------


def _chunks(items: list[BranchFacts], size: int) -> Iterator[list[BranchFacts]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def build_records(
    *,
    root: Organization,
    jurisdiction: str,
    seed: int,
    today: date,
    writer: str,
    progress: Progress = lambda message: None,
    keep_written: bool = False,
) -> tuple[RecordsSummary, list[tuple[MeetingPlan, int]]]:
    """
    Plan and write a year of meetings for every branch under ``root``;
    append one ``demo.records`` audit event with the counts and the
    deliberate defects. Returns the summary and (for tests, with
    ``keep_written``) the written plans with their meeting ids.
    """
    branches = load_branches(root, today)
    planner = RecordPlanner(jurisdiction=jurisdiction, seed=seed, today=today, branches=branches)
    summary = RecordsSummary()
    service = ServiceRecordWriter() if writer == "services" else None
    bulk = BulkRecordWriter(jurisdiction) if service is None else None
    chain = ChainAppender() if bulk is not None else None
    if bulk is not None:
        bulk.keep_written = keep_written
    done = 0
    for count, plans in planner.plan_in_chunks(branches):
        if service is not None:
            service.write(plans, summary)
        elif bulk is not None and chain is not None:
            bulk.write(plans, summary, chain)
        done += count
        if done % (BULK_BRANCHES * 5) < count or done == len(branches):
            progress(
                f"  {jurisdiction} records: branches {done}/{len(branches)}, meetings {summary.meetings:,}"
            )
    written = service.written if service is not None else (bulk.written if bulk is not None else [])
    # Name the meetings of the defects.
    by_key: dict[tuple[str, str, date], int] = {}
    for plan, meeting_id in written if keep_written or service is not None else []:
        if plan.defect:
            by_key[(plan.defect, plan.branch.code, plan.planned_start.date())] = meeting_id
    if not by_key:
        by_key = _defect_meetings(planner.defects)
    summary.defects = [
        Defect(
            d.kind,
            d.branch_code,
            d.branch_name,
            d.on,
            d.topic,
            d.note,
            by_key.get((d.kind, d.branch_code, d.on)),
        )
        for d in planner.defects
    ]
    data = {
        "meetings": summary.meetings,
        "by_status": summary.by_status,
        "attendance": summary.attendance,
        "votes": summary.votes,
        "elections": summary.elections,
        "writer": writer,
        "defects": [
            {"kind": d.kind, "branch": d.branch_code, "on": d.on, "meeting": d.meeting_id, "note": d.note}
            for d in summary.defects
        ],
    }
    if chain is not None:
        chain.add(action="demo.records", object_type=root._meta.label_lower, object_id=str(root.pk),
                  org_id=root.pk, data=data)  # fmt: skip
        chain.flush()
    else:
        audit_record(actor=None, action="demo.records", target=root, org=root, data=data)
    return summary, written if keep_written else []


def _defect_meetings(defects: list[Defect]) -> dict[tuple[str, str, date], int]:
    """Find the written meetings of the defects (bulk writer, without kept plans)."""
    found: dict[tuple[str, str, date], int] = {}
    for defect in defects:
        if defect.kind == MISSED_MONTH:
            continue
        meeting_id = (
            Meeting.objects.filter(org__code=defect.branch_code, topic=defect.topic.strip())
            .order_by("planned_start")
            .values_list("pk", flat=True)
            .first()
        )
        if meeting_id is not None:
            found[(defect.kind, defect.branch_code, defect.on)] = meeting_id
    return found
