"""
Planning the organization tree of a demo province (no database).

CN: 中共河南省委 → 中共兰考县委 → 中共兰考县城关镇委员会 → 张庄村党支部 → 第一党小组.
VN: Đảng bộ tỉnh Nam Định → Huyện ủy Ý Yên → Đảng ủy xã Yên Bằng → Chi bộ xóm 3 → Tổ đảng số 1.

``small`` is one province with two districts and about twelve branches;
``province`` is the Nam Định shape (15 district-level committees, 921
grassroots organizations, 4,293 branches under grassroots committees,
110,300 members), optionally scaled down for tests.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from orglife.orgs.choices import BRANCH_KINDS, OrgKind

# Nam Định published figures (SEEDS-DIGEST 004).
PROVINCE_DISTRICTS = 15
PROVINCE_GRASSROOTS = 921
PROVINCE_BRANCHES = 4293
PROVINCE_MEMBERS = 110_300
SMALL_MEMBERS = 250
BRANCH_MEMBERS_MIN = 10
BRANCH_MEMBERS_MAX = 60
PARTY_GROUP_THRESHOLD = 20  # branches with at least this many members get party groups

CN_ORDINALS = "一二三四五六七八九十"


@dataclass(slots=True, eq=False)
class OrgNode:
    """One planned organization; ``members`` is set on branches only."""

    code: str
    name: str
    short_name: str
    kind: str
    category: str = ""  # village, ward, agency, school, health, enterprise, forces, group, committee
    locality: str = ""  # place used in work units ("城关镇", "Yên Bằng")
    place: str = ""  # native-place label of people born here
    area_code: str = ""  # CN area code or VN province code of people born here
    unit: str = ""  # employer of an institutional branch
    members: int = 0
    children: list[OrgNode] = field(default_factory=list)

    @property
    def holds_members(self) -> bool:
        """True for branches and grassroots branches (people belong to them)."""
        return self.kind in BRANCH_KINDS

    def walk(self) -> Iterator[OrgNode]:
        """This node and every descendant, parents before children (tree order)."""
        yield self
        for child in self.children:
            yield from child.walk()

    def branches(self) -> Iterator[OrgNode]:
        """Every member-holding organization in this subtree, in tree order."""
        return (node for node in self.walk() if node.holds_members)


def allocate(
    rng: random.Random, total: int, weights: list[float], lo: int | list[int], hi: int | list[int]
) -> list[int]:
    """
    Split ``total`` into ``len(weights)`` integers near the weights' shares,
    each within its [lo, hi] bounds (relaxed when the bounds cannot be met).
    """
    n = len(weights)
    los = list(lo) if isinstance(lo, list) else [lo] * n
    his = list(hi) if isinstance(hi, list) else [hi] * n
    if total < sum(los):
        los = [min(value, total // n) for value in los]
    if total > sum(his):
        his = [max(value, math.ceil(total / n)) for value in his]
    scale = sum(weights) or 1.0
    counts = [min(his[i], max(los[i], round(total * w / scale))) for i, w in enumerate(weights)]
    diff = total - sum(counts)
    while diff:
        i = rng.randrange(n)
        if diff > 0 and counts[i] < his[i]:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > los[i]:
            counts[i] -= 1
            diff += 1
    return counts


@dataclass(frozen=True)
class DistrictSpec:
    """A district-level committee: its names, code and the places below it."""

    name: str
    short_name: str
    code: str
    area_code: str
    place: str
    style: str  # county / city (CN); district / city / bloc (VN)
    localities: tuple[str, ...] = ()
    weight: float = 1.0  # share of the province's grassroots organizations
    committee_share: float = 0.35  # grassroots committees among its grassroots organizations


# --- China: 河南省 ------------------------------------------------------------

_CN_TOWN_CHARS = "东西南北新古双柳杨白石高黄青红金清永兴安和平丰桥河湖山岗集寨营店庙楼屯台坡湾园林泉"
_CN_VILLAGE_SUFFIX = "庄寨营楼集屯岗店庙湾园洼坡桥"
_CN_VILLAGE_SURNAMES = "张王李刘陈杨赵黄周吴徐孙马朱胡郭何高罗郑梁宋韩冯曹彭田董袁蒋于杜程魏吕丁任姚崔"

CN_DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec("中共兰考县委", "兰考县委", "01", "410225", "河南兰考", "county",
                 ("城关镇", "东坝头镇", "堌阳镇", "南彰镇", "考城镇", "红庙镇", "谷营镇", "仪封乡"), 1.0),
    DistrictSpec("中共新郑市委", "新郑市委", "02", "410184", "河南新郑", "county",
                 ("新建路街道", "龙湖镇", "新村镇", "辛店镇", "观音寺镇", "梨河镇", "和庄镇", "薛店镇"), 1.1),
    DistrictSpec("中共巩义市委", "巩义市委", "03", "410181", "河南巩义", "county",
                 ("孝义街道", "米河镇", "竹林镇", "站街镇", "回郭镇"), 1.0),
    DistrictSpec("中共荥阳市委", "荥阳市委", "04", "410182", "河南荥阳", "county",
                 ("索河街道", "广武镇", "高村乡", "汜水镇"), 0.9),
    DistrictSpec("中共新密市委", "新密市委", "05", "410183", "河南新密", "county",
                 ("青屏街街道", "超化镇", "大隗镇", "刘寨镇"), 0.9),
    DistrictSpec("中共登封市委", "登封市委", "06", "410185", "河南登封", "county",
                 ("嵩阳街道", "大金店镇", "告成镇", "卢店镇"), 0.9),
    DistrictSpec("中共中牟县委", "中牟县委", "07", "410122", "河南中牟", "county",
                 ("城关镇", "官渡镇", "狼城岗镇", "韩寺镇"), 1.0),
    DistrictSpec("中共杞县县委", "杞县县委", "08", "410221", "河南杞县", "county",
                 ("城关镇", "五里河镇", "傅集镇", "圉镇镇"), 1.1),
    DistrictSpec("中共通许县委", "通许县委", "09", "410222", "河南通许", "county",
                 ("城关镇", "竖岗镇", "玉皇庙镇", "四所楼镇"), 0.9),
    DistrictSpec("中共尉氏县委", "尉氏县委", "10", "410223", "河南尉氏", "county",
                 ("城关镇", "洧川镇", "朱曲镇", "蔡庄镇"), 1.0),
    DistrictSpec("中共滑县县委", "滑县县委", "11", "410526", "河南滑县", "county",
                 ("道口镇", "城关镇", "白道口镇", "留固镇"), 1.3),
    DistrictSpec("中共内黄县委", "内黄县委", "12", "410527", "河南内黄", "county",
                 ("城关镇", "东庄镇", "井店镇", "梁庄镇"), 1.0),
    DistrictSpec("中共林州市委", "林州市委", "13", "410581", "河南林州", "county",
                 ("开元街道", "姚村镇", "任村镇", "临淇镇"), 1.1),
    DistrictSpec("中共汤阴县委", "汤阴县委", "14", "410523", "河南汤阴", "county",
                 ("城关镇", "菜园镇", "任固镇", "宜沟镇"), 0.8),
    DistrictSpec("中共长垣市委", "长垣市委", "15", "410783", "河南长垣", "county",
                 ("蒲东街道", "丁栾镇", "樊相镇", "恼里镇"), 1.0),
)  # fmt: skip

_CN_COUNTY_UNITS = (
    "人民医院", "中医院", "妇幼保健院", "第一高级中学", "第二高级中学", "第一初级中学", "实验小学",
    "职业教育中心", "财政局", "教育局", "卫生健康委员会", "农业农村局", "自然资源局",
    "住房和城乡建设局", "交通运输局", "水利局", "商务局", "民政局", "人力资源和社会保障局",
    "市场监督管理局", "统计局", "审计局", "司法局", "文化广电和旅游局", "应急管理局", "税务局",
    "供电公司", "农村信用合作联社", "邮政分公司", "融媒体中心", "第三高级中学", "第二初级中学",
    "第三初级中学", "第二实验小学", "特殊教育学校", "发展和改革委员会", "工业和信息化局", "科学技术局",
    "公安局", "人民法院", "人民检察院", "林业局", "粮食和物资储备局", "医疗保障局", "退役军人事务局",
    "信访局", "城市管理局", "烟草专卖局", "气象局", "住房公积金管理中心", "疾病预防控制中心",
    "产业集聚区管理委员会", "总工会", "妇女联合会", "档案馆", "图书馆",
)  # fmt: skip


def _cn_county(spec: DistrictSpec) -> str:
    """中共兰考县委 -> 兰考县; 中共滑县县委 -> 滑县."""
    county = spec.name.removeprefix("中共").removesuffix("委")
    return county[:-1] if county.endswith("县县") else county


# --- Vietnam: Nam Định --------------------------------------------------------

_VN_SUFFIXES = [
    "Bằng",
    "Tiến",
    "Thắng",
    "Phong",
    "Khang",
    "Ninh",
    "Lương",
    "Dương",
    "Lộc",
    "Phúc",
    "Cường",
    "Hồng",
    "Quang",
    "Chính",
    "Bình",
    "Trị",
    "Nhân",
    "Đồng",
    "Thọ",
    "Trung",
    "Thành",
    "Hưng",
    "Khánh",
    "Lợi",
    "Tân",
    "An",
    "Hòa",
    "Hải",
    "Minh",
    "Sơn",
    "Thịnh",
    "Lạc",
    "Phú",
    "Châu",
    "Vinh",
    "Long",
    "Hà",
    "Thủy",
    "Tây",
    "Đông",
    "Bắc",
    "Mỹ",
    "Nghĩa",
    "Xá",
    "Hùng",
    "Đạo",
    "Thái",
    "Tiến",
    "Hiệp",
    "Trạch",
    "Kiên",
]

VN_DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec("Thành ủy Nam Định", "Thành ủy Nam Định", "TP", "036", "Nam Định", "city",
                 ("Lộc Hạ", "Vị Xuyên", "Trần Hưng Đạo", "Năng Tĩnh", "Bà Triệu", "Cửa Bắc", "Cửa Nam",
                  "Lộc Vượng", "Trường Thi", "Văn Miếu", "Hạ Long", "Ngô Quyền", "Quang Trung",
                  "Thống Nhất", "Vị Hoàng", "Phan Đình Phùng", "Trần Tế Xương", "Trần Đăng Ninh",
                  "Lộc Hòa", "Mỹ Xá", "Nam Phong", "Nam Vân"), 1.4, 0.3),
    DistrictSpec("Huyện ủy Mỹ Lộc", "Mỹ Lộc", "ML", "036", "Mỹ Lộc, Nam Định", "district:Mỹ", (), 0.45, 0.35),
    DistrictSpec("Huyện ủy Vụ Bản", "Vụ Bản", "VB", "036", "Vụ Bản, Nam Định", "district",
                 ("Liên Minh", "Đại Thắng", "Hiển Khánh", "Kim Thái", "Tam Thanh", "Cộng Hòa", "Minh Tân",
                  "Trung Thành", "Quang Trung", "Thành Lợi", "Tân Khánh", "Hợp Hưng", "Đại An",
                  "Vĩnh Hào", "Liên Bảo", "Minh Thuận", "Tân Thành"), 0.8, 0.35),
    DistrictSpec("Huyện ủy Ý Yên", "Ý Yên", "YY", "036", "Ý Yên, Nam Định", "district:Yên",
                 ("Yên Bằng", "Yên Tiến", "Yên Thắng", "Yên Phong", "Yên Khang", "Yên Ninh"), 1.3, 0.33),
    DistrictSpec("Huyện ủy Nghĩa Hưng", "Nghĩa Hưng", "NH", "036", "Nghĩa Hưng, Nam Định", "district:Nghĩa",
                 (), 1.1, 0.33),
    DistrictSpec("Huyện ủy Nam Trực", "Nam Trực", "NT", "036", "Nam Trực, Nam Định", "district:Nam", (), 1.0, 0.33),
    DistrictSpec("Huyện ủy Trực Ninh", "Trực Ninh", "TN", "036", "Trực Ninh, Nam Định", "district:Trực",
                 (), 0.95, 0.33),
    DistrictSpec("Huyện ủy Xuân Trường", "Xuân Trường", "XT", "036", "Xuân Trường, Nam Định", "district:Xuân",
                 (), 0.85, 0.33),
    DistrictSpec("Huyện ủy Giao Thủy", "Giao Thủy", "GT", "036", "Giao Thủy, Nam Định", "district:Giao",
                 (), 0.95, 0.33),
    DistrictSpec("Huyện ủy Hải Hậu", "Hải Hậu", "HH", "036", "Hải Hậu, Nam Định", "district:Hải", (), 1.35, 0.33),
    DistrictSpec("Đảng ủy Khối các cơ quan tỉnh", "Khối Cơ quan", "CQ", "036", "Nam Định", "bloc:agency", (),
                 1.3, 0.3),
    DistrictSpec("Đảng ủy Khối Doanh nghiệp tỉnh", "Khối Doanh nghiệp", "DN", "036", "Nam Định",
                 "bloc:enterprise", (), 1.1, 0.3),
    DistrictSpec("Đảng ủy Quân sự tỉnh", "Quân sự tỉnh", "QS", "036", "Nam Định", "bloc:military", (), 0.32, 0.5),
    DistrictSpec("Đảng ủy Công an tỉnh", "Công an tỉnh", "CA", "036", "Nam Định", "bloc:police", (), 0.35, 0.5),
    DistrictSpec("Đảng ủy Bộ đội Biên phòng tỉnh", "Biên phòng tỉnh", "BP", "036", "Nam Định", "bloc:border",
                 (), 0.15, 0.5),
)  # fmt: skip

_VN_DEPARTMENTS = (
    "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp", "Sở Xây dựng",
    "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ", "Văn phòng UBND tỉnh", "Văn phòng Tỉnh ủy", "Bệnh viện Đa khoa tỉnh",
    "Bệnh viện Nhi", "Bệnh viện Phụ sản", "Bệnh viện Y học cổ truyền", "Trường Chính trị Trường Chinh",
    "Đài Phát thanh và Truyền hình", "Báo Nam Định", "Thanh tra tỉnh", "Kho bạc Nhà nước tỉnh",
    "Cục Thuế tỉnh", "Bảo hiểm xã hội tỉnh", "Ngân hàng Nhà nước chi nhánh tỉnh",
    "Trường THPT chuyên Lê Hồng Phong", "Trường THPT Trần Hưng Đạo", "Trường THPT Nguyễn Khuyến",
    "Trường THPT Lương Thế Vinh", "Trường THPT Tống Văn Trân", "Trường THPT Ngô Quyền",
    "Trường Cao đẳng Sư phạm", "Trường Cao đẳng Y tế", "Trung tâm Kiểm soát bệnh tật tỉnh",
    "Trường THPT Lê Quý Đôn", "Trường THPT Nguyễn Huệ", "Trường THPT Trần Văn Bảo", "Trường THPT Mỹ Lộc",
    "Trường THPT Giao Thủy", "Trường THPT A Hải Hậu", "Trường THPT B Hải Hậu", "Trường THPT Xuân Trường",
    "Trường THPT A Nghĩa Hưng", "Trường THPT Nam Trực", "Trường THPT Trực Ninh", "Trường THPT Vụ Bản",
    "Trường THPT Mỹ Tho", "Trường THPT Đại An", "Trường THPT Phạm Văn Nghị", "Trường THPT Lý Tự Trọng",
    "Trường THPT Hoàng Văn Thụ", "Trường THPT Quang Trung", "Trường THPT Nguyễn Trãi", "Trường THPT An Phúc",
    "Chi cục Thủy lợi", "Chi cục Kiểm lâm", "Chi cục Thủy sản", "Chi cục Bảo vệ thực vật",
    "Chi cục Chăn nuôi và Thú y", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "Chi cục Dân số",
    "Chi cục Văn thư – Lưu trữ", "Chi cục Phát triển nông thôn", "Chi cục Quản lý đất đai",
    "Ban Quản lý các khu công nghiệp", "Liên minh Hợp tác xã tỉnh", "Hội Nông dân tỉnh", "Tỉnh đoàn",
    "Hội Liên hiệp Phụ nữ tỉnh", "Liên đoàn Lao động tỉnh", "Ủy ban MTTQ tỉnh", "Hội Cựu chiến binh tỉnh",
    "Thư viện tỉnh", "Bảo tàng tỉnh", "Trung tâm Xúc tiến đầu tư", "Quỹ Đầu tư phát triển",
    "Ban Quản lý dự án xây dựng", "Trung tâm Công nghệ thông tin", "Trung tâm Dịch vụ việc làm",
)  # fmt: skip
_VN_ENTERPRISE_TRADES = (
    "Dệt may",
    "Cơ khí",
    "Xây dựng",
    "Thương mại",
    "Vận tải",
    "Nước sạch",
    "Thủy sản",
    "May",
    "Dược phẩm",
    "Điện lực",
    "In",
    "Giống cây trồng",
    "Công trình giao thông",
)
_VN_ENTERPRISE_NAMES = (
    "Thành Nam",
    "Sông Hồng",
    "Nam Hà",
    "Vị Hoàng",
    "Thiên Trường",
    "Hồng Đức",
    "Trường An",
    "Phú Hưng",
    "Nam Phong",
    "Bảo Minh",
    "Hải Thịnh",
    "Đông Á",
)
_VN_WORKPLACE_UNITS = (
    "Tổ chức – Hành chính",
    "Kế hoạch – Tài chính",
    "Nghiệp vụ",
    "Kỹ thuật",
    "Kinh doanh",
    "Thanh tra",
    "Tổng hợp",
    "Phân xưởng số 1",
    "Phân xưởng số 2",
    "Khoa Nội",
    "Khoa Ngoại",
    "Khoa Cấp cứu",
    "Tổ Văn",
    "Tổ Toán",
    "Đội Xe",
    "Văn phòng",
)
_VN_DISTRICT_UNITS = (
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Phòng Tài chính – Kế hoạch",
    "Phòng Kinh tế – Hạ tầng",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Văn hóa và Thông tin",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế",
    "Trung tâm Y tế",
    "Chi cục Thuế",
    "Kho bạc Nhà nước",
    "Bảo hiểm xã hội",
    "Ngân hàng Chính sách xã hội",
    "Trung tâm Văn hóa – Thể thao",
    "Hội Nông dân",
    "Trường THPT A",
    "Trường THPT B",
    "Trường THPT C",
    "Trung tâm GDNN – GDTX",
)
_VN_BORDER_POSTS = ("Giao Thiện", "Hải Thịnh", "Nghĩa Phúc", "Cồn Lu", "Hải Lý", "Bạch Long")


def _cn_village(rng: random.Random, used: set[str]) -> str:
    for _attempt in range(50):
        if rng.random() < 0.6:
            name = rng.choice(_CN_VILLAGE_SURNAMES) + rng.choice(_CN_VILLAGE_SUFFIX)
        else:
            name = rng.choice(_CN_TOWN_CHARS) + rng.choice(_CN_VILLAGE_SUFFIX)
        if name not in used:
            used.add(name)
            return name
    name = f"新{len(used) + 1}"
    used.add(name)
    return name


def _unique(rng: random.Random, make: list[str], used: set[str], fallback: str) -> str:
    rng.shuffle(make)
    for name in make:
        if name not in used:
            used.add(name)
            return name
    name = f"{fallback} số {len(used) + 1}"
    used.add(name)
    return name


class _Planner:
    """Builds one jurisdiction's tree; all randomness comes from ``rng``."""

    def __init__(self, jurisdiction: str, rng: random.Random) -> None:
        self.jurisdiction = jurisdiction
        self.rng = rng

    # -- names ------------------------------------------------------------
    def root(self) -> OrgNode:
        if self.jurisdiction == "CN":
            return OrgNode("CN-HN", "中共河南省委", "河南省委", OrgKind.PROVINCE_COMMITTEE, "committee",
                           "郑州市", "河南郑州", "410102")  # fmt: skip
        return OrgNode("VN-ND", "Đảng bộ tỉnh Nam Định", "Tỉnh ủy Nam Định", OrgKind.PROVINCE_COMMITTEE,
                       "committee", "Nam Định", "Nam Định", "036")  # fmt: skip

    def district(self, spec: DistrictSpec) -> OrgNode:
        prefix = "CN-HN" if self.jurisdiction == "CN" else "VN-ND"
        return OrgNode(f"{prefix}-{spec.code}", spec.name, spec.short_name, OrgKind.DISTRICT_COMMITTEE,
                       "committee", spec.short_name, spec.place, spec.area_code)  # fmt: skip

    def localities(self, spec: DistrictSpec, count: int) -> list[str]:
        """``count`` distinct commune/town names for a territorial district."""
        names = list(spec.localities[:count])
        used = set(names)
        misses = 0
        while len(names) < count:
            if self.jurisdiction == "CN":
                kind = "乡" if self.rng.random() < 0.2 else "镇"
                name = self.rng.choice(_CN_TOWN_CHARS) + self.rng.choice(_CN_TOWN_CHARS) + kind
            elif ":" in spec.style and misses < 30:  # "Yên Bằng", "Hải Minh": the district's prefix
                name = f"{spec.style.split(':')[1]} {self.rng.choice(_VN_SUFFIXES)}"
            else:
                name = f"{self.rng.choice(_VN_SUFFIXES)} {self.rng.choice(_VN_SUFFIXES)}"
            words = name.split()
            if name not in used and (len(words) == 1 or words[0] != words[-1]):
                used.add(name)
                names.append(name)
            else:
                misses += 1
        return names

    def grassroots_committee(
        self, spec: DistrictSpec, district: OrgNode, locality: str, index: int
    ) -> OrgNode:
        code = f"{district.code}-{index:02d}"
        if self.jurisdiction == "CN":
            county = _cn_county(spec)
            if locality.endswith("街道"):
                name, short, category = f"中共{county}{locality}工作委员会", f"{locality}党工委", "ward"
            else:
                name, short, category = f"中共{county}{locality}委员会", f"{locality}党委", "village"
            return OrgNode(code, name, short, OrgKind.GRASSROOTS_COMMITTEE, category, locality, spec.place,
                           spec.area_code)  # fmt: skip
        bloc = spec.style.split(":")[1] if spec.style.startswith("bloc") else ""
        place = f"{locality}, {spec.place}" if not bloc else spec.place
        if bloc == "agency":
            return OrgNode(code, f"Đảng bộ {locality}", locality, OrgKind.GRASSROOTS_COMMITTEE, "agency", "Nam Định",
                           place, spec.area_code, unit=locality)  # fmt: skip
        if bloc == "enterprise":
            return OrgNode(code, f"Đảng bộ {locality}", locality, OrgKind.GRASSROOTS_COMMITTEE, "enterprise",
                           "Nam Định", place, spec.area_code, unit=locality)  # fmt: skip
        if bloc:
            return OrgNode(code, f"Đảng bộ {locality}", locality, OrgKind.GRASSROOTS_COMMITTEE, "forces", "Nam Định",
                           place, spec.area_code, unit=locality)  # fmt: skip
        ward = spec.style == "city"
        label = f"phường {locality}" if ward else f"xã {locality}"
        return OrgNode(code, f"Đảng ủy {label}", label[0].upper() + label[1:], OrgKind.GRASSROOTS_COMMITTEE,
                       "ward" if ward else "village", locality, place, spec.area_code)  # fmt: skip

    def bloc_units(self, spec: DistrictSpec, count: int) -> list[str]:
        """Names of the workplaces under a VN bloc committee (Khối, forces)."""
        bloc = spec.style.split(":")[1]
        used: set[str] = set()
        units = []
        for _ in range(count):
            if bloc == "agency":
                units.append(_unique(self.rng, list(_VN_DEPARTMENTS), used, "Đơn vị"))
            elif bloc == "enterprise":
                options = [
                    f"Công ty {kind} {trade} {name}"
                    for kind in ("CP", "TNHH")
                    for trade in _VN_ENTERPRISE_TRADES
                    for name in _VN_ENTERPRISE_NAMES
                ]
                units.append(_unique(self.rng, options[:], used, "Công ty"))
            elif bloc == "military":
                options = [f"Ban Chỉ huy Quân sự huyện {d.short_name}" for d in VN_DISTRICTS[1:10]]
                options += ["Ban Chỉ huy Quân sự thành phố Nam Định", "Trung đoàn 832", "Tiểu đoàn Bộ binh"]
                units.append(_unique(self.rng, options, used, "Đơn vị quân sự"))
            elif bloc == "police":
                options = [f"Công an huyện {d.short_name}" for d in VN_DISTRICTS[1:10]]
                options += ["Công an thành phố Nam Định", "Phòng Cảnh sát giao thông", "Phòng Cảnh sát hình sự",
                            "Phòng An ninh chính trị nội bộ", "Phòng Cảnh sát PCCC"]  # fmt: skip
                units.append(_unique(self.rng, options, used, "Đơn vị công an"))
            else:
                options = [f"Đồn Biên phòng {name}" for name in _VN_BORDER_POSTS] + ["Hải đội Biên phòng 2"]
                units.append(_unique(self.rng, options, used, "Đơn vị biên phòng"))
        return units

    def grassroots_branch(
        self, spec: DistrictSpec, district: OrgNode, index: int, used: set[str], schools: list[str]
    ) -> OrgNode:
        code = f"{district.code}-{index:02d}"
        if self.jurisdiction == "CN":
            county = _cn_county(spec)
            unit = _unique(self.rng, [county + u for u in _CN_COUNTY_UNITS], used, f"{county}非公企业")
            category = "school" if "中学" in unit or "小学" in unit or "中心" in unit else "agency"
            if "医院" in unit or "保健" in unit:
                category = "health"
            return OrgNode(code, f"中共{unit}支部委员会", f"{unit}党支部", OrgKind.GRASSROOTS_BRANCH, category,
                           county, spec.place, spec.area_code, unit=unit)  # fmt: skip
        if spec.style.startswith("bloc"):
            unit = schools.pop(0) if schools else f"Đơn vị số {index}"
        else:
            area = "thành phố Nam Định" if spec.style == "city" else f"huyện {spec.short_name}"
            options = [f"{u} {area}" for u in _VN_DISTRICT_UNITS] if self.rng.random() < 0.3 else []
            options += [
                f"Trường {level} {place}" for level in ("THCS", "Tiểu học", "Mầm non") for place in schools
            ]
            unit = _unique(self.rng, options, used, "Cơ quan")
        category = "school" if "Trường" in unit else "agency"
        return OrgNode(code, f"Chi bộ {unit}", unit, OrgKind.GRASSROOTS_BRANCH, category, spec.short_name,
                       spec.place, spec.area_code, unit=unit)  # fmt: skip

    def branches(self, committee: OrgNode, count: int) -> None:
        """Add ``count`` branches under a grassroots committee."""
        used: set[str] = set()
        institutions: list[tuple[str, str, str]]
        if self.jurisdiction == "CN":
            town = committee.locality
            institutions = [
                (f"{town}机关党支部", f"{town}人民政府" if "街道" not in town else f"{town}办事处", "agency"),
                (f"{town}中心学校党支部", f"{town}中心学校", "school"),
                (f"{town}卫生院党支部", f"{town}卫生院", "health"),
                ("退休党员党支部", "", "retired"),
                ("非公企业联合党支部", "", "enterprise"),
            ]
        elif committee.category in ("village", "ward"):
            label = committee.short_name[0].lower() + committee.short_name[1:]  # "xã Yên Bằng"
            institutions = [
                ("Chi bộ Cơ quan", f"UBND {label}", "agency"),
                ("Chi bộ Trạm Y tế", f"Trạm Y tế {label}", "health"),
                ("Chi bộ Quân sự", f"Ban Chỉ huy Quân sự {label}", "forces"),
                ("Chi bộ Công an", f"Công an {label}", "forces"),
            ]
        else:
            institutions = [(f"Chi bộ {unit}", f"{unit}, {committee.unit}", committee.category)
                            for unit in _VN_WORKPLACE_UNITS]  # fmt: skip
        territorial = committee.category in ("village", "ward")
        n_institutions = min(len(institutions), max(1, count // 4)) if territorial else count
        n_hamlets = count - n_institutions
        for index in range(1, count + 1):
            code = f"{committee.code}-{index:02d}"
            if index <= n_hamlets:
                if self.jurisdiction == "CN":
                    base = _cn_village(self.rng, used)
                    name = base + ("社区" if committee.category == "ward" else "村")
                    node = OrgNode(code, f"{name}党支部", f"{name}党支部", OrgKind.BRANCH, committee.category,
                                   committee.locality + base, committee.place, committee.area_code)  # fmt: skip
                else:
                    number = index
                    hamlet = f"tổ dân phố {number}" if committee.category == "ward" else f"xóm {number}"
                    node = OrgNode(code, f"Chi bộ {hamlet}", f"Chi bộ {hamlet}", OrgKind.BRANCH,
                                   committee.category, committee.locality, committee.place,
                                   committee.area_code)  # fmt: skip
            else:
                if index - n_hamlets - 1 < len(institutions):
                    name, unit, category = institutions[index - n_hamlets - 1]
                else:
                    name = f"第{index}党支部" if self.jurisdiction == "CN" else f"Chi bộ số {index}"
                    unit, category = committee.unit, committee.category
                node = OrgNode(code, name, name, OrgKind.BRANCH, category, committee.locality, committee.place,
                               committee.area_code, unit=unit)  # fmt: skip
            committee.children.append(node)

    def party_groups(self, branch: OrgNode) -> None:
        """Split a large branch into party groups (党小组 / tổ đảng)."""
        if branch.members < PARTY_GROUP_THRESHOLD:
            return
        count = min(5, max(2, round(branch.members / 12)))
        for number in range(1, count + 1):
            if self.jurisdiction == "CN":
                name, code = f"第{CN_ORDINALS[number - 1]}党小组", f"{branch.code}-G{number}"
            else:
                name, code = f"Tổ đảng số {number}", f"{branch.code}-T{number}"
            branch.children.append(
                OrgNode(
                    code,
                    name,
                    name,
                    OrgKind.PARTY_GROUP,
                    "group",
                    branch.locality,
                    branch.place,
                    branch.area_code,
                )  # fmt: skip
            )

    # -- shapes -----------------------------------------------------------
    def build(
        self,
        *,
        specs: list[DistrictSpec],
        grassroots: list[int],
        committees: list[int],
        branches_total: int,
        members_total: int,
        first_branch_min: int = BRANCH_MEMBERS_MIN,
        branch_counts: list[int] | None = None,
    ) -> OrgNode:
        """Assemble the tree: districts, grassroots organizations, branches, members, groups."""
        root = self.root()
        committee_nodes: list[OrgNode] = []
        for spec, n_grassroots, n_committees in zip(specs, grassroots, committees, strict=True):
            district = self.district(spec)
            root.children.append(district)
            if spec.style.startswith("bloc"):
                names = self.bloc_units(spec, n_grassroots)
                extra = names[n_committees:]
            else:
                names = self.localities(spec, n_committees + (n_grassroots - n_committees) // 3 + 1)
                extra = list(names)
            for index, locality in enumerate(names[:n_committees], start=1):
                node = self.grassroots_committee(spec, district, locality, index)
                district.children.append(node)
                committee_nodes.append(node)
            used: set[str] = set()
            for index in range(n_committees + 1, n_grassroots + 1):
                district.children.append(self.grassroots_branch(spec, district, index, used, extra))
        weights = [
            (1.4 if node.category == "village" else 1.0 if node.category == "ward" else 0.45)
            * self.rng.lognormvariate(0, 0.3)
            for node in committee_nodes
        ]
        counts = branch_counts or allocate(
            self.rng, branches_total, weights, 2 if branches_total >= 2 * len(weights) else 1, 40
        )
        for node, count in zip(committee_nodes, counts, strict=True):
            self.branches(node, count)
        holders = list(root.branches())
        member_weights = [
            {"village": 1.3, "ward": 1.0, "retired": 1.2, "school": 0.8, "health": 0.8}.get(
                node.category, 0.7
            )
            * self.rng.lognormvariate(0, 0.45)
            for node in holders
        ]
        lows = [BRANCH_MEMBERS_MIN] * len(holders)
        lows[0] = max(lows[0], first_branch_min)
        sizes = allocate(self.rng, members_total, member_weights, lows, BRANCH_MEMBERS_MAX)
        for node, size in zip(holders, sizes, strict=True):
            node.members = size
            self.party_groups(node)
        return root


def plan_tree(*, jurisdiction: str, size: str, seed: int, scale: float = 1.0) -> OrgNode:
    """
    Plan the organization tree of one demo province.

    The result depends only on the arguments: the same seed gives the same
    codes, names and sizes.
    """
    rng = random.Random(f"orglife-demo:{seed}:{jurisdiction}:tree")  # noqa: S311 - demo data
    planner = _Planner(jurisdiction, rng)
    specs_all = list(CN_DISTRICTS if jurisdiction == "CN" else VN_DISTRICTS)
    if size == "small":
        if jurisdiction == "CN":
            specs = specs_all[:2]
        else:
            specs = [specs_all[3], specs_all[0]]  # Ý Yên, then the city
        # district 1: two towns/communes; district 2: two, plus one grassroots branch
        return planner.build(
            specs=specs,
            grassroots=[2, 3],
            committees=[2, 2],
            branches_total=12,
            members_total=round(SMALL_MEMBERS * scale),
            first_branch_min=26,
            branch_counts=[3, 3, 3, 3],
        )
    n_districts = min(PROVINCE_DISTRICTS, max(2, round(PROVINCE_DISTRICTS * scale)))
    specs = specs_all[:n_districts]
    total_grassroots = max(2 * n_districts, round(PROVINCE_GRASSROOTS * scale))
    grassroots = allocate(rng, total_grassroots, [s.weight for s in specs], 2, 200)
    committees = [
        max(1, min(n - 1, round(n * s.committee_share))) for n, s in zip(grassroots, specs, strict=True)
    ]
    return planner.build(
        specs=specs,
        grassroots=grassroots,
        committees=committees,
        branches_total=max(sum(committees), round(PROVINCE_BRANCHES * scale)),
        members_total=round(PROVINCE_MEMBERS * scale),
        first_branch_min=26,
    )
