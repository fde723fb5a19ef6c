"""Org tree, children fragment, org detail and the home page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orglife.conftest import PASSWORD
from orglife.orgs.models import CommitteePost
from orglife.orgs.services import org_create
from orglife.orgs.views import term_state

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def secretary_client(client, personas):
    client.login(username="branch_secretary", password=PASSWORD)
    return client


@pytest.fixture
def admin_client(client, personas):
    client.login(username="province_admin", password=PASSWORD)
    return client


def test_tree_shows_single_root_expanded_with_counts(client, personas, person_a1):
    client.login(username="district_organizer", password=PASSWORD)
    response = client.get("/orgs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲县委" in body
    assert "第BA1党支部" in body
    assert "第BA2党支部" in body
    assert "乙县委" not in body
    assert 'aria-expanded="true"' in body
    assert "Inactive and merged organizations are hidden." in body


def test_tree_query_budget(admin_client, person_a1, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert admin_client.get("/orgs/").status_code == 200


def test_children_fragment_for_htmx(admin_client, org_tree, person_a1):
    url = f"/orgs/{org_tree.district_a.pk}/children/"
    fragment = admin_client.get(url, **HX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body
    assert "第BA1党支部" in body
    assert "1 member" in body
    assert "HX-Request" in fragment["Vary"]
    page = admin_client.get(url)
    assert "<html" in page.content.decode()


def test_history_restore_gets_the_whole_page(admin_client, org_tree):
    response = admin_client.get(
        f"/orgs/{org_tree.district_a.pk}/children/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_children_hide_inactive(admin_client, org_tree):
    closed = org_create(actor=None, parent=org_tree.district_a, code="BA9", name="已撤销支部", kind="branch")
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    body = admin_client.get(f"/orgs/{org_tree.district_a.pk}/children/", **HX).content.decode()
    assert "已撤销支部" not in body


def test_children_out_of_scope_is_404(secretary_client, org_tree):
    assert secretary_client.get(f"/orgs/{org_tree.district_b.pk}/children/", **HX).status_code == 404


def test_detail_breadcrumbs_only_visible_ancestors(secretary_client, org_tree):
    body = secretary_client.get(f"/orgs/{org_tree.branch_a1.pk}/").content.decode()
    assert "第BA1党支部" in body
    assert f'href="/orgs/{org_tree.district_a.pk}/"' not in body


def test_detail_breadcrumbs_for_admin(admin_client, org_tree):
    body = admin_client.get(f"/orgs/{org_tree.branch_a1.pk}/").content.decode()
    assert f'href="/orgs/{org_tree.province.pk}/"' in body
    assert f'href="/orgs/{org_tree.district_a.pk}/"' in body


@pytest.mark.parametrize(("days", "state"), [(-1, "expired"), (30, "soon"), (183, "soon"), (400, "ok")])
def test_detail_highlights_term_expiry(admin_client, org_tree, person_a1, days, state):
    today = timezone.localdate()
    CommitteePost.objects.create(
        org=org_tree.branch_a1,
        post="secretary",
        person=person_a1,
        term_start=today - timedelta(days=1000),
        term_end=today + timedelta(days=days),
    )
    response = admin_client.get(f"/orgs/{org_tree.branch_a1.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-term-state="{state}"' in body
    assert "张三丰" in body
    if state == "expired":
        assert "term-expired" in body
    elif state == "soon":
        assert "term-soon" in body


def test_term_state_without_date():
    assert term_state(None, timezone.localdate()) == ""


def test_detail_query_budget(admin_client, org_tree, person_a1, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert admin_client.get(f"/orgs/{org_tree.district_a.pk}/").status_code == 200


def test_anonymous_redirected_to_login(client, org_tree):
    response = client.get("/orgs/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_home_lists_roles_and_orgs(secretary_client, person_a1):
    response = secretary_client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Branch secretary" in body
    assert "第BA1党支部" in body
    assert "?org=BA1" in body


def test_home_query_budget(admin_client, person_a1, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert admin_client.get("/").status_code == 200


def test_home_without_roles(client, personas):
    client.login(username="no_role", password=PASSWORD)
    body = client.get("/").content.decode()
    assert "You have no role on any organization yet." in body


def test_login_page_has_language_switcher(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert 'id="language-select"' in body
    assert 'action="/i18n/setlang/"' in body


def test_set_language_from_a_page_comes_back(secretary_client):
    response = secretary_client.post("/i18n/setlang/", {"language": "vi", "next": "/orgs/"})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert secretary_client.cookies["django_language"].value == "vi"
    assert 'lang="vi"' in secretary_client.get("/orgs/").content.decode()
