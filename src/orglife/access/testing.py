"""
Test support for the generated permission matrix (STYLE §5).

Nothing here is hand-listed per view: :func:`iter_routes` walks the URL
configuration, :func:`schema_operations` reads the OpenAPI schema, and a
registry of :class:`Endpoint` entries (one per route and method) says which
action a route needs and on which object. :func:`resolve_endpoint` and
:func:`url_kwargs` raise :class:`UnresolvedRoute` with a message that names
the route when a new URL appears that the registry cannot cover, so nobody
can add an endpoint without it entering the matrix.

Expected statuses are computed, not written down: :func:`outcome` chains
steps such as :func:`visible` (404 when the object's org is out of scope)
and :func:`allowed` (403 without the action), which ask
``orglife.access.scope.can`` — so they follow the role → action table in
``access/roles.py`` and the role assignments in the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from orglife.access.scope import can, scope_for

API_FAMILY = "api"
ADMIN_FAMILY = "admin"
UI_FAMILY = "ui"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SKIPPED_METHODS = frozenset({"options", "head", "trace"})
# Path parameters that select a representation, not an object.
FORMAT_PARAMETER = "format"

# (user, ctx) → expected status; ``ctx`` is whatever the test's fixture builds.
Expectation = Callable[[Any, Any], int]
# (user, ctx) → a refusal status, or None when this step lets the request through.
Step = Callable[[Any, Any], "int | None"]


class UnresolvedRoute(LookupError):
    """A route or one of its path parameters is not covered by the matrix registry."""


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project, flattened with its prefixes and namespaces."""

    key: str
    name: str | None
    pattern: str
    params: tuple[str, ...]
    methods: tuple[str, ...] | None
    family: str
    callback: Any = field(compare=False, repr=False)

    @property
    def model(self) -> type[Model] | None:
        """The model a DRF viewset serves (its path ``pk`` names one of these)."""
        cls = getattr(self.callback, "cls", None)
        # ``is None``, not ``or``: a QuerySet's truth value runs the query.
        queryset = getattr(cls, "scoped_queryset", None)
        if queryset is None:
            queryset = getattr(cls, "queryset", None)
        return queryset.model if queryset is not None else None

    @property
    def has_format_suffix(self) -> bool:
        """True for DRF's ``.json`` aliases of another route."""
        return FORMAT_PARAMETER in self.params

    def url(self, kwargs: Mapping[str, Any]) -> str:
        """A concrete URL for the route with ``kwargs`` as path parameters."""
        if self.name is not None:
            return reverse(self.key, kwargs=dict(kwargs))
        path = self.pattern
        for name, value in kwargs.items():
            # A route converter (<int:pk>) or a regex group ((?P<url>.*)).
            path, replaced = re.subn(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), path)
            if not replaced:
                raise UnresolvedRoute(f"route {self.pattern!r}: cannot place parameter {name!r}")
        path = path.replace("^", "").replace("$", "").replace("\\Z", "")
        if "<" in path or "(" in path:
            raise UnresolvedRoute(f"route {self.pattern!r} is unnamed and has parameters left; name it")
        return "/" + path


def _methods(callback: Any) -> tuple[str, ...] | None:
    # DRF viewsets carry their {method: action} map.
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(sorted(method.upper() for method in actions if method not in _SKIPPED_METHODS))
    # Class-based views (DRF APIView or Django View): the handlers they define.
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None:
        return tuple(
            sorted(
                method.upper()
                for method in cls.http_method_names
                if method not in _SKIPPED_METHODS and hasattr(cls, method)
            )
        )
    # A function view: its methods come from the registry.
    return None


def _family(key: str, pattern: str, callback: Any) -> str:
    if key.startswith(f"{ADMIN_FAMILY}:") or pattern.startswith("admin/"):
        return ADMIN_FAMILY
    if hasattr(callback, "cls") or pattern.startswith("api/"):
        return API_FAMILY
    return UI_FAMILY


def iter_routes(
    urlpatterns: Iterable[Any] | None = None,
    *,
    prefix: str = "",
    namespace: str = "",
    params: tuple[str, ...] = (),
) -> list[Route]:
    """Every URL pattern below ``urlpatterns`` (default: the root URLconf), flattened."""
    if urlpatterns is None:
        urlpatterns = get_resolver().url_patterns
    routes: list[Route] = []
    for entry in urlpatterns:
        if not isinstance(entry, URLResolver | URLPattern):
            raise TypeError(f"unexpected URL entry {entry!r}")
        own_params = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            routes.extend(
                iter_routes(
                    entry.url_patterns,
                    prefix=prefix + str(entry.pattern),
                    namespace=inner or namespace,
                    params=params + own_params,
                )
            )
            continue
        pattern = prefix + str(entry.pattern)
        name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
        key = name or pattern
        routes.append(
            Route(
                key=key,
                name=name,
                pattern=pattern,
                params=params + own_params,
                methods=_methods(entry.callback),
                family=_family(key, pattern, entry.callback),
                callback=entry.callback,
            )
        )
    return routes


def schema_operations(schema: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, METHOD) for every operation of an OpenAPI 3 document."""
    http_methods = {"get", "put", "post", "delete", "patch"}
    return sorted(
        (path, method.upper())
        for path, item in schema.get("paths", {}).items()
        for method in item
        if method in http_methods
    )


def schema_path_example(path: str) -> str:
    """An OpenAPI path with every ``{parameter}`` replaced by ``1``."""
    return re.sub(r"\{[^}]+\}", "1", path)


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Endpoint:
    """
    What one route and method needs, and how to call it.

    ``expect`` gives the status for an authenticated persona; ``anonymous``
    overrides the family default (UI and admin: 302 to the login page; API:
    401). ``model`` names the model of the path parameters of a function
    view (DRF viewsets are inferred); ``kwargs`` builds them explicitly.
    ``data`` builds a valid payload for writes. ``list_check(response, user,
    ctx)`` asserts that out-of-scope rows are absent. ``audit_events(user,
    ctx)`` gives the audit events (action → count) an allowed request that
    is not a write appends, e.g. logged reads of sensitive fields;
    ``side_effects`` names models a successful request that is not a write
    may change (with the reason in a comment where it is declared).
    ``writes`` says whether a successful request is a write (one audit
    event and some change); by default, unsafe methods are writes.
    ``redirects_on_success`` counts a 302 as a success (post/redirect/get).
    """

    expect: Expectation
    anonymous: int | None = None
    model: type[Model] | None = None
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    data: Callable[[Any], Any] | None = None
    data_format: str = "json"
    list_check: Callable[[Any, Any, Any], None] | None = None
    audit_events: Callable[[Any, Any], dict[str, int]] | None = None
    side_effects: frozenset[str] = frozenset()
    writes: bool | None = None
    # Form posts that redirect after success (post/redirect/get): a 302 is a success.
    redirects_on_success: bool = False


Registry = Mapping[tuple[str, str], Endpoint]
Rule = Callable[[Route, str], "Endpoint | None"]


def route_methods(route: Route, registry: Registry, rules: Iterable[Rule] = ()) -> tuple[str, ...]:
    """
    The methods a route answers: its own (class-based views), else those the
    registry declares for it, else GET when a rule covers it; "?" when unknown.
    """
    if route.methods is not None:
        return route.methods
    declared = tuple(sorted(method for key, method in registry if key == route.key))
    if declared:
        return declared
    if any(rule(route, "GET") is not None for rule in rules):
        return ("GET",)
    return ("?",)


def resolve_endpoint(route: Route, method: str, registry: Registry, rules: Iterable[Rule] = ()) -> Endpoint:
    """The registry entry for ``route`` and ``method``, or UnresolvedRoute naming what to add."""
    entry = registry.get((route.key, method))
    if entry is not None:
        return entry
    for rule in rules:
        ruled = rule(route, method)
        if ruled is not None:
            return ruled
    if method == "?":
        raise UnresolvedRoute(
            f"route {route.key!r} ({route.pattern}) is a function view the permission matrix does not know: "
            "add its methods to the registry in orglife/access/tests/test_permission_matrix.py"
        )
    raise UnresolvedRoute(
        f"route {route.key!r} ({route.pattern}) method {method} is not in the permission matrix: "
        "add an Endpoint for it to the registry in orglife/access/tests/test_permission_matrix.py"
    )


def url_kwargs(
    route: Route, endpoint: Endpoint, ctx: Any, factories: Mapping[type[Model], Callable[[Any], Model]]
) -> dict[str, Any]:
    """Path parameters naming objects of branch BA1 (or whatever the factories return)."""
    if endpoint.kwargs is not None:
        return endpoint.kwargs(ctx)
    kwargs: dict[str, Any] = {}
    for param in route.params:
        if param == FORMAT_PARAMETER:
            kwargs[param] = "json"
            continue
        model = endpoint.model or route.model
        if model is None or model not in factories:
            raise UnresolvedRoute(
                f"route {route.key!r} ({route.pattern}): cannot resolve path parameter {param!r} "
                f"(model {model._meta.label if model else 'unknown'}); add a factory for the model "
                "or kwargs= to its Endpoint in orglife/access/tests/test_permission_matrix.py"
            )
        kwargs[param] = factories[model](ctx).pk
    return kwargs


# ------------------------------------------------------------- expectations


def visible(org_of: Callable[[Any], Any], *, refused: int = 404) -> Step:
    """The object's org must be in the user's view scope (else 404, as if absent)."""

    def step(user: Any, ctx: Any) -> int | None:
        return None if can(user, "view", org_of(ctx)) else refused

    return step


def allowed(action: str, org_of: Callable[[Any], Any], *, refused: int = 403) -> Step:
    """The user must hold ``action`` on the org (else 403)."""

    def step(user: Any, ctx: Any) -> int | None:
        return None if can(user, action, org_of(ctx)) else refused

    return step


def allowed_somewhere(action: str, *, refused: int = 403) -> Step:
    """The user must hold ``action`` on some org (pages that list a scope)."""

    def step(user: Any, ctx: Any) -> int | None:
        return None if not scope_for(user, action).is_empty else refused

    return step


def superuser_only(*, refused: int) -> Step:
    """Operators only."""

    def step(user: Any, ctx: Any) -> int | None:
        return None if user.is_superuser else refused

    return step


def outcome(*steps: Step, ok: int) -> Expectation:
    """The first refusal among ``steps``, else ``ok``."""

    def expect(user: Any, ctx: Any) -> int:
        for step in steps:
            refusal = step(user, ctx)
            if refusal is not None:
                return refusal
        return ok

    return expect


def always(status: int) -> Expectation:
    """The same status for every authenticated persona."""
    return lambda user, ctx: status


# ----------------------------------------------------------------- snapshots

# Models outside orglife whose rows a request must not change either.
EXTRA_SNAPSHOT_MODELS = ("auth.User", "auth.Group", "authtoken.Token", "auth.Permission")

Snapshot = dict[str, dict[Any, tuple[Any, ...]]]


def snapshot_models() -> list[type[Model]]:
    """Every orglife model plus the accounts-related framework models."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("orglife.") or model._meta.label in EXTRA_SNAPSHOT_MODELS
    ]


def db_snapshot() -> Snapshot:
    """Every row of every snapshot model, by label and pk (tests use small databases)."""
    state: Snapshot = {}
    for model in snapshot_models():
        rows = model._base_manager.order_by("pk").values_list()
        state[model._meta.label] = {row[0]: tuple(row) for row in rows}
    return state


@dataclass(frozen=True)
class Change:
    """Rows added, removed and altered in one model between two snapshots."""

    added: frozenset[Any]
    removed: frozenset[Any]
    altered: frozenset[Any]


def db_changes(before: Snapshot, after: Snapshot) -> dict[str, Change]:
    """The models whose rows differ between ``before`` and ``after``."""
    changes: dict[str, Change] = {}
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, {}), after.get(label, {})
        added = frozenset(set(new) - set(old))
        removed = frozenset(set(old) - set(new))
        altered = frozenset(pk for pk in set(old) & set(new) if old[pk] != new[pk])
        if added or removed or altered:
            changes[label] = Change(added, removed, altered)
    return changes
