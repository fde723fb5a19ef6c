"""Choices for organizations and committee posts."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Jurisdiction(models.TextChoices):
    """Which party's rules apply: inherited down the tree."""

    CN = "CN", _("China (CPC)")
    VN = "VN", _("Vietnam (CPV)")


class OrgKind(models.TextChoices):
    """Node types of the org tree (CONTEXT.md)."""

    PROVINCE_COMMITTEE = "province_committee", _("Provincial committee")
    DISTRICT_COMMITTEE = "district_committee", _("District committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", pgettext_lazy("party organization", "Branch")
    GRASSROOTS_BRANCH = "grassroots_branch", _("Grassroots branch")
    PARTY_GROUP = "party_group", _("Party group")


BRANCH_KINDS = frozenset({OrgKind.BRANCH, OrgKind.GRASSROOTS_BRANCH})
COMMITTEE_KINDS = frozenset(
    {
        OrgKind.PROVINCE_COMMITTEE,
        OrgKind.DISTRICT_COMMITTEE,
        OrgKind.GRASSROOTS_COMMITTEE,
        OrgKind.GENERAL_BRANCH,
    }
)


class PostKind(models.TextChoices):
    """Posts of a branch or committee (CN 书记 … / VN bí thư …)."""

    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANIZING_MEMBER = "organizing_member", _("Organizing member")
    PUBLICITY_MEMBER = "publicity_member", _("Publicity member")
    DISCIPLINE_MEMBER = "discipline_member", _("Discipline inspection member")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
