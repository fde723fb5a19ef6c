"""
Word lists and identity generators for plausible Chinese and Vietnamese people.

Surname weights follow published frequency tables (rounded); given names
depend on the birth decade so that a 1950s member is called 建国 or 秀英 and
a 2000s applicant 浩然 or 欣怡, and a Vietnamese woman of the 1960s is
"Thị" while her daughter is "Thu" or "Ngọc". Every generator takes a
``random.Random`` so that the caller controls determinism.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from orglife.people.idnumbers import cn_check_digit

# --- China -------------------------------------------------------------------

# (surname, weight ~ share of the population in per mille)
CN_SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 20),
    ("吴", 20), ("周", 19), ("徐", 15), ("孙", 15), ("马", 14), ("朱", 14), ("胡", 13), ("郭", 13),
    ("何", 12), ("林", 12), ("高", 12), ("罗", 11), ("郑", 11), ("梁", 10), ("谢", 9), ("宋", 9),
    ("唐", 8), ("许", 8), ("韩", 8), ("冯", 7), ("邓", 7), ("曹", 7), ("彭", 7), ("曾", 6),
    ("肖", 6), ("田", 6), ("董", 6), ("潘", 5), ("袁", 5), ("蔡", 5), ("蒋", 5), ("余", 5),
    ("于", 5), ("杜", 5), ("叶", 5), ("程", 5), ("魏", 5), ("苏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("卢", 4), ("姚", 4), ("沈", 4), ("钟", 4), ("姜", 4), ("崔", 4), ("谭", 3),
    ("陆", 3), ("范", 3), ("汪", 3), ("廖", 3), ("石", 3), ("金", 3), ("贾", 3), ("夏", 3),
    ("付", 3), ("方", 3), ("邹", 3), ("熊", 3), ("白", 3), ("孟", 3), ("秦", 3), ("邱", 3),
    ("侯", 3), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2), ("段", 2), ("雷", 2), ("龙", 2),
    ("史", 2), ("陶", 2), ("贺", 2), ("毛", 2), ("郝", 2), ("顾", 2), ("龚", 2), ("邵", 2),
    ("万", 2), ("武", 2), ("钱", 2), ("戴", 2), ("严", 2), ("孔", 1), ("常", 1), ("乔", 1),
    ("牛", 1), ("申", 1), ("欧阳", 0.3), ("司马", 0.1),
)  # fmt: skip

# Given names by birth era: (male, female).
_CN_GIVEN_OLD = (
    "建国 建华 建军 国庆 国强 国华 志强 志明 德明 德胜 玉林 长江 振华 保国 卫东 卫国 向东 "
    "春生 金山 庆华 学军 永福 树林 占山 红旗 跃进 新民 福林 光明",
    "秀英 桂英 秀兰 玉兰 桂兰 秀珍 凤英 玉珍 玉梅 凤兰 秀云 桂芳 淑珍 淑华 素芳 兰英 "
    "翠花 美华 丽华 红梅 金凤 桂花 爱华 素梅 玉英 秀芝 春兰",
)
_CN_GIVEN_MID = (
    "伟 强 磊 军 勇 刚 斌 涛 明 辉 杰 峰 波 鹏 超 平 华 亮 宏 海涛 志刚 建伟 晓东 海军 "
    "红伟 永强 军伟 国栋 卫华 俊峰 建新 伟东 海峰 立新 东升",
    "丽 静 敏 艳 芳 娟 霞 红 燕 萍 玲 梅 丽娟 晓燕 海燕 艳红 丽萍 春梅 红霞 晓红 秀丽 "
    "玉霞 丽丽 小红 艳玲 彩霞 瑞华 素娟",
)
_CN_GIVEN_YOUNG = (
    "浩 宇 鑫 凯 帅 旭 阳 博 晨 浩然 子豪 宇航 俊杰 博文 家豪 天宇 子轩 一鸣 思远 嘉豪 "
    "文博 明轩 宇轩 皓轩 梓豪 志远 泽宇 俊熙 昊天",
    "婷 倩 雪 琳 颖 佳 欣 悦 晨曦 欣怡 梦瑶 雨萱 诗涵 佳怡 思琪 雅婷 梓涵 紫怡 可欣 婉婷 "
    "若曦 佳琪 雨欣 梦琪 静怡 心怡 语嫣 一诺",
)

CN_ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("汉族", 977),
    ("回族", 15),
    ("满族", 3),
    ("蒙古族", 2),
    ("壮族", 1),
    ("土家族", 1),
    ("苗族", 1),
)

# Education by birth era (older members left school earlier).
CN_EDUCATION = ("初中", "高中", "中专", "大专", "大学本科", "硕士研究生", "博士研究生")
VN_EDUCATION = (
    "Trung học cơ sở",
    "Trung học phổ thông",
    "Trung cấp",
    "Cao đẳng",
    "Đại học",
    "Thạc sĩ",
    "Tiến sĩ",
)
_EDUCATION_WEIGHTS = {
    "old": (40, 35, 12, 8, 5, 0, 0),
    "mid": (15, 30, 15, 18, 20, 2, 0),
    "young": (2, 10, 10, 20, 50, 7, 1),
}

# Mobile prefixes (three digits) in use.
CN_PHONE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "175",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
]
VN_PHONE_PREFIXES = [
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "056",
    "058",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
    "086",
    "088",
    "089",
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
]  # noqa: E501

# --- Vietnam -----------------------------------------------------------------

# Northern distribution (Nam Định): Huỳnh and Võ are rare in the north.
VN_SURNAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 75), ("Hoàng", 45), ("Vũ", 40),
    ("Đặng", 21), ("Bùi", 20), ("Đỗ", 18), ("Phan", 15), ("Ngô", 13), ("Dương", 10), ("Đinh", 10),
    ("Trịnh", 8), ("Mai", 8), ("Hồ", 5), ("Lý", 5), ("Đoàn", 6), ("Lương", 5), ("Cao", 5),
    ("Tạ", 4), ("Lã", 3), ("Phí", 3), ("Võ", 3), ("Huỳnh", 2), ("Vương", 2), ("Triệu", 2),
)  # fmt: skip

_VN_MIDDLE_OLD = (
    "Văn Văn Văn Văn Đức Đình Hữu Xuân Quang Công Ngọc",
    "Thị Thị Thị Thị Thị Thị Thu Kim Thanh Ngọc",
)
_VN_MIDDLE_MID = (
    "Văn Văn Đức Đình Hữu Xuân Quang Công Minh Thanh Mạnh Trọng",
    "Thị Thị Thị Thu Thanh Ngọc Hồng Kim Minh",
)
_VN_MIDDLE_YOUNG = (
    "Văn Đức Minh Quang Hoàng Tuấn Trung Anh Hải Ngọc Gia Bảo",
    "Thị Thu Ngọc Phương Thùy Minh Khánh Bảo Diệu Hải Thanh Quỳnh",
)
_VN_GIVEN_OLD = (
    "Hùng Dũng Thắng Bình Hòa Minh Sơn Hải Thành Tiến Lợi Quý Chiến Toàn Đức Phúc Thịnh Vinh Khoa Lâm",
    "Lan Hoa Mai Hương Nga Thủy Liên Dung Tuyết Hồng Loan Nhung Oanh Vân Hạnh Huệ Thơm Lụa Thắm Cúc",
)
_VN_GIVEN_MID = (
    "Hùng Dũng Tuấn Minh Hải Nam Long Thắng Cường Hưng Sơn Tùng Quân Trung Hiếu Phong Huy Thành Tiến Vinh",
    "Lan Hương Hoa Mai Hằng Hà Thủy Huyền Phương Yến Dung Loan Nhung Vân Anh Hạnh Giang Thu Nga Trang",
)
_VN_GIVEN_YOUNG = (
    "Minh Nam Long Huy Khánh Đạt Kiên Hiếu Quân Phúc Duy Tú Hoàng Anh Bảo Khôi Tuấn Thắng Hưng Hải",
    "Linh Trang Thảo Ngọc Huyền Phương Anh Quyên Hà Vy Nhi Hân Ly Mai My Trâm Hằng Yến Giang Thu",
)

VN_ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("Kinh", 995),
    ("Tày", 1.5),
    ("Thái", 1),
    ("Mường", 1.5),
    ("Nùng", 0.5),
    ("Hoa", 0.5),
)

# VN citizen ID birth-registration province codes near Nam Định.
VN_PROVINCE_CODES: tuple[tuple[str, str, float], ...] = (
    ("036", "Nam Định", 88),
    ("034", "Thái Bình", 3),
    ("035", "Hà Nam", 2),
    ("037", "Ninh Bình", 2),
    ("001", "Hà Nội", 2),
    ("038", "Thanh Hóa", 1.5),
    ("031", "Hải Phòng", 1),
    ("030", "Hải Dương", 0.5),
)


def weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    """Pick the first item of a (value, weight) table by weight."""
    return rng.choices([row[0] for row in table], weights=[row[1] for row in table])[0]


def era(birth_year: int) -> str:
    """The naming/education era of a birth year: old, mid or young."""
    if birth_year < 1966:
        return "old"
    if birth_year < 1986:
        return "mid"
    return "young"


def cn_name(rng: random.Random, *, gender: str, birth_year: int) -> str:
    """A plausible Chinese full name (surname + one or two characters)."""
    pools = {"old": _CN_GIVEN_OLD, "mid": _CN_GIVEN_MID, "young": _CN_GIVEN_YOUNG}[era(birth_year)]
    given = rng.choice(pools[0 if gender == "male" else 1].split())
    return weighted(rng, CN_SURNAMES) + given


def vn_name(rng: random.Random, *, gender: str, birth_year: int) -> str:
    """A plausible Vietnamese full name: surname, middle name, given name."""
    index = 0 if gender == "male" else 1
    middles = {"old": _VN_MIDDLE_OLD, "mid": _VN_MIDDLE_MID, "young": _VN_MIDDLE_YOUNG}[era(birth_year)]
    givens = {"old": _VN_GIVEN_OLD, "mid": _VN_GIVEN_MID, "young": _VN_GIVEN_YOUNG}[era(birth_year)]
    middle = rng.choice(middles[index].split())
    given = rng.choice(givens[index].split())
    if middle == given:
        middle = "Văn" if gender == "male" else "Thị"
    return f"{weighted(rng, VN_SURNAMES)} {middle} {given}"


def education(rng: random.Random, *, jurisdiction: str, birth_year: int) -> str:
    """A highest-education label weighted by the birth era."""
    labels = CN_EDUCATION if jurisdiction == "CN" else VN_EDUCATION
    return rng.choices(labels, weights=_EDUCATION_WEIGHTS[era(birth_year)])[0]


def phone(rng: random.Random, *, jurisdiction: str) -> str:
    """A mobile number: CN 11 digits (1xx…), VN 10 digits (0xx…)."""
    if jurisdiction == "CN":
        return rng.choice(CN_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    return rng.choice(VN_PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def cn_national_id(rng: random.Random, *, area_code: str, birth_date: date, gender: str) -> str:
    """
    An 18-digit CN resident ID: area, birth date, sequence whose last digit is
    odd for men and even for women, and the ISO 7064 MOD 11-2 check character.
    """
    sequence = rng.randrange(100) * 10 + rng.choice((1, 3, 5, 7, 9) if gender == "male" else (0, 2, 4, 6, 8))
    first17 = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + cn_check_digit(first17)


def vn_national_id(rng: random.Random, *, province_code: str, birth_year: int, gender: str) -> str:
    """
    A 12-digit VN citizen ID (CCCD): province code, century/gender digit
    (0/1 men/women born 1900-1999, 2/3 born 2000-2099), two birth-year digits
    and six random digits.
    """
    century_digit = 2 * ((birth_year - 1900) // 100) + (0 if gender == "male" else 1)
    return f"{province_code}{century_digit}{birth_year % 100:02d}{rng.randrange(10**6):06d}"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a person is: everything that does not depend on today's date."""

    full_name: str
    gender: str
    birth_date: date
    ethnicity: str
    education: str
    native_place: str
    phone: str
    national_id: str


def random_birth_date(rng: random.Random, first_year: int, last_year: int) -> date:
    """A uniformly random date between 1 January ``first_year`` and 31 December ``last_year``."""
    start = date(first_year, 1, 1)
    days = (date(last_year, 12, 31) - start).days
    return start + timedelta(days=rng.randrange(days + 1))


def make_identity(
    rng: random.Random,
    *,
    jurisdiction: str,
    birth_date: date,
    locality: str,
    area_code: str,
    other_places: tuple[tuple[str, str], ...],
    taken_ids: set[str],
) -> Identity:
    """
    Draw a person's identity for a birth date.

    ``locality`` and ``area_code`` are the home place (most people are born
    where their branch is); ``other_places`` are (place, code) pairs for the
    rest. ``taken_ids`` collects issued IDs so none repeats.
    """
    gender = "male" if rng.random() < (0.72 if birth_date.year < 1975 else 0.58) else "female"
    if rng.random() < 0.85 or not other_places:
        place, code = locality, area_code
    else:
        place, code = rng.choice(other_places)
    if jurisdiction == "CN":
        full_name = cn_name(rng, gender=gender, birth_year=birth_date.year)
        ethnicity = weighted(rng, CN_ETHNICITIES)
    else:
        full_name = vn_name(rng, gender=gender, birth_year=birth_date.year)
        ethnicity = weighted(rng, VN_ETHNICITIES)
    while True:
        if jurisdiction == "CN":
            national_id = cn_national_id(rng, area_code=code, birth_date=birth_date, gender=gender)
        else:
            national_id = vn_national_id(rng, province_code=code, birth_year=birth_date.year, gender=gender)
        if national_id not in taken_ids:
            taken_ids.add(national_id)
            break
    return Identity(
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        ethnicity=ethnicity,
        education=education(rng, jurisdiction=jurisdiction, birth_year=birth_date.year),
        native_place=place,
        phone=phone(rng, jurisdiction=jurisdiction),
        national_id=national_id,
    )
