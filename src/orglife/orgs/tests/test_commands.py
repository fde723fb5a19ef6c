"""The create-org command."""

import pytest
from django.core.management import CommandError, call_command

from orglife.audit.models import AuditEvent
from orglife.orgs.models import Organization


def test_create_org_makes_a_root_and_a_child(db, capsys):
    call_command(
        "create-org",
        "--code",
        "VN-ND",
        "--name",
        "Đảng bộ tỉnh Nam Định",
        "--kind",
        "province_committee",
        "--jurisdiction",
        "VN",
    )
    call_command(
        "create-org",
        "--code",
        "VN-ND-01",
        "--name",
        "Đảng ủy xã Yên Bằng",
        "--kind",
        "grassroots_committee",
        "--parent",
        "VN-ND",
    )
    child = Organization.objects.get(code="VN-ND-01")
    assert child.jurisdiction == "VN"
    assert child.get_parent().code == "VN-ND"
    assert AuditEvent.objects.filter(action="orgs.create").count() == 2
    assert "created VN-ND-01" in capsys.readouterr().out


def test_create_org_without_jurisdiction_at_the_top_is_refused(db):
    with pytest.raises(CommandError, match="jurisdiction"):
        call_command("create-org", "--code", "X", "--name", "X", "--kind", "province_committee")
    assert not Organization.objects.exists()


def test_create_org_with_unknown_parent_is_refused(db):
    with pytest.raises(CommandError, match="no organization"):
        call_command("create-org", "--code", "X", "--name", "X", "--kind", "branch", "--parent", "NOPE")
