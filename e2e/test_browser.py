"""
Browser journeys in headless Chromium against the live server.

The branch secretary logs in, switches language, searches a member by pinyin
initials and by traditional characters, opens the record and sees the
sensitive fields in full; a plain member sees them masked; the member list
works at phone width.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from orglife.conftest import CN_IDS, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_person(org_tree: Any) -> Any:
    """A second member of BA1 whom the searches must leave out."""
    from orglife.people.services import person_create

    return person_create(
        actor=None,
        org=org_tree.branch_a1,
        status="probationary",
        full_name="李四",
        national_id=CN_IDS["li"],
        joined_on=date(2024, 3, 1),
    )


@pytest.fixture
def csp_errors() -> list[str]:
    """Console messages about Content-Security-Policy violations, filled by ``new_page``."""
    return []


@pytest.fixture
def new_page(browser: Any, live_server: Any, csp_errors: list[str]) -> Iterator[Any]:
    """A factory of pages in fresh browser contexts (separate cookies)."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                csp_errors.append(message.text)
                if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()


def log_in(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    assert page.locator("#main h1").count() == 1


def switch_language(page: Any, code: str) -> None:
    with page.expect_navigation():
        page.select_option("#language-select", code)
    assert page.locator("html").get_attribute("lang") == code


def translated(code: str, text: str) -> str:
    with translation.override(code):
        return translation.gettext(text)


def test_secretary_journey(
    new_page: Any, personas: Any, person_a1: Any, other_person: Any, csp_errors: list[str]
):
    page = new_page()

    # The language switcher works before logging in.
    page.goto("/accounts/login/")
    switch_language(page, "vi")
    assert page.url.endswith("/accounts/login/")
    switch_language(page, "en")

    log_in(page, "branch_secretary")
    # The landing page names the role and the branch it covers.
    cards = page.locator("#role-cards")
    assert "第BA1党支部" in cards.inner_text()
    assert translated("en", "Branch secretary") in cards.inner_text()

    # Switch to simplified Chinese: <html lang>, the cookie and a navbar word.
    switch_language(page, "zh-hans")
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies.get("django_language") == "zh-hans"
    page.goto("/people/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#language-select").input_value() == "zh-hans"
    navbar = page.locator("nav.navbar").inner_text()
    assert translated("zh-hans", "Members") in navbar
    assert translated("zh-hans", "Organizations") in navbar

    # Live search by pinyin initials: htmx swaps the rows and pushes the URL.
    table = page.locator("#person-table")
    assert "李四" in table.inner_text()
    page.fill("#member-search", "zsf")
    page.wait_for_url("**/people/?q=zsf**")
    page.wait_for_function("() => !document.querySelector('#person-table').innerText.includes('李四')")
    assert "张三丰" in page.locator("#person-table").inner_text()

    # Traditional characters find the simplified name.
    page.fill("#member-search", "張三豐")
    page.wait_for_url("**q=%E5%BC%B5**")
    page.wait_for_selector("#person-table >> text=张三丰")
    assert page.locator("#person-table tbody tr").count() == 1

    # The status filter keeps the search and filters live as well.
    page.select_option("#member-status", "probationary")
    page.wait_for_url("**status=probationary**")
    page.wait_for_selector("#person-table >> td[colspan]")
    page.select_option("#member-status", "full")
    page.wait_for_selector("#person-table >> text=张三丰")

    # Open the member: the secretary of the member's own branch sees everything.
    with page.expect_navigation():
        page.click("#person-table >> text=张三丰")
    assert page.url.endswith(f"/people/{person_a1.pk}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    sensitive = page.locator("#sensitive-fields")
    assert sensitive.get_attribute("data-unmasked") == "true"
    assert page.locator("[data-field=national_id]").inner_text() == CN_IDS["zhang"]
    assert page.locator("[data-field=phone]").inner_text() == "13800138000"
    assert page.locator("[data-field=birth_date]").inner_text() == "1949-12-31"
    assert translated("zh-hans", "Shown in full") in sensitive.inner_text()

    # Back to English from a detail page, which comes back to the same page.
    switch_language(page, "en")
    assert page.url.endswith(f"/people/{person_a1.pk}/")

    # A plain member of the branch sees the same record masked.
    member_page = new_page()
    log_in(member_page, "member")
    member_page.goto(f"/people/{person_a1.pk}/")
    assert member_page.locator("#sensitive-fields").get_attribute("data-unmasked") == "false"
    assert member_page.locator("[data-field=national_id]").inner_text() == "110*************2X"
    assert member_page.locator("[data-field=birth_date]").inner_text() == "1949-**-**"
    assert CN_IDS["zhang"] not in member_page.content()
    assert "Masked" in member_page.locator("#sensitive-fields").inner_text()

    assert csp_errors == []


def test_org_tree_expands_and_collapses(new_page: Any, personas: Any, person_a1: Any, csp_errors: list[str]):
    page = new_page()
    log_in(page, "district_organizer")
    page.goto("/orgs/")
    # The single root (the district) opens itself and lists its two branches.
    tree = page.locator("ul.tree-list").first
    assert "第BA1党支部" in tree.inner_text()
    assert "第BA2党支部" in tree.inner_text()
    assert "1 member" in tree.inner_text()
    toggle = page.locator("[data-tree-toggle]").first
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("text=第BA1党支部").is_visible()
    toggle.click()
    assert page.locator("text=第BA1党支部").is_visible()

    # The province admin sees the province; districts load with htmx on demand.
    admin_page = new_page()
    log_in(admin_page, "province_admin")
    admin_page.goto("/orgs/")
    district_toggle = admin_page.locator(".tree-row:has(a.tree-name:text-is('甲县委')) [data-tree-toggle]")
    assert district_toggle.get_attribute("aria-expanded") == "false"
    district_toggle.click()
    admin_page.wait_for_selector("text=第BA1党支部")
    assert district_toggle.get_attribute("aria-expanded") == "true"
    assert csp_errors == []


def test_member_list_at_phone_width(new_page: Any, personas: Any, person_a1: Any, csp_errors: list[str]):
    page = new_page(390, 700)
    log_in(page, "branch_secretary")
    page.goto("/people/")
    # The navbar collapses behind its toggler.
    nav_link = page.locator("#mainnav a.nav-link", has_text="Members")
    assert not nav_link.is_visible()
    page.click("button.navbar-toggler")
    nav_link.wait_for(state="visible")
    page.click("button.navbar-toggler")
    # Nothing overflows sideways; secondary columns are hidden.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert not page.locator("#person-table th", has_text="Join date").is_visible()
    assert page.locator("#person-table", has_text="张三丰").is_visible()
    # Search works on the phone too.
    page.fill("#member-search", "zsf")
    page.wait_for_url("**q=zsf**")
    page.wait_for_selector("#person-table >> text=张三丰")
    # The detail page fits as well.
    page.click("#person-table >> text=张三丰")
    page.wait_for_url(f"**/people/{person_a1.pk}/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert csp_errors == []
