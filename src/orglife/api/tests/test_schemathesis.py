"""
Property-based API test (issue 6 d): schemathesis drives every operation of
``/api/schema/`` through the Django app in-process (WSGI) as an
authenticated persona. Every answer must be a non-5xx and, where the schema
documents the status, match the documented response.

Operations come from the schema itself, so a new endpoint is fuzzed without
touching this file. For operations with an ``{id}`` path parameter half of
the examples use an object that exists in the persona's scope, so the
happy paths (200 with a body) are exercised, not only 404.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from orglife.access.models import Role, RoleAssignment
from orglife.config.wsgi import application
from orglife.orgs.models import Organization

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [not_a_server_error, response_schema_conformance]
MAX_EXAMPLES = int(os.environ.get("ORGLIFE_SCHEMATHESIS_EXAMPLES", "12"))
PERSONAS = ("branch_secretary", "province_admin")


def _existing_ids(operation: Any, persona: str, org_tree: Any, person: Any, user: Any) -> list[int]:
    """Ids of objects of the operation's resource that ``persona`` can see."""
    if operation.path.startswith("/api/people/"):
        return [person.pk]
    if operation.path.startswith("/api/orgs/"):
        orgs = [org_tree.branch_a1, org_tree.branch_a2]
        if persona == "province_admin":
            orgs += [org_tree.district_b, org_tree.branch_b1]
        return [org.pk for org in orgs]
    if operation.path.startswith("/api/role-assignments/"):
        return list(RoleAssignment.objects.filter(user=user).values_list("pk", flat=True))
    return []


def _known_values(user: Any) -> dict[str, list[str]]:
    """Values that name real objects, for body and query fields that take a code or a name."""
    codes = list(Organization.objects.values_list("code", flat=True))
    return {
        "org": codes,
        "parent": codes,
        "new_parent": codes,
        "target": codes,
        "user": [user.username, "member", "sibling_secretary"],
        "role": list(Role.objects.values_list("code", flat=True)),
    }


def _with_known_values(strategy: Any, known: dict[str, list[str]]) -> Any:
    """Sometimes replace generated codes by real ones, so writes get past the look-ups."""

    def replace(drawn: tuple[Any, dict[str, str]]) -> Any:
        case, values = drawn
        for container in (case.body, case.query):
            if isinstance(container, dict):
                for name, value in values.items():
                    if name in container:
                        container[name] = value
        return case

    choices = st.fixed_dictionaries({}, optional={name: st.sampled_from(v) for name, v in known.items()})
    return st.tuples(strategy, choices).map(replace)


@pytest.fixture
def keep_test_connection():
    """
    The real WSGI handler closes "old" connections after each request, which
    would close the test's transaction on PostgreSQL; Django's test client
    disconnects the same handler.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schema_lists_every_router_operation() -> None:
    # given the schema loaded through the WSGI app
    labels = {operation.label for operation in OPERATIONS}
    # then the fuzzed operations include reads and writes of every viewset
    assert {
        "GET /api/people/",
        "PATCH /api/people/{id}/",
        "POST /api/orgs/",
        "GET /api/role-assignments/",
    } <= (labels)


@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_api_answers_without_5xx_and_as_documented(
    operation, persona, org_tree, personas, person_a1, keep_test_connection
):
    # given a token for the persona and objects in its scope
    user = getattr(personas, persona)
    token = Token.objects.create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    strategy = operation.as_strategy()
    if any(parameter.name == "id" for parameter in operation.path_parameters):
        ids = _existing_ids(operation, persona, org_tree, person_a1, user)
        if ids:
            strategy = st.one_of(
                strategy,
                st.sampled_from(ids).flatmap(lambda pk: operation.as_strategy(path_parameters={"id": pk})),
            )

    strategy = _with_known_values(strategy, _known_values(user))

    # when hypothesis sends bounded examples
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=strategy)
    def call(case: Any) -> None:
        response = case.call(headers=headers)
        # then no server error and a documented shape
        case.validate_response(response, checks=CHECKS)

    call()
