"""
Writing a demo plan to the database, the demo logins, reset and summary.

Two writers share one plan:

* ``services`` (the small demo) goes through ``org_create``,
  ``person_create``, ``person_status_change``, ``committee_post_assign`` and
  ``role_assign``, so the audit trail holds the same events a real office
  would produce;
* ``bulk`` (the province) computes treebeard's materialized paths itself and
  inserts with ``bulk_create`` in batches, then appends one ``demo.build``
  audit event with the counts.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from orglife.access.models import Role, RoleAssignment
from orglife.access.roles import ADMINISTRATOR, BRANCH_SECRETARY, COMMITTEE_ORGANIZER, MEMBER
from orglife.access.services import role_assign
from orglife.audit.services import audit_record
from orglife.common.crypto import lookup_hash
from orglife.common.text import search_key
from orglife.demo.people import Batch, PersonPlan, PostPlan, plan_people
from orglife.demo.records import RecordsSummary, build_records
from orglife.demo.tree import OrgNode, plan_tree
from orglife.meetings.models import FollowUpItem, Meeting, MeetingVersion
from orglife.orgs.choices import OrgKind, PostKind
from orglife.orgs.models import CommitteePost, Organization
from orglife.orgs.services import committee_post_assign, org_create
from orglife.people.models import Person, StatusChange
from orglife.people.services import person_create, person_link_user, person_status_change

DEMO_PASSWORD = "orglife-demo-2026"  # noqa: S105 - printed for the demo on purpose
DEMO_ROOT_CODES = ("CN-HN", "VN-ND")
PERSONAS: tuple[tuple[str, str, str], ...] = (
    # (username suffix, role, where)
    ("admin", ADMINISTRATOR, "province"),
    ("organizer", COMMITTEE_ORGANIZER, "district"),
    ("secretary", BRANCH_SECRETARY, "branch"),
    ("member", MEMBER, "branch"),
    ("sibling", BRANCH_SECRETARY, "sibling branch"),
)
BULK_BATCH = 2000

Progress = Callable[[str], None]


def demo_usernames(jurisdictions: Iterable[str] = ("CN", "VN")) -> list[str]:
    """The login names the demo creates for ``jurisdictions``."""
    return [f"{j.lower()}_{suffix}" for j in jurisdictions for suffix, _role, _where in PERSONAS]


@dataclass(frozen=True)
class Login:
    """One demo login, as printed at the end."""

    username: str
    role: str
    org_code: str
    org_name: str
    person: str = ""


@dataclass
class Summary:
    """What a build produced."""

    orgs_by_kind: dict[str, int] = field(default_factory=dict)
    people_by_status: dict[str, int] = field(default_factory=dict)
    status_changes: int = 0
    posts: int = 0
    logins: list[Login] = field(default_factory=list)
    records: RecordsSummary = field(default_factory=RecordsSummary)
    records_elapsed: float = 0.0
    elapsed: float = 0.0


@dataclass(frozen=True)
class JurisdictionPlan:
    """The tree of one jurisdiction and the means to plan its people."""

    jurisdiction: str
    root: OrgNode
    seed: int
    today: date
    showcase: bool

    def batches(self) -> Iterator[Batch]:
        """People and posts, district by district (planned lazily)."""
        return plan_people(
            root=self.root,
            jurisdiction=self.jurisdiction,
            seed=self.seed,
            today=self.today,
            showcase=self.showcase,
        )


def make_plan(
    *, jurisdiction: str, size: str, seed: int, today: date, scale: float = 1.0
) -> JurisdictionPlan:
    """Plan one jurisdiction's demo: deterministic for ``seed`` (and ``today`` for dates)."""
    root = plan_tree(jurisdiction=jurisdiction, size=size, seed=seed, scale=scale)
    return JurisdictionPlan(jurisdiction, root, seed, today, showcase=size == "small")


# --- reset ---------------------------------------------------------------------


def demo_roots() -> list[Organization]:
    """The root organizations the demo creates that exist now."""
    return list(Organization.objects.filter(depth=1, code__in=DEMO_ROOT_CODES))


@transaction.atomic
def demo_reset(*, progress: Progress = lambda message: None) -> dict[str, int]:
    """
    Delete the demo trees (their people, posts and roles) and the demo logins.

    The audit trail keeps its events (it is append-only); one ``demo.reset``
    event records what was removed.
    """
    removed: Counter[str] = Counter()
    for root in demo_roots():
        prefix = root.path
        progress(f"removing {root.code} …")
        removed["follow_ups"] += FollowUpItem.objects.filter(org__path__startswith=prefix).delete()[0]
        MeetingVersion.objects.filter(meeting__org__path__startswith=prefix).delete()
        removed["meetings"] += (
            Meeting.objects.filter(org__path__startswith=prefix).delete()[1].get(Meeting._meta.label, 0)
        )
        removed["posts"] += CommitteePost.objects.filter(org__path__startswith=prefix).delete()[0]
        removed["status_changes"] += StatusChange.objects.filter(
            person__org__path__startswith=prefix
        ).delete()[0]
        removed["people"] += Person.objects.filter(org__path__startswith=prefix).delete()[0]
        RoleAssignment.objects.filter(org__path__startswith=prefix).delete()
        subtree = Organization.objects.filter(path__startswith=prefix)
        subtree.update(merged_into=None)
        removed["organizations"] += subtree.count()
        Organization.objects.filter(pk=root.pk).delete()
    removed["users"] = get_user_model().objects.filter(username__in=demo_usernames()).delete()[0]
    audit_record(actor=None, action="demo.reset", data=dict(removed))
    return dict(removed)


# --- organizations -------------------------------------------------------------


def _with_parents(root: OrgNode) -> Iterator[tuple[OrgNode, OrgNode | None]]:
    stack: list[tuple[OrgNode, OrgNode | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in reversed(node.children))


def tree_paths(root: OrgNode, root_step: int) -> Iterator[tuple[OrgNode, str]]:
    """
    Treebeard materialized paths for a planned tree: the root is the
    ``root_step``-th root ("0001" for the first), each child appends its
    1-based position in base 36 padded to ``steplen`` characters.
    """
    stack = [(root, Organization._get_path(None, 1, root_step))]
    while stack:
        node, path = stack.pop()
        yield node, path
        depth = len(path) // Organization.steplen
        stack.extend(
            (child, Organization._get_path(path, depth + 1, position))
            for position, child in reversed(list(enumerate(node.children, start=1)))
        )


def _next_root_step() -> int:
    last = Organization.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    return Organization._str2int(last) + 1 if last else 1


# --- the two writers -------------------------------------------------------------


class _Writer:
    """Shared state: planned codes → ids, planned people → ids."""

    def __init__(self, plan: JurisdictionPlan, progress: Progress) -> None:
        self.plan = plan
        self.progress = progress
        self.org_ids: dict[str, int] = {}
        self.person_ids: dict[int, int] = {}
        self.people_total = sum(node.members for node in plan.root.walk())
        self.people_written = 0
        self.members_written = 0
        self.posts_written = 0
        self.changes_written = 0

    def report(self, batch: Batch, number: int, districts: int) -> None:
        if batch.people:
            self.progress(
                f"  {self.plan.jurisdiction} districts {number}/{districts} ({batch.label}): "
                f"members {self.members_written}/{self.people_total}, people {self.people_written}"
            )

    def write(self) -> Organization:
        raise NotImplementedError


class ServiceWriter(_Writer):
    """Writes through the domain services (audited row by row)."""

    def write(self) -> Organization:
        plan = self.plan
        orgs: dict[str, Organization] = {}
        for node, parent in _with_parents(plan.root):
            org = org_create(
                actor=None,
                parent=orgs[parent.code] if parent is not None else None,
                code=node.code,
                name=node.name,
                kind=node.kind,
                short_name=node.short_name,
                jurisdiction=plan.jurisdiction if parent is None else None,
            )
            orgs[node.code] = org
            self.org_ids[node.code] = org.pk
        self.progress(f"  {plan.jurisdiction} organizations {len(orgs)}")
        districts = len(plan.root.children)
        for number, batch in enumerate(plan.batches(), start=1):
            for person in batch.people:
                self._person(person, orgs)
            for post in batch.posts:
                committee_post_assign(
                    actor=None,
                    org=orgs[post.org.code],
                    post=post.post,
                    person=Person(pk=self.person_ids[post.holder.index], org=orgs[post.holder.branch.code]),
                    term_start=post.term_start,
                    term_end=post.term_end,
                )
                self.posts_written += 1
            self.report(batch, number, districts)
        return orgs[plan.root.code]

    def _person(self, plan: PersonPlan, orgs: dict[str, Organization]) -> None:
        identity = plan.identity
        first = plan.history[0]
        person = person_create(
            actor=None,
            org=orgs[plan.branch.code],
            status=first[1],
            party_group=orgs[plan.party_group.code] if plan.party_group else None,
            status_date=first[2],
            today=self.plan.today,
            full_name=identity.full_name,
            gender=identity.gender,
            birth_date=identity.birth_date,
            ethnicity=identity.ethnicity,
            education=identity.education,
            native_place=identity.native_place,
            work_unit=plan.work_unit,
            phone=identity.phone,
            national_id=identity.national_id,
        )
        for _from, to_status, effective_on, reason in plan.history[1:]:
            person = person_status_change(
                actor=None,
                person=person,
                to_status=to_status,
                effective_on=effective_on,
                reason=reason,
                today=self.plan.today,
            )
        self.person_ids[plan.index] = person.pk
        self.people_written += 1
        self.members_written += plan.status in ("probationary", "full")
        self.changes_written += len(plan.history)


class BulkWriter(_Writer):
    """Writes with bulk_create; paths, hashes and search keys computed here."""

    def write(self) -> Organization:
        plan = self.plan
        rows = []
        for node, path in tree_paths(plan.root, _next_root_step()):
            rows.append(
                Organization(
                    code=node.code,
                    name=node.name,
                    short_name=node.short_name,
                    kind=node.kind,
                    jurisdiction=plan.jurisdiction,
                    path=path,
                    depth=len(path) // Organization.steplen,
                    numchild=len(node.children),
                )
            )
        Organization.objects.bulk_create(rows, batch_size=BULK_BATCH)
        root_path = rows[0].path
        self.org_ids = dict(
            Organization.objects.filter(path__startswith=root_path).values_list("code", "pk").iterator()
        )
        self.progress(f"  {plan.jurisdiction} organizations {len(rows)}")
        districts = len(plan.root.children)
        for number, batch in enumerate(plan.batches(), start=1):
            self._people(batch.people)
            self._posts(batch.posts)
            self.report(batch, number, districts)
        return Organization.objects.get(path=root_path)

    def _people(self, people: list[PersonPlan]) -> None:
        for start in range(0, len(people), BULK_BATCH):
            chunk = people[start : start + BULK_BATCH]
            objects = []
            for plan in chunk:
                identity = plan.identity
                objects.append(
                    Person(
                        org_id=self.org_ids[plan.branch.code],
                        party_group_id=self.org_ids[plan.party_group.code] if plan.party_group else None,
                        full_name=identity.full_name,
                        gender=identity.gender,
                        birth_date=identity.birth_date,
                        ethnicity=identity.ethnicity,
                        education=identity.education,
                        native_place=identity.native_place,
                        work_unit=plan.work_unit,
                        phone=identity.phone,  # EncryptedTextField encrypts on save
                        national_id=identity.national_id,
                        national_id_hash=lookup_hash(identity.national_id),
                        status=plan.status,
                        joined_on=plan.joined_on,
                        converted_on=plan.converted_on,
                        search_key=search_key(identity.full_name),
                    )
                )
            Person.objects.bulk_create(objects, batch_size=BULK_BATCH)
            changes: list[StatusChange] = []
            for plan, person in zip(chunk, objects, strict=True):
                self.person_ids[plan.index] = person.pk
                changes.extend(
                    StatusChange(
                        person_id=person.pk,
                        from_status=from_status,
                        to_status=to_status,
                        effective_on=effective_on,
                        reason=reason,
                    )
                    for from_status, to_status, effective_on, reason in plan.history
                )
            StatusChange.objects.bulk_create(changes, batch_size=BULK_BATCH * 2)
            self.people_written += len(chunk)
            self.members_written += sum(plan.status in ("probationary", "full") for plan in chunk)
            self.changes_written += len(changes)

    def _posts(self, posts: list[PostPlan]) -> None:
        CommitteePost.objects.bulk_create(
            [
                CommitteePost(
                    org_id=self.org_ids[post.org.code],
                    post=post.post,
                    person_id=self.person_ids[post.holder.index],
                    term_start=post.term_start,
                    term_end=post.term_end,
                )
                for post in posts
            ],
            batch_size=BULK_BATCH,
        )
        self.posts_written += len(posts)


# --- personas ----------------------------------------------------------------------


def _persona_targets(root: OrgNode) -> dict[str, OrgNode]:
    district = root.children[0]
    branches = list(district.branches())
    branch = branches[0]
    committee = next(child for child in district.children if branch in child.children or child is branch)
    siblings = [node for node in committee.children if node.holds_members and node is not branch]
    sibling = siblings[0] if siblings else branches[1]
    return {"province": root, "district": district, "branch": branch, "sibling branch": sibling}


def create_personas(*, plan: JurisdictionPlan, root_org: Organization) -> list[Login]:
    """
    One login per persona on the built tree; the branch secretary, the
    sibling secretary and the member are linked to their Person records.
    """
    targets = _persona_targets(plan.root)
    prefix = root_org.path
    orgs = {
        org.code: org
        for org in Organization.objects.filter(
            path__startswith=prefix, code__in=[node.code for node in targets.values()]
        )
    }
    secretaries = dict(
        CommitteePost.objects.filter(
            org__code__in=[targets["branch"].code, targets["sibling branch"].code], post=PostKind.SECRETARY
        ).values_list("org__code", "person_id")
    )
    holders = CommitteePost.objects.filter(org__code=targets["branch"].code).values_list(
        "person_id", flat=True
    )
    member = (
        Person.objects.filter(org__code=targets["branch"].code, status="full")
        .exclude(pk__in=list(holders))
        .order_by("pk")
        .first()
    )
    roles = {role.code: role for role in Role.objects.all()}
    user_model = get_user_model()
    logins = []
    for suffix, role_code, where in PERSONAS:
        username = f"{plan.jurisdiction.lower()}_{suffix}"
        org = orgs[targets[where].code]
        person_id: int | None = None
        if suffix in ("secretary", "sibling"):
            person_id = secretaries.get(org.code)
        elif suffix == "member" and member is not None:
            person_id = member.pk
        person = Person.objects.filter(pk=person_id).first() if person_id else None
        user = user_model.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=person.full_name if person else "",
        )
        role_assign(actor=None, user=user, org=org, role=roles[role_code])
        if person is not None:
            person_link_user(actor=None, person=person, user=user)
        logins.append(Login(username, role_code, org.code, org.name, person.full_name if person else ""))
    return logins


def existing_logins() -> list[Login]:
    """The demo logins present in the database (for ``--if-empty``)."""
    logins = []
    assignments = (
        RoleAssignment.objects.filter(user__username__in=demo_usernames())
        .select_related("user", "org", "role")
        .order_by("user__username")
    )
    for assignment in assignments:
        person = Person.objects.filter(user=assignment.user).values_list("full_name", flat=True).first()
        logins.append(
            Login(
                assignment.user.username,
                assignment.role.code,
                assignment.org.code,
                assignment.org.name,
                person or "",
            )
        )
    order = {name: position for position, name in enumerate(demo_usernames())}
    return sorted(logins, key=lambda login: order.get(login.username, 99))


# --- the build ---------------------------------------------------------------------


def _summarize(root_orgs: list[Organization], summary: Summary) -> None:
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for root in root_orgs:
        prefix = root.path
        for row in (
            Organization.objects.filter(path__startswith=prefix).values("kind").annotate(n=Count("pk"))
        ):
            kinds[row["kind"]] += row["n"]
        for row in (
            Person.objects.filter(org__path__startswith=prefix).values("status").annotate(n=Count("pk"))
        ):
            statuses[row["status"]] += row["n"]
    order = [kind.value for kind in OrgKind]
    summary.orgs_by_kind = {kind: kinds[kind] for kind in order if kinds[kind]}
    summary.people_by_status = dict(sorted(statuses.items(), key=lambda item: -item[1]))


def build_demo(
    *,
    size: str,
    jurisdictions: list[str],
    seed: int,
    today: date,
    scale: float = 1.0,
    writer: str | None = None,
    progress: Progress = lambda message: None,
) -> Summary:
    """
    Build the demo for each jurisdiction in one transaction and create the
    persona logins. ``writer`` is "services" or "bulk" (default: services
    for ``small``, bulk for ``province``).
    """
    started = time.monotonic()
    writer = writer or ("services" if size == "small" else "bulk")
    summary = Summary()
    roots = []
    with transaction.atomic():
        for jurisdiction in jurisdictions:
            plan = make_plan(jurisdiction=jurisdiction, size=size, seed=seed, today=today, scale=scale)
            progress(f"{jurisdiction}: building {plan.root.name} ({size}, seed {seed}) …")
            worker: _Writer = (ServiceWriter if writer == "services" else BulkWriter)(plan, progress)
            root_org = worker.write()
            roots.append(root_org)
            summary.logins += create_personas(plan=plan, root_org=root_org)
            records_started = time.monotonic()
            records, _written = build_records(
                root=root_org,
                jurisdiction=jurisdiction,
                seed=seed,
                today=today,
                writer=writer,
                progress=progress,
            )
            summary.records.add(records)
            summary.records_elapsed += time.monotonic() - records_started
            summary.status_changes += worker.changes_written
            summary.posts += worker.posts_written
            audit_record(
                actor=None,
                action="demo.build",
                target=root_org,
                org=root_org,
                data={
                    "size": size,
                    "seed": seed,
                    "scale": scale,
                    "writer": writer,
                    "organizations": len(worker.org_ids),
                    "people": worker.people_written,
                    "members": worker.members_written,
                    "status_changes": worker.changes_written,
                    "posts": worker.posts_written,
                    "logins": [
                        login.username
                        for login in summary.logins
                        if login.org_code.startswith(plan.root.code)
                    ],
                },
            )
    _summarize(roots, summary)
    summary.elapsed = time.monotonic() - started
    return summary


def tree_problems(root: Organization | None = None) -> dict[str, list[Any]]:
    """Treebeard's own consistency check, by problem name (all empty when sound)."""
    names = ("evil_chars", "bad_steplen", "orphans", "wrong_depth", "wrong_numchild")
    return dict(zip(names, Organization.objects.find_problems(parent=root), strict=True))
