"""
The one shared fixture module: ``org_tree`` and the personas.

Tree (CN):  P (province)
            ├── DA (district) ── BA1, BA2 (branches)
            └── DB (district) ── BB1, BB2 (branches)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from orglife.access.models import Role, RoleAssignment
from orglife.orgs.models import Organization
from orglife.orgs.services import org_create

PASSWORD = "correct horse battery staple"

_DATABASE_FIXTURES = ("db", "transactional_db", "django_db_reset_sequences", "live_server")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """
    Every test starts in English: LocaleMiddleware activates the language of
    a request in the test's thread and leaves it active afterwards.
    """
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """
    Built-in roles and activity types for every database test: a
    transactional test earlier on the same worker flushed the rows that the
    data migrations seeded.
    """
    used = [name for name in _DATABASE_FIXTURES if name in request.fixturenames]
    marker = request.node.get_closest_marker("django_db")
    if not used and marker is None:
        return
    # Set the database up first (autouse fixtures run before the others).
    if used:
        request.getfixturevalue(used[0])
    else:
        request.getfixturevalue("_django_db_helper")
    from orglife.common.seeds import ensure_reference_data

    ensure_reference_data()


@dataclass
class OrgTree:
    """The shared test tree, by short name."""

    province: Organization
    district_a: Organization
    district_b: Organization
    branch_a1: Organization
    branch_a2: Organization
    branch_b1: Organization
    branch_b2: Organization


@pytest.fixture
def org_tree(db: Any) -> OrgTree:
    """Province → 2 districts → 2 branches each (jurisdiction CN)."""
    province = org_create(
        actor=None, parent=None, code="P", name="测试省委", kind="province_committee", jurisdiction="CN"
    )
    district_a = org_create(actor=None, parent=province, code="DA", name="甲县委", kind="district_committee")
    district_b = org_create(actor=None, parent=province, code="DB", name="乙县委", kind="district_committee")
    branches = {
        code: org_create(actor=None, parent=parent, code=code, name=f"第{code}党支部", kind="branch")
        for code, parent in (
            ("BA1", district_a),
            ("BA2", district_a),
            ("BB1", district_b),
            ("BB2", district_b),
        )
    }
    return OrgTree(
        province=Organization.objects.get(pk=province.pk),
        district_a=Organization.objects.get(pk=district_a.pk),
        district_b=Organization.objects.get(pk=district_b.pk),
        branch_a1=Organization.objects.get(pk=branches["BA1"].pk),
        branch_a2=Organization.objects.get(pk=branches["BA2"].pk),
        branch_b1=Organization.objects.get(pk=branches["BB1"].pk),
        branch_b2=Organization.objects.get(pk=branches["BB2"].pk),
    )


def make_user(
    username: str, *, org: Organization | None = None, role: str | None = None, **extra: Any
) -> Any:
    """Create a user, optionally with one role assignment."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if org is not None and role is not None:
        RoleAssignment.objects.create(user=user, org=org, role=Role.objects.get(code=role))
    return user


@dataclass
class Personas:
    """The users every permission test runs as."""

    superuser: Any
    province_admin: Any
    district_organizer: Any
    branch_secretary: Any
    member: Any
    sibling_secretary: Any
    no_role: Any


@pytest.fixture
def personas(org_tree: OrgTree) -> Personas:
    """One user per persona, on the shared tree."""
    return Personas(
        superuser=make_user("root", is_superuser=True, is_staff=True),
        province_admin=make_user("province_admin", org=org_tree.province, role="administrator"),
        district_organizer=make_user(
            "district_organizer", org=org_tree.district_a, role="committee_organizer"
        ),
        branch_secretary=make_user("branch_secretary", org=org_tree.branch_a1, role="branch_secretary"),
        member=make_user("member", org=org_tree.branch_a1, role="member"),
        sibling_secretary=make_user("sibling_secretary", org=org_tree.branch_a2, role="branch_secretary"),
        no_role=make_user("no_role"),
    )


# Valid CN resident IDs (check digits computed) for tests.
CN_IDS = {
    "zhang": "11010519491231002X",
    "li": "110105198001010016",
    "wang": "440301199003070019",
}


@pytest.fixture
def person_a1(org_tree: OrgTree) -> Any:
    """A full member of branch BA1 with every sensitive field filled."""
    from orglife.people.services import person_create

    return person_create(
        actor=None,
        org=org_tree.branch_a1,
        status="full",
        full_name="张三丰",
        gender="female",
        birth_date=date(1949, 12, 31),
        national_id=CN_IDS["zhang"],
        phone="13800138000",
        joined_on=date(1975, 7, 1),
        converted_on=date(1976, 7, 1),
    )
