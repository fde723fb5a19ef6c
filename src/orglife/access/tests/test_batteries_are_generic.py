"""
The security batteries cover what is added later, not only what exists now:
a new org-owned model without the scoped queryset fails the system check,
and a new URL the matrix registry cannot resolve fails the matrix.
"""

from __future__ import annotations

import pytest
from django.db import models
from django.http import HttpResponse
from django.test.utils import isolate_apps
from django.urls import include, path

from orglife.access.checks import check_org_owned_models_are_scoped
from orglife.access.querysets import OrgScopedQuerySet
from orglife.access.testing import (
    Endpoint,
    UnresolvedRoute,
    always,
    iter_routes,
    resolve_endpoint,
    route_methods,
    url_kwargs,
)
from orglife.orgs.models import Organization


def _fake_view(request):
    return HttpResponse("")


@isolate_apps("orglife.access")
def test_org_owned_model_with_a_plain_manager_fails_the_system_check():
    # given a new org-owned model that forgot the scoped queryset
    class Minutes(models.Model):  # noqa: DJ008
        org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "access"

    from django.apps import apps as global_apps

    isolated = Minutes._meta.apps
    assert isolated is not global_apps
    # when the system check runs for that app
    errors = check_org_owned_models_are_scoped(app_configs=[isolated.get_app_config("access")])
    # then it names the model
    assert [(error.id, error.obj) for error in errors] == [("orglife.access.E001", Minutes)]


@isolate_apps("orglife.access")
def test_scoped_model_without_scope_path_field_fails_the_system_check():
    # given a model with the scoped queryset but no path to its org
    class Vote(models.Model):  # noqa: DJ008
        org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

        objects = OrgScopedQuerySet.as_manager()

        class Meta:
            app_label = "access"

    # when
    errors = check_org_owned_models_are_scoped(app_configs=[Vote._meta.apps.get_app_config("access")])
    # then
    assert [(error.id, error.obj) for error in errors] == [("orglife.access.E002", Vote)]


@isolate_apps("orglife.access")
def test_scoped_model_passes_the_system_check():
    # given a correctly scoped org-owned model
    class Attendance(models.Model):  # noqa: DJ008
        org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

        objects = OrgScopedQuerySet.as_manager()
        scope_path_field = "org__path"

        class Meta:
            app_label = "access"

    # when
    errors = check_org_owned_models_are_scoped(app_configs=[Attendance._meta.apps.get_app_config("access")])
    # then
    assert errors == []


def test_installed_models_pass_the_system_check():
    assert check_org_owned_models_are_scoped() == []


def test_new_route_missing_from_the_registry_fails_with_its_name():
    # given a URL configuration with one new route
    routes = iter_routes(
        [path("meetings/", include(([path("<int:pk>/", _fake_view, name="detail")], "meetings")))]
    )
    assert [route.key for route in routes] == ["meetings:detail"]
    route = routes[0]
    # when the matrix looks it up in a registry that does not know it
    methods = route_methods(route, {})
    # then it is unresolved, and the message names the route
    assert methods == ("?",)
    with pytest.raises(UnresolvedRoute, match=r"'meetings:detail' \(meetings/<int:pk>/\)"):
        resolve_endpoint(route, methods[0], {})


def test_new_method_missing_from_the_registry_fails():
    # given a route whose GET is registered but whose POST is not
    route = iter_routes([path("things/", _fake_view, name="things")])[0]
    registry = {("things", "GET"): Endpoint(always(200))}
    # when / then
    assert route_methods(route, registry) == ("GET",)
    with pytest.raises(UnresolvedRoute, match="method POST"):
        resolve_endpoint(route, "POST", registry)


def test_path_parameter_of_unknown_model_fails():
    # given a registered route whose path parameter names no known model
    route = iter_routes([path("things/<int:pk>/", _fake_view, name="thing")])[0]
    endpoint = resolve_endpoint(route, "GET", {("thing", "GET"): Endpoint(always(200))})
    # when / then
    with pytest.raises(UnresolvedRoute, match="cannot resolve path parameter 'pk'"):
        url_kwargs(route, endpoint, ctx=None, factories={})


def test_path_parameter_is_resolved_by_model():
    # given a route whose parameter names an Organization, and a factory for it
    route = iter_routes([path("things/<int:pk>/", _fake_view, name="thing")])[0]
    endpoint = Endpoint(always(200), model=Organization)
    org = Organization(pk=41)
    # when
    kwargs = url_kwargs(route, endpoint, ctx=None, factories={Organization: lambda ctx: org})
    # then
    assert kwargs == {"pk": 41}


def test_unnamed_route_url_is_built_from_its_pattern():
    route = iter_routes([path("x/<path:object_id>/", _fake_view)])[0]
    assert route.key == "x/<path:object_id>/"
    assert route.url({"object_id": 7}) == "/x/7/"
    with pytest.raises(UnresolvedRoute):
        route.url({"other": 7})
