"""Main pages and API lists answer for an in-scope user and hide other branches."""

import pytest

from orglife.conftest import PASSWORD


@pytest.mark.parametrize(
    "url", ["/orgs/", "/people/", "/people/?q=zsf", "/api/orgs/", "/api/people/", "/api/role-assignments/"]
)
def test_branch_secretary_reaches_main_pages(client, personas, person_a1, url):
    client.login(username="branch_secretary", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200


def test_sibling_secretary_gets_404_for_member_of_other_branch(client, personas, person_a1):
    client.login(username="sibling_secretary", password=PASSWORD)
    assert client.get(f"/people/{person_a1.pk}/").status_code == 404
    assert client.get(f"/api/people/{person_a1.pk}/").status_code == 404
    assert client.get("/api/people/").json()["count"] == 0


def test_member_sees_masked_national_id(client, personas, person_a1):
    client.login(username="member", password=PASSWORD)
    body = client.get(f"/api/people/{person_a1.pk}/").json()
    assert body["national_id"] == "110*************2X"
    assert body["birth_date"] == "1949-**-**"


def test_search_matches_pinyin_initials_and_traditional(client, personas, person_a1):
    client.login(username="branch_secretary", password=PASSWORD)
    for query in ("zsf", "張三豐", "zhangsan", "张三"):
        assert client.get("/api/people/", {"q": query}).json()["count"] == 1, query
    assert client.get("/api/people/", {"q": "lisi"}).json()["count"] == 0


def test_api_docs_and_schema(client, personas):
    client.login(username="branch_secretary", password=PASSWORD)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
