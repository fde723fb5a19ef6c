"""The meetings-list and meeting-show commands."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from orglife.meetings.tests.factories import add_members, plan, sealed


def test_meetings_list_shows_the_subtree(org_tree, capsys):
    add_members(org_tree.branch_a1, full=2)
    meeting = sealed(org_tree.branch_a1)
    plan(org_tree.branch_b1, topic="乙县会议")
    call_command("meetings-list", "--org", "DA", "--year", str(timezone.localdate().year), "--language", "en")
    out = capsys.readouterr().out
    assert str(meeting.topic) in out
    assert "乙县会议" not in out
    assert "2/2" in out
    assert "1 meetings." in out


def test_meeting_show_prints_the_record_and_versions(org_tree, capsys):
    add_members(org_tree.branch_a1, full=2)
    meeting = sealed(org_tree.branch_a1)
    call_command("meeting-show", str(meeting.pk), "--language", "en")
    out = capsys.readouterr().out
    assert "version 1:" in out
    assert "cn.gm.quorum" in out
    with pytest.raises(CommandError):
        call_command("meeting-show", "-1")
