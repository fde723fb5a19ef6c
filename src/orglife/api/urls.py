"""The REST API: one router for every app's viewsets, schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from orglife.access.api import RoleAssignmentViewSet
from orglife.api.views import api_docs_policy
from orglife.meetings.api import ActivityTypeViewSet, FollowUpViewSet, MeetingViewSet
from orglife.orgs.api import OrganizationViewSet
from orglife.people.api import PersonViewSet

router = DefaultRouter()
router.register("orgs", OrganizationViewSet, basename="org")
router.register("people", PersonViewSet, basename="person")
router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
router.register("activity-types", ActivityTypeViewSet, basename="activitytype")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("follow-ups", FollowUpViewSet, basename="followup")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs_policy(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api_docs"),
    path("", include(router.urls)),
]
