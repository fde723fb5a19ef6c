"""
Search normalization across scripts.

A search key is built once per stored name and once per query, so that
"陈", "陳", "chen", "c" (pinyin initial) and "Nguyễn"/"nguyen" all meet.
"""

import re
import unicodedata
from functools import lru_cache

import zhconv
from pypinyin import Style, lazy_pinyin

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"\s+")


def strip_diacritics(text: str) -> str:
    """Remove Latin diacritics, including Vietnamese đ/Đ, and lowercase."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones."""
    return zhconv.convert(text, "zh-hans") if _HAN.search(text) else text


@lru_cache(maxsize=65536)
def search_key(name: str) -> str:
    """
    Return the text stored for matching ``name``.

    It holds the simplified form, the diacritic-free lowercase form and, for
    Chinese names, the pinyin syllables and the pinyin initials.
    """
    simplified = to_simplified(name.strip())
    parts = [simplified.lower(), strip_diacritics(simplified)]
    if _HAN.search(simplified):
        syllables = lazy_pinyin(simplified, errors="ignore")
        parts.append("".join(syllables))
        parts.append("".join(lazy_pinyin(simplified, style=Style.FIRST_LETTER, errors="ignore")))
    return _SPACES.sub(" ", " | ".join(dict.fromkeys(parts)))


def query_key(query: str) -> str:
    """Normalize a search query the way stored keys are normalized."""
    simplified = to_simplified(query.strip())
    return _SPACES.sub(" ", strip_diacritics(simplified))
