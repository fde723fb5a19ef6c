"""
The seed list of activity (meeting) types per jurisdiction.

The rows live in ``meetings.ActivityType`` (seeded by a data migration, so
an administrator can add local types without code); this module is the
seed and the vocabulary of codes the rule checks refer to.
"""

from __future__ import annotations

from typing import Any

# CN codes
GENERAL_MEETING = "general_meeting"
COMMITTEE_MEETING = "committee_meeting"
GROUP_MEETING = "group_meeting"
PARTY_LECTURE = "party_lecture"
THEME_DAY = "theme_day"
ORG_LIFE_MEETING = "org_life_meeting"
DEMOCRATIC_EVALUATION = "democratic_evaluation"
HEART_TALK = "heart_talk"
THEMATIC_LIFE = "thematic_life"
ELECTION = "election"
# VN codes (committee_meeting and group_meeting are shared spellings)
REGULAR_MEETING = "regular_meeting"
THEMATIC_MEETING = "thematic_meeting"
REVIEW_MEETING = "review_meeting"
CONGRESS = "congress"

ACTIVITY_TYPES: list[dict[str, Any]] = [
    # China (CPC): 三会一课 and the other forms of organizational life.
    {
        "jurisdiction": "CN",
        "code": GENERAL_MEETING,
        "names": {
            "en": "Branch general meeting",
            "zh-hans": "支部党员大会",
            "zh-hant": "支部黨員大會",
            "vi": "Hội nghị đảng viên chi bộ",
        },
    },
    {
        "jurisdiction": "CN",
        "code": COMMITTEE_MEETING,
        "names": {
            "en": "Branch committee meeting",
            "zh-hans": "支委会",
            "zh-hant": "支委會",
            "vi": "Họp chi ủy",
        },
    },
    {
        "jurisdiction": "CN",
        "code": GROUP_MEETING,
        "names": {
            "en": "Party group meeting",
            "zh-hans": "党小组会",
            "zh-hant": "黨小組會",
            "vi": "Sinh hoạt tổ đảng",
        },
    },
    {
        "jurisdiction": "CN",
        "code": PARTY_LECTURE,
        "names": {
            "en": "Party lecture",
            "zh-hans": "党课",
            "zh-hant": "黨課",
            "vi": "Bài giảng lý luận chính trị",
        },
    },
    {
        "jurisdiction": "CN",
        "code": THEME_DAY,
        "names": {
            "en": "Theme party day",
            "zh-hans": "主题党日",
            "zh-hant": "主題黨日",
            "vi": "Ngày sinh hoạt đảng theo chủ đề",
        },
    },
    {
        "jurisdiction": "CN",
        "code": ORG_LIFE_MEETING,
        "names": {
            "en": "Organizational life meeting",
            "zh-hans": "组织生活会",
            "zh-hant": "組織生活會",
            "vi": "Hội nghị sinh hoạt tổ chức",
        },
    },
    {
        "jurisdiction": "CN",
        "code": DEMOCRATIC_EVALUATION,
        "names": {
            "en": "Democratic evaluation of members",
            "zh-hans": "民主评议党员",
            "zh-hant": "民主評議黨員",
            "vi": "Đánh giá dân chủ đảng viên",
        },
    },
    {
        "jurisdiction": "CN",
        "code": HEART_TALK,
        "names": {
            "en": "Heart-to-heart talk",
            "zh-hans": "谈心谈话",
            "zh-hant": "談心談話",
            "vi": "Trò chuyện tâm tình",
        },
    },
    {
        "jurisdiction": "CN",
        "code": THEMATIC_LIFE,
        "names": {
            "en": "Thematic organizational life",
            "zh-hans": "专题组织生活",
            "zh-hant": "專題組織生活",
            "vi": "Sinh hoạt tổ chức chuyên đề",
        },
    },
    {
        "jurisdiction": "CN",
        "code": ELECTION,
        "names": {
            "en": "Election (change of term)",
            "zh-hans": "换届选举",
            "zh-hant": "換屆選舉",
            "vi": "Bầu cử (chuyển nhiệm kỳ)",
        },
    },
    # Vietnam (CPV): sinh hoạt chi bộ.
    {
        "jurisdiction": "VN",
        "code": REGULAR_MEETING,
        "names": {
            "en": "Regular branch meeting",
            "zh-hans": "支部定期生活会",
            "zh-hant": "支部定期生活會",
            "vi": "Sinh hoạt chi bộ định kỳ",
        },
    },
    {
        "jurisdiction": "VN",
        "code": COMMITTEE_MEETING,
        "names": {
            "en": "Branch committee meeting",
            "zh-hans": "支委会",
            "zh-hant": "支委會",
            "vi": "Họp chi ủy",
        },
    },
    {
        "jurisdiction": "VN",
        "code": THEMATIC_MEETING,
        "names": {
            "en": "Thematic meeting",
            "zh-hans": "专题生活会",
            "zh-hant": "專題生活會",
            "vi": "Sinh hoạt chuyên đề",
        },
    },
    {
        "jurisdiction": "VN",
        "code": GROUP_MEETING,
        "names": {
            "en": "Party group meeting",
            "zh-hans": "党小组会",
            "zh-hant": "黨小組會",
            "vi": "Sinh hoạt tổ đảng",
        },
    },
    {
        "jurisdiction": "VN",
        "code": REVIEW_MEETING,
        "names": {"en": "Review meeting", "zh-hans": "检讨会", "zh-hant": "檢討會", "vi": "Kiểm điểm"},
    },
    {
        "jurisdiction": "VN",
        "code": CONGRESS,
        "names": {
            "en": "Branch congress (election)",
            "zh-hans": "支部代表大会（选举）",
            "zh-hant": "支部代表大會（選舉）",
            "vi": "Đại hội chi bộ (bầu cử)",
        },
    },
]
