"""
XSS corpus through every free-text field rendered in HTML (issue 6 f; quality-anchors D1 S7).

The fields are discovered from the models: every CharField/TextField of the
orglife models and of ``auth.User`` that has no choices, is not derived
(``editable=False``) and is not classified ``secret``. Each is filled
through its service where one exists (otherwise directly, as imported or
legacy rows would be), first with a harmless per-field marker and then
with each payload of the corpus; the pages that show the records are
rendered both times. A payload must not add any element or attribute to
the page (the tag/attribute structure equals the marker page's), no
event-handler attribute or ``javascript:`` URL may appear, and wherever
the marker was shown the payload must be shown as literal text
(``{{7*7}}`` stays ``{{7*7}}``).

A new model with free text fails ``test_every_free_text_model_is_rendered_or_declared``
until it says which pages show it (or why none does).
"""

from __future__ import annotations

import html
import io
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from openpyxl import Workbook

from orglife.access.models import Role
from orglife.audit.models import AuditEvent
from orglife.common.classification import CLASSIFICATION
from orglife.orgs.services import committee_post_assign, org_rename
from orglife.people.models import StatusChange
from orglife.people.services import EDITABLE_FIELDS, person_create, person_status_change, person_update

PAYLOADS = [
    "<script>alert(1)</script>",
    "<ScRiPt src=//evil.example/x.js></ScRiPt>",
    '"><script>alert(document.cookie)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    '" onmouseover="alert(1)" x="',
    "' autofocus onfocus='alert(1)",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    "<iframe src=javascript:alert(1)></iframe>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<object data=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
    "{{7*7}}",
    "{% debug %}{{ request.user.password }}",
    "${7*7}#{7*7}<%= 7*7 %>",
    "\u202e<script>alert(1)</script>\u202d",
    "＜script＞alert(1)＜/script＞",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<style>@import 'javascript:alert(1)';</style>",
]
TEMPLATE_LITERALS = ("{{7*7}}", "{{ request.user.password }}", "${7*7}")

# Where each model's free text is shown (keys of PAGES).
RENDERED_ON: dict[str, tuple[str, ...]] = {
    "people.Person": ("member_list", "member_detail", "org_detail"),
    "people.StatusChange": ("status_detail",),
    "orgs.Organization": ("home", "org_tree", "org_detail", "org_children", "member_list", "member_detail"),
    "access.Role": ("home",),
    "audit.AuditEvent": ("audit_list",),
    "auth.User": ("home", "audit_list"),
}
# Models with free text that no HTML page shows, and why.
NOT_RENDERED: dict[str, str] = {
    "accounts.LoginAttempt": "the login log is read in the database only",
    **{
        f"meetings.{name}": "the meetings app has no HTML pages yet"
        for name in (
            "Meeting",
            "Attendance",
            "GuestAttendee",
            "AgendaItem",
            "Resolution",
            "FollowUpItem",
            "Vote",
            "Election",
            "ElectionCandidate",
            "MeetingVersion",
            "ActivityType",
        )
    },
}
# Text columns that are structure or integrity data, never entered as text.
NOT_FREE_TEXT = {
    "orgs.Organization.path": "treebeard's materialized path",
    "audit.AuditEvent.prev_hash": "hash-chain link (hex)",
    "audit.AuditEvent.hash": "hash-chain value (hex), shown truncated",
}
EXTRA_MODELS = ("auth.User",)
# Free-text columns of rendered models that no page shows today (still filled and checked).
NOT_SHOWN = {
    "access.Role.code": "a look-up key; the home page shows the role's label",
    "auth.User.first_name": "no page shows it",
    "auth.User.last_name": "no page shows it",
    "auth.User.email": "no page shows it",
}


def free_text_fields() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every free-text column of the orglife models and of auth.User."""
    found = []
    for model in apps.get_models():
        label = model._meta.label
        if not (model._meta.app_config.name.startswith("orglife.") or label in EXTRA_MODELS):
            continue
        for field in model._meta.concrete_fields:
            key = f"{label}.{field.name}"
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if field.choices or not field.editable or key in NOT_FREE_TEXT:
                continue
            if CLASSIFICATION.get(key) == "secret":
                continue
            found.append((model, field))
    return found


def _rendered_fields() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    return [(model, field) for model, field in free_text_fields() if model._meta.label in RENDERED_ON]


class Structure(HTMLParser):
    """The elements and attributes of a page, and the dangerous ones."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: Counter[tuple[str, tuple[str, ...]]] = Counter()
        self.dangers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape[(tag, tuple(sorted(name for name, _value in attrs)))] += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.dangers.append(f"<{tag} {name}=…>")
            cleaned = "".join(ch for ch in (value or "") if ch > " ").lower()
            if name in {"href", "src", "action", "formaction", "data", "xlink:href"} and cleaned.startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                self.dangers.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
            self.dangers.append(f"<script {attrs}>")
        if tag in {"svg", "math", "iframe", "object", "embed", "details", "style", "mglyph"}:
            self.dangers.append(f"<{tag}>")


def parse(page: str) -> Structure:
    parser = Structure()
    parser.feed(page)
    parser.close()
    return parser


class Fixture:
    """The records whose fields carry the values, and the pages that show them."""

    def __init__(self, org_tree: Any, personas: Any, person: Any) -> None:
        self.org_tree = org_tree
        self.viewer = personas.province_admin
        self.person = person
        self.applicant = person_create(
            actor=None, org=org_tree.branch_a1, status="applicant", full_name="申请人", national_id=""
        )
        committee_post_assign(
            actor=None,
            org=org_tree.branch_a1,
            post="secretary",
            person=person,
            term_start=date(2024, 1, 1),
            term_end=date(2027, 1, 1),
        )
        self.role = Role.objects.get(code="administrator")
        # An event with a named actor, so the audit page shows its actor_name.
        person_update(actor=self.viewer, person=person, work_unit="初值")
        self.event = AuditEvent.objects.order_by("-seq").first()

    def instance(self, label: str) -> models.Model:
        instances: dict[str, Any] = {
            "people.Person": self.person,
            "people.StatusChange": StatusChange.objects.filter(person=self.applicant).order_by("-pk").first(),
            "orgs.Organization": self.org_tree.branch_a1,
            "access.Role": self.role,
            "audit.AuditEvent": self.event,
            "auth.User": self.viewer,
        }
        if label not in instances:
            raise LookupError(f"no record to carry {label}'s free text: add one to Fixture.instance")
        return instances[label]

    def store(self, model: type[models.Model], field: models.Field[Any, Any], value: str) -> None:
        """Through the service where one writes the field, else directly."""
        value = value[: field.max_length] if field.max_length else value
        key = f"{model._meta.label}.{field.name}"
        try:
            if key.startswith("people.Person.") and field.name in EDITABLE_FIELDS:
                person_update(actor=self.viewer, person=self.person, **{field.name: value})
                return
            if key in ("orgs.Organization.name", "orgs.Organization.short_name"):
                org = type(self.org_tree.branch_a1).objects.get(pk=self.org_tree.branch_a1.pk)
                names = {"name": org.name, "short_name": org.short_name, field.name: value}
                org_rename(actor=self.viewer, org=org, **names)
                return
            if key == "people.StatusChange.reason":
                person_status_change(
                    actor=self.viewer,
                    person=self.applicant,
                    to_status="activist",
                    effective_on=date(2024, 1, 1),
                    reason=value,
                )
                return
        except ValidationError:
            pass  # refused by validation: store it anyway, as an old or imported row would be
        instance = self.instance(model._meta.label)
        model._default_manager.filter(pk=instance.pk).update(**{field.name: value})

    def pages(self, client: Any) -> dict[str, str]:
        branch = self.org_tree.branch_a1
        urls = {
            "home": "/",
            "org_tree": "/orgs/",
            "org_detail": f"/orgs/{branch.pk}/",
            "org_children": f"/orgs/{self.org_tree.district_a.pk}/children/",
            "member_list": "/people/",
            "member_detail": f"/people/{self.person.pk}/",
            "status_detail": f"/people/{self.applicant.pk}/",
            "audit_list": "/audit/",
        }
        shown = {}
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, (name, url, response.status_code)
            shown[name] = response.content.decode()
        return shown


def _fill(fixture: Fixture, values: dict[str, str]) -> None:
    # StatusChange.reason is written by a status change: one per fill, so undo the previous one.
    StatusChange.objects.filter(person=fixture.applicant, to_status="activist").delete()
    type(fixture.applicant).objects.filter(pk=fixture.applicant.pk).update(status="applicant")
    for model, field in _rendered_fields():
        fixture.store(model, field, values[f"{model._meta.label}.{field.name}"])
    # The fill's own audit events would lengthen the audit page: keep the trail as it was.
    AuditEvent.objects.filter(seq__gt=fixture.event.seq).delete()


def test_every_free_text_model_is_rendered_or_declared():
    # given the models with free text
    labels = {model._meta.label for model, _field in free_text_fields()}
    # then each says where it is shown, or why it is not
    assert sorted(labels - set(RENDERED_ON) - set(NOT_RENDERED)) == []


def test_every_rendered_field_is_shown_on_a_page(client, org_tree, personas, person_a1):
    # given the marker pages
    fixture = Fixture(org_tree, personas, person_a1)
    client.force_login(fixture.viewer)
    fields = _rendered_fields()
    markers = {f"{m._meta.label}.{f.name}": f"zq{index}q" for index, (m, f) in enumerate(fields)}
    baseline = _baseline(fixture, client, markers)
    # then every field the corpus fills is seen on some page (or declared as not shown)
    shown = set().union(*(keys for _shape, keys in baseline.values()))
    assert sorted(set(markers) - shown - set(NOT_SHOWN)) == []


def test_discovery_covers_the_fields_named_in_the_issue():
    keys = {f"{model._meta.label}.{field.name}" for model, field in _rendered_fields()}
    assert {
        "people.Person.full_name",
        "people.Person.work_unit",
        "people.Person.native_place",
        "people.Person.ethnicity",
        "people.Person.education",
        "orgs.Organization.name",
        "orgs.Organization.short_name",
        "people.StatusChange.reason",
        "audit.AuditEvent.actor_name",
        "auth.User.username",
    } <= keys
    assert len(PAYLOADS) >= 20


# The marker pages are the same for every payload: render them once per process.
_BASELINE: dict[str, tuple[Counter[tuple[str, tuple[str, ...]]], frozenset[str]]] = {}


def _baseline(fixture: Fixture, client: Any, markers: dict[str, str]) -> dict[str, Any]:
    if not _BASELINE:
        _fill(fixture, markers)
        for name, page in fixture.pages(client).items():
            shown = frozenset(key for key, marker in markers.items() if marker in page)
            _BASELINE[name] = (parse(page).shape, shown)
    return _BASELINE


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_in_every_free_text_field_stays_text(payload, client, org_tree, personas, person_a1):
    # given the pages as they look with a harmless marker in every rendered free-text field
    fixture = Fixture(org_tree, personas, person_a1)
    client.force_login(fixture.viewer)
    fields = _rendered_fields()
    markers = {f"{m._meta.label}.{f.name}": f"zq{index}q" for index, (m, f) in enumerate(fields)}
    baseline = _baseline(fixture, client, markers)
    # when every one of them holds the payload instead
    payloads = {
        f"{model._meta.label}.{field.name}": payload[: field.max_length] if field.max_length else payload
        for model, field in fields
    }
    _fill(fixture, payloads)
    attacked = fixture.pages(client)
    # then no page gained an element or attribute, nothing dangerous appears,
    # and every field shown with the marker is shown now as literal text
    for name, page in attacked.items():
        shape, shown = baseline[name]
        structure = parse(page)
        assert structure.dangers == [], (name, structure.dangers)
        assert structure.shape == shape, name
        text = html.unescape(page)
        for key in shown:
            assert payloads[key] in text, (name, key)
        for literal in TEMPLATE_LITERALS:
            if literal in payload:
                assert literal.replace("7*7", "49") not in text.replace(literal, ""), name


@pytest.mark.parametrize("payload", PAYLOADS[:8] + ["{{7*7}}"], ids=range(9))
def test_roster_import_report_shows_payloads_as_text(payload, client, org_tree, personas):
    # given a roster whose cells and file name carry the payload, so the report echoes them
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join("_" if ch in "[]:*?/\\" else ch for ch in payload)[:31]
    sheet.append(["姓名", "性别", "所在党支部", payload])
    sheet.append([payload, payload, payload, "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = f"{payload[:60]}.xlsx"
    client.force_login(personas.province_admin)
    # when it is checked on the import page
    response = client.post("/people/import/", {"org": org_tree.province.code, "file": buffer})
    # then the report shows the payload as text and adds nothing to the page
    assert response.status_code == 200
    page = response.content.decode()
    structure = parse(page)
    assert structure.dangers == []
    assert payload in html.unescape(page)
    baseline = client.get(f"/people/import/?org={org_tree.province.code}").content.decode()
    added = set(structure.shape) - set(parse(baseline).shape)
    # the report adds its own table and badges, never a payload element
    assert {tag for tag, _attrs in added} <= {
        "section",
        "h2",
        "p",
        "code",
        "ul",
        "li",
        "div",
        "table",
        "thead",
        "tr",
        "th",
        "tbody",
        "td",
        "input",
    }
