"""Filters shared by the org list page and the API."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from orglife.access.querysets import subtree_condition
from orglife.orgs.choices import Jurisdiction, OrgKind
from orglife.orgs.models import Organization


class OrganizationFilterSet(django_filters.FilterSet):
    """Filter organizations by kind, jurisdiction, subtree and text."""

    kind = django_filters.ChoiceFilter(label=_("kind"), choices=OrgKind.choices)
    jurisdiction = django_filters.ChoiceFilter(label=_("jurisdiction"), choices=Jurisdiction.choices)
    is_active = django_filters.BooleanFilter(label=_("active"))
    within = django_filters.CharFilter(label=_("within (org code)"), method="filter_within")
    q = django_filters.CharFilter(label=_("search"), method="filter_q")

    class Meta:
        model = Organization
        fields = ["kind", "jurisdiction", "is_active"]

    def filter_within(
        self, queryset: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        """Organizations in the subtree of the org with code ``value``."""
        root = Organization.objects.filter(code=value).values_list("path", flat=True).first()
        if root is None:
            return queryset.none()
        return queryset.filter(subtree_condition("path", root))

    def filter_q(self, queryset: QuerySet[Organization], name: str, value: str) -> QuerySet[Organization]:
        """Match code or name."""
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
