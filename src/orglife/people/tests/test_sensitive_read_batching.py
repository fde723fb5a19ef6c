"""Sensitive reads of a list are logged once per branch, naming every person."""

from datetime import date

from orglife.audit.models import AuditEvent
from orglife.conftest import CN_IDS, PASSWORD
from orglife.people.services import person_create


def test_api_list_logs_one_event_per_branch_with_every_person(client, personas, org_tree, person_a1):
    # given two more people in branch BA1 and one in BB1
    extra = [
        person_create(
            actor=None,
            org=org_tree.branch_a1,
            status="full",
            full_name="李四",
            national_id=CN_IDS["li"],
            birth_date=date(1980, 1, 1),
            joined_on=date(2000, 1, 1),
            converted_on=date(2001, 1, 1),
        ),
        person_create(actor=None, org=org_tree.branch_a1, status="applicant", full_name="赵六"),
    ]
    person_create(actor=None, org=org_tree.branch_b1, status="applicant", full_name="钱七")
    client.login(username="province_admin", password=PASSWORD)
    before = AuditEvent.objects.count()
    # when the province administrator lists everybody
    response = client.get("/api/people/")
    # then one event per branch was appended, listing the people of that branch
    assert response.status_code == 200
    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [event.action for event in events] == ["people.sensitive_read", "people.sensitive_read"]
    branch_a1_event = next(event for event in events if event.org_id == org_tree.branch_a1.pk)
    assert branch_a1_event.data["people"] == sorted([person_a1.pk, *(person.pk for person in extra)])
    assert "national_id" in branch_a1_event.data["fields"]
    assert all(CN_IDS["li"] not in str(event.data) for event in events)


def test_branch_secretary_reading_own_branch_is_not_logged(client, personas, person_a1):
    client.login(username="branch_secretary", password=PASSWORD)
    before = AuditEvent.objects.count()
    assert client.get("/api/people/").status_code == 200
    assert AuditEvent.objects.count() == before
