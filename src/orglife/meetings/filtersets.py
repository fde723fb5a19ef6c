"""Filters shared by the meeting list (API now, the page later)."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from orglife.access.querysets import subtree_condition
from orglife.meetings.choices import FollowUpStatus, MeetingStatus
from orglife.meetings.models import FollowUpItem, Meeting
from orglife.orgs.models import Organization


def _filter_subtree(queryset: QuerySet, value: str) -> QuerySet:  # type: ignore[type-arg]
    root = Organization.objects.filter(code=value).values_list("path", flat=True).first()
    if root is None:
        return queryset.none()
    return queryset.filter(subtree_condition("org__path", root))


class MeetingFilterSet(django_filters.FilterSet):
    """Filter meetings by subtree, status, type and planned date."""

    org = django_filters.CharFilter(label=_("within (org code)"), method="filter_org")
    status = django_filters.MultipleChoiceFilter(label=_("status"), choices=MeetingStatus.choices)
    type = django_filters.CharFilter(label=_("type (code)"), method="filter_type")
    date_from = django_filters.DateFilter(
        label=_("from"), field_name="planned_start", lookup_expr="date__gte"
    )
    date_to = django_filters.DateFilter(label=_("to"), field_name="planned_start", lookup_expr="date__lte")

    class Meta:
        model = Meeting
        fields = ["status"]

    def filter_org(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        """Meetings hosted in the subtree of the org with code ``value``."""
        return _filter_subtree(queryset, value)

    def filter_type(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        """Meetings having the type with code ``value`` (among others)."""
        return queryset.filter(types__code=value).distinct()


class FollowUpFilterSet(django_filters.FilterSet):
    """Filter follow-up items by subtree and status."""

    org = django_filters.CharFilter(label=_("within (org code)"), method="filter_org")
    status = django_filters.MultipleChoiceFilter(label=_("status"), choices=FollowUpStatus.choices)

    class Meta:
        model = FollowUpItem
        fields = ["status"]

    def filter_org(self, queryset: QuerySet[FollowUpItem], name: str, value: str) -> QuerySet[FollowUpItem]:
        """Items of branches in the subtree of the org with code ``value``."""
        return _filter_subtree(queryset, value)
