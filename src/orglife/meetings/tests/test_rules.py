"""The rule checks, table-driven: pure functions, no database."""

from __future__ import annotations

import pytest

from orglife.meetings import rules
from orglife.meetings.rules import ElectionFacts, MeetingFacts, VoteFacts


def _facts(**overrides):
    base = {
        "jurisdiction": "CN",
        "type_codes": frozenset({"general_meeting"}),
        "voting_expected": 20,
        "voting_present": 15,
        "pending_attendance": 0,
        "has_minutes": True,
        "agenda_items": 2,
        "resolutions": 1,
        "has_first_item": True,
        "duration_minutes": 120,
    }
    base.update(overrides)
    return MeetingFacts(**base)


def _by_rule(findings):
    return {finding.rule_id: finding for finding in findings}


@pytest.mark.parametrize(
    ("_case", "overrides", "rule_id", "passed"),
    [
        ("cn quorum 11 of 20", {"voting_present": 11}, "cn.gm.quorum", True),
        ("cn quorum 10 of 20 is half", {"voting_present": 10}, "cn.gm.quorum", False),
        ("cn quorum 9 of 20", {"voting_present": 9}, "cn.gm.quorum", False),
        ("cn quorum empty branch", {"voting_present": 0, "voting_expected": 0}, "cn.gm.quorum", False),
        ("attendance pending", {"pending_attendance": 2}, "meeting.attendance_recorded", False),
        ("no minutes but agenda", {"has_minutes": False}, "meeting.minutes_present", True),
        (
            "neither minutes nor agenda",
            {"has_minutes": False, "agenda_items": 0},
            "meeting.minutes_present",
            False,
        ),
        ("deciding meeting without resolution", {"resolutions": 0}, "meeting.resolution_present", False),
        ("first item missing", {"has_first_item": False}, "cn.meeting.first_item", False),
        (
            "cn election 16 of 20 is 4/5",
            {"type_codes": frozenset({"election"}), "voting_present": 16},
            "cn.election.quorum",
            False,
        ),
        (
            "cn election 17 of 20",
            {"type_codes": frozenset({"election"}), "voting_present": 17},
            "cn.election.quorum",
            True,
        ),
        (
            "vn regular 89 minutes",
            {"jurisdiction": "VN", "type_codes": frozenset({"regular_meeting"}), "duration_minutes": 89},
            "vn.chibo.duration",
            False,
        ),
        (
            "vn regular 90 minutes",
            {"jurisdiction": "VN", "type_codes": frozenset({"regular_meeting"}), "duration_minutes": 90},
            "vn.chibo.duration",
            True,
        ),
        (
            "vn combined 119 minutes",
            {
                "jurisdiction": "VN",
                "type_codes": frozenset({"regular_meeting", "thematic_meeting"}),
                "duration_minutes": 119,
            },
            "vn.chibo.duration",
            False,
        ),
        (
            "vn combined 120 minutes",
            {
                "jurisdiction": "VN",
                "type_codes": frozenset({"regular_meeting", "thematic_meeting"}),
                "duration_minutes": 120,
            },
            "vn.chibo.duration",
            True,
        ),
        (
            "vn regular without times",
            {"jurisdiction": "VN", "type_codes": frozenset({"regular_meeting"}), "duration_minutes": None},
            "vn.chibo.duration",
            False,
        ),
    ],
)
def test_meeting_checks(_case, overrides, rule_id, passed):
    finding = _by_rule(rules.check_meeting(_facts(**overrides)))[rule_id]
    assert finding.passed is passed
    assert finding.source == rules.RULES[rule_id].source


@pytest.mark.parametrize(
    ("_case", "overrides", "absent"),
    [
        ("party lecture has no quorum", {"type_codes": frozenset({"party_lecture"})}, "cn.gm.quorum"),
        ("theme day needs no first item", {"type_codes": frozenset({"theme_day"})}, "cn.meeting.first_item"),
        (
            "theme day needs no resolution",
            {"type_codes": frozenset({"theme_day"})},
            "meeting.resolution_present",
        ),
        (
            "vn has no cn quorum",
            {"jurisdiction": "VN", "type_codes": frozenset({"regular_meeting"})},
            "cn.gm.quorum",
        ),
        ("cn has no duration rule", {}, "vn.chibo.duration"),
    ],
)
def test_rules_apply_only_to_their_types_and_jurisdiction(_case, overrides, absent):
    assert absent not in _by_rule(rules.check_meeting(_facts(**overrides)))


@pytest.mark.parametrize(
    ("_case", "jurisdiction", "vote", "rule_id", "passed"),
    [
        ("cn motion 11 of 20", "CN", VoteFacts("motion", 20, 15, 11), "cn.gm.motion_pass", True),
        ("cn motion 10 of 20", "CN", VoteFacts("motion", 20, 15, 10), "cn.gm.motion_pass", False),
        ("cn motion without quorum", "CN", VoteFacts("motion", 20, 10, 10), "cn.gm.motion_pass", False),
        (
            "cn admission with written",
            "CN",
            VoteFacts("admission", 20, 15, 10, 1),
            "cn.recruit.admission_vote",
            True,
        ),
        ("cn motion ignores written", "CN", VoteFacts("motion", 20, 15, 10, 1), "cn.gm.motion_pass", False),
        (
            "cn conversion 10 of 20",
            "CN",
            VoteFacts("conversion", 20, 15, 10),
            "cn.recruit.admission_vote",
            False,
        ),
        ("vn admission 6 of 9", "VN", VoteFacts("admission", 9, 9, 6), "vn.vote.two_thirds", True),
        ("vn admission 5 of 9", "VN", VoteFacts("admission", 9, 9, 5), "vn.vote.two_thirds", False),
        ("vn conversion 14 of 20", "VN", VoteFacts("conversion", 20, 20, 14), "vn.vote.two_thirds", True),
        ("vn conversion 13 of 20", "VN", VoteFacts("conversion", 20, 20, 13), "vn.vote.two_thirds", False),
        ("vn motion 11 of 20", "VN", VoteFacts("motion", 20, 12, 11), "vn.resolution.majority", True),
        ("vn motion 10 of 20", "VN", VoteFacts("motion", 20, 12, 10), "vn.resolution.majority", False),
    ],
)
def test_vote_outcomes(_case, jurisdiction, vote, rule_id, passed):
    finding = rules.vote_outcome(jurisdiction=jurisdiction, vote=vote)
    assert (finding.rule_id, finding.passed) == (rule_id, passed)
    assert finding.strength == rules.OUTCOME
    assert finding.blocks is False


def test_election_quorum_only_in_cn():
    assert rules.election_quorum(jurisdiction="VN", election=ElectionFacts(10, 1)) is None
    assert rules.election_quorum(jurisdiction="CN", election=ElectionFacts(10, 9)).passed is True


@pytest.mark.parametrize(
    ("_case", "jurisdiction", "votes", "present", "eligible", "elected"),
    [
        ("cn more than half of present", "CN", 5, 9, 10, True),
        ("cn exactly half of present", "CN", 5, 10, 10, False),
        ("vn half of summoned", "VN", 5, 9, 10, False),
        ("vn more than half of summoned", "VN", 6, 9, 10, True),
    ],
)
def test_candidate_elected(_case, jurisdiction, votes, present, eligible, elected):
    assert (
        rules.candidate_elected(
            jurisdiction=jurisdiction, votes=votes, present_voters=present, eligible_voters=eligible
        )
        is elected
    )


def test_unresolved_keeps_failed_musts_and_unexplained_shoulds():
    findings = rules.check_meeting(_facts(voting_present=5, has_first_item=False))
    assert [f.rule_id for f in rules.unresolved(findings, {})] == ["cn.gm.quorum", "cn.meeting.first_item"]
    assert [f.rule_id for f in rules.unresolved(findings, {"cn.meeting.first_item": "专题会"})] == [
        "cn.gm.quorum"
    ]
    assert [f.rule_id for f in rules.unresolved(findings, {"cn.meeting.first_item": "  "})] == [
        "cn.gm.quorum",
        "cn.meeting.first_item",
    ]


def test_every_rule_names_a_source_and_a_known_strength():
    for rule in rules.RULES.values():
        assert rule.source
        assert rule.strength in {rules.MUST, rules.SHOULD, rules.OUTCOME}
        assert rule.jurisdictions <= {"CN", "VN"}
