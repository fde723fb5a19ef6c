"""
The rule checks of a meeting record, in one place (ADR 0006).

Pure functions over plain data: no Django, no clock, no translation. Each
rule names its id, strength, jurisdiction, the meeting types it applies
to, its source document and article and the confidence given in
``shared/domain/rulebook-research.md``. A check returns :class:`Finding`
rows with a message key and params; ``meetings/messages.py`` renders them.
Issue 4 moves these rules into the YAML rule engine; the numbers live here
until then.

Strengths: ``must`` blocks finalization; ``should`` needs a recorded
reason; ``outcome`` rules decide whether a vote or an election passed and
never block (a motion that fails is a legitimate record).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

MUST = "must"
SHOULD = "should"
OUTCOME = "outcome"

CN = "CN"
VN = "VN"
BOTH = frozenset({CN, VN})

# Meeting types of 三会一课 (CN): the "first agenda item" applies to them.
CN_THREE_MEETINGS_ONE_LESSON = frozenset(
    {"general_meeting", "committee_meeting", "group_meeting", "party_lecture"}
)
# Meetings that decide something: finalizing them needs a resolution.
DECIDING_TYPES = {
    CN: frozenset({"general_meeting", "committee_meeting", "org_life_meeting"}),
    VN: frozenset({"regular_meeting", "committee_meeting", "thematic_meeting"}),
}
ELECTION_TYPES = {CN: frozenset({"election"}), VN: frozenset({"congress"})}

# The numbers.
CN_GM_QUORUM = Fraction(1, 2)  # present voting members > 1/2 (条例 Art. 11)
CN_ELECTION_QUORUM = Fraction(4, 5)  # present voting members > 4/5 (选举条例)
CN_PASS = Fraction(1, 2)  # yes > 1/2 of 应到会有表决权 (条例 Art. 11; 细则 Art. 20)
VN_MAJORITY = Fraction(1, 2)  # yes > 1/2 (Điều lệ Art. 9(5))
VN_TWO_THIRDS = Fraction(2, 3)  # yes ≥ 2/3 of full members (Điều lệ Art. 4)
VN_MIN_MINUTES = 90  # HD 42-HD/BTCTW (2025)
VN_MIN_MINUTES_COMBINED = 120  # regular + thematic in one session (HD 42)


@dataclass(frozen=True)
class Rule:
    """One checkable rule with its provenance."""

    id: str
    strength: str
    jurisdictions: frozenset[str]
    applies_to: frozenset[str] | None  # meeting type codes; None: every meeting
    source: str
    confidence: str


@dataclass(frozen=True)
class Finding:
    """The outcome of one rule on one meeting or vote."""

    rule_id: str
    passed: bool
    strength: str
    message_key: str
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def blocks(self) -> bool:
        """A failed "must": the record cannot be sealed."""
        return not self.passed and self.strength == MUST

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON answers and audit events."""
        return {
            "rule_id": self.rule_id,
            "passed": self.passed,
            "strength": self.strength,
            "message_key": self.message_key,
            "params": dict(self.params),
            "source": self.source,
        }


def _rule(
    rule_id: str,
    strength: str,
    jurisdictions: Iterable[str],
    applies_to: Iterable[str] | None,
    source: str,
    confidence: str,
) -> Rule:
    return Rule(
        rule_id,
        strength,
        frozenset(jurisdictions),
        frozenset(applies_to) if applies_to is not None else None,
        source,
        confidence,
    )


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        _rule("cn.gm.quorum", MUST, [CN], ["general_meeting"], "中国共产党支部工作条例（试行） Art. 11", "H"),
        _rule(
            "cn.election.quorum", MUST, [CN], ["election"], "中国共产党基层组织选举工作条例 (art. n/c)", "M"
        ),
        _rule("cn.gm.motion_pass", OUTCOME, [CN], None, "中国共产党支部工作条例（试行） Art. 11", "H"),
        _rule("cn.recruit.admission_vote", OUTCOME, [CN], None, "中国共产党发展党员工作细则 Art. 20", "H"),
        _rule("cn.election.win", OUTCOME, [CN], None, "中国共产党基层组织选举工作条例 (art. n/c)", "M"),
        _rule("vn.resolution.majority", OUTCOME, [VN], None, "Điều lệ Đảng Art. 9(5); QĐ 24 mục 9.3", "H"),
        _rule("vn.vote.two_thirds", OUTCOME, [VN], None, "Điều lệ Đảng Art. 4; QĐ 29/24 mục 4.2(c)", "M"),
        _rule("vn.election.win", OUTCOME, [VN], None, "Điều lệ Đảng Art. 12(3)", "H"),
        _rule("vn.chibo.duration", SHOULD, [VN], ["regular_meeting"], "HD 42-HD/BTCTW (28/10/2025)", "H"),
        _rule(
            "meeting.attendance_recorded",
            MUST,
            BOTH,
            None,
            "orglife: records are evidence (ARCHITECTURE)",
            "platform",
        ),
        _rule(
            "meeting.minutes_present",
            MUST,
            BOTH,
            None,
            "orglife: records are evidence (ARCHITECTURE)",
            "platform",
        ),
        _rule(
            "meeting.resolution_present",
            MUST,
            BOTH,
            DECIDING_TYPES[CN] | DECIDING_TYPES[VN],
            "orglife: decisions become tracked tasks (seed 000)",
            "platform",
        ),
        _rule(
            "cn.meeting.first_item",
            SHOULD,
            [CN],
            CN_THREE_MEETINGS_ONE_LESSON,
            "第一议题 (seed document 003)",
            "LOCAL",
        ),
    )
}

# The rule that refuses a vote on two or more people at once, per jurisdiction.
ONE_PERSON_PER_VOTE_RULE = {CN: "cn.recruit.admission_vote", VN: "vn.vote.two_thirds"}


# --------------------------------------------------------------------- facts


@dataclass(frozen=True)
class VoteFacts:
    """A vote's tally as the rules see it."""

    kind: str
    eligible_voters: int
    present_voters: int
    votes_for: int
    written_for: int = 0


@dataclass(frozen=True)
class ElectionFacts:
    """An election's tally as the rules see it."""

    should_attend: int
    present_voters: int


@dataclass(frozen=True)
class MeetingFacts:
    """Everything the finalization checks look at, as plain data."""

    jurisdiction: str
    type_codes: frozenset[str]
    voting_expected: int
    voting_present: int
    pending_attendance: int
    has_minutes: bool
    agenda_items: int
    resolutions: int
    has_first_item: bool
    duration_minutes: int | None
    elections: tuple[ElectionFacts, ...] = ()


# ------------------------------------------------------------------- checks


def _finding(rule_id: str, passed: bool, message_key: str, **params: Any) -> Finding:
    rule = RULES[rule_id]
    return Finding(rule_id, passed, rule.strength, message_key, params, rule.source)


def _exceeds(count: int, fraction: Fraction, of: int) -> bool:
    """``count > fraction × of`` in exact arithmetic."""
    return Fraction(count) > fraction * of


def _applies(rule: Rule, facts: MeetingFacts) -> bool:
    if facts.jurisdiction not in rule.jurisdictions:
        return False
    return rule.applies_to is None or bool(rule.applies_to & facts.type_codes)


def vote_outcome(*, jurisdiction: str, vote: VoteFacts) -> Finding:
    """
    Whether a vote passed, by the rule of its jurisdiction and kind.

    CN: present voting members > 1/2 of those entitled to attend, and
    yes-votes (with absent members' written yes-opinions for admissions and
    conversions) > 1/2 of those entitled (条例 Art. 11; 细则 Art. 20).
    VN: admissions and conversions need ≥ 2/3 of the branch's full members
    (Điều lệ Art. 4); other motions > 1/2 (Điều lệ Art. 9(5)).
    """
    person_vote = vote.kind in ("admission", "conversion")
    if jurisdiction == CN:
        rule_id = "cn.recruit.admission_vote" if person_vote else "cn.gm.motion_pass"
        quorum = _exceeds(vote.present_voters, CN_GM_QUORUM, vote.eligible_voters)
        yes = vote.votes_for + (vote.written_for if person_vote else 0)
        passed = quorum and _exceeds(yes, CN_PASS, vote.eligible_voters)
        return _finding(
            rule_id,
            passed,
            "vote_passed" if passed else ("vote_no_quorum" if not quorum else "vote_failed_majority"),
            yes=yes,
            present=vote.present_voters,
            eligible=vote.eligible_voters,
        )
    if person_vote:
        passed = Fraction(vote.votes_for) >= VN_TWO_THIRDS * vote.eligible_voters
        return _finding(
            "vn.vote.two_thirds",
            passed,
            "vote_passed" if passed else "vote_failed_two_thirds",
            yes=vote.votes_for,
            present=vote.present_voters,
            eligible=vote.eligible_voters,
        )
    passed = _exceeds(vote.votes_for, VN_MAJORITY, vote.eligible_voters)
    return _finding(
        "vn.resolution.majority",
        passed,
        "vote_passed" if passed else "vote_failed_majority",
        yes=vote.votes_for,
        present=vote.present_voters,
        eligible=vote.eligible_voters,
    )


def election_quorum(*, jurisdiction: str, election: ElectionFacts) -> Finding | None:
    """CN: an election is valid only with more than 4/5 of those who should attend."""
    if jurisdiction != CN:
        return None
    passed = _exceeds(election.present_voters, CN_ELECTION_QUORUM, election.should_attend)
    return _finding(
        "cn.election.quorum",
        passed,
        "ok" if passed else "election_no_quorum",
        present=election.present_voters,
        expected=election.should_attend,
    )


def candidate_elected(*, jurisdiction: str, votes: int, present_voters: int, eligible_voters: int) -> bool:
    """
    CN: more than half of the voting members present (选举条例); VN: more
    than half of the full members summoned (Điều lệ Art. 12(3)).
    """
    if jurisdiction == CN:
        return _exceeds(votes, Fraction(1, 2), present_voters)
    return _exceeds(votes, Fraction(1, 2), eligible_voters)


def check_meeting(facts: MeetingFacts) -> list[Finding]:
    """Every finalization check that applies to the meeting, in rule order."""
    findings: list[Finding] = []
    if _applies(RULES["meeting.attendance_recorded"], facts):
        findings.append(
            _finding(
                "meeting.attendance_recorded",
                facts.pending_attendance == 0,
                "ok" if facts.pending_attendance == 0 else "attendance_pending",
                pending=facts.pending_attendance,
            )
        )
    if _applies(RULES["meeting.minutes_present"], facts):
        present = facts.has_minutes or facts.agenda_items > 0
        findings.append(_finding("meeting.minutes_present", present, "ok" if present else "minutes_missing"))
    if _applies(RULES["meeting.resolution_present"], facts) and (
        facts.type_codes & DECIDING_TYPES.get(facts.jurisdiction, frozenset())
    ):
        present = facts.resolutions > 0
        findings.append(
            _finding("meeting.resolution_present", present, "ok" if present else "resolution_missing")
        )
    if _applies(RULES["cn.gm.quorum"], facts):
        passed = _exceeds(facts.voting_present, CN_GM_QUORUM, facts.voting_expected)
        findings.append(
            _finding(
                "cn.gm.quorum",
                passed,
                "ok" if passed else "gm_no_quorum",
                present=facts.voting_present,
                expected=facts.voting_expected,
            )
        )
    if _applies(RULES["cn.election.quorum"], facts) or (facts.jurisdiction == CN and facts.elections):
        elections = facts.elections or (ElectionFacts(facts.voting_expected, facts.voting_present),)
        for election in elections:
            finding = election_quorum(jurisdiction=facts.jurisdiction, election=election)
            if finding is not None:
                findings.append(finding)
    if _applies(RULES["vn.chibo.duration"], facts):
        combined = "thematic_meeting" in facts.type_codes
        minimum = VN_MIN_MINUTES_COMBINED if combined else VN_MIN_MINUTES
        minutes = facts.duration_minutes or 0
        passed = facts.duration_minutes is not None and minutes >= minimum
        findings.append(
            _finding(
                "vn.chibo.duration",
                passed,
                "ok" if passed else ("duration_combined_short" if combined else "duration_short"),
                minutes=minutes,
                minimum=minimum,
            )
        )
    if _applies(RULES["cn.meeting.first_item"], facts):
        findings.append(
            _finding(
                "cn.meeting.first_item",
                facts.has_first_item,
                "ok" if facts.has_first_item else "first_item_missing",
            )
        )
    return findings


def unresolved(findings: Iterable[Finding], reasons: dict[str, str]) -> list[Finding]:
    """
    The findings that stop finalization: every failed "must", and every
    failed "should" without a non-blank reason recorded for its rule id.
    """
    stopping = []
    for finding in findings:
        if finding.passed or finding.strength == OUTCOME:
            continue
        if finding.strength == SHOULD and (reasons.get(finding.rule_id) or "").strip():
            continue
        stopping.append(finding)
    return stopping
