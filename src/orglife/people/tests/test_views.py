"""Member list (search, filter, pagination, htmx fragments) and member detail."""

from datetime import date

import pytest

from orglife.conftest import CN_IDS, PASSWORD
from orglife.people.services import person_create

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def secretary_client(client, personas):
    client.login(username="branch_secretary", password=PASSWORD)
    return client


@pytest.fixture
def many_people(org_tree):
    return [
        person_create(
            actor=None,
            org=org_tree.branch_a1,
            status="full" if number % 2 else "probationary",
            full_name=f"Nguyễn Văn {number:03d}",
            joined_on=date(2020, 1, 1),
            converted_on=date(2021, 1, 1) if number % 2 else None,
        )
        for number in range(60)
    ]


def test_list_full_page_and_fragment(secretary_client, person_a1):
    page = secretary_client.get("/people/")
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert 'id="member-search"' in page.content.decode()
    fragment = secretary_client.get("/people/", {"q": "zsf"}, **HX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'id="member-search"' not in body
    assert "张三丰" in body
    assert "HX-Request" in fragment["Vary"]


@pytest.mark.parametrize("query", ["zsf", "張三豐", "zhangsanfeng", "张三"])
def test_search_across_scripts(secretary_client, person_a1, query):
    body = secretary_client.get("/people/", {"q": query}, **HX).content.decode()
    assert "张三丰" in body


def test_search_without_diacritics(secretary_client, many_people):
    body = secretary_client.get("/people/", {"q": "nguyen van 007"}, **HX).content.decode()
    assert "Nguyễn Văn 007" in body
    assert "Nguyễn Văn 008" not in body


def test_status_filter(secretary_client, person_a1, many_people):
    body = secretary_client.get("/people/", {"status": "probationary"}, **HX).content.decode()
    assert "张三丰" not in body
    assert "Nguyễn Văn 000" in body
    assert "30 people" in body


def test_unknown_status_is_ignored(secretary_client, person_a1):
    assert secretary_client.get("/people/", {"status": "bogus"}).status_code == 200


def test_pagination_keeps_filters(secretary_client, many_people):
    body = secretary_client.get("/people/", {"q": "nguyen", "status": "full"}).content.decode()
    assert "30 people" in body
    assert "page=" not in body  # 30 fit on one page
    body = secretary_client.get("/people/", {"q": "nguyen", "org": "BA1"}).content.decode()
    assert "60 people" in body
    assert "/people/?q=nguyen&amp;org=BA1&amp;page=2" in body
    second = secretary_client.get("/people/", {"q": "nguyen", "org": "BA1", "page": "2"}, **HX)
    assert "Nguyễn Văn 059" in second.content.decode()
    assert "/people/?q=nguyen&amp;org=BA1&amp;page=1" in second.content.decode()


def test_list_query_budget(secretary_client, many_people, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        assert secretary_client.get("/people/").status_code == 200
    with django_assert_max_num_queries(7):
        assert secretary_client.get("/people/", {"q": "nguyen", "status": "full"}, **HX).status_code == 200


def test_list_out_of_scope_org_is_404(secretary_client, org_tree):
    assert secretary_client.get("/people/", {"org": "BB1"}).status_code == 404


def test_detail_unmasked_for_own_secretary(secretary_client, person_a1):
    response = secretary_client.get(f"/people/{person_a1.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert CN_IDS["zhang"] in body
    assert 'data-unmasked="true"' in body
    assert "Shown in full" in body


def test_detail_masked_for_member(client, personas, person_a1):
    client.login(username="member", password=PASSWORD)
    body = client.get(f"/people/{person_a1.pk}/").content.decode()
    assert CN_IDS["zhang"] not in body
    assert "13800138000" not in body
    assert "110*************2X" in body
    assert 'data-unmasked="false"' in body
    assert "Masked" in body


def test_detail_shows_status_history(secretary_client, person_a1):
    body = secretary_client.get(f"/people/{person_a1.pk}/").content.decode()
    assert "Status history" in body
    assert "badge-status-full" in body


def test_detail_read_by_upper_level_is_logged(client, personas, person_a1):
    client.login(username="district_organizer", password=PASSWORD)
    body = client.get(f"/people/{person_a1.pk}/").content.decode()
    assert "This reading was recorded in the audit trail." in body


def test_detail_query_budget(secretary_client, person_a1, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert secretary_client.get(f"/people/{person_a1.pk}/").status_code == 200
