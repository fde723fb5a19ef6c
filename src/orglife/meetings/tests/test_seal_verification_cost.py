"""Verifying seals costs a fixed number of queries per batch, not per meeting."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from orglife.meetings.sealing import meeting_content, meeting_contents, verify_meeting_seals
from orglife.meetings.tests.factories import add_members, sealed


def _queries_to_verify() -> int:
    with CaptureQueriesContext(connection) as captured:
        problems = list(verify_meeting_seals())
    assert problems == []
    return len(captured.captured_queries)


def test_verifying_more_sealed_meetings_needs_no_more_queries(org_tree, personas):
    # given a branch with members and one sealed meeting
    add_members(org_tree.branch_a1, full=4, probationary=1)
    sealed(org_tree.branch_a1, actor=personas.branch_secretary)
    with_one = _queries_to_verify()
    # when four more meetings are sealed
    for _ in range(4):
        sealed(org_tree.branch_a1, actor=personas.branch_secretary)
    # then verification runs the same number of queries
    assert _queries_to_verify() == with_one


def test_batched_content_equals_the_single_meeting_content(org_tree, personas):
    add_members(org_tree.branch_a1, full=3)
    meetings = [sealed(org_tree.branch_a1, actor=personas.branch_secretary) for _ in range(2)]
    batch = meeting_contents([meeting.pk for meeting in meetings])
    for meeting in meetings:
        assert batch[meeting.pk] == meeting_content(meeting)
