"""
The main pages render fully translated in zh-hans, zh-hant and vi.

For each language every page is fetched with the language cookie, and no source
string of that language's catalogue (one with a real English word in it and a
translation different from it) may remain in the visible text, the title or the
user-facing attributes (placeholder, aria-label, title, alt).
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from orglife.conftest import PASSWORD

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = {"zh-hans": "zh_Hans", "zh-hant": "zh_Hant", "vi": "vi"}
WORD = re.compile(r"[A-Za-z]{4,}")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
VISIBLE_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
# Audit actions and object types (``orgs.create``, ``people.person``) are data, not UI text.
DOTTED_CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")


class VisibleText(HTMLParser):
    """The text a user reads: body text and labelling attributes, without scripts,
    styles and the language switcher's options (each language is named in itself)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang")
        if tag in ("script", "style") or (tag == "option" and values.get("lang")):
            self.skip.append(tag)
        self.parts.extend(v for k, v in attrs if k in VISIBLE_ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def read_po(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file: msgid, msgid_plural and msgstr / msgstr[0]."""
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?)\s+"(.*)"$', line)
        if match:
            key = match.group(1).replace("[0]", "")
            if key in ("msgctxt", "msgid") and "msgstr" in entry:
                entries.append(entry)
                entry = {}
            entry[key] = match.group(2)
        elif line.startswith('"') and key:
            entry[key] += line[1:-1]
    if "msgid" in entry:
        entries.append(entry)
    return [{k: v.replace('\\"', '"') for k, v in e.items()} for e in entries]


@cache
def source_patterns(catalog: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One pattern per translated source string (a placeholder matches any short text)."""
    sources: set[str] = set()
    for entry in read_po(LOCALE / catalog / "LC_MESSAGES" / "django.po"):
        for text in (entry["msgid"], entry.get("msgid_plural", "")):
            if text and text != entry.get("msgstr") and WORD.search(PLACEHOLDER.sub("", text)):
                sources.add(text)
    patterns = []
    for text in sorted(sources):
        body = r"\S.{0,80}?".join(re.escape(piece) for piece in PLACEHOLDER.split(text))
        patterns.append((text, re.compile(rf"(?<!\w){body}(?!\w)")))
    return tuple(patterns)


def untranslated(text: str, catalog: str) -> list[str]:
    return [source for source, pattern in source_patterns(catalog) if pattern.search(text)]


def visible(html: str, user_data: list[str]) -> tuple[str, str | None]:
    parser = VisibleText()
    parser.feed(html)
    text = DOTTED_CODE.sub(" ", " ".join(" ".join(parser.parts).split()))
    for value in sorted(user_data, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return text, parser.html_lang


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_main_pages_are_translated(language, org_tree, personas, person_a1):
    catalog = LANGUAGES[language]
    user_data = [
        *(u.get_username() for u in vars(personas).values()),
        *(o.name for o in vars(org_tree).values()),
        *(o.code for o in vars(org_tree).values()),
        person_a1.full_name,
        "orglife",
    ]
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = [(None, "/accounts/login/")]
    pages += [
        ("branch_secretary", url)
        for url in (
            "/",
            "/orgs/",
            f"/orgs/{org_tree.branch_a1.pk}/",
            "/people/",
            f"/people/{person_a1.pk}/",
            "/people/import/?org=BA1",
        )
    ]
    pages += [("province_admin", "/"), ("province_admin", "/audit/")]
    current = None
    for username, url in pages:
        if username != current:
            client.logout()
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if username:
                assert client.login(username=username, password=PASSWORD)
            current = username
        response = client.get(url)
        assert response.status_code == 200, url
        text, html_lang = visible(response.content.decode(), user_data)
        assert html_lang == language, url
        assert untranslated(text, catalog) == [], (url, text)


def test_the_check_finds_an_english_page(org_tree, personas):
    """The English page holds the source strings the check looks for."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.login(username="branch_secretary", password=PASSWORD)
    text, html_lang = visible(client.get("/orgs/").content.decode(), [])
    assert html_lang == "en"
    found = untranslated(text, "zh_Hans")
    assert "Organizations" in found
    assert "%(counter)s members" in found or "%(counter)s member" in found
