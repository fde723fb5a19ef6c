"""
Planning the people of a demo tree: identities, statuses with dated
histories, party-group membership and committee posts (no database).

Identity (name, gender, birth date, ID, phone …) and status come from a
random stream per branch that does not depend on today's date, so the same
seed always gives the same people; dates of the membership history and the
committee terms are laid out backwards from ``today`` so that probation,
term expiry and the like look current whenever the demo is built.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from orglife.demo.names import Identity, make_identity, random_birth_date
from orglife.demo.tree import OrgNode
from orglife.orgs.choices import OrgKind, PostKind
from orglife.people.choices import MembershipStatus as S

PROBATION_YEARS = 1
MINIMUM_AGE = 18

# Reasons as an office would type them into the record (data, not UI text).
# How long ago those not yet admitted applied (days, low-high).
_DAYS_SINCE_APPLICATION: dict[str, tuple[int, int]] = {
    S.APPLICANT: (20, 300),
    S.ACTIVIST: (200, 700),
    S.CANDIDATE: (520, 1100),
}

REASONS: dict[str, dict[str, str]] = {
    "CN": {
        S.APPLICANT: "递交入党申请书",
        S.ACTIVIST: "确定为入党积极分子",
        S.CANDIDATE: "列为发展对象",
        S.PROBATIONARY: "支部大会接收为预备党员",
        S.FULL: "预备期满，按期转为正式党员",
        S.TRANSFERRED_OUT: "组织关系转出",
        S.REMOVED: "除名",
        S.DECEASED: "病故",
    },
    "VN": {
        S.APPLICANT: "Nộp đơn xin vào Đảng",
        S.ACTIVIST: "Được công nhận là quần chúng ưu tú",
        S.CANDIDATE: "Được xét là đối tượng kết nạp",
        S.PROBATIONARY: "Kết nạp vào Đảng",
        S.FULL: "Công nhận đảng viên chính thức",
        S.TRANSFERRED_OUT: "Chuyển sinh hoạt đảng chính thức đi nơi khác",
        S.REMOVED: "Xóa tên khỏi danh sách đảng viên",
        S.DECEASED: "Từ trần",
    },
}

# Term lengths in months: CN 党支部 3 years, committees 5; VN chi bộ trực
# thuộc twice in five years, chi bộ cơ sở and committees 5 years.
TERM_MONTHS = {
    ("CN", "branch"): 36,
    ("CN", "committee"): 60,
    ("VN", "branch"): 30,
    ("VN", "committee"): 60,
}


@dataclass(slots=True, eq=False)
class PersonPlan:
    """One planned person; ``history`` is (from, to, effective_on, reason), oldest first."""

    branch: OrgNode
    party_group: OrgNode | None
    identity: Identity
    work_unit: str
    status: str
    joined_on: date | None = None
    converted_on: date | None = None
    history: list[tuple[str, str, date, str]] = field(default_factory=list)
    index: int = 0  # position in the jurisdiction's people, for the writers


@dataclass(slots=True, eq=False)
class PostPlan:
    """One planned committee post."""

    org: OrgNode
    post: str
    holder: PersonPlan
    term_start: date
    term_end: date


@dataclass(slots=True)
class Batch:
    """The people and posts of one district (or the province's own posts)."""

    label: str
    people: list[PersonPlan]
    posts: list[PostPlan]


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (clamped to the month's end)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for clamp in (0, 1, 2, 3):
        try:
            return date(year, month, day.day - clamp)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole years (29 February becomes 28 February)."""
    return add_months(day, 12 * years)


# --- identity and status (independent of today) --------------------------------

# Birth-year bands of serving members by branch category.
_MEMBER_BIRTH_BANDS = {
    "village": ((1940, 1954, 14), (1955, 1964, 20), (1965, 1974, 22), (1975, 1984, 18), (1985, 1994, 16),
                (1995, 2003, 10)),
    "retired": ((1936, 1950, 40), (1951, 1960, 45), (1961, 1965, 15)),
    "default": ((1964, 1974, 25), (1975, 1984, 30), (1985, 1994, 30), (1995, 2003, 15)),
}  # fmt: skip


def _birth_date(rng: random.Random, category: str, status: str) -> date:
    if status in (S.APPLICANT, S.ACTIVIST, S.CANDIDATE):
        return (
            random_birth_date(rng, 1984, 2005) if rng.random() < 0.85 else random_birth_date(rng, 1970, 1983)
        )
    if status == S.PROBATIONARY:
        return random_birth_date(rng, 1985, 2004)
    if status == S.DECEASED:
        return random_birth_date(rng, 1930, 1955)
    bands = _MEMBER_BIRTH_BANDS.get(category, _MEMBER_BIRTH_BANDS["default"])
    first, last, _weight = rng.choices(bands, weights=[band[2] for band in bands])[0]
    return random_birth_date(rng, first, last)


def _statuses(rng: random.Random, branch: OrgNode, *, every_status: bool) -> list[str]:
    """Members (probationary + full) as planned, plus applicants and people who left."""
    members = branch.members
    probationary = sum(rng.random() < 0.035 for _ in range(members))
    statuses: list[str] = [S.PROBATIONARY.value] * probationary + [S.FULL.value] * (members - probationary)
    extras = (
        (S.APPLICANT, 0.025),
        (S.ACTIVIST, 0.025),
        (S.CANDIDATE, 0.012),
        (S.TRANSFERRED_OUT, 0.015),
        (S.REMOVED, 0.006),
        (S.DECEASED, 0.012 if branch.category in ("village", "retired") else 0.003),
    )
    for status, share in extras:
        count = sum(rng.random() < share for _ in range(members))
        if every_status and count == 0:
            count = 1
        statuses += [status.value] * count
    if every_status and probationary == 0 and members > 1:
        statuses[0] = S.PROBATIONARY
    return statuses


def _work_unit(rng: random.Random, jurisdiction: str, branch: OrgNode, birth: date) -> str:
    retired = birth.year < 1964
    if jurisdiction == "CN":
        if retired or branch.category == "retired":
            return "退休" if branch.category != "village" or rng.random() < 0.3 else f"{branch.locality}村"
        if branch.unit:
            return branch.unit
        if branch.category in ("village", "ward"):
            return rng.choices(
                (f"{branch.locality}{'村' if branch.category == 'village' else '社区'}", "个体经营", "外出务工",
                 "农民专业合作社", "民营企业"),
                weights=(55, 15, 15, 5, 10),
            )[0]  # fmt: skip
        return branch.unit or "个体经营"
    if retired:
        return "Hưu trí"
    if branch.unit:
        return branch.unit
    if branch.category in ("village", "ward"):
        return rng.choices(
            ("Làm ruộng" if branch.category == "village" else "Buôn bán", "Lao động tự do",
             "Công ty TNHH may Nam Định", f"UBND {'xã' if branch.category == 'village' else 'phường'} "
             f"{branch.locality}", "Giáo viên", "Hộ kinh doanh cá thể"),
            weights=(45, 20, 12, 5, 8, 10),
        )[0]  # fmt: skip
    return "Lao động tự do"


# --- dates (relative to today) ---------------------------------------------------


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def _history(
    rng: random.Random, *, jurisdiction: str, status: str, birth: date, today: date
) -> tuple[list[tuple[str, str, date, str]], date | None, date | None]:
    """Lay out the dated road to ``status``: applicant → activist → candidate → probationary → full → …"""
    earliest = add_years(birth, MINIMUM_AGE) + timedelta(days=1)
    ended = status in (S.TRANSFERRED_OUT, S.REMOVED, S.DECEASED)
    joined: date | None = None
    if status == S.FULL or ended:
        age = rng.choices((20, 24, 28, 33, 40, 50), weights=(22, 25, 20, 15, 12, 6))[0] + rng.random() * 4
        joined = birth + timedelta(days=int(age * 365.25))
        latest_join = today - timedelta(days=400)
        if joined > latest_join:
            joined = latest_join - _days(rng, 0, 200)
        joined = max(joined, earliest + timedelta(days=400))
    elif status == S.PROBATIONARY:
        joined = min(max(today - _days(rng, 15, 355), earliest + timedelta(days=400)), today)
    # The stages before admission, counted backwards from the join date (or
    # forwards from the application for those not yet admitted).
    if joined is not None:
        candidate = joined - _days(rng, 90, 240)
        activist = candidate - _days(rng, 365, 480)
        applied = activist - _days(rng, 60, 240)
        if applied < earliest:  # squeeze the road into the time since 18
            span = (joined - earliest).days
            applied = earliest
            activist = applied + timedelta(days=span * 25 // 100)
            candidate = applied + timedelta(days=span * 75 // 100)
        stages: list[tuple[str, date]] = [
            (S.APPLICANT, applied),
            (S.ACTIVIST, activist),
            (S.CANDIDATE, candidate),
            (S.PROBATIONARY, joined),
        ]
    else:
        back = _DAYS_SINCE_APPLICATION[status]
        applied = max(today - _days(rng, *back), earliest)
        stages = [(str(S.APPLICANT), applied)]
        if status in (S.ACTIVIST, S.CANDIDATE):
            activist = min(applied + _days(rng, 60, 200), today - timedelta(days=5))
            stages.append((S.ACTIVIST, max(activist, applied)))
        if status == S.CANDIDATE:
            candidate = min(stages[-1][1] + _days(rng, 365, 480), today - timedelta(days=3))
            stages.append((S.CANDIDATE, max(candidate, stages[-1][1])))
    converted: date | None = None
    if joined is not None and (status == S.FULL or (ended and joined <= today - timedelta(days=400))):
        converted = add_years(joined, PROBATION_YEARS)
        stages.append((S.FULL, converted))
    if ended:
        start = max(stages[-1][1] + timedelta(days=30), today - timedelta(days=5 * 365))
        stages.append(
            (status, min(today - timedelta(days=1), start + _days(rng, 0, max(0, (today - start).days))))
        )
    reasons = REASONS[jurisdiction]
    history = []
    previous = ""
    for to_status, when in stages:
        history.append((previous, str(to_status), min(when, today), reasons[to_status]))
        previous = str(to_status)
    return history, joined, converted


# --- posts -----------------------------------------------------------------------


def _branch_posts(jurisdiction: str, full_members: int, rng: random.Random) -> list[PostKind]:
    """The posts a branch elects, by the number of its full members."""
    if jurisdiction == "CN":
        if full_members < 7:  # no committee: a secretary, perhaps a deputy
            return [PostKind.SECRETARY] + ([PostKind.DEPUTY_SECRETARY] if rng.random() < 0.3 else [])
        if full_members < 25:
            return [PostKind.SECRETARY, PostKind.ORGANIZING_MEMBER, PostKind.PUBLICITY_MEMBER]
        return [
            PostKind.SECRETARY,
            PostKind.DEPUTY_SECRETARY,
            PostKind.ORGANIZING_MEMBER,
            PostKind.PUBLICITY_MEMBER,
            PostKind.DISCIPLINE_MEMBER,
        ]
    if full_members < 9:  # bí thư, phó bí thư if needed
        return [PostKind.SECRETARY] + ([PostKind.DEPUTY_SECRETARY] if full_members >= 5 else [])
    extra = 1 if full_members < 30 else 3
    return [PostKind.SECRETARY, PostKind.DEPUTY_SECRETARY] + [PostKind.COMMITTEE_MEMBER] * extra


def _committee_posts(jurisdiction: str, kind: str) -> list[PostKind]:
    if kind in (OrgKind.PROVINCE_COMMITTEE, OrgKind.DISTRICT_COMMITTEE):
        return [PostKind.SECRETARY, PostKind.DEPUTY_SECRETARY]
    if jurisdiction == "CN":
        return [
            PostKind.SECRETARY,
            PostKind.DEPUTY_SECRETARY,
            PostKind.ORGANIZING_MEMBER,
            PostKind.PUBLICITY_MEMBER,
            PostKind.DISCIPLINE_MEMBER,
        ]
    return [PostKind.SECRETARY, PostKind.DEPUTY_SECRETARY] + [PostKind.COMMITTEE_MEMBER] * 3


class PeoplePlanner:
    """
    Plans people and posts district by district for one jurisdiction's tree.

    ``showcase`` (the small demo) guarantees every status in the first
    branch and sets term ends so that the term-expiry display has entries:
    three branches expiring within six months and one already expired.
    """

    def __init__(self, *, root: OrgNode, jurisdiction: str, seed: int, today: date, showcase: bool) -> None:
        self.root = root
        self.jurisdiction = jurisdiction
        self.seed = seed
        self.today = today
        self.showcase = showcase
        self.taken_ids: set[str] = set()
        self.count = 0
        self.branch_number = 0
        self.holding: set[int] = set()  # indexes of people holding a post
        self.province_pool: list[PersonPlan] = []
        districts = root.children
        self.other_places = tuple(
            (d.place, d.area_code) for d in districts if d.area_code != root.area_code or jurisdiction == "CN"
        )
        if jurisdiction == "VN":
            from orglife.demo.names import VN_PROVINCE_CODES

            self.other_places = tuple((name, code) for code, name, _w in VN_PROVINCE_CODES[1:])

    def _rng(self, node: OrgNode, stream: str) -> random.Random:
        return random.Random(f"orglife-demo:{self.seed}:{node.code}:{stream}")  # noqa: S311 - demo data

    def branch_people(self, branch: OrgNode) -> list[PersonPlan]:
        """Everyone on the roll of one branch, with histories and party groups."""
        who = self._rng(branch, "who")
        when = self._rng(branch, "when")
        every_status = self.showcase and self.branch_number == 0
        groups = [child for child in branch.children if child.kind == OrgKind.PARTY_GROUP]
        people = []
        for status in _statuses(who, branch, every_status=every_status):
            birth = _birth_date(who, branch.category, status)
            identity = make_identity(
                who,
                jurisdiction=self.jurisdiction,
                birth_date=birth,
                locality=branch.place,
                area_code=branch.area_code,
                other_places=self.other_places,
                taken_ids=self.taken_ids,
            )
            work_unit = _work_unit(who, self.jurisdiction, branch, birth)
            history, joined, converted = _history(
                when, jurisdiction=self.jurisdiction, status=status, birth=birth, today=self.today
            )
            person = PersonPlan(
                branch=branch,
                party_group=None,
                identity=identity,
                work_unit=work_unit,
                status=str(status),
                joined_on=joined,
                converted_on=converted,
                history=history,
                index=self.count,
            )
            self.count += 1
            people.append(person)
        members = [p for p in people if p.status in (S.PROBATIONARY, S.FULL)]
        for position, person in enumerate(members):
            if groups:
                person.party_group = groups[position % len(groups)]
        self.branch_number += 1
        return people

    def _term(self, rng: random.Random, months: int, *, number: int | None) -> tuple[date, date]:
        today = self.today
        if self.showcase and number is not None and number in (0, 3, 6, 9):
            end = today + timedelta(days={0: 120, 3: 45, 6: 165, 9: -40}[number])
            return add_months(end, -months), end
        if not self.showcase and rng.random() < 0.01:  # re-election overdue
            end = today - _days(rng, 5, 150)
            return add_months(end, -months), end
        lead = 200 if self.showcase else 0  # small demo: only the chosen branches expire soon
        start = today - _days(rng, 20, max(21, months * 30 - lead))
        return start, add_months(start, months)

    def posts_for(self, org: OrgNode, pool: list[PersonPlan], *, number: int | None = None) -> list[PostPlan]:
        """Elect ``org``'s committee from the full members in ``pool``."""
        rng = self._rng(org, "posts")
        eligible = [
            p
            for p in pool
            if p.status == S.FULL
            and p.index not in self.holding
            and 28 <= self.today.year - p.identity.birth_date.year <= 64
        ]
        if org.holds_members:
            kinds = _branch_posts(self.jurisdiction, sum(p.status == S.FULL for p in pool), rng)
            months = TERM_MONTHS[(self.jurisdiction, "branch")]
            if org.kind == OrgKind.GRASSROOTS_BRANCH and self.jurisdiction == "VN":
                months = TERM_MONTHS[("VN", "committee")]
        else:
            kinds = _committee_posts(self.jurisdiction, org.kind)
            months = TERM_MONTHS[(self.jurisdiction, "committee")]
        if not eligible:
            eligible = [p for p in pool if p.status == S.FULL and p.index not in self.holding]
        term_start, term_end = self._term(rng, months, number=number)
        chosen = rng.sample(eligible, min(len(kinds), len(eligible)))
        posts = []
        for kind, person in zip(kinds, chosen, strict=False):
            self.holding.add(person.index)
            posts.append(PostPlan(org, str(kind), person, term_start, term_end))
        return posts

    def batches(self) -> Iterator[Batch]:
        """Yield one batch per district, then the province committee's own posts."""
        for district in self.root.children:
            people: list[PersonPlan] = []
            posts: list[PostPlan] = []
            by_branch: dict[str, list[PersonPlan]] = {}
            for branch in district.branches():
                number = self.branch_number
                mine = self.branch_people(branch)
                by_branch[branch.code] = mine
                people.extend(mine)
                posts.extend(self.posts_for(branch, mine, number=number))
            for committee in district.children:
                if committee.kind == OrgKind.GRASSROOTS_COMMITTEE:
                    pool = [p for b in committee.branches() for p in by_branch[b.code]]
                    posts.extend(self.posts_for(committee, pool))
            posts.extend(self.posts_for(district, people))
            if not self.province_pool:
                self.province_pool = people
            yield Batch(district.short_name, people, posts)
        yield Batch(self.root.short_name, [], self.posts_for(self.root, self.province_pool))


def plan_people(
    *, root: OrgNode, jurisdiction: str, seed: int, today: date, showcase: bool
) -> Iterator[Batch]:
    """Plan the people and posts of ``root``'s tree, district by district."""
    planner = PeoplePlanner(root=root, jurisdiction=jurisdiction, seed=seed, today=today, showcase=showcase)
    return planner.batches()
