"""Filters shared by the member list page and the API."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from orglife.access.querysets import subtree_condition
from orglife.common.text import query_key
from orglife.orgs.models import Organization
from orglife.people.choices import MembershipStatus
from orglife.people.models import Person


class PersonFilterSet(django_filters.FilterSet):
    """Filter people by subtree, status and a cross-script name search."""

    org = django_filters.CharFilter(label=_("within (org code)"), method="filter_org")
    status = django_filters.MultipleChoiceFilter(label=_("status"), choices=MembershipStatus.choices)
    q = django_filters.CharFilter(label=_("search"), method="filter_q")

    class Meta:
        model = Person
        fields = ["status"]

    def filter_org(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        """People in the subtree of the org with code ``value``."""
        root = Organization.objects.filter(code=value).values_list("path", flat=True).first()
        if root is None:
            return queryset.none()
        return queryset.filter(subtree_condition("org__path", root))

    def filter_q(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        """Names across scripts (see common.text) or work unit."""
        key = query_key(value)
        if not key:
            return queryset
        return queryset.filter(Q(search_key__contains=key) | Q(work_unit__icontains=value.strip()))
